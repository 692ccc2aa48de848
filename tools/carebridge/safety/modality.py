"""How binding an instruction is: "must" read as "may", "never" as "try not to".

``contrast`` catches a firm word of one obligation set replaced by a firm word of another (must →
可以, 建议). What it leaves, because the obligation set is phrased too freely to count, is the
*soft* replacement: "Oxytocin must be given" as 可给予缩宫素 (may be given), with nothing of the
source's obligation left, and "never" as 尽量不要 (try not to). Both turn a rule into a choice. So
do "should" said as 可 and, the other way round, a "may" (可以, 允许) added to a sentence the source
forbids throughout: "do not give aspirin, ibuprofen or naproxen" as 不要给阿司匹林、布洛芬，但可以服用
萘普生 keeps its negation, so no count sees it.

A bare imperative (核对腕带, 请核对) or a plural "all" (每次…均…) still carries "must" and passes;
so do 方可 / 才可 ("only then may": "must be checked before blood is given" as 核对后方可输血),
可能 (possibly), 可疑, 尽可能 and the drug names that begin with 可 (可待因, 可乐定, 可的松).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .concepts import Mention, within
from .findings import Finding
from .pair import Pair, excerpt, register

# 可 as "may" before what is done; not in a word (可能, 可疑, 可见, 可靠, 可逆 …), not after a word
# it belongs to (不可 is a prohibition, 许可/认可 are nouns, 方可/才可/即可 follow a condition)
_MAY = re.compile(r"(?<![不无许认方才即尽宁])可(?![能疑见靠逆控行信触及乐耐视读溶吸辨塑调降是惜怕爱观变比达知谓待的口])"
                  r"|酌情|视情况")
# "should" that expects rather than asks: "the pain should settle", "you should be able to walk"
_EXPECTED = re.compile(r"(?i)\s+(?:(?:soon |then |usually |gradually )?(?:be (?:able|possible|back|normal|better|over|gone|fine|healed)"
                       r"|settle|resolve|improve|go|subside|heal|return|recover|clear|fade|ease|disappear|last|feel|notice"
                       r"|start|begin|become|get better|wear off|stop|work|take effect|have (?:settled|gone|healed|stopped)))\b")
_ONLY = re.compile(r"(?i)\bonly\b")
# "may" as a whole word says it: 可, 酌情, and "might as well" (不妨, 无妨)
_MAY_SAID = re.compile(_MAY.pattern + r"|不妨|无妨")
# What still says the rule applies every time, in a translation with no obligation word (均可 and
# 都可 are "all may"; 请 is "please" only where a clause starts: 可请口译员 is "may ask")
_EVERY_TIME = re.compile(r"均(?!可)|都(?!可)|一律|一定|始终|总是|坚持|(?:^|(?<=[，。；：,;:\s]))请|务必")
# A hedge the translation adds to a plain instruction: "record hourly" as 尽量每小时记录, "must" as
# 原则上, 必要时, 如有条件, 宜
_HEDGE = re.compile(r"尽量|尽可能|如有条件|条件允许|必要时|如有(?:需要|必要)|视情况|酌情|原则上|一般(?=应|需|要|可|须|不|在|先)"
                    r"|(?<![不适便])宜(?![昌宾])|最好|可考虑")
# Of those, the ones that leave the act to judgement: "should" may be 宜 or 最好, never 酌情 (at discretion) or
# 可考虑 (may consider: a strong recommendation made a weak one; "should consider" is 应考虑 or 可考虑)
_DISCRETION = re.compile(r"酌情|视情况|如有(?:需要|必要)|必要时|根据需要|按需|可考虑")
_EN_LICENCE = re.compile(r"(?i)\b(?:ideally|preferabl[ey]|(?:as|when|whenever|where|wherever|if)(?: [a-z]+){0,2} possible"
                         r"|allow(?:s|ed)?|permit(?:s|ted)?|lowest|shortest|smallest|fewest|least|earliest|minimi[sz]e"
                         r"|maximi[sz]e|as (?:short|low|soon|early|little|few|much|many|far|long) as|if (?:necessary|needed|required|indicated|appropriate|available|feasible)"
                         r"|when (?:necessary|needed|required|indicated|appropriate|available)|as (?:needed|required|necessary|appropriate)"
                         r"|where (?:necessary|needed|required|indicated|appropriate|available)|generally|usually|normally|typically"
                         r"|in principle|as a rule|try|aim|consider(?:ed|ing)?|may|might|can|could|optional(?:ly)?|discretion"
                         r"|judg(?:e)?ment|prn|should|recommend(?:ed|s)?|advis(?:e|ed|able)|suggest(?:ed|s)?|best)\b")
# What binds in a translation: a "may" beside one of these is no softening
_BINDING = frozenset({"required", "prohibited", "unnecessary"})
# "never" / "must not" softened: a prohibition hedged to "try not to" or "usually not"
_HEDGED_NOT = re.compile(r"(?:尽量|最好|尽可能|一般|通常|原则上|能不.{0,4}就)\s*(?:不要|不宜|不应|不|勿|避免|别|少)")
_EN_HEDGE = re.compile(r"(?i)\b(?:ideally|preferabl[ey]|if possible|where possible|as far as possible|generally|usually"
                       r"|normally|try|as a rule|routinely|in general|when possible|wherever possible|minimi[sz]e)\b")
_ABSOLUTE_NOT = ("never", "must not", "must never", "should not", "shouldn't", "do not", "don't")
_CONSIDER = re.compile(r"\s*考虑")  # 应考虑 for "consider" is the usual rendering
_MUST_CONSIDER = re.compile(r"(?i)\b(?:should|must|shall|need to|needs to|ought to)\s+(?:also\s+|always\s+)?consider")
# 应 and 需 as "should" and "needs to", not inside a word (反应, 适应, 相应, 供应; 需求, 必需品, 所需)
_SHOULD = re.compile(r"(?<![反适相供对效响答感呼顺回报理])应(?:当|该)?(?![用答对激急变])|(?<![必无不所急])需(?:要)?(?![求])"
                     r"|必须|务必|须|一定要")
_NEGATED_AFTER = re.compile(r"\s*(?:不|勿|避免|禁|停)")
# "may" and "can" that say what is possible, not what is allowed: "may have caused", "can be kept frozen"
_POSSIBILITY = re.compile(r"(?i)\s+(?:be\s+(?:kept|caused|due|related|associated|a|an|the|at|in|more|less|higher|lower|seen"
                          r"|present|absent|normal|difficult|hard|possible|necessary|needed|used to|stored|found|missed"
                          r"|life-threatening|fatal|serious|severe|harmful|dangerous)|have|not|cause|become|lead|occur|happen"
                          r"|result|increase|decrease|reduce|affect|mask|delay|indicate|suggest|mean|help|take (?:up to|several|a few|longer)"
                          r"|also|still|only|rise|fall|drop|worsen|develop|appear|last|persist|recur|return)\b")
# "so that voiding can be assessed": a "can" in a purpose clause says what the act makes possible
_PURPOSE = re.compile(r"(?i)\b(?:so(?: that)?|in order that)\b[^,;:.]*$")
_HINT = ("keep how binding the rule is: must 必须/应, never 切勿/绝不; 可 and 酌情 say 'may', "
         "尽量不要 says 'try not to'")


# "do not stop the statin" as 不要继续使用他汀: the prohibition kept, the act under it turned round
_EN_NOT_ACT = re.compile(r"(?i)\b(?:do not|don't|never|must not|should not)\s+(?P<act>stop|discontinue|withhold|interrupt"
                         r"|continue|resume|restart)\b")
_ZH_NOT_ACT = re.compile(r"(?:不要|切勿|请勿|勿|不得|不可|不应|禁止|严禁|不能|别)(?:擅自|自行|随意)?"
                         r"(?P<act>停用|停止|停药|中断|中止|暂停|继续|恢复|重新)")
_STOPS = frozenset({"stop", "discontinue", "withhold", "interrupt", "停用", "停止", "停药", "中断", "中止", "暂停"})


def _act_under_prohibition(pair: Pair) -> list[Finding]:
    en = list(_EN_NOT_ACT.finditer(pair.source))
    zh = list(_ZH_NOT_ACT.finditer(pair.translation))
    source = {m.group("act").lower() in _STOPS for m in en}
    translation = {m.group("act") in _STOPS for m in zh}
    if len(source) == 1 and translation and not translation & source:
        return [Finding("contrast", "error", f"meaning reversed: source has {en[0].group()}, translation forbids the "
                        f"opposite ({zh[0].group()})", "do not stop 不要停用 (or 继续); do not continue 不要继续 (or 停止)")]
    return []


def _firm(mentions: list[Mention], concept: str) -> list[Mention]:
    return [m for m in mentions if m.id == concept and not m.concept.soft]


@dataclass(frozen=True)
class _Segment:
    """One aligned sentence of the pair: its obligation words on each side and its text."""

    pair: Pair
    source_words: list[Mention]
    translation_words: list[Mention]
    source: str
    translation: str
    start: int  # where ``translation`` starts in the whole translation
    source_start: int  # and where ``source`` starts in the whole source
    where: str  # " in '…'" when the pair has several sentences

    @property
    def source_ids(self) -> set[str]:
        return {m.id for m in self.source_words}


def _may_for_must(seg: _Segment) -> Finding | None:
    """"must" with nothing binding left and a "may" in its place; a source that also says "may" or
    "can" (must call …, may give …) has its own use for 可."""
    must = _firm(seg.source_words, "required")
    if (not must or {m.id for m in seg.translation_words} & _BINDING or "permitted" in seg.source_ids
            or _EVERY_TIME.search(seg.translation)):
        return None
    found = _MAY_SAID.search(seg.translation)
    return Finding("obligation", "error", f"obligation softened{seg.where}: source has {must[0].text}, translation "
                   f"has only {found.group()} (may)", _HINT) if found else None


def _should_made_may(seg: _Segment) -> Finding | None:
    """"should report within two working days" as 可在两个工作日内上报: the recommendation made an
    option, with no 应, 须, 需, 要 or 建议 left. A prohibition beside it ("but must not delay it" as
    但不得延误) binds something else; a source with its own licence (may, consider, if possible)
    has its own use for 可."""
    should = [m for m in seg.source_words if m.id == "required" and m.text.lower() == "should"
              and not _EXPECTED.match(seg.pair.text("en"), m.end)]
    licence = {m.group().lower() for m in _EN_LICENCE.finditer(seg.source)} - {"should"}
    kept = {m.id for m in seg.translation_words} & {"required", "advised", "unnecessary"}
    # "only a trained midwife should remove it" is 仅…可拔除: who may, and no one else
    if (not should or licence or kept or "permitted" in seg.source_ids or _ONLY.search(seg.source)
            or _EVERY_TIME.search(seg.translation)):
        return None
    found = next((m for m in _MAY_SAID.finditer(seg.translation) if not _CONSIDER.match(seg.translation, m.end())),
                 None)
    return Finding("obligation", "error", f"obligation softened{seg.where}: source has should, translation has only "
                   f"{found.group()} (may)", _HINT) if found else None


def _hedge_added(seg: _Segment) -> Finding | None:
    """A hedge added to what the source states plainly or as a rule."""
    hedge = _HEDGE.search(seg.translation)
    if not hedge or _EN_LICENCE.search(seg.source) or seg.source_ids & {"permitted", "advised"}:
        return None
    must = _firm(seg.source_words, "required")
    what = must[0].text if must else "a plain instruction"
    return Finding("obligation", "error", f"obligation softened{seg.where}: source has {what}, translation adds "
                   f"{hedge.group()} (if possible, at discretion)", _HINT)


def _should_left_to_judgement(seg: _Segment) -> Finding | None:
    """"should have an echocardiogram" as 可酌情行超声心动图检查: a recommendation made a matter of
    judgement, where the source's only licence is "should" itself."""
    found = _DISCRETION.search(seg.translation)
    licence = {m.group().lower() for m in _EN_LICENCE.finditer(seg.source)}
    firm = {m.id for m in seg.source_words if not m.concept.soft}  # "if PCI is not available" forbids nothing
    if not found or licence != {"should"} or firm & {"permitted", "advised", "prohibited"}:
        return None
    return Finding("obligation", "error", f"obligation softened{seg.where}: source has should, translation leaves it "
                   f"to judgement ({found.group()})", _HINT)


