"""The numbers of a translation against its source: values, units, comparisons, and the line each is on.

A dose moved from day 2 to day 3, mg/dL as g/dL, "within 1 hour" as 1小时以上, a ≥ turned into >:
``check_numbers`` pairs the numbers ``quantities.read`` found on both sides, closest readings first,
and reports what is left over or paired with another unit, comparison or line.
``equivalence.check_translation`` calls it with the rest of the safety checks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import replace

from .clinical_terms import DOSE_UNITS, unit_parts
from .clock import same_clock
from .digit_names import said_in_chinese
from .findings import Finding
from .limits import limit_nearby, source_limit, span_turned
from .numerals import format_value
from .quantities import Quantity, Reading


def _show(q: Quantity, *, raw: bool = False) -> str:
    value = format_value(q.value)
    if q.unit is None or q.unit == "#":
        return value
    unit = q.unit.replace("#/", "/")
    shown = f"{value}{unit}" if unit == "%" else f"{value} {unit}"
    if raw and q.unit_text and q.unit_text.replace(" ", "") not in (q.unit, unit, unit.split("/")[0]):
        shown += f" ({q.unit_text})"
    return shown


Pairing = tuple[list[tuple[Quantity, Quantity]], list[Quantity], list[Quantity]]


def _pair(src: Iterable[Quantity], tr: Iterable[Quantity]) -> Pairing:
    """Match numbers by value, closest readings first; the unmatched strong ones are the mismatch."""
    left_s, left_t = list(src), list(tr)
    pairs: list[tuple[Quantity, Quantity]] = []

    def take(rule: Callable[[Quantity, Quantity], bool], same: Callable[[Quantity, Quantity], bool] = (
            lambda s, t: s.value == t.value)) -> None:
        for s in list(left_s):
            for i, t in enumerate(left_t):
                if same(s, t) and rule(s, t):
                    pairs.append((s, t))
                    left_s.remove(s)
                    del left_t[i]
                    break

    take(lambda s, t: s.strong and t.strong and s.unit == t.unit and s.comparison == t.comparison)
    take(lambda s, t: s.strong and t.strong and s.unit == t.unit)
    take(lambda s, t: s.strong and t.strong and _base(s.unit) == _base(t.unit))
    take(lambda s, t: s.strong and t.strong)
    take(lambda s, t: (s.strong or t.strong) and s.unit == t.unit)
    take(lambda s, t: s.strong or t.strong)
    take(lambda s, t: True)
    take(lambda s, t: s.strong or t.strong, same=_same_duration)  # 30 minutes is 半小时
    take(lambda s, t: s.unit is None and t.unit is None, same=lambda s, t: same_clock(s.value, t.value))  # 8点 is 8 am
    missing, extra = [s for s in left_s if s.strong], [t for t in left_t if t.strong]
    return pairs, *_ratio_spelled_out(missing, extra)


def _ratio_spelled_out(missing: list[Quantity], extra: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """"3 compressions to 1 breath" is 3:1: a ratio on one side matches its two numbers, in the same
    order, left over on the other (1:3 against 3 … 1 does not)."""
    for ratios, numbers in ((missing, extra), (extra, missing)):
        for ratio in [q for q in ratios if isinstance(q.value, str) and q.value.count(":") == 1]:
            first, second = str(ratio.value).split(":")
            a = next((q for q in numbers if str(q.value) == first), None)
            b = next((q for q in numbers if str(q.value) == second and q is not a and (a is None or q.start > a.start)),
                     None)
            if a is not None and b is not None:
                ratios.remove(ratio)
                numbers.remove(a)
                numbers.remove(b)
    return missing, extra


_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 604800}
_TIMES = frozenset({*_SECONDS, "mo", "y"})


def _same_duration(s: Quantity, t: Quantity) -> bool:
    """30 min and 0.5 h, 24 h and 1 d: the same length of time in other units (每天 around it may
    add a "per day" to one side; the unit check judges that)."""
    s_base, t_base = _base(s.unit), _base(t.unit)
    if s_base not in _SECONDS or t_base not in _SECONDS or s_base == t_base:
        return False
    if isinstance(s.value, str) or isinstance(t.value, str):
        return False
    return s.value * _SECONDS[s_base] == t.value * _SECONDS[t_base]


def _base(unit: str | None) -> str | None:
    return unit_parts(unit)[0] if unit else None


_UNIT_HINT = "translate the unit, not the number: mg 毫克, g 克, μg 微克, mL 毫升, IU 国际单位/单位"


# Words that say "per day" without being a unit: a dose's "/day" may move to them (每日20 mg/kg, 日剂量4 g,
# 24小时内最多4 g), but where neither side's text has one the "per day" was lost or added. A day
# carrier is such a word or 24 hours, 全天.
_PER_DAY_WORDS = (r"(?i)每日|每天|一日|一天|日剂量|日总量|日最大|日总|/\s*(?:日|天|d\b|day)"
                  r"|(?<![A-Za-z])(?:daily|a day|per day|each day|every day|in a day|/day)(?![A-Za-z])")
DAY_CARRIER = re.compile(_PER_DAY_WORDS + r"|全天|24\s*(?:小时|h\b|hours?)|(?<![A-Za-z])24-hour(?![A-Za-z])")


# A daily limit said as "in 24 hours" on one side and "per day" on the other ("do not exceed 4 g in
# 24 hours" as 每日总量不超过4 g; "maximum 4 g per day" as 24小时内不超过4 g): the 24 stands for the day.
_PER_DAY = re.compile(_PER_DAY_WORDS)
_LIMIT_24 = re.compile(r"(?i)24\s*小时(?:内|之内)?(?:的)?(?:总量|总剂量|累计剂量|累计)?(?:不超过|不得超过|不应超过|不宜超过|不可超过|最多|最大|上限)"
                       r"|(?:exceed|maximum|max\.?|total|up to|no more than|not more than)\b[^.;\n]{0,40}?"
                       r"\b(?:in|per|over|within|every) 24 hours?\b")


def day_for_24(source: str, translation: str) -> tuple[bool, bool]:
    """Whether a 24 h limit of the source may stand for the translation's per day, and the reverse."""
    return (bool(_LIMIT_24.search(source)) and bool(_PER_DAY.search(translation)),
            bool(_LIMIT_24.search(translation)) and bool(_PER_DAY.search(source)))


