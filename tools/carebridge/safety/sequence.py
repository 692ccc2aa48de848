"""Steps done in turn: "dry the baby first, then assess tone, breathing and heart rate" read back
as 先评估肌张力、呼吸和心率，再擦干新生儿.

Every step is still there, so no count sees it; only which comes first changed, and on a ward the
first step is the one done. Read only where both languages say the order in words: English
"then" (with or without "first") and Chinese 先 … 再/然后/随后. Each side is cut there into what
comes first and what comes next, and the things each part names (acts, tests, medicines, sites,
terms) are compared: something the source does first that the translation does next, while
something of the source's next step comes first, is an error.
"""

from __future__ import annotations

import re

from .findings import Finding
from .pair import Pair, excerpt, register

_EN_THEN = re.compile(r"(?i)\bthen\b")
_ZH_FIRST = re.compile(r"先(?![前兆天生锋进导])")
_ZH_THEN = re.compile(r"然后再?|随后再?|之后再|(?<![不])再(?![次度生造])")
# what a step names: not the words that make it a rule (obligation) or put it in time
_CATEGORIES = ("action", "test", "drug", "site", "term", "kind")
_HINT = "keep the steps in the source's order: what it does first (先) stays first, what it does then (再) stays next"


def _parts(pair: Pair, side: str, span: tuple[int, int], cut: int) -> tuple[set[str], set[str]]:
    """The things named before ``cut`` and from it to the end of ``span``."""
    before: set[str] = set()
    after: set[str] = set()
    for category in _CATEGORIES:
        for m in pair.found(category, side):
            if span[0] <= m.start < cut:
                before.add(m.id)
            elif cut <= m.start < span[1]:
                after.add(m.id)
    return before - after, after - before


@register("sequence")
def _sequence(pair: Pair) -> list[Finding]:
    en, zh = pair.text("en"), pair.text(pair.language)
    for s_span, t_span in pair.segments():
        then = _EN_THEN.search(en, *s_span)
        first = _ZH_FIRST.search(zh, *t_span)
        after = _ZH_THEN.search(zh, first.end(), t_span[1]) if first else None
        if then is None or after is None:
            continue
        s_first, s_next = _parts(pair, "en", s_span, then.start())
        t_first, t_next = _parts(pair, pair.language, t_span, after.start())
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