def _permission_hardened(seg: _Segment) -> Finding | None:
    """"may" or "can" made a rule: a firm obligation word with nothing in the source that binds."""
    allowed = [m for m in seg.source_words
               if m.id == "permitted" and not _POSSIBILITY.match(seg.pair.text("en"), m.end)
               and not _PURPOSE.search(seg.pair.text("en"), 0, m.start)]
    firm = _firm(seg.translation_words, "required")
    if not allowed:
        return None
    if not firm or _CONSIDER.match(seg.translation, firm[0].end - seg.start):
        return _option_made_rule(seg, allowed[0])
    binding = set() if _MUST_CONSIDER.search(seg.source) else seg.source_ids & _BINDING  # (see _option_made_rule)
    # "you can take paracetamol, but do not take ibuprofen": the prohibition binds something else,
    # unless the firm word carries it (必须避免, 务必不要)
    if binding - {"prohibited"} or (binding and _NEGATED_AFTER.match(seg.translation, firm[0].end - seg.start)):
        return None
    return Finding("obligation", "error", f"permission hardened{seg.where}: source has {allowed[0].text}, "
                   f"translation has {firm[0].text} (must)", _HINT)


def _option_made_rule(seg: _Segment, allowed: Mention) -> Finding | None:
    """"Consider a chest X-ray" as 应拍胸片: the plain 应 or 需 (should, needs) where the source only
    offers, with nothing of "may", "consider" or "advise" left (应考虑 and 可 keep the choice)."""
    binds = {m.id for m in seg.source_words if m.concept.family == "obligation"} - {"permitted", "prohibited"}
    if _MUST_CONSIDER.search(seg.source):  # "staff should consider a urine culture": the duty is to weigh it
        binds = set()
    if binds or _HEDGE.search(seg.translation):
        return None
    if any(m.concept.family == "obligation" and m.id != "required" for m in seg.translation_words):
        return None
    must = _SHOULD.search(seg.translation)
    return Finding("obligation", "error", f"permission hardened{seg.where}: source has {allowed.text}, "
                   f"translation has {must.group()} (should, must)", _HINT) if must else None