# "the next day" is 第二天 (the second day) or 次日: a 2nd day on one side only, where the other says
# "next day" (次日) in words
_NEXT_DAY_EN = re.compile(r"(?i)\b(?:the )?(?:next|following) (?:day|morning)\b|\bthe day after\b")
_NEXT_DAY_ZH = re.compile(r"次日|翌日|隔天|隔日(?!一次)")


def next_day(source: str, translation: str) -> tuple[bool, bool]:
    """Whether a 2nd day the source names may be the translation's 次日, and the reverse."""
    return bool(_NEXT_DAY_ZH.search(translation)), bool(_NEXT_DAY_EN.search(source))


_ORDINAL_BEFORE = re.compile(r"(?:第|(?i:\bday))\s*$")


def without_second_day(quantities: list[Quantity], excused: bool, text: str) -> list[Quantity]:
    """``quantities`` less one 2nd day, said as a place in a sequence (第二天, 第2天, day 2, the second
    day), not as a length of time (2天后, after 2 days)."""
    if not excused:
        return quantities
    second = next((q for q in quantities if q.value == 2 and q.unit == "d" and (
        q.text.startswith("第") or not q.text[:1].isdigit() or _ORDINAL_BEFORE.search(text[:q.start]))), None)
    return [q for q in quantities if q is not second]


def _without_day(quantities: list[Quantity], excused: bool) -> list[Quantity]:
    if not excused:
        return quantities
    day = next((q for q in quantities if q.value == 24 and q.unit == "h"), None)
    return [q for q in quantities if q is not day]


def _per_day_finding(s: Quantity, t: Quantity, days: tuple[bool, bool]) -> Finding | None:
    """A dose per day written as a bare dose (or the reverse) where the other text says "per day" nowhere."""
    if s.unit is None or t.unit is None:
        return None
    s_day, t_day = "d" in unit_parts(s.unit)[1], "d" in unit_parts(t.unit)[1]
    if s_day == t_day or _base(s.unit) not in DOSE_UNITS or _base(s.unit) != _base(t.unit):
        return None
    if (s_day and not days[1]) or (t_day and not days[0]):
        where = "translation" if s_day else "source"
        return Finding("units", "error", f"per day {'lost' if s_day else 'added'}: source has {_show(s)}, "
                       f"translation has {_show(t, raw=True)}, and the {where} says per day nowhere",
                       "a daily dose says so: 4 g/day 每日4 g (or 日剂量, 24小时内); a single dose does not")
    return None


