"""Many patterns searched as one, fast: an alternation split by the first character it can match.

Python's ``re`` tries every branch of ``a|b|c|…`` at every position, so five hundred medicine
names cost five hundred tries per character. Here each alternative's possible first characters
are read from its parsed form; a character class of all of them finds the candidate positions,
and only the alternatives that can start with that character are tried there. Matches are
leftmost and do not overlap; at one place the longest match wins, so 卡贝缩宫素 is not read as
缩宫素 and "inability" as the listed word rather than as an in- pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_ANY: frozenset[str] | None = None
_WORD_START = r"(?<![A-Za-z0-9])"
_PLAIN = re.compile(r"(?:\\[^A-Za-z0-9]|[^\\.^$*+?{}\[\]()])+")  # words and escaped signs, no pattern
_UNESCAPE = re.compile(r"\\(.)")
_SMALL_RANGE = 400
_CATEGORIES = {C.CATEGORY_DIGIT: "0123456789", C.CATEGORY_SPACE: " \t\n\r\f\v"}


def _first_in(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] <= _SMALL_RANGE:
            chars |= {chr(c) for c in range(av[0], av[1] + 1)}
        elif op is C.CATEGORY and av in _CATEGORIES:
            chars |= set(_CATEGORIES[av])
        else:
            return None
    return chars


def _first_item(op: Any, av: Any) -> tuple[set[str] | None, bool]:
    """(characters the item can start with or None for any, whether it can match nothing)."""
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        return _first_in(av), False
    if op is C.SUBPATTERN:
        return _first_seq(av[3])
    if op is C.BRANCH:
        chars: set[str] = set()
        nullable = False
        for branch in av[1]:
            first, empty = _first_seq(branch)
            if first is None:
                return None, False
            chars |= first
            nullable = nullable or empty
        return chars, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        first, empty = _first_seq(av[2])
        return first, av[0] == 0 or empty
    if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
        return set(), True
    return None, False


def _first_seq(items: Any) -> tuple[set[str] | None, bool]:
    chars: set[str] = set()
    for op, av in items:
        first, empty = _first_item(op, av)
        if first is None:
            return None, False
        chars |= first
        if not empty:
            return chars, False
    return chars, True


def literals(pattern: str) -> list[str] | None:
    """The strings a pattern of plain alternatives stands for (``缩宫素|催产素``), or None.

    >>> literals("缩宫素|催产素"), literals(r"mg/d[lL]")
    (['缩宫素', '催产素'], None)
    """
    if _PLAIN.fullmatch(pattern):
        return [_UNESCAPE.sub(r"\1", part) for part in pattern.split("|")]
    parsed = _parser.parse(pattern)
    items = list(parsed)
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is C.BRANCH else [items]
    out = []
    for branch in branches:
        if not all(op is C.LITERAL for op, _ in branch) or not branch:
            return None
        out.append("".join(chr(av) for _, av in branch))
    return out


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match can begin with (both cases under re.I), or None when any can.

    >>> sorted(first_characters(r"(?<![A-Za-z])(?:no|never)\\b", re.I))
    ['N', 'n']
    >>> first_characters(r".*x") is None
    True
    """
    first, empty = _first_seq(_parser.parse(pattern, flags))
    if first is None or empty or not first:
        return _ANY
    if flags & re.I:
        first |= {c.upper() for c in first} | {c.lower() for c in first}
    return frozenset(first)


