"""Stage 5a: the order inside a range or a pair of numbers (check: numbers).

The numbers check compares which numbers each side has, not their order, so "60 to 90 minutes" as
90至60分钟 and a blood pressure of 160/110 as 110/160 passed: the same numbers, each side. Read here:

* a range of the source said backwards (``range reversed``);
* a pair written with a slash (systolic/diastolic) said the other way round (``pair reversed``);
* a range said as two alternatives, "2 to 24 hours" as 2或24小时 (``range lost``).

Only what the source has in the other order is reported: a date (2026-12-04) or a descending
range the source writes the same way is left alone.
"""

from __future__ import annotations

import re

from .findings import Finding
from .numerals import normalise

_N = r"[0-9]+(?:\.[0-9]+)?"
_RANGE = re.compile(rf"(?<![0-9.,/])(?P<a>{_N})[ \t]*(?:[-–—~]|to|至|到)[ \t]*(?P<b>{_N})(?![0-9.,/])", re.I)
_PAIR = re.compile(r"(?<![0-9.,/])(?P<a>[0-9]{2,3})[ \t]*/[ \t]*(?P<b>[0-9]{2,3})(?![0-9.,/])")
_EITHER = re.compile(rf"(?<![0-9.,/])(?P<a>{_N})[ \t]*(?:或者?|或是|or|、)[ \t]*(?P<b>{_N})(?![0-9.,/])", re.I)


def _pairs(pattern: re.Pattern[str], text: str) -> list[tuple[str, str]]:
    return [(m["a"], m["b"]) for m in pattern.finditer(text)]


def check_ranges(source: str, translation: str) -> list[Finding]:
    """The ranges and slash pairs of ``source`` kept in their order by ``translation``.

    >>> [f.message for f in check_ranges("within 60 to 90 minutes", "在90至60分钟内")]
    ['range reversed: source has 60–90, translation has 90–60']
    >>> [f.message for f in check_ranges("above 160/110 mmHg", "高于110/160 mmHg")]
    ['pair reversed: source has 160/110, translation has 110/160']
    >>> [f.message for f in check_ranges("repeat in 2 to 24 hours", "在2或24小时内重复")]
    ['range lost: source has 2–24, translation has 2 or 24']
    >>> check_ranges("on 2026-12-04, 2 to 24 hours", "2026-12-04，2至24小时")
    []
    """
    source, translation = normalise(source), normalise(translation)
    findings: list[Finding] = []
    src_ranges, tr_ranges = _pairs(_RANGE, source), _pairs(_RANGE, translation)
    for a, b in tr_ranges:
        if (b, a) in src_ranges and (a, b) not in src_ranges:
            findings.append(Finding("numbers", "error", f"range reversed: source has {b}–{a}, translation has {a}–{b}",
                                    "keep the range in the source's order: from the first number to the second"))
    src_pairs, tr_pairs = _pairs(_PAIR, source), _pairs(_PAIR, translation)
    for a, b in tr_pairs:
        if (b, a) in src_pairs and (a, b) not in src_pairs:
            findings.append(Finding("numbers", "error", f"pair reversed: source has {b}/{a}, translation has {a}/{b}",
                                    "keep the two numbers in the source's order (systolic/diastolic, as written)"))
    for a, b in _pairs(_EITHER, translation):
        if (a, b) in src_ranges and (a, b) not in tr_ranges:
            findings.append(Finding("numbers", "error", f"range lost: source has {a}–{b}, translation has {a} or {b}",
                                    "say the range: 2至24小时 (2 to 24 hours), not 2或24"))
    return findings