def _unit_finding(s: Quantity, t: Quantity) -> Finding | None:
    if s.unit is not None and t.unit is not None and _same_duration(s, t):
        # 30 minutes as 半小时: compare what remains (a rate), in the source's unit
        t = replace(t, unit="/".join([unit_parts(s.unit)[0], *sorted(unit_parts(t.unit)[1])]))
    if s.unit is None or s.unit == t.unit:
        return None
    mismatch = f"source has {_show(s)}, translation has {_show(t, raw=True)}"
    if t.unit is None:
        # a dose or a percentage left bare (低于90 for "below 90%") reads as any unit; a time or a count does not
        severity = "error" if _base(s.unit) in DOSE_UNITS or s.unit == "%" else "warning"
        return Finding("units", severity, f"unit missing: {mismatch}", _UNIT_HINT)
    (s_base, s_dens), (t_base, t_dens) = unit_parts(s.unit), unit_parts(t.unit)
    if s_base != t_base:
        if s_base == "#" and t_base not in DOSE_UNITS and t_base not in _TIMES:
            return None  # "3 times" as 3次 or "2 tablets" as 2片: counts are phrased many ways
        if s_base == "#" and t_base in _TIMES:  # "repeat once" as 重复1日, "2 doses" as 2天: a count became a length of time
            return Finding("units", "error", f"count became a time: {mismatch}",
                           "a count stays a count: once 1次, 2 doses 2剂, 3 times 3次")
        return Finding("units", "error", f"unit mismatch: {mismatch}", _UNIT_HINT)
    if ("kg" in s_dens) != ("kg" in t_dens) or ("m²" in s_dens) != ("m²" in t_dens):
        return Finding("units", "error", f"unit mismatch: {mismatch}",
                       "a per-kg dose stays per kg: mg/kg, 毫克/千克, 每千克体重")
    s_time, t_time = s_dens - {"kg", "m²"}, t_dens - {"kg", "m²"}
    if s_time and t_time and s_time != t_time:
        return Finding("units", "error", f"unit mismatch: {mismatch}", _UNIT_HINT)
    if s_time != t_time and (s_time | t_time) - {"d", "dose"}:
        # per day is often carried by a frequency (每日) on one side only, and a dose is per dose
        # unless it says otherwise; per hour or minute is not (4 g/d against 每次4 g is an error above)
        return Finding("units", "warning", f"rate differs: {mismatch}", "keep the rate: mL/h 毫升/小时, /min 次/分")
    return None


_DIRECTION = {"<": -1, "<=": -1, ">": 1, ">=": 1}
_AGES = frozenset({"y", "mo", "wk", "d"})


