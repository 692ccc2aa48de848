"""Ordinal and count: "on day 3" is not "for 3 days", "the second dose" is not "two doses".

The numbers check pairs 3 with 3 and is content; here a number that names a place in a sequence
(day 3, the 3rd dose, 第3天, 第二剂) must be one on the other side too, and a count of days, doses
or cycles (3 days, 共3天, 两剂) must stay a count. Only the units of a treatment's course are read
(day, week, month, cycle, dose); 1 is left alone, as "first" is 首, 初 or 第一 by turns.
"""

from __future__ import annotations

import re
from fractions import Fraction

from .findings import Finding
from .numerals import cn_int, en_int, normalise
from .pair import Pair, register

_EN_UNIT = r"(?:day|week|month|cycle|dose|course)"
_EN_WORD = r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
_EN_ORDINAL = re.compile(rf"(?i)\b{_EN_UNIT}\s+(?P<n>\d+)\b(?!\s*(?:and|or|to|-|–)\s*\d)"
                         rf"|\b(?P<m>\d+)(?:st|nd|rd|th)\s+{_EN_UNIT}\b|\b(?P<w>{_EN_WORD})\s+{_EN_UNIT}\b")
_EN_COUNT = re.compile(rf"(?i)\b(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+{_EN_UNIT}s?\b")
_ZH_NUM = r"(?:\d+|[一二两三四五六七八九十]+)"
_ZH_UNIT = r"(?:天|日|周|个月|月|周期|疗程|剂|次给药)"
_ZH_ORDINAL = re.compile(rf"第\s*(?P<n>{_ZH_NUM})\s*(?:个)?{_ZH_UNIT}")
_ZH_COUNT = re.compile(rf"(?<![第\d一二两三四五六七八九十])(?P<n>{_ZH_NUM})\s*(?:个)?{_ZH_UNIT}")
_WORDS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
          "tenth": 10}


def _value(text: str) -> Fraction | None:
    number = int(text) if text.isdigit() else _WORDS.get(text.lower()) or en_int(text) or cn_int(text)
    return Fraction(number) if number and number > 1 else None


def _values(pattern: re.Pattern[str], text: str) -> set[Fraction]:
    found = set()
    for m in pattern.finditer(text):
        raw = next(g for g in m.groups() if g)
        value = _value(raw)
        if value is not None:
            found.add(value)
    return found


@register("ordinal")
def _ordinal(pair: Pair) -> list[Finding]:
    source, translation = normalise(pair.source), normalise(pair.translation)
    s_ord, s_count = _values(_EN_ORDINAL, source), _values(_EN_COUNT, source)
    t_ord, t_count = _values(_ZH_ORDINAL, translation), _values(_ZH_COUNT, translation)
    findings = []
    for value in sorted((s_ord - s_count) & (t_count - t_ord)):
        findings.append(Finding("ordinal", "error", f"a place in a sequence became a count: source has day/dose "
                                f"{value}, translation has {value} as a number of days or doses (no 第)",
                                "day 3 is 第3天, the second dose 第二剂; 3 days is 3天 or 共3天"))
    for value in sorted((s_count - s_ord) & (t_ord - t_count)):
        findings.append(Finding("ordinal", "error", f"a count became a place in a sequence: source has {value} "
                                f"days or doses, translation has 第{value}", "3 days is 3天 or 共3天; day 3 is 第3天"))
    return findings
