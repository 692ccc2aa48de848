"""Literal prefilters: tell from a cheap substring test that a regular expression cannot match.

Python's ``re`` scans every position of a text for a pattern that starts with ``\\b`` or ``(?i)``,
so a few word patterns over a library's texts cost seconds. Most texts hold none of the words,
and ``str.__contains__`` says so a hundred times faster. ``required_literals`` reads a pattern's
parse tree (as ripgrep does with its literal extraction) and returns strings one of which every
match must contain; ``Prefilter`` tests a text for them after folding case as ``re.IGNORECASE``
compares letters. It is sound by construction: a pattern it cannot read gets no prefilter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as _c  # type: ignore[attr-defined]  # re's own parser (Python ≥ 3.11)
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# Letters that match an ASCII letter under re.IGNORECASE but case-fold to something else.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLDED_OTHERWISE = "\u0130\u0131\u017f\u212a"


def fold(text: str) -> str:
    """``text`` with case folded the way ``re.IGNORECASE`` compares it with ASCII letters.

    >>> fold("NHS ſtaff, \\u212aeep")
    'nhs staff, keep'
    """
    folded = text.casefold()
    if folded.isascii() or not any(char in text for char in _FOLDED_OTHERWISE):
        return folded  # translate() looks up every character: 22 µs for a text with one Chinese word
    return text.translate(_FOLD).casefold()


Literals = frozenset[str]
Clauses = tuple[Literals, ...]  # every clause must hold: the text contains one of its literals
_MAX_CLAUSES = 16  # distributing alternatives over each other multiplies clauses; keep the best few


def _minimal(literals: Iterable[str]) -> Literals:
    """Drop a literal that contains another: "call" in a text is tested before "calls" could be."""
    kept: list[str] = []
    for literal in sorted(set(literals), key=len):
        if not any(shorter in literal for shorter in kept):
            kept.append(literal)
    return frozenset(kept)


def _selective(clauses: Iterable[Literals]) -> Clauses:
    """Clauses that can fail (no empty literal), the most selective first, at most _MAX_CLAUSES."""
    useful = {_minimal(c) for c in clauses if c and all(c)}
    useful = {c for c in useful if not any(other < c for other in useful)}  # implied by a smaller one
    return tuple(sorted(useful, key=lambda c: (-min(map(len, c)), len(c), sorted(c))))[:_MAX_CLAUSES]


def _either(alternatives: list[Clauses]) -> Clauses:
    """Clauses of a match of any one alternative: (a1 ∧ a2) ∨ (b1 ∧ b2) = (a1 ∨ b1) ∧ (a1 ∨ b2) ∧ ..."""
    if any(not alt for alt in alternatives):
        return ()  # an alternative with no required literal: a match may contain none
    combined: list[Literals] = [frozenset()]
    for alt in alternatives:
        combined = [c | clause for c in combined for clause in alt][: _MAX_CLAUSES * 4]
    return _selective(combined)


def _sequence(items: Any) -> Clauses:
    """Clauses every match of this sequence of parse items satisfies."""
    clauses: list[Literals] = []
    run: list[str] = []

    def close() -> None:
        if run:
            clauses.append(frozenset({"".join(run)}))
            run.clear()

    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg))
        elif op is _c.AT:  # zero width: the letters around it are still next to each other
            continue
        else:
            close()
            if op is _c.SUBPATTERN:
                clauses += _sequence(arg[-1])
            elif op is _c.BRANCH:
                clauses += _either([_sequence(alt) for alt in arg[1]])
            elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and arg[0] >= 1:
                clauses += _sequence(arg[2])
            elif op is _c.ATOMIC_GROUP:
                clauses += _sequence(arg)
    close()
    return _selective(clauses)


def _ignores_case(items: Any) -> bool:
    """Whether any part of the parsed pattern has its own (?i)."""
    for op, arg in items:
        if op is _c.SUBPATTERN and (arg[1] & re.IGNORECASE or _ignores_case(arg[-1])):
            return True
        if op is _c.BRANCH and any(_ignores_case(alt) for alt in arg[1]):
            return True
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and _ignores_case(arg[2]):
            return True
    return False


def required_literals(pattern: str) -> Clauses:
    """Clauses of folded strings that every match of ``pattern`` satisfies: for each clause, the
    match contains one of its strings. Empty when the pattern promises nothing (search every text).

    >>> [sorted(c) for c in required_literals(r"(?i)\\bregistrars?\\b")]
    [['registrar']]
    >>> [sorted(c) for c in required_literals(r"\\b(?:call|dial)\\W+(?:999|112)\\b")]
    [['call', 'dial'], ['112', '999']]
    >>> [sorted(c) for c in required_literals(r"(?:call|dial)\\W999|999\\W(?:crew|line)")]
    [['call', 'crew', 'dial', 'line'], ['999']]
    >>> required_literals(r"\\d+ mg") == (frozenset({" mg"}),), required_literals(r"a|\\d")
    (True, ())
    >>> required_literals("(?i)straße"), [sorted(c) for c in required_literals("每日")]
    ((), [['每日']])
    """
    try:
        parsed = _parser.parse(pattern)
    except (re.error, TypeError, ValueError, OverflowError, RecursionError):
        return ()
    clauses = _sequence(parsed)
    if not all(literal.isascii() for clause in clauses for literal in clause) and (
            parsed.state.flags & re.IGNORECASE or _ignores_case(parsed)):
        return ()  # re's case tables for other scripts are not casefold's: no promise
    return _selective(frozenset(fold(literal) for literal in clause) for clause in clauses)


class Prefilter:
    """A cheap test that none of the patterns can match a text; ``might_match`` is True when unsure."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]):
        self.clauses: tuple[Clauses, ...] | None = tuple(required_literals(p.pattern) for p in patterns)
        if not all(self.clauses):
            self.clauses = None  # one pattern with no required literal: every text must be searched
        # Any match needs its pattern's first clause: one flat test rules out most texts at once.
        self._first = _minimal(literal for clauses in self.clauses or () for literal in clauses[0])

    def might_match(self, text: str) -> bool:
        """False only when no pattern can match ``text``.

        >>> p = Prefilter([re.compile(r"(?i)\\bnational\\b"), re.compile(r"\\bNHS\\b")])
        >>> [p.might_match(t) for t in ("Give 1 g.", "the NATIONAL guideline", "nhs", "NaTioNaLly")]
        [False, True, True, True]
        >>> Prefilter([re.compile(r"\\d+")]).might_match("no digits")
        True
        """
        if self.clauses is None:
            return True
        folded = fold(text)
        if not any(literal in folded for literal in self._first):
            return False
        return any(all(any(literal in folded for literal in clause) for clause in pattern)
                   for pattern in self.clauses)