@dataclass
class Alternation(Generic[T]):
    """``a|b|c…`` over (pattern, payload) pairs, searched by first character; at one place the
    longer of the plain names' and the patterns' match wins (a plain name over a pattern of the same
    length). Among patterns the first that matches wins, longest pattern text first: a pattern that
    could hide a longer one's match excludes it with a lookahead (``normal(?! dpd)``). Trying every
    pattern for the longest cost a fifth more time in every check.

    ``english`` makes every alternative a whole word (no letter or digit before, no letter after)
    and case-insensitive. Plain strings are looked up in a dict; only real patterns are compiled.
    """

    alternatives: list[tuple[str, T]]
    english: bool = False
    _order: list[tuple[str, T]] = field(default_factory=list)
    _words: dict[str, int] = field(default_factory=dict)  # casefolded literal -> alternative index
    _lengths: dict[str, list[int]] = field(default_factory=dict)  # first character -> lengths, longest first
    _buckets: dict[str, list[int]] = field(default_factory=dict)
    _anywhere: list[int] = field(default_factory=list)
    _compiled: dict[str, re.Pattern[str] | None] = field(default_factory=dict)
    _candidates: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        self._order = sorted(self.alternatives, key=lambda a: -len(a[0]))
        chars: set[str] = set()
        for index, (pattern, _) in enumerate(self._order):
            words = literals(pattern)
            if words is not None:
                for word in words:
                    self._words.setdefault(word.lower(), index)
                    chars |= {word[0].lower(), word[0].upper()}
                continue
            first = first_characters(pattern, re.I)
            if first is None:
                self._anywhere.append(index)
                continue
            chars |= first
            for char in {c.lower() for c in first}:
                self._buckets.setdefault(char, []).append(index)
        for word in self._words:
            self._lengths.setdefault(word[0], []).append(len(word))
        self._lengths = {c: sorted(set(n), reverse=True) for c, n in self._lengths.items()}
        if not self._anywhere and chars:
            before = _WORD_START if self.english else ""
            self._candidates = re.compile(before + "[" + "".join(re.escape(c) for c in sorted(chars)) + "]")

    def __bool__(self) -> bool:
        return bool(self._order)

    def _wrap(self, pattern: str) -> str:
        return rf"{_WORD_START}(?:{pattern})(?![A-Za-z])" if self.english else pattern

    def _bucket(self, char: str) -> re.Pattern[str] | None:
        """The compiled alternatives that can start with ``char`` (lower case), compiled on first use."""
        if char not in self._compiled:
            indexes = sorted(self._buckets.get(char, []) + self._anywhere)
            self._compiled[char] = re.compile(self._wrap(
                "|".join(f"(?P<g{i}>{self._order[i][0]})" for i in indexes)), re.I) if indexes else None
        return self._compiled[char]

    def _word_at(self, text: str, lowered: str, start: int) -> tuple[int, int] | None:
        """(alternative index, end) of the longest plain string at ``start``."""
        for length in self._lengths.get(lowered[start], ()):
            end = start + length
            index = self._words.get(lowered[start:end])
            if index is not None and not (self.english and end < len(text) and text[end].isascii()
                                          and text[end].isalpha()):
                return index, end
        return None

    def finditer(self, text: str) -> Iterator[tuple[int, int, T]]:
        """(start, end, payload) of each match, leftmost first, none overlapping."""
        if not self._order:
            return
        if self._candidates is None:  # some alternative can start anywhere: one plain alternation
            pattern = re.compile(self._wrap("|".join(f"(?P<g{i}>{p})" for i, (p, _) in enumerate(self._order))), re.I)
            for whole in pattern.finditer(text):
                if whole.lastgroup and whole.end() > whole.start():
                    yield whole.start(), whole.end(), self._order[int(whole.lastgroup[1:])][1]
            return
        position = 0
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters lower to two characters: keep offsets true
            lowered = "".join(c.lower()[0] for c in text)
        for candidate in self._candidates.finditer(text):
            start = candidate.start()
            if start < position:
                continue
            char = lowered[start]
            best = self._word_at(text, lowered, start) if char in self._lengths else None
            bucket = self._bucket(char) if char in self._buckets or self._anywhere else None
            m = bucket.match(text, start) if bucket is not None else None
            # the longer match wins; on a tie the plain name (more specific than a pattern)
            if m and m.lastgroup and m.end() > start and (best is None or m.end() > best[1]):
                best = (int(m.lastgroup[1:]), m.end())
            if best is not None:
                position = best[1]
                yield start, position, self._order[best[0]][1]

    def sub(self, replace: str, text: str) -> str:
        """Every match replaced by ``replace`` repeated to its length (offsets kept)."""
        parts: list[str] = []
        last = 0
        for start, end, _ in self.finditer(text):
            parts += [text[last:start], replace * (end - start)]
            last = end
        return "".join(parts) + text[last:]