def _need_made_rule(seg: _Segment) -> Finding | None:
    """"does not need to fast" as 需禁食: the source says it is unnecessary, the translation requires
    it, with no 无需, 不必 or "may" left."""
    unneeded = _firm(seg.source_words, "unnecessary")
    if not unneeded or any(m.id in {"unnecessary", "permitted", "prohibited"} for m in seg.translation_words):
        return None
    must = _SHOULD.search(seg.translation)
    return Finding("obligation", "error", f"obligation reversed{seg.where}: source has {unneeded[0].text}, "
                   f"translation has {must.group()} (needs to)", _HINT) if must else None


def _never_hedged(seg: _Segment) -> Finding | None:
    never = [m for m in _firm(seg.source_words, "prohibited") if m.text.lower() in _ABSOLUTE_NOT]
    hedged = _HEDGED_NOT.search(seg.translation)
    if not never or not hedged or _EN_HEDGE.search(seg.source):
        return None
    return Finding("obligation", "error", f"prohibition softened{seg.where}: source has {never[0].text}, "
                   f"translation has {hedged.group()} (try not to)", _HINT)


# "may" said in a translation: 可 as ``_MAY`` reads it, before what is done (not 万艾可 or 可）; not
# "can prevent" or "avoidable", 可避免; not 可用 or 可供, "usable"), and 允许 or "it is fine" not under a negation
_ALLOWED = re.compile(r"(?:(?<!艾)" + _MAY.pattern + r")(?=[\u4e00-\u9fff])"
                      r"(?!用|供|避免|防止|预防|减少|降低|减轻|导致|引起|造成|提高|改善|帮助|缩短|切勿|勿)"
                      r"|(?<![不未勿禁])允许|不妨|无妨|没关系")
