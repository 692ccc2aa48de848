"""Steps done in turn: "dry the baby first, then assess tone, breathing and heart rate" read back
as 先评估肌张力、呼吸和心率，再擦干新生儿.

Every step is still there, so no count sees it; only which comes first changed, and on a ward the
first step is the one done. Read only where both languages say the order in words: English "then",
or "before"/"after" followed by a step ("before removing it", "only after five breaths have been
given"; not a moment such as "before the procedure" or a time such as "after 24 hours"), and Chinese
先 … 再/然后/随后 or …后再. Each side is cut there into what comes first and what comes next, and the
things each part names (acts, tests, medicines, sites, terms, anchors) are compared: something the
source does first that the translation does next, while something of the source's next step comes
first, is an error.
"""

from __future__ import annotations

import re

from .findings import Finding
from .pair import Pair, excerpt, register

_EN_THEN = re.compile(r"(?i)\bthen\b")
# "aspirate before removing it", "start compressions only after five breaths": the step after
# "before" comes next, the one after "after" first. Not a time ("after 24 hours", "before 37 weeks").
_EN_BEFORE_AFTER = re.compile(r"(?i)\b(before|after)\b(?!\s+(?:[0-9.½]+|one|two|three|four|five|six|seven|eight|nine|ten"
                              r"|twelve|twenty|thirty|forty|a few|several|an?)?\s*-?(?:seconds?|minutes?|mins?|hours?|hrs?|h|days?"
                              r"|weeks?|months?|years?)\b)")
_ZH_FIRST = re.compile(r"先(?![前兆天生锋进导])")
_ZH_THEN = re.compile(r"然后再?|随后再?|之后再|(?<![不])再(?![次度生造])")
_ZH_DONE_THEN = re.compile(r"(?<=[\u4e00-\u9fff])(?:之后|以后|后)[，,]?\s*(?:再|才|方可)")  # 评估后再给药
# what a step names: not the words that make it a rule (obligation) or put it in time
_CATEGORIES = ("action", "test", "drug", "site", "term", "kind", "anchor", "contrast")
_HINT = "keep the steps in the source's order: what it does first (先) stays first, what it does then (再) stays next"


# the words that say the order (first, then, before, 再, only) or how many (any), not a step
_ORDER_WORDS = frozenset({"repeat", "first", "maintenance", "restrict", "before", "after", "any", "all", "each"})


def _parts(pair: Pair, side: str, span: tuple[int, int], cut: int) -> tuple[set[str], set[str]]:
    """The things named before ``cut`` and from it to the end of ``span``."""
    before: set[str] = set()
    after: set[str] = set()
    for category in _CATEGORIES:
        for m in pair.found(category, side):
            if m.id in _ORDER_WORDS:
                continue
            if span[0] <= m.start < cut:
                before.add(m.id)
            elif cut <= m.start < span[1]:
                after.add(m.id)
    return before - after, after - before


def _zh_order(zh: str, span: tuple[int, int]) -> tuple[tuple[int, int], int] | None:
    """Where the translation's first step starts and ends, and where the next starts: 先A，再B (the
    first step from 先, what stands before it being the setting), or A后再B."""
    first = _ZH_FIRST.search(zh, *span)
    after = _ZH_THEN.search(zh, first.end(), span[1]) if first else None
    if first is not None and after is not None:
        return (first.start(), span[1]), after.start()
    done = _ZH_DONE_THEN.search(zh, *span)
    return ((span[0], span[1]), done.start()) if done else None


# "before removing it", "after five breaths have been given", "before you go": a step. "Before the
# procedure", "after birth" name a moment, which orders nothing of the sentence's own steps.
_EN_STEP_FOLLOWS = re.compile(r"(?i)\s+(?:[a-z]+ing\b|(?:you|she|he|they|we|it|the patient|the baby|the woman)\s+[a-z]+"
                              r"|[^,;.]{0,60}?\b(?:is|are|was|were|has|have|had|been|starts?|started|begins?|ends?|[a-z]+ed)\b)")


def _en_orders(en: str, span: tuple[int, int]) -> list[tuple[int, bool]]:
    """Each place the source says an order in words, and whether what follows it comes first ("after")."""
    cuts = [(m.start(), False) for m in _EN_THEN.finditer(en, *span)]
    return cuts + [(m.start(), m.group().lower() == "after") for m in _EN_BEFORE_AFTER.finditer(en, *span)
                   if _EN_STEP_FOLLOWS.match(en, m.end(), span[1])]


@register("sequence")
def _sequence(pair: Pair) -> list[Finding]:
    en, zh = pair.text("en"), pair.text(pair.language)
    for s_span, t_span in pair.segments():
        order = _zh_order(zh, t_span)
        if order is None:
            continue
        t_first, t_next = _parts(pair, pair.language, *order)
        for cut, turned in _en_orders(en, s_span):
            s_first, s_next = _parts(pair, "en", s_span, cut)
            if turned:  # "B after A": A is done first
                s_first, s_next = s_next, s_first
            moved_back, moved_up = s_first & t_next, s_next & t_first
            if moved_back and moved_up:
                where = f" in '{excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
                return [Finding("sequence", "error", f"steps reversed{where}: the source does "
                                f"{_named(pair, moved_back)} first and {_named(pair, moved_up)} then, the translation "
                                "the other way round", _HINT)]
    return []


def _named(pair: Pair, ids: set[str]) -> str:
    """What the source calls the things of ``ids`` (the things themselves before the acts), two at most."""
    said = [m for category in reversed(_CATEGORIES) for m in pair.found(category, "en") if m.id in ids]
    return "'" + "', '".join(list(dict.fromkeys(m.text.strip() for m in said))[:2]) + "'"
