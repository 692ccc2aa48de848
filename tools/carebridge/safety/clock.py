"""Values read whole, before any number in them: dates, versions, ratios, round-the-clock, and a time
of day as one 24-hour value, in English or Chinese (8 am, 8:00 pm, 20:00, 上午8点, 晚上八点半).

A time of day is read whole (``WHOLE``, below, runs these patterns before ratios, with dates, versions
and round-the-clock), so 8 pm and
下午8点 are both 20:00 and 上午8点 against "8 pm" is a number mismatch: the hour alone read 8 on
both sides, and a dose moved by twelve hours passed. A bare 8点, with no half of the day, stays the
number 8; ``same_clock`` lets it match either 08:00 or 20:00, as it says no more than the hour.
H:MM without am/pm is a time only when it cannot be a ratio: 08:30, 14:30, 8:00 (1:10 stays a
dilution).
"""

from __future__ import annotations

import re
from fractions import Fraction

_CN_HOUR = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_HALF_DAY = {"上午": "am", "早上": "am", "早晨": "am", "清晨": "am", "早": "am", "凌晨": "night", "夜间": "night",
             "夜里": "night", "半夜": "night", "中午": "noon", "下午": "pm", "傍晚": "pm", "晚上": "pm", "晚": "pm"}
_CN_NUM = r"[0-9]{1,2}|[一二两三四五六七八九十]{1,3}"

CLOCK_PATTERNS: tuple[str, ...] = (
    # 8 am, 8:30 p.m., 11.15pm
    r"(?<![0-9.:])(?P<h>1[0-2]|0?[0-9])(?:[:.](?P<mi>[0-5][0-9]))?[ \t]*(?P<ap>a\.?m\b\.?|p\.?m\b\.?)",
    # 上午8点, 晚上八点半, 下午3点15分, 早8:00
    rf"(?<!最)(?P<cn>{'|'.join(sorted(_HALF_DAY, key=len, reverse=True))})[ \t]*(?P<h>{_CN_NUM})[ \t]*"
    rf"(?:[:：](?P<mi>[0-5][0-9])|[点时](?:钟)?(?:(?P<half>半)|(?:(?P<cm>{_CN_NUM})分))?)",
    # 08:30, 14:30, 8:00, 20:00 (H:MM that is no ratio)
    r"(?<![0-9.:])(?P<h>0[0-9]|1[3-9]|2[0-3]|1?[0-9](?=:00))[:：](?P<mi>[0-5][0-9])(?![0-9:])",
)


def _small(text: str) -> int | None:
    """Digits or a Chinese numeral up to 99 (八, 十二, 三十, 四十五)."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    if not ten:
        return _CN_HOUR.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(units) > 1:
        return None
    return (_CN_HOUR.get(tens, 0) if tens else 1) * 10 + (_CN_HOUR.get(units, 0) if units else 0)


def clock_value(m: re.Match[str]) -> str:
    """The 24-hour value of a ``CLOCK_PATTERNS`` match, such as ``20:30``.

    >>> [clock_value(re.search(p, t)) for p, t in ((CLOCK_PATTERNS[0], "8 pm"), (CLOCK_PATTERNS[0], "12 am"),
    ...     (CLOCK_PATTERNS[1], "晚上八点半"), (CLOCK_PATTERNS[1], "夜里2点"), (CLOCK_PATTERNS[1], "晚上十二点"),
    ...     (CLOCK_PATTERNS[1], "中午1点三十分"), (CLOCK_PATTERNS[2], "8:00"))]
    ['20:00', '00:00', '20:30', '02:00', '00:00', '13:30', '08:00']
    """
    groups = m.groupdict()
    hour = _small(groups["h"]) or 0
    minute = 30 if groups.get("half") else _small(groups.get("cm") or groups.get("mi") or "0") or 0
    half = _HALF_DAY.get(groups.get("cn") or "") or ("am" if (groups.get("ap") or "p")[0] in "aA" else "pm")
    if groups.get("ap") is None and groups.get("cn") is None:
        half = ""  # 20:00, 08:30: a 24-hour time already
    if hour == 12 and ((half == "am" and groups.get("ap")) or groups.get("cn") in ("晚上", "晚", "夜间", "夜里", "半夜")):
        hour = 0  # 12 am, 晚上十二点: midnight
    elif (half == "pm" and hour < 12) or (half == "noon" and hour < 6) or (half == "night" and 6 <= hour < 12):
        hour += 12
    return f"{hour % 24:02d}:{minute:02d}"


def same_clock(a: object, b: object) -> bool:
    """A bare hour (8点, the number 8) matches 08:00 or 20:00: it does not say which half of the day."""
    clock, hour = (a, b) if isinstance(a, str) else (b, a)
    if not isinstance(clock, str) or not isinstance(hour, Fraction) or not re.fullmatch(r"[0-9]{2}:00", clock):
        return False
    return hour.denominator == 1 and 1 <= hour <= 12 and int(clock[:2]) % 12 == hour % 12


# ---------------------------------------------------------------- read whole

# Dates, versions, ratios and round-the-clock: read as one value each, before any number in them.
_MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
WHOLE: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in (
    ("24/7", r"(?<![0-9])(?:24[ \t]*/[ \t]*7|24[ \t]*[x×*][ \t]*7|7[ \t]*[x×*][ \t]*24[ \t]*(?:小时|h)?)(?![0-9])|全天候"
             r"|(?<![A-Za-z])(?:a?round the clock|24 hours a day(?:,? 7 days a week)?)(?![A-Za-z])"),
    ("date", r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])"),
    ("date", r"(?<![0-9])(?P<y>[0-9]{4})[ \t]*年[ \t]*(?P<m>[0-9]{1,2})[ \t]*月(?:[ \t]*(?P<d>[0-9]{1,2})[ \t]*[日号])?"),
    ("date", rf"(?<![0-9A-Za-z])(?P<d>[0-9]{{1,2}})[ \t]+{_MONTH},?[ \t]+(?P<y>[0-9]{{4}})(?![0-9])"),
    ("date", rf"(?<![A-Za-z]){_MONTH}[ \t]+(?:(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+)?(?P<y>[0-9]{{4}})(?![0-9])"),
    ("version", r"(?<![0-9.])v?(?P<v>[0-9]+\.[0-9]+\.[0-9]+(?:\.[0-9]+)*)(?![0-9])"),
    *(("clock", p) for p in CLOCK_PATTERNS),
    ("ratio", r"(?<![0-9.:])(?P<a>[0-9]+)[ \t]?:[ \t]?(?P<b>[0-9]{1,3}(?:[ ,][0-9]{3})+|[0-9]+)(?![0-9])"),
))


def whole_value(kind: str, m: re.Match[str]) -> str:
    """The comparable value of a ``WHOLE`` match: 2025-03-01, 1.2.0, 3:1, 24/7."""
    groups = m.groupdict()
    if kind == "date":
        mon = groups.get("mon")
        month = _MONTHS[mon[:3].lower()] if mon else int(groups["m"])
        day = f"-{int(groups['d']):02d}" if groups.get("d") else ""
        return f"{groups['y']}-{month:02d}{day}"
    if kind == "clock":
        return clock_value(m)
    if kind == "version":
        return groups["v"]
    if kind == "ratio":
        return f"{groups['a']}:{re.sub('[ ,]', '', groups['b'])}"
    return kind