# What in the source already makes room for a "may": an exception, a condition met later, an ability,
# another option
_EN_ROOM = re.compile(r"(?i)\b(?:unless|except|other than|apart from|only|until|till|able|available|allowed|permitted"
                      r"|acceptable|fine|ok|okay|alternatives?|instead|switch|substitute)\b")
# A prohibition inside a condition ("if labetalol is contraindicated") forbids nothing itself
_EN_CONDITION = re.compile(r"(?i)\b(?:if|when|whenever|where|in case|whether|because|since|as)\b[^,;:.]*$")
# 最多可 (at most … may) is how Chinese says "do not exceed"
_AT_MOST = re.compile(r"(?:最多|至多|最大|上限|不超过)[^，。；,;]{0,4}$")


def _words_at(text: str, start: int) -> str:
    """A few characters of ``text`` from ``start``, to the end of its clause."""
    return re.split(r"[，。；：,;:\s]", text[start:start + 4])[0]


def _forbids_throughout(seg: _Segment) -> Mention | None:
    """The prohibition that governs every clause of the source sentence ("do not give A, B or C"),
    or None where one clause (after a semicolon or colon) says something else, or the
    prohibition is only part of a condition."""
    source = seg.pair.text("en")
    firm = [m for m in _firm(seg.source_words, "prohibited")
            if not _EN_CONDITION.search(source, 0, m.start)]
    if not firm:
        return None
    clauses = [(seg.source_start + m.start(), seg.source_start + m.end()) for m in re.finditer(r"[^;:]+", seg.source)
               if m.group().strip()]
    return firm[0] if all(any(a <= f.start < b for f in firm) for a, b in clauses) else None