def _comparison_finding(s: Quantity, t: Quantity, translation: str = "", source: str = "") -> Finding | None:
    if not s.comparison and not t.comparison and s.strong and t.strong:
        # Neither number carries a limit, but the words beside them do: "within 24 hours" as 24小时后
        limit, near = source_limit(s, source), limit_nearby(t, translation)
        if limit and near in ("<", ">") and near != limit:
            return Finding("comparison", "error", f"limit reversed: the source says {'up to' if limit == '<' else 'from'}"
                           f" {_show(s)}, the translation {'up to' if near == '<' else 'from'} {_show(t)}",
                           "within/以内 and after/以后 must point the same way as the source")
        if span_turned(s, t, source, translation):
            return Finding("comparison", "error", f"span turned into its end: the source says for {_show(s)}, the "
                           f"translation after {_show(t)}", "for 4 weeks is 四周内 (or 四周后才/方可 for the act "
                           "the source forbids during them)")
    if s.comparison == t.comparison:
        return None

    def show(q: Quantity, raw: bool) -> str:
        said = f" ({q.comparison_text})" if raw and q.comparison_text and q.comparison_text != q.comparison else ""
        return f"{q.comparison} {_show(q)}{said}" if q.comparison else f"{_show(q)} (no comparison)"

    if not s.comparison and s.comparison_text.lower() == "over" and t.comparison in (">", ">="):
        return None  # "over 15 minutes" and 15分钟以上 both give the minimum time
    message = f"source has {show(s, False)}, translation has {show(t, True)}"
    if not s.comparison and t.strong:
        # A limit added where the source has none said in symbols: "within 1 hour" as 1小时以上 reverses
        # the time limit. (One added to a plain dose stays a warning below: a max_dose field's English
        # says "4 g in 24 hours", and 最多4 g is its faithful translation.)
        limit = source_limit(s, source)
        if limit and limit != t.comparison[:1]:
            return Finding("comparison", "error", f"comparison reversed: {message}, where the source says "
                           f"{'up to' if limit == '<' else 'from'} it",
                           "within/以内 and after/以后 must point the same way as the source")
    if not s.comparison or not t.comparison:
        # "below 60" as 60次/分 turns a threshold into a value. Words beside the number that the
        # reader does not attach (120分钟以内, 满4小时) keep it when they point the same way.
        nearby = limit_nearby(t, translation) if s.comparison else "?"
        if nearby == s.comparison[:1]:
            return None
        lost = s.strong and t.strong and not nearby
        return Finding("comparison", "error" if lost else "warning",
                       f"comparison {'lost' if s.comparison else 'added'}: {message}",
                       "say less than/低于/<, more than/超过/>, at least/至少/≥, at most/不超过/≤ as the source does")
    if _DIRECTION[s.comparison] != _DIRECTION[t.comparison]:
        return Finding("comparison", "error", f"comparison reversed: {message}",
                       "below/低于/< and above/高于/> must point the same way")
    if {s.comparison_text, t.comparison_text} & {"以上", "以下"} and _base(t.unit) in _AGES:
        return None  # "under 5" is 5岁以下 in every Chinese guideline; an age is not a cut-off to the day
    # 以上/以下 are read both ways in Chinese usage (a warning); ≥500 mL as 超过500 mL or > moves the
    # cut-off itself: the woman who bleeds exactly 500 mL is left out (an error)
    loose = bool({s.comparison_text, t.comparison_text} & {"以上", "以下"})
    return Finding("comparison", "warning" if loose else "error", f"comparison strictness differs: {message}",
                   "以上/以下 include the number in Chinese usage: write <, ≥ or 及以上 to say what the source says")


def _moved_units(pairs: list[tuple[Quantity, Quantity]]) -> list[Finding]:
    """"score 0 … every 12 hours" as 12分 … 每0小时: each number kept, the unit moved to the other."""
    lost = {s.unit: (s, t) for s, t in pairs if s.strong and s.unit not in (None, "#") and t.unit is None}
    gained = {t.unit: (s, t) for s, t in pairs if t.strong and t.unit not in (None, "#") and s.unit is None}
    findings = [Finding("units", "error", f"unit moved to another number: source has {_show(lost[u][0])} and "
                        f"{_show(gained[u][0])}, translation has {_show(lost[u][1])} and {_show(gained[u][1], raw=True)}",
                        "keep each unit with its own number") for u in sorted(set(lost) & set(gained))]
    # "at least 4 hours … 24-hour number" as 至少观察24小时……4小时电话: the limit changed numbers
    dropped = {_DIRECTION[s.comparison]: s for s, t in pairs if s.strong and s.comparison and not t.comparison}
    added = {_DIRECTION[t.comparison]: t for s, t in pairs if t.strong and t.comparison and not s.comparison}
    findings += [Finding("comparison", "error", f"comparison moved to another number: source says "
                         f"{dropped[d].comparison} {_show(dropped[d])}, translation says {added[d].comparison} "
                         f"{_show(added[d])}", "keep each limit with its own number")
                 for d in sorted(set(dropped) & set(added))]
    return findings


def _values(quantities: Iterable[Quantity]) -> str:
    return ", ".join(format_value(q.value) for q in quantities if q.strong) or "none"


def _lines(text: str) -> list[int]:
    """The offset where each line of ``text`` with anything on it ends (a blank line is no line)."""
    ends, start = [], 0
    for line in text.split("\n"):
        start += len(line) + 1
        if line.strip():
            ends.append(start)
    return ends


