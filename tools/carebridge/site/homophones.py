"""Chinese words typed with a homophone: a clinician typing pinyin picks 安 for 氨 (安甲环酸 for 氨甲环酸).

``homophone_index`` writes, for one search index, what the browser needs to find the word meant: the
index's Chinese words, and the toneless readings of the characters a query may be typed with (the
common ones, package data ``site/data/pinyin.txt``) and of those the words are written with. The
browser loads it only when a Chinese query word finds nothing (assets/search-homophones.js).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources

_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


@functools.cache
def _table() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    text = resources.files("carebridge.site").joinpath("data/pinyin.txt").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    common: set[str] = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            reading, usual, rare = line.split("\t")
            common.update(usual)
            for c in usual + rare:
                found.setdefault(c, []).append(reading)
    return {c: tuple(r) for c, r in found.items()}, frozenset(common)


def readings(char: str) -> tuple[str, ...]:
    """A character's toneless readings (every one in use), none for a character not in the table.

    >>> readings("氨"), readings("行"), readings("绿"), readings("a")
    (('an',), ('hang', 'heng', 'xing'), ('lu', 'lv'), ())
    """
    return _table()[0].get(char, ())


def homophone_index(words: Iterable[str]) -> dict[str, str | dict[str, str]] | None:
    """The index's Chinese words of two characters or more, and the readings by syllable of the common
    characters and of theirs; None when the index has no Chinese word.

    >>> data = homophone_index(["氨甲环酸", "!氨", "oxytocin", "缩宫素"])
    >>> data["words"], "氨" in data["readings"]["an"], "安" in data["readings"]["an"]
    ('氨甲环酸 缩宫素', True, True)
    """
    chinese = sorted({w for w in words if _HAN_WORD.fullmatch(w)})
    if not chinese:
        return None
    table, common = _table()
    chars = common | {c for w in chinese for c in w}
    by_sound: dict[str, list[str]] = {}
    for c in sorted(chars):  # code point order: the same input gives the same bytes
        for reading in table.get(c, ()):
            by_sound.setdefault(reading, []).append(c)
    return {"words": " ".join(chinese), "readings": {r: "".join(cs) for r, cs in sorted(by_sound.items())}}