def _permission_added(seg: _Segment) -> Finding | None:
    """"Do not give aspirin, ibuprofen or naproxen" as 不要给阿司匹林、布洛芬，但可以服用萘普生: the
    prohibition is kept, so the negations count alike, but the translation allows what the source
    forbids, in a sentence where the source allows nothing."""
    if "permitted" in seg.source_ids or _EN_LICENCE.search(seg.source) or _EN_ROOM.search(seg.source):
        return None
    prohibited = _forbids_throughout(seg)
    if prohibited is None:
        return None
    found = next((m for m in _ALLOWED.finditer(seg.translation) if not _AT_MOST.search(seg.translation, 0, m.start())),
                 None)
    return Finding("obligation", "error", f"permission added{seg.where}: source forbids ({prohibited.text}) and "
                   f"allows nothing, translation has {_words_at(seg.translation, found.start())} (may)",
                   "what the source forbids stays forbidden: each item of a 'do not' list keeps its 不要 or 禁止; "
                   "可以, 可 and 允许 say 'may'") if found else None


_RULES = (_may_for_must, _should_made_may, _hedge_added, _should_left_to_judgement, _permission_hardened,
          _never_hedged, _need_made_rule, _permission_added)


@register("obligation")
def _obligation(pair: Pair) -> list[Finding]:
    reversed_act = _act_under_prohibition(pair)
    if reversed_act:
        return reversed_act
    src, tr = pair.found("contrast", "en"), pair.found("contrast", pair.language)
    if not any(m.concept.family == "obligation" for m in src) and not _HEDGE.search(pair.translation):
        return []
    segments = pair.segments()
    for s_span, t_span in segments:
        seg = _Segment(pair, within(src, s_span), within(tr, t_span), pair.text("en")[slice(*s_span)],
                       pair.text(pair.language)[slice(*t_span)], t_span[0], s_span[0],
                       f" in '{excerpt(pair.source, s_span)}'" if len(segments) > 1 else "")
        for rule in _RULES:
            found = rule(seg)
            if found:
                return [found]  # the first rule a sentence breaks says enough
    return []
