""""Must not … until": what Chinese says with 前不得, 后方可 and 后不得, read for the contrast check.

"Must not return to work until 48 hours after the symptoms stop" has three faithful Chinese forms
and one reversed one:

- 48小时后方可返岗 ("only after 48 hours may one return"): 方可 keeps the "must not";
- 48小时前不得返岗 ("not before 48 hours"): the 前 stands for the source's "after";
- 须在…48小时后，才能返岗: as the first;
- 48小时后不得返岗 ("not after 48 hours"): the meaning reversed.

Each reading needs a source that says until (or till); elsewhere 方可 keeps no "do not"
(儿童经评估后方可使用阿司匹林 for "do not give aspirin to children" is still a prohibition lost).
"""

from __future__ import annotations

import re

from .concepts import Mention
from .pair import Pair

_ONLY_THEN = frozenset({"方可", "方能", "才能", "才可以", "才可"})
_NOT_UNTIL = re.compile(r"(?i)\b(?:until|till)\b")
_TIME_BEFORE = re.compile(r"[0-9０-９一二三四五六七八九十两半]\s*(?:个)?(?:小时|分钟|天|日|周|个月|月)$")
_BARRED = re.compile(r"[，,]?\s*(?:均|都|一律|仍)?(?:不得|不可|不能|不应|不宜|不要|切勿|勿|禁止|严禁)")


def _not_before(tr: list[Mention], src: list[Mention], pair: Pair) -> list[Mention]:
    """"must not return until 48 hours after" is 48小时前不得返岗: "not before" is "not until … after",
    so a 前 barred there stands for the source's "after"."""
    after = next((m for m in src if m.id == "after" and not m.concept.soft), None)
    if after is None or not _NOT_UNTIL.search(pair.text("en")):
        return tr
    text = pair.text(pair.language)
    return [Mention(after.concept, m.start, m.end, m.text) if m.id == "before" and _BARRED.match(text, m.end) else m
            for m in tr]


def not_after(pair: Pair, src: list[Mention], tr: list[Mention]) -> tuple[str, str] | None:
    """The source's "after" and the translation's 后不得 when "must not … until … after" became "not after"."""
    after = next((m for m in src if m.id == "after" and not m.concept.soft), None)
    if after is None or not _NOT_UNTIL.search(pair.text("en")):
        return None
    text = pair.text(pair.language)
    for m in tr:
        # 48小时后不得: after a length of time (术后不得进食6小时 says "not until 6 hours after")
        hit = (_BARRED.match(text, m.end) if m.id == "after" and not m.concept.soft
               and _TIME_BEFORE.search(text, 0, m.start) else None)
        if hit is not None:
            return after.text, text[m.start:hit.end()]
    return None


def _until(pair: Pair, mention: Mention) -> bool:
    """Whether 方可 says "not until" here: …后方可 (after it, only then), for a source that says until."""
    before = pair.text(pair.language)[:mention.start].rstrip("，, ")
    return before.endswith("后") and bool(_NOT_UNTIL.search(pair.text("en")))


def read_until(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[Mention]:
    """The translation's contrast words as the source's not-until reads them: 方可 after 后 kept as
    the "must not" (dropped elsewhere), a barred 前 as the source's "after"."""
    kept = [m for m in tr if not (m.id == "prohibited" and m.concept.soft and m.text in _ONLY_THEN and not _until(pair, m))]
    return _not_before(kept, src, pair)
