"""How binding an instruction is: "must" read as "may", "never" as "try not to".

``contrast`` catches a firm word of one obligation set replaced by a firm word of another (must →
可以, 建议). What it leaves, because the obligation set is phrased too freely to count, is the
*soft* replacement: "Oxytocin must be given" as 可给予缩宫素 (may be given), with nothing of the
source's obligation left, and "never" as 尽量不要 (try not to). Both turn a rule into a choice.

A bare imperative (核对腕带, 请核对) or a plural "all" (每次…均…) still carries "must" and passes;
so do 方可 / 才可 ("only then may": "must be checked before blood is given" as 核对后方可输血),
可能 (possibly), 可疑, 尽可能 and the drug names that begin with 可 (可待因, 可乐定, 可的松).
"""

from __future__ import annotations

import re

from .concepts import Mention, within
from .findings import Finding
from .pair import Pair, excerpt, register

# 可 as "may" before what is done; not in a word (可能, 可疑, 可见, 可靠, 可逆 …), not after a word
# it belongs to (不可 is a prohibition, 许可/认可 are nouns, 方可/才可/即可 follow a condition)
_MAY = re.compile(r"(?<![不无许认方才即尽宁])可(?![能疑见靠逆控行信触及乐耐视读溶吸辨塑调降是惜怕爱观变比达知谓待的口])"
                  r"|酌情|视情况")
# What still says the rule applies every time, in a translation with no obligation word
_EVERY_TIME = re.compile(r"均|都|一律|一定|始终|总是|坚持|请|务必")
# "never" / "must not" softened: a prohibition hedged to "try not to" or "usually not"
_HEDGED_NOT = re.compile(r"(?:尽量|最好|尽可能|一般|通常|原则上|能不.{0,4}就)\s*(?:不要|不宜|不应|不|勿|避免|别|少)")
_EN_HEDGE = re.compile(r"(?i)\b(?:ideally|preferabl[ey]|if possible|where possible|as far as possible|generally|usually"
                       r"|normally|try|as a rule|routinely|in general|when possible|wherever possible|minimi[sz]e)\b")
_ABSOLUTE_NOT = ("never", "must not", "must never")
_HINT = ("keep how binding the rule is: must 必须/应, never 切勿/绝不; 可 and 酌情 say 'may', "
         "尽量不要 says 'try not to'")


def _firm(mentions: list[Mention], concept: str) -> list[Mention]:
    return [m for m in mentions if m.id == concept and not m.concept.soft]


@register("obligation")
def _obligation(pair: Pair) -> list[Finding]:
    src, tr = pair.found("contrast", "en"), pair.found("contrast", pair.language)
    if not any(m.concept.family == "obligation" for m in src):
        return []
    segments = pair.segments()
    for s_span, t_span in segments:
        s_part, t_part = within(src, s_span), within(tr, t_span)
        s_ids = {m.id for m in s_part}
        t_ids = {m.id for m in t_part}
        source, translation = pair.text("en")[slice(*s_span)], pair.text(pair.language)[slice(*t_span)]
        where = f" in '{excerpt(pair.source, s_span)}'" if len(segments) > 1 else ""
        must = _firm(s_part, "required")
        # "must" with nothing binding left and a "may" in its place; a source that also says
        # "may" or "can" (must call …, may give …) has its own use for 可
        if (must and not t_ids & {"required", "prohibited", "unnecessary"} and "permitted" not in s_ids
                and not _EVERY_TIME.search(translation)):
            found = _MAY.search(translation)
            if found:
                return [Finding("obligation", "error", f"obligation softened{where}: source has {must[0].text}, "
                                f"translation has only {found.group()} (may)", _HINT)]
        never = [m for m in _firm(s_part, "prohibited") if m.text.lower() in _ABSOLUTE_NOT]
        hedged = _HEDGED_NOT.search(translation)
        if never and hedged and not _EN_HEDGE.search(source):
            return [Finding("obligation", "error", f"prohibition softened{where}: source has {never[0].text}, "
                            f"translation has {hedged.group()} (try not to)", _HINT)]
    return []