def _moved_between_lines(source: str, translation: str, src: tuple[Quantity, ...], tr: tuple[Quantity, ...],
                         day_for_24: tuple[bool, bool]) -> Finding | None:
    """Numbers that are all there but on other lines: "day 2: 1000 mg/m²; day 3: 500 mg/m²" as
    第2天500、第3天1000 gives each day the other's dose. Judged only where both texts have the same
    lines (a list item or paragraph each), the translation's lines in the source's order."""
    s_ends, t_ends = _lines(source), _lines(translation)
    if len(s_ends) != len(t_ends) or len(s_ends) < 2 or any(q.start < 0 for q in (*src, *tr)):
        return None
    for number in range(len(s_ends)):
        here_s = [q for q in src if bisect_right(s_ends, q.start) == number]  # the line the number is on
        here_t = [q for q in tr if bisect_right(t_ends, q.start) == number]
        _, missing, extra = _pair(here_s, here_t)
        # An amount with a unit left over: "once" and "first" move with the sentence's wording
        if any(q.unit not in (None, "#") for q in (*_without_day(missing, day_for_24[0]),
                                                   *_without_day(extra, day_for_24[1]))):
            shown = [", ".join(_show(q) for q in here if q.strong) or "none" for here in (here_s, here_t)]
            return Finding("numbers", "error", f"numbers moved between lines: line {number + 1} of the source has "
                           f"{shown[0]}; the same line of the translation has {shown[1]}",
                           "keep each number on the line (list item) it is on in the source, and the lines "
                           "in the source's order")
    return None


def _count_changed(src: tuple[Quantity, ...], tr: tuple[Quantity, ...]) -> Finding | None:
    """"a single embryo" as 两个胚胎, "both parents" as 父母一方, "one-to-one" as 一对二: one counting word
    on each side that the other text has no number for. Each is weak alone (两 may be "both", 一方 "one
    side"), so one counting word left over on each side, and only one, is the change."""
    left_s = [q for q in src if q.counts and not any(t.value == q.value for t in tr)]
    left_t = [q for q in tr if q.counts and not any(s.value == q.value for s in src)]
    if len(left_s) != 1 or len(left_t) != 1:
        return None
    (s,), (t,) = left_s, left_t
    return Finding("numbers", "error", f"count changed: source says {s.text} ({format_value(s.value)}), "
                   f"translation says {t.text} ({format_value(t.value)})",
                   "keep the count: single 单个, both 双方/两, one-to-one 一对一")


def check_numbers(src: Reading, tr: Reading, words: bool, days: tuple[bool, bool] = (True, True),
                   day_for_24: tuple[bool, bool] = (False, False), translation: str = "",
                   source: str = "") -> list[Finding]:
    findings: list[Finding] = []
    # "2 500 mg" may be 2500 mg or two 500 mg tablets: take the reading that explains most
    candidates = [(s, t) for s in (src.quantities, src.alternative) if s is not None
                  for t in (tr.quantities, tr.alternative) if t is not None]
    results = [_pair(s, t) for s, t in candidates]
    best = min(range(len(results)), key=lambda i: len(results[i][1]) + len(results[i][2]))
    pairs, missing, extra = results[best]
    missing, extra = _without_day(missing, day_for_24[0]), _without_day(extra, day_for_24[1])
    second_day = next_day(source, translation)
    missing = without_second_day(missing, second_day[0], source)
    extra = without_second_day(extra, second_day[1], translation)
    if missing or extra:
        hint = "; ".join(part for part in (f"missing in translation: {_values(missing)}" if missing else "",
                                           f"not in source: {_values(extra)}" if extra else "") if part)
        findings.append(Finding("numbers", "error", f"number mismatch: source has {_values(candidates[best][0])}; "
                                f"translation has {_values(candidates[best][1])}", hint))
    else:
        moved = _count_changed(*candidates[best]) if words else None
        if moved is None and "\n" in source and "\n" in translation:
            moved = _moved_between_lines(source, translation, *candidates[best], day_for_24)
        findings += [moved] if moved else []
    findings += _moved_units(pairs)
    missing_names = [n for n in dict.fromkeys(src.names) if n not in tr.names and not said_in_chinese(n, translation)]
    extra_names = [n for n in dict.fromkeys(tr.names) if n not in src.names]
    if missing_names:
        findings.append(Finding("numbers", "error", f"name with digits missing: source has {', '.join(missing_names)}"
                                + (f"; translation has {', '.join(extra_names)}" if extra_names else ""),
                                "copy names like NEWS2, COVID-19, 5-HT3 exactly"))
    elif extra_names:
        findings.append(Finding("numbers", "warning", f"name with digits not in source: {', '.join(extra_names)}"))
    if words:
        for s, t in pairs:
            if s.strong or t.strong:
                found = _unit_finding(s, t)
                found = found or _per_day_finding(s, t, days)
                findings += [f for f in (found, _comparison_finding(s, t, translation, source)) if f]
            elif s.comparison and t.comparison:  # "less than half" as 超过平时的一半: weak, but both limits
                findings += [f for f in (_comparison_finding(s, t, translation, source),) if f]
    return findings
