"""Read numbers, units, comparisons, frequencies and routes out of English or Chinese clinical text.

Every pattern runs on both sides: a Chinese translation may keep "mg", "IV" or "q8h" in Latin
script, so one reader serves both languages and ``equivalence`` compares what it finds.

Rules for the ambiguous cases (tests in ``tests/test_quantities.py`` pin each one):

* A number that may not be one is *weak*: it can match a number on the other side but is never
  reported on its own. Weak: a single 一, 二 or 两 before a classifier (一个 is often just "a",
  二次 is "secondary", 这两种 is "both"), 一半, 双 (双方, 双人), a numeral before a plain noun
  (四早), the grade-like 级/期/型/类, English "one" without a unit, "a/an hour", ordinals
  (first, second), "half", and "once" used as a conjunction ("once bleeding stops").
* Otherwise Chinese numerals count only before a unit or classifier (三天, 十分钟, 半小时), after
  第, or as a standalone multi-character number (二十四，). So 一般, 一旦, 统一, 一线, 十分,
  十二指肠, 二甲双胍, 百日咳, 千万 and 一次性 hold no number.
* "once"/"twice"/"N times"/"N次" are counts (unit ``#``), so "repeat once" matches "重复1次";
  a frequency ("twice daily", "每日2次", "q8h") is read first and its numbers are not counted.
* 以上 reads as ">", 及以上/或以上 as ">=", 以下 as "<=" (Chinese usage includes the number);
  ``equivalence`` warns on the strictness difference except for ages ("under 5" is 5岁以下).
* "over 10 minutes" after a dose is an infusion time, not a comparison.
* A number glued to letters is a name (NEWS2, COVID-19, 5-HT3, HbA1c), compared as written;
  spelled Greek letters are folded (5-alpha is 5α).
* Negation ("do not give", 勿) is not checked around doses: a flipped instruction is not
  reliably told from a rephrased one, and a noisy check would teach translators to ignore it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from functools import partial

Value = Fraction | str
MASK = "\ue000"  # stands in for text already read, so no later pattern reads it twice
DOSE_UNITS = frozenset({"mg", "g", "μg", "ng", "mL", "L", "IU", "mmol", "μmol", "mEq", "kcal"})


@dataclass(frozen=True)
class Quantity:
    """One number as written: its value, unit and the comparison attached to it.

    ``unit`` is canonical (``mg``, ``mg/kg/d``, ``#`` for counted things) or None when none is
    written. ``strong=False`` marks a number that may not be one (see the module docstring).
    """

    value: Value
    unit: str | None = None
    unit_text: str = ""
    comparison: str = ""  # "<", "<=", ">", ">=" or ""
    comparison_text: str = ""
    strong: bool = True
    text: str = ""


@dataclass(frozen=True)
class Tag:
    """A frequency, route or timing cue found in the text (``strong=False``: implied, never required)."""

    code: str
    text: str
    strong: bool = True


@dataclass(frozen=True)
class Reading:
    """Everything ``read`` found in one text."""

    quantities: tuple[Quantity, ...]
    names: tuple[str, ...] = ()
    frequencies: tuple[Tag, ...] = ()
    routes: tuple[Tag, ...] = ()
    cues: tuple[Tag, ...] = ()
    # the same text with "2 500" read as two numbers (two 500 mg tablets), when that reading exists
    alternative: tuple[Quantity, ...] | None = None


# ---------------------------------------------------------------- normalising

_TRANSLATE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
_TRANSLATE.update({0x3000: " ", 0xA0: " ", 0x202F: " ", 0x2009: " ", 0x2007: " ", 0x2010: "-",
                   0x2011: "-", 0xB5: "μ", 0x301C: "~", 0x2266: "≤", 0x2267: "≥", 0xB2: "^2", 0xB3: "^3"})
_TRANSLATE.update({0x2070 + i: f"^{i}" for i in range(4, 10)} | {0x2070: "^0", 0xB9: "^1"})
_TRANSLATE.update({0x2160 + i: r for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])})
# The full-width comma stays: "1，2" is two numbers, never 1.2 or 12.


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, µ to μ, odd spaces to spaces.

    >>> normalise("１０％，～２０ｍｇ")
    '10%，~20mg'
    """
    if "&" in text:
        text = html.unescape(text)
    return text.translate(_TRANSLATE)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + MASK * (end - start) + text[end:]


def _sub(pattern: re.Pattern[str], text: str, found: Callable[[re.Match[str]], bool | None]) -> str:
    """Mask every match that ``found`` accepts (returns anything but False)."""
    def repl(m: re.Match[str]) -> str:
        return m.group() if found(m) is False else MASK * len(m.group())
    return pattern.sub(repl, text)


# ---------------------------------------------------------------- number words

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_VALUE = {w: i for i, w in enumerate(_EN_UNITS)} | {w: 10 + i for i, w in enumerate(_EN_TEENS)}
_EN_VALUE |= {w: 20 + 10 * i for i, w in enumerate(_EN_TENS)}
_EN_99 = (rf"(?:(?:{'|'.join(_EN_TENS)})(?:[- ](?:{'|'.join(_EN_UNITS[1:])}))?"
          rf"|{'|'.join(_EN_TEENS)}|{'|'.join(_EN_UNITS)})")
EN_NUMBER = rf"{_EN_99}(?:\s+hundred(?:\s+(?:and\s+)?{_EN_99})?)?(?:\s+thousand)?"
CN_CHARS = "零〇一二两三四五六七八九十百千万"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}


def cn_int(text: str) -> int | None:
    """The value of a Chinese numeral, or None when the characters are a word, not a number.

    >>> [cn_int(s) for s in ("二十四", "十", "一百零五", "两千", "一一", "三七", "千万", "百")]
    [24, 10, 105, 2000, None, None, None, None]
    """
    total = section = 0
    digit: int | None = None
    for ch in text:
        if ch in _CN_DIGIT:
            if digit:  # 一一 (one by one), 三七 (a herb): two digits in a row are a word
                return None
            digit = _CN_DIGIT[ch]
        elif ch in _CN_POWER:
            if digit is None:
                if ch != "十" or section or total:
                    return None  # 百日咳, 千克, 千万: a leading 百/千 is not a number
                digit = 1
            section += digit * _CN_POWER[ch]
            digit = None
        elif ch == "万":
            if digit is None and not section:
                return None
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def en_int(text: str) -> int | None:
    """The value of an English number phrase.

    >>> [en_int(s) for s in ("twenty-four", "one hundred and fifty", "two thousand", "dozen")]
    [24, 150, 2000, None]
    """
    total = current = 0
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in _EN_VALUE:
            current += _EN_VALUE[word]
        elif word == "hundred":
            current *= 100
        elif word == "thousand":
            total, current = total + current * 1000, 0
        else:
            return None
    return total + current


def number_value(text: str) -> Fraction | None:
    """Digits, English words or Chinese numerals as a Fraction."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return Fraction(text)
    value = en_int(text) if text[:1].isascii() else cn_int(text)
    return None if value is None else Fraction(value)


def format_value(value: Value) -> str:
    """``Fraction(5, 2)`` → ``2.5``; thirds stay fractions.

    >>> [format_value(v) for v in (Fraction(10), Fraction(1, 2), Fraction(1, 3), "2026-11-23")]
    ['10', '0.5', '1/3', '2026-11-23']
    """
    if isinstance(value, str):
        return value
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:
        return format(float(value), "f").rstrip("0").rstrip(".") if abs(value) < 10**12 else str(value)
    return f"{value.numerator}/{value.denominator}"


# ---------------------------------------------------------------- units

def _alts(*alternatives: str) -> str:
    return "|".join(alternatives)


# (canonical, pattern); Latin spellings are case-insensitive and must not run on into a word.
_UNIT_TABLE: tuple[tuple[str, str], ...] = (
    ("mg", _alts("mg", "milligrams?", "毫克")),
    ("g", _alts("g", "gm", "grams?", "克")),
    ("μg", _alts("μg", "mcg", "ug", "micrograms?", "微克")),
    ("ng", _alts("ng", "nanograms?", "纳克")),
    ("kg", _alts("kg", "kilograms?", "kilos?", "公斤", "千克")),
    ("mL", _alts("ml", "millilit(?:re|er)s?", "cc", "毫升")),
    ("L", _alts("l", "lit(?:re|er)s?", "升")),
    ("dL", _alts("dl", "decilit(?:re|er)s?", "分升")),
    ("IU", _alts("iu", r"i\.u\.", "international units?", "units?", "u", "国际单位", "单位")),
    ("mmol", _alts("mmol", "millimoles?", "毫摩尔")),
    ("μmol", _alts("μmol", "umol", "micromoles?", "微摩尔")),
    ("mEq", _alts("meq", "毫当量")),
    ("mmHg", _alts(r"mm\s?hg", "millimet(?:re|er)s? of mercury", "毫米汞柱", "毫米水银柱")),
    ("cmH2O", _alts(r"cm\s?h2o", "厘米水柱")),
    ("cm", _alts("cm", "centimet(?:re|er)s?", "厘米", "公分")),
    ("mm", _alts("mm", "millimet(?:re|er)s?", "毫米")),
    ("m", _alts("m", "met(?:re|er)s?", "米")),
    ("kcal", _alts("kcal", "千卡", "大卡")),
    ("h", _alts("h", "hrs?", "hours?", "小时", "个小时", "钟头", "个钟头")),
    ("min", _alts("min", "mins", "minutes?", "分钟")),  # bare 分 is also a score (评分7分)
    ("s", _alts("s", "secs?", "seconds?", "秒钟", "秒")),
    ("d", _alts("d", "days?", "天", "日")),
    ("wk", _alts("wks?", "weeks?", "周", "星期", "个星期", "週")),
    ("mo", _alts("mos?", "months?", "个月", "月")),
    ("y", _alts("y", "yrs?", "years?(?:[- ]old)?", "年", "岁", "周岁")),
    ("°C", _alts(r"°\s?c", r"º\s?c", "℃", "degrees? (?:celsius|centigrade|c)", "degrees?", "摄氏度", "度", "°")),
    ("%", _alts("%", "percent", "per cent")),
    ("#/min", _alts("bpm",)),
    ("#", _alts("tablets?", "tabs?", "capsules?", "caps?", "drops?", "puffs?", "doses?", "ampoules?",
                "ampules?", "vials?", "sachets?", "breaths?", "beats?", "times", "导联", "片", "粒", "滴", "喷",
                "揿", "剂", "支", "瓶", "袋", "次", "个", "名", "位", "人", "例", "项", "步", "种", "条", "根",
                "张", "份", "组", "遍", "针", "包", "枚", "贴", "倍", "杯", "勺", "顿", "轮", "床", "台",
                "级", "期", "型", "类")),
)
_DENOMINATORS: tuple[tuple[str, str], ...] = (
    ("kg", _alts("kg", "kilograms?", "公斤", "千克")),
    ("m²", _alts(r"m\^?2", "square met(?:re|er)s?", "平方米")),
    ("h", _alts("h", "hrs?", "hours?", "小时", "时")),
    ("min", _alts("min", "minutes?", "分钟", "分")),
    ("s", _alts("s", "secs?", "seconds?", "秒")),
    ("d", _alts("d", "days?", "日", "天")),
    ("wk", _alts("wk", "weeks?", "周")),
    ("L", _alts("l", "lit(?:re|er)s?", "升")),
    ("dL", _alts("dl", "分升")),
    ("mL", _alts("ml", "毫升")),
)
_WEAK_CLASSIFIERS = frozenset("级期型类度")
_DEN_ORDER = {code: i for i, (code, _) in enumerate(_DENOMINATORS)}


def _compile(table: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    # a Latin unit must not run on into a word (5 doses is not 5 d); 5分钟Apgar is fine
    return tuple((code, re.compile(rf"(?:{pattern})(?:(?<![A-Za-z])|(?![A-Za-z]))", re.I)) for code, pattern in table)


_UNITS = _compile(_UNIT_TABLE)
_DENS = _compile(_DENOMINATORS)
_UNIT_GAP = re.compile(r"[ \t]*(?:-(?=[A-Za-z]))?")
_POWER_UNIT = re.compile(r"[ \t]*[×xX*][ \t]*10\^?(-?[0-9]+)")
_DEN_SEP = re.compile(r"[ \t]*(?:/|per[ \t]+)[ \t]*", re.I)
_DEN_PAIR = re.compile(r"[ \t]*/[ \t]*\([ \t]*(kg|公斤|千克)[ \t]*[·•.*×]?[ \t]*(d|h|min|日|天|小时|分钟)[ \t]*\)", re.I)
_BODY_WEIGHT = re.compile(r"[ \t]*(?:(?:of[ \t]+)?body[- ]weight|体重)", re.I)


def _longest(table: tuple[tuple[str, re.Pattern[str]], ...], text: str, pos: int) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for code, pattern in table:
        m = pattern.match(text, pos)
        if m and m.end() > pos and (best is None or m.end() > best[1]):
            best = (code, m.end())
    return best


def _canonical(base: str, dens: list[str]) -> str:
    dens = sorted(set(dens), key=lambda d: _DEN_ORDER.get(d, 99))
    return "/".join([base, *dens]) if dens else base


def match_unit(text: str, pos: int) -> tuple[str, str, int] | None:
    """The unit written at ``pos`` (after a number): canonical, as written, end.

    >>> match_unit("10 mg/kg/day", 2), match_unit("10毫克", 2), match_unit("60次/分", 2)
    (('mg/kg/d', 'mg/kg/day', 12), ('mg', '毫克', 4), ('#/min', '次/分', 5))
    """
    gap = _UNIT_GAP.match(text, pos)
    start = gap.end() if gap else pos
    base: str | None = None
    dens: list[str] = []
    end = start
    power = _POWER_UNIT.match(text, pos)
    found = _longest(_UNITS, text, start)
    if power:
        base, end = f"×10^{power.group(1)}", power.end()
    elif found:
        base, end = found
        if "/" in base:  # bpm
            base, dens = "#", ["min"]
    while True:
        pair = _DEN_PAIR.match(text, end)
        if pair:
            time = _longest(_DENS, pair.group(2), 0)
            dens += ["kg", time[0] if time else "d"]
            end = pair.end()
            continue
        sep = _DEN_SEP.match(text, end)
        den = _longest(_DENS, text, sep.end()) if sep else None
        if not sep or not den or (base is None and not dens and sep.group().strip().lower().startswith("per")):
            break
        dens.append(den[0])
        end = den[1]
        if den[0] == "kg" and (weight := _BODY_WEIGHT.match(text, end)):
            end = weight.end()
    if base is None and not dens:
        return None
    return _canonical(base or "#", dens), text[start:end], end


def unit_parts(unit: str) -> tuple[str, frozenset[str]]:
    """``mg/kg/d`` → ``("mg", {"kg", "d"})``."""
    base, *dens = unit.split("/")
    return base, frozenset(dens)


# ---------------------------------------------------------------- comparisons

_PREFIX_CMP = re.compile(
    r"(?:(?P<le>≤|<=|=<|⩽|(?<![A-Za-z])(?:at most|up to|no (?:more|greater|higher) than"
    r"|(?:not|never)(?: [a-z]+){0,2} (?:more|greater|higher) than"
    r"|not (?:to )?exceed(?:ing)?|(?:does|do|must|should|may|will) not exceed|never exceed"
    r"|(?:a |the )?max(?:imum|\.)?(?: (?:daily |single |total )?dose)?(?: of| is)?)"
    r"|不(?:得|应|宜|可|能|要)?(?:超过|高于|大于|多于)|切?勿超过|未超过|最多|至多|最高|最大(?:日?剂量|量|用量)?(?:为|是)?"
    r"|小于等于|小于或等于|低于或等于|极量为?|上限为?)"
    r"|(?P<ge>≥|>=|=>|⩾|(?<![A-Za-z])(?:at least|no (?:less|fewer|lower) than"
    r"|(?:not|never)(?: [a-z]+){0,2} (?:less|fewer|lower) than"
    r"|(?:a |the )?minimum(?: of| is)?)|不(?:得|应|宜|可|能)?(?:少于|低于|小于|短于)|至少|最少|最低"
    r"|大于等于|大于或等于|高于或等于)"
    r"|(?P<lt><|(?<![A-Za-z])(?:less than|fewer than|lower than|shorter than|younger than|below|under)"
    r"|未满|不满|不足|不到|低于|小于|少于|短于|未达到?)"
    r"|(?P<gt>>|(?<![A-Za-z])(?:more than|greater than|higher than|longer than|older than|above|over"
    r"|exceed(?:s|ed|ing)?|in excess of)|超过|高于|大于|多于|长于)"
    r"|(?P<ge2>(?:至少|最少|不少于)[\u4e00-\u9fff]{1,4})|(?P<le2>(?:最多|至多|不超过|不得超过)[\u4e00-\u9fff]{1,4}))"
    r"[ \t]*(?:of[ \t]+|is[ \t]+|为|:)?[ \t]*(?:每(?:分钟|小时))?[ \t]*$", re.I)
_SUFFIX_CMP = re.compile(
    r"^[ \t]*(?:(?P<ge>\+(?![0-9])|or (?:more|greater|higher|above|over|longer|older)|and (?:above|over|older)"
    r"|at (?:the )?least|minimum"
    r"|及以上|或以上|或更多|或更高|以上\(含\))"
    r"|(?P<le>or (?:less|fewer|lower|below|under|shorter|younger)|and (?:below|under|younger)|at (?:the )?most"
    r"|maximum|max\.?"
    r"|及以下|或以下|或更少|或更低|以下)"
    r"|(?P<gt>以上))(?![A-Za-z])", re.I)
_CMP_GROUPS = {"le": "<=", "ge": ">=", "lt": "<", "gt": ">", "le2": "<=", "ge2": ">="}


def _comparison(m: re.Match[str] | None) -> tuple[str, str]:
    if not m:
        return "", ""
    for group, said in m.groupdict().items():
        if said:
            return _CMP_GROUPS[group], said
    return "", ""  # pragma: no cover - one group always matches


# ---------------------------------------------------------------- frequencies, cues, routes

_Q_UNITS = {"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "小时": "h", "个小时": "h",
            "min": "min", "mins": "min", "minute": "min", "minutes": "min", "分钟": "min",
            "d": "d", "day": "d", "days": "d", "天": "d", "日": "d",
            "wk": "wk", "week": "wk", "weeks": "wk", "周": "wk", "星期": "wk",
            "month": "mo", "months": "mo", "个月": "mo"}
_PER_UNITS = {"day": "d", "daily": "d", "d": "d", "week": "wk", "weekly": "wk", "wk": "wk", "hour": "h",
              "hourly": "h", "h": "h", "month": "mo", "monthly": "mo", "日": "d", "天": "d", "周": "wk"}
_N = rf"(?:[0-9]+(?:\.[0-9]+)?|{EN_NUMBER}|[{CN_CHARS}]+)"
_RANGE_SEP = r"[ \t]*(?:-|–|—|−|~|to|至|到|or)[ \t]*"
_FREQUENCY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in (
    ("q2d", r"(?<![A-Za-z])(?:every other day|on alternate days|qod|q\.o\.d\.?)(?![A-Za-z])|每隔(?:一|1)[天日]|隔[日天]"),
    ("every", rf"(?<![A-Za-z])(?:once[ \t]+)?every[ \t]+(?:(?P<n>{_N})(?:{_RANGE_SEP}(?P<m>{_N}))?[ \t]+)?"
              r"(?P<u>hours?|hrs?|h|minutes?|mins?|days?|weeks?|months?)(?![A-Za-z])"),
    ("every", r"(?<![A-Za-z])q\.?[ \t]?(?P<n>[0-9]+(?:\.[0-9]+)?)(?:[ \t]*[-–~][ \t]*(?P<m>[0-9]+))?[ \t]?"
              r"(?P<u>h|hrs?|hours?|min|mins|d)(?![A-Za-z])"),
    ("every", rf"(?<![A-Za-z0-9])(?P<n>[0-9]+|{EN_NUMBER})(?:{_RANGE_SEP}(?P<m>[0-9]+))?[- ]?(?P<u>hour)ly(?![A-Za-z])"),
    ("every", rf"每(?:隔)?[ \t]*(?P<n>{_N})(?:{_RANGE_SEP}(?P<m>{_N}))?[ \t]*"
              r"(?P<u>个小时|小时|h|hr|分钟|min|天|日|周|星期|个月)(?:[ \t]*(?:给予|给药|用药|服用|服药|注射|重复|使用|监测|测量|检查|评估|记录)?[ \t]*(?:1|一)[ \t]*次)?"),
    ("times", rf"(?<![A-Za-z])(?P<k>once|twice|thrice|(?:{_N})[ \t]*(?:times|x|×))[ \t]*(?:a|per|each|every|/|in a)?"
              r"[ \t]*(?P<u>daily|day|d|weekly|week|wk|hourly|hour|h|monthly|month)(?![A-Za-z])"),
    ("times", rf"(?:每日|每天|一日|一天)[ \t]*(?P<k>{_N})[ \t]*次|(?P<k2>{_N})[ \t]*次[ \t]*/[ \t]*(?P<u>日|天|d|day|周)"),
    ("times", rf"每(?P<u>周|星期)[ \t]*(?P<k>{_N})[ \t]*次"),
    ("2/d", r"(?<![A-Za-z])(?:bid|b\.i\.d\.?|b\.d\.?|bd)(?![A-Za-z])"),
    ("3/d", r"(?<![A-Za-z])(?:tid|t\.i\.d\.?|tds|t\.d\.s\.?)(?![A-Za-z])"),
    ("4/d", r"(?<![A-Za-z])(?:qid|q\.i\.d\.?|qds|q\.d\.s\.?)(?![A-Za-z])"),
    ("1/d", r"(?<![A-Za-z])(?:qd|q\.d\.|(?-i:od))(?![A-Za-z])"),
    ("q1h", r"(?<![A-Za-z])qh(?![A-Za-z])"),
    ("qn", r"(?<![A-Za-z])(?:qn|qhs|nocte)(?![A-Za-z])"),
    ("~qn", r"(?<![A-Za-z])(?:at bedtime|at night|every night|nightly)(?![A-Za-z])|每晚|睡前"),
    ("~1/d", r"(?<![A-Za-z])(?:daily|every day|each day|per day)(?![A-Za-z])|每日|每天"),
    ("~1/wk", r"(?<![A-Za-z])(?:weekly|every week)(?![A-Za-z])|每周|每星期"),
    ("~q1h", r"(?<![A-Za-z])hourly(?![A-Za-z])|每小时"),
))
_CUE_PATTERNS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("stat", True, re.compile(r"(?<![A-Za-z])stat(?![A-Za-z])", re.I)),
    ("stat", False, re.compile(r"(?<![A-Za-z])(?:immediately|at once|without delay)(?![A-Za-z])"
                               r"|立即|立刻|即刻|马上|第一时间|迅速|紧急", re.I)),
    ("prn", True, re.compile(r"(?<![A-Za-z])(?:prn|p\.r\.n\.)(?![A-Za-z])", re.I)),
    ("prn", False, re.compile(r"(?<![A-Za-z])(?:as needed|as required|when required)(?![A-Za-z])"
                              r"|必要时|按需|需要时|如需|视需要|视情况|酌情", re.I)),
)


def _abbr(*forms: str) -> str:
    """Case-sensitive abbreviations: IV, but not 'iv' in a word."""
    return r"(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![A-Za-z])"


def _words(*forms: str) -> str:
    return r"(?i:(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![A-Za-z]))"


# (code, display, English forms (also accepted in a translation), Chinese forms that name this
# route on their own, Chinese characters that accept it but are too common to count as an extra:
# 静脉血栓 is a venous clot, 局部麻醉 a local anaesthetic, 经鼻胃管 a nasogastric tube).
ROUTES: tuple[tuple[str, str, str, str, str], ...] = (
    ("IV", "intravenous", _abbr(r"IV", r"I\.V\.", r"i\.v\.") + "|" + _words("intravenous(?:ly)?"),
     "静脉(?:内)?(?:注射|滴注|推注|输注|给药|输液|泵入|用药|补液)|静注|静滴|静推|经静脉", "静脉|输液|点滴|吊针"),
    ("IM", "intramuscular", _abbr("IM", r"I\.M\.", r"i\.m\.") + "|" + _words("intramuscular(?:ly)?"),
     "肌内|肌肉注射|肌注|肌肉内", ""),
    ("PO", "by mouth", _abbr("PO", r"P\.O\.", r"p\.o\.") + "|" + _words(
        "oral(?:ly)?(?! (?:care|hygiene|cavity|mucosa|health|exam|examination|temperature|thrush|candidiasis"
        "|lesions?|ulcers?|airway|suction|intake|feeding|cancer|surgery|secretions))", "per os",
        "(?<!nil )(?<!nothing )by mouth", "chewed"), "口服|吞服|嚼服", "经口"),
    ("SC", "subcutaneous", _abbr("SC", "SQ", r"S\.C\.", r"s\.c\.", "subcut") + "|" + _words("sub-?cutaneous(?:ly)?"),
     "皮下注射|皮下给药", "皮下"),
    ("SL", "sublingual", _abbr("SL") + "|" + _words("sublingual(?:ly)?", "under the tongue"), "舌下", "含服"),
    ("PR", "rectal", _abbr("PR(?! interval)", r"P\.R\.", r"p\.r\.") + "|" + _words(
        "rectal(?:ly)?(?! temperature)", "per rectum"), "经直肠|直肠给药|纳肛|塞肛|肛塞|肛门给药|直肠内给药", "直肠"),
    # 揿 ("a press" of an inhaler) is how Chinese counts puffs: it accepts "puff" without naming a route.
    ("inhaled", "inhaled", _words("inhal(?:ed|ation|er|ers)", "by inhalation", "puffs?"), "吸入", "揿|喷"),
    ("nebulised", "nebulised", _words("nebuli[sz](?:ed|er|ers|ation)"), "雾化", ""),
    ("topical", "topical", _words("topical(?:ly)?", "applied to the skin"), "外用", "局部|涂|敷|擦"),
    ("intranasal", "intranasal", _words("intranasal(?:ly)?", "nasal spray"), "鼻内|滴鼻|鼻喷|鼻腔给药|经鼻给药",
     "经鼻|鼻腔"),
    ("IO", "intraosseous", _abbr("IO") + "|" + _words("intraosseous(?:ly)?"), "骨髓腔内|骨内注射|骨髓内", "骨髓腔|骨内"),
)
_ROUTE_PATTERNS = tuple((code, re.compile(f"{en}|{zh}"), re.compile(loose) if loose else None)
                        for code, _, en, zh, loose in ROUTES)
_ROMAN_CONTEXT = re.compile(r"(?:stage|grade|class|type|phase|level|category|degree|factor|NYHA)[ \t]*$", re.I)


def _routes(text: str) -> tuple[Tag, ...]:
    found: list[Tag] = []
    for code, strict, loose in _ROUTE_PATTERNS:
        for m in strict.finditer(text):
            if code == "IV" and m.group() == "IV" and (
                    _ROMAN_CONTEXT.search(text, 0, m.start()) or text[m.end():m.end() + 1] in set("期级度型类")):
                continue  # stage IV, Ⅳ期
            found.append(Tag(code, m.group()))
        if loose and not any(t.code == code for t in found):
            found += [Tag(code, m.group(), strong=False) for m in loose.finditer(text)]
    return tuple(found)


def _frequency_code(kind: str, m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if kind == "every":
        unit = _Q_UNITS.get((groups["u"] or "").lower())
        n = number_value(groups["n"]) if groups.get("n") else Fraction(1)
        if unit is None or n is None:
            return None
        if groups.get("m"):
            hi = number_value(groups["m"])
            return None if hi is None else f"q{format_value(n)}-{format_value(hi)}{unit}"
        if n == 1 and unit in ("d", "wk"):
            return f"~1/{unit}" if not groups.get("n") else f"1/{unit}"
        return f"q{format_value(n)}{unit}"
    if kind == "times":
        raw = groups.get("k") or groups.get("k2") or ""
        word = raw.lower()
        count: Fraction | None = {"once": Fraction(1), "twice": Fraction(2), "thrice": Fraction(3)}.get(word)
        if count is None:
            count = number_value(re.sub(r"(?i)[ \t]*(?:times|x|×)$", "", raw))
        unit = _PER_UNITS.get((groups.get("u") or "d").lower(), "d")
        return None if count is None else f"{format_value(count)}/{unit}"
    return kind


def describe_frequency(code: str) -> str:
    """``2/d`` → ``twice daily``; ``q8h`` → ``every 8 h``."""
    code = code.lstrip("~")
    if m := re.fullmatch(r"q(.+?)(h|min|d|wk|mo)", code):
        return f"every {m.group(1).replace('-', '–')} {m.group(2)}"
    if m := re.fullmatch(r"(.+)/(d|wk|h|mo)", code):
        per = {"d": "daily", "wk": "weekly", "h": "hourly", "mo": "monthly"}[m.group(2)]
        times = {"1": "once", "2": "twice"}.get(m.group(1), f"{m.group(1)} times")
        return f"{times} {per}"
    return {"qn": "at night"}.get(code, code)


def daily_count(code: str) -> Fraction | None:
    """Doses per day, to tell 'every 12 h' from 'twice daily' (close, not the same)."""
    code = code.lstrip("~")
    if m := re.fullmatch(r"q([0-9.]+)h", code):
        return Fraction(24) / Fraction(m.group(1))
    if m := re.fullmatch(r"([0-9.]+)/d", code):
        return Fraction(m.group(1))
    return None


# ---------------------------------------------------------------- masks, tokens, names

_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>\"'\]\[(){}，。；、）（]+|\bwww\.[^\s<>\"'\]\[(){}，。；、）（]+"
                  r"|\bmailto:[^\s<>\"')]+")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|\{[0-9]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|(?<![0-9%])%[sdi]")
_TAG = re.compile(r"<[/!?]?[A-Za-z][^<>]*>")
_CODE = re.compile(r"`[^`\n]+`")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*+]|[0-9]+[.)、])[ \t]+")
_MONTHS = {m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TOKENS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in (
    ("24/7", r"(?<![0-9])(?:24[ \t]*/[ \t]*7|24[ \t]*[x×*][ \t]*7|7[ \t]*[x×*][ \t]*24[ \t]*(?:小时|h)?)(?![0-9])|全天候"
             r"|(?<![A-Za-z])(?:a?round the clock|24 hours a day(?:,? 7 days a week)?)(?![A-Za-z])"),
    ("date", r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])"),
    ("date", r"(?<![0-9])(?P<y>[0-9]{4})[ \t]*年[ \t]*(?P<m>[0-9]{1,2})[ \t]*月(?:[ \t]*(?P<d>[0-9]{1,2})[ \t]*[日号])?"),
    ("date", rf"(?<![0-9A-Za-z])(?P<d>[0-9]{{1,2}})[ \t]+{_MONTH},?[ \t]+(?P<y>[0-9]{{4}})(?![0-9])"),
    ("date", rf"(?<![A-Za-z]){_MONTH}[ \t]+(?:(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?[ \t]+)?(?P<y>[0-9]{{4}})(?![0-9])"),
    ("version", r"(?<![0-9.])v?(?P<v>[0-9]+\.[0-9]+\.[0-9]+(?:\.[0-9]+)*)(?![0-9])"),
    ("ratio", r"(?<![0-9.:])(?P<a>[0-9]+)[ \t]?:[ \t]?(?P<b>[0-9]{1,3}(?:[ ,][0-9]{3})+|[0-9]+)(?![0-9])"),
))
_NAME_CHAIN = re.compile(r"(?<![A-Za-z0-9α-ωΑ-Ω])[A-Za-z0-9α-ωΑ-Ω]+(?:-[A-Za-z0-9α-ωΑ-Ω]+)*")
_NOT_NAMES = frozenset({"O2", "H2O", "CO2", "cmH2O", "mmH2O", "m2"})


def _token_value(kind: str, m: re.Match[str]) -> str:
    groups = m.groupdict()
    if kind == "date":
        mon = groups.get("mon")
        month = _MONTHS[mon[:3].lower()] if mon else int(groups["m"])
        day = f"-{int(groups['d']):02d}" if groups.get("d") else ""
        return f"{groups['y']}-{month:02d}{day}"
    if kind == "version":
        return groups["v"]
    if kind == "ratio":
        return f"{groups['a']}:{re.sub('[ ,]', '', groups['b'])}"
    return kind


def _token(kind: str, into: list[Quantity], m: re.Match[str]) -> None:
    into.append(Quantity(_token_value(kind, m), text=m.group()))


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ"}


def _is_acronym(part: str) -> bool:
    return part.lower() in _GREEK or (
        len(part) >= 2 and part.isalpha() and (part.isupper() or any(c.isupper() for c in part[1:])))


def name_key(name: str) -> str:
    """5-alpha and 5α, beta-2 and β2 are the same name.

    >>> name_key("5-alpha"), name_key("beta-2"), name_key("COVID-19")
    ('5α', 'β2', 'COVID-19')
    """
    for word, letter in _GREEK.items():
        name = re.sub(rf"(?i)-?{word}-?", letter, name)
    return re.sub(r"-?([α-ω])-?", r"\1", name)


def _glued_quantity(part: str) -> bool:
    """10mg, 24h, 2nd: a number with its unit or ordinal suffix, not a name."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([A-Za-zμ]+)", part)
    if not m:
        return False
    if m.group(2).lower() in ("st", "nd", "rd", "th"):
        return True
    unit = _longest(_UNITS, m.group(2), 0)
    return unit is not None and unit[1] == len(m.group(2))


def _names(text: str) -> list[tuple[int, int]]:
    """Names with digits (NEWS2, COVID-19, 5-HT3) and their spans."""
    names: list[tuple[int, int]] = []
    for m in _NAME_CHAIN.finditer(text):
        parts = m.group().split("-")
        offsets, pos = [], m.start()
        for part in parts:
            offsets.append(pos)
            pos += len(part) + 1
        kinds = []
        for part in parts:
            digit, alpha = any(c.isdigit() for c in part), any(c.isalpha() for c in part)
            if digit and alpha:
                kinds.append("x" if part in _NOT_NAMES or _glued_quantity(part) else "mix")
            elif digit:
                kinds.append("num")
            else:
                kinds.append("acr" if _is_acronym(part) else "x")
        i = 0
        while i < len(kinds):
            if kinds[i] == "x":
                i += 1
                continue
            j = i
            while j + 1 < len(kinds) and kinds[j + 1] != "x":
                j += 1
            run = kinds[i:j + 1]
            if "mix" in run or ("acr" in run and "num" in run):
                # trim acronyms with no digit next to them at either end (SBAR-NEWS2 → NEWS2)
                while run[0] == "acr" and run[1:2] not in (["num"], ["mix"]):
                    i, run = i + 1, run[1:]
                while run[-1] == "acr" and run[-2:-1] not in (["num"], ["mix"]):
                    j, run = j - 1, run[:-1]
                names.append((offsets[i], offsets[j] + len(parts[j])))
            i = j + 1
    return names


# ---------------------------------------------------------------- numbers

@dataclass
class _Atom:
    start: int
    end: int  # end of the number; the unit runs to unit_end
    value: Fraction | str
    text: str
    strong: bool = True
    unit: str | None = None
    unit_text: str = ""
    unit_end: int = -1
    signed: bool = False
    kind: str = "digit"
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.unit_end < 0:
            self.unit_end = self.end


_VULGAR = {"½": Fraction(1, 2), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3), "¼": Fraction(1, 4),
           "¾": Fraction(3, 4), "⅕": Fraction(1, 5), "⅛": Fraction(1, 8)}
_DIGITS = re.compile(
    r"(?<![A-Za-z0-9_\^])"
    r"(?:(?P<frac>[0-9]+/[0-9]+)(?![0-9/])"
    r"|(?P<thou>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)(?![0-9])"
    r"|(?P<space>[0-9]{1,3}(?: [0-9]{3})+)(?![0-9.,])"
    r"|(?P<cdec>0,[0-9]+|[0-9]+,[0-9]{1,2}(?=[ \t]*(?:mg|g|ml|l|kg|μg|mcg)(?![A-Za-z])))"
    r"|(?P<dec>[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)(?P<vulgar>[½⅓⅔¼¾⅕⅛])?)"
    r"(?P<wan>万)?(?P<ord>st|nd|rd|th)?(?![A-Za-z]*[0-9])")
_ZH_FRACTION = re.compile(rf"(?P<pct>百)分之(?P<num>[0-9.]+|[{CN_CHARS}]+)|(?P<den>[0-9]+|[{CN_CHARS}]+)分之(?P<num2>[0-9]+|[{CN_CHARS}]+)")
_VULGAR_ALONE = re.compile(r"(?<![0-9])[½⅓⅔¼¾⅕⅛]")
_EN_FRACTION = re.compile(
    rf"(?i)(?<![A-Za-z0-9])(?:(?P<in>(?:one|a|1)) in (?:every )?(?P<den>[0-9]+|{EN_NUMBER})(?![A-Za-z0-9])"
    r"|(?P<half>half(?: an? hour)?)|(?:a|one)[ -](?P<third>third|quarter)"
    r"|(?P<two>two)[ -]thirds|(?P<three>three)[ -]quarters)(?![A-Za-z])")
_EN_WORDS = re.compile(rf"(?i)(?<![A-Za-z-])(?:(?P<n>{EN_NUMBER})|(?P<times>once|twice|thrice)"
                       r"|(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
                       r"|(?P<a>an?)(?=[ \t]+(?:hour|minute|day|week|month|year)(?![A-Za-z])))(?![A-Za-z])")
_ONCE_STRONG = re.compile(r"(?i)[ \t]*(?:$|[.,;:!?)\]\n]|(?:only|more|again|after|if|within|before|per|on|in"
                          r"|during|for|then|over|by|via|and|or|stat)(?![A-Za-z])|[0-9])")
_CN_NUMERAL = re.compile(rf"(?P<ord>第[ \t]*)?(?P<num>[{CN_CHARS}]+)")
_CN_HALF = re.compile(r"(?P<one>一)?半")
_CN_PAIR = re.compile(r"双")  # 双向 two-way, 双方 both parties: weak, so it matches "two" and nothing else
_HALF_SUFFIX = re.compile(r"个半")  # 一个半小时; 一半 is "half"
_CJK = re.compile(r"[\u3400-\u9fff]")


def _unit_at(atom: _Atom, text: str) -> None:
    unit = match_unit(text, atom.end)
    if unit:
        atom.unit, atom.unit_text, atom.unit_end = unit


def _half_suffix(atom: _Atom, text: str) -> None:
    """一个半小时, 2个半月: the 半 adds 0.5 and the unit follows it."""
    m = _HALF_SUFFIX.match(text, atom.end)
    if m and isinstance(atom.value, Fraction) and match_unit(text, m.end()):
        atom.value += Fraction(1, 2)
        atom.end = m.end()
        atom.text += m.group()


def _digit_atoms(text: str) -> tuple[list[_Atom], list[_Atom]]:
    """Digit numbers; the second list splits "2 500" into 2 and 500 for the alternative reading."""
    atoms: list[_Atom] = []
    alternative: list[_Atom] = []
    for m in _DIGITS.finditer(text):
        start, end, raw = m.start(), m.end(), m.group()
        if m.group("frac"):
            num, den = (int(x) for x in m.group("frac").split("/"))
            if 0 < num < den <= 16:
                atoms.append(_Atom(start, end, Fraction(num, den), raw))
            else:  # 120/80 mmHg: two readings, each its own number
                slash = raw.index("/")
                atoms += [_Atom(start, start + slash, Fraction(num), str(num)),
                          _Atom(start + slash + 1, end, Fraction(den), str(den), extra={"slash": "1"})]
            continue
        if m.group("space"):
            parts = m.group("space").split(" ")
            atoms.append(_Atom(start, end, Fraction("".join(parts)), raw))
            pos = start
            for part in parts:
                alternative.append(_Atom(pos, pos + len(part), Fraction(part), part))
                pos += len(part) + 1
            continue
        if m.group("thou"):
            value = Fraction(m.group("thou").replace(",", ""))
        elif m.group("cdec"):
            value = Fraction(m.group("cdec").replace(",", "."))
        else:
            value = Fraction(m.group("dec")) + (_VULGAR[m.group("vulgar")] if m.group("vulgar") else 0)
        if m.group("wan"):
            value *= 10000
        atom = _Atom(start, end, value, raw)
        if start >= 1 and text[start - 1] in "-−–" and (start == 1 or text[start - 2] in " \t\n(（:=~"):
            atom.start, atom.value, atom.signed, atom.text = start - 1, -value, True, text[start - 1:end]
        elif text[max(0, start - 2):start] == "零下":
            atom.start, atom.value, atom.text = start - 2, -value, text[start - 2:end]
        atoms.append(atom)
    return atoms, alternative


def _word_atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _EN_FRACTION.finditer(text):
        if m.group("in"):  # one in five women: 五分之一
            den = number_value(m.group("den"))
            if den:
                atoms.append(_Atom(m.start(), m.end(), 1 / den, m.group()))
        elif m.group("half"):
            hour = m.group("half").lower() != "half"
            atoms.append(_Atom(m.start(), m.end(), Fraction(1, 2), m.group(), strong=hour,
                               unit="h" if hour else None, unit_text="hour" if hour else "", kind="fixed"))
        else:
            part = {"third": Fraction(1, 3), "quarter": Fraction(1, 4)}.get((m.group("third") or "").lower())
            part = part or (Fraction(2, 3) if m.group("two") else Fraction(3, 4))
            atoms.append(_Atom(m.start(), m.end(), part, m.group()))
    for m in _EN_WORDS.finditer(_blank(text, atoms)):
        word = m.group().lower()
        if m.group("n"):
            value = en_int(m.group("n"))
            if value is None:
                continue
            # "one of", "no one", "zero tolerance": weak unless a unit follows (one hour)
            atom = _Atom(m.start(), m.end(), Fraction(value), m.group(), strong=value > 1, kind="word")
        elif m.group("times"):
            if re.search(r"(?i)\bat[ \t]+$", text[max(0, m.start() - 4):m.start()]):
                continue  # "at once" is immediately (a timing cue), not a count
            count = {"once": 1, "twice": 2, "thrice": 3}[word]
            after = text[m.end():m.end() + 12]
            strong = bool(_ONCE_STRONG.match(after)) if word == "once" else not re.match(r"(?i)\s+(?:the|as|that)\b",
                                                                                           after)
            atom = _Atom(m.start(), m.end(), Fraction(count), m.group(), strong=strong, unit="#",
                         unit_text=m.group(), kind="fixed")
        elif m.group("ord"):
            rank = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                    "tenth"].index(word) + 1
            atom = _Atom(m.start(), m.end(), Fraction(rank), m.group(), strong=False, kind="ordinal")
        else:
            atom = _Atom(m.start(), m.end(), Fraction(1), m.group(), strong=False, kind="article")
        atoms.append(atom)
    return atoms


def _cn_atoms(text: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for m in _CN_NUMERAL.finditer(text):
        num = m.group("num")
        if num == "零" and text[m.end():m.end() + 1] == "下":
            continue
        value = cn_int(num)
        if value is None:
            continue
        atom = _Atom(m.start(), m.end(), Fraction(value), m.group(), kind="cn")
        _half_suffix(atom, text)
        unit = match_unit(text, atom.end)
        follow = text[atom.end:atom.end + 1]
        if m.group("ord"):
            if text.startswith("时间", m.end()):
                continue  # 第一时间: "at once"
        elif unit and not text.startswith("性", unit[2]):  # 一次性: disposable
            # counting uses 两 and compounds use 二 (二次 secondary, 二线 second-line): single 一/二/两 are weak
            atom.strong = (num not in "一二两" or atom.value != value) and unit[1][-1:] not in _WEAK_CLASSIFIERS
        elif len(num) >= 2 and any(c in num for c in "十百千万") and not _CJK.match(follow) and follow != "、":
            pass  # 二十四，
        elif num != "一" and follow != "、":
            atom.strong = False  # 四早, 三查七对: a numeral before a noun may still stand for "four"
        else:
            continue
        _unit_at(atom, text)
        atoms.append(atom)
    rest = _blank(text, atoms)
    for m in _CN_HALF.finditer(rest):
        if match_unit(rest, m.end()) or m.group("one"):
            atoms.append(_Atom(m.start(), m.end(), Fraction(1, 2), m.group(), strong=not m.group("one")))
            _unit_at(atoms[-1], rest)
    atoms += [_Atom(m.start(), m.end(), Fraction(2), m.group(), strong=False) for m in _CN_PAIR.finditer(rest)]
    return atoms


def _blank(text: str, atoms: list[_Atom]) -> str:
    for atom in atoms:
        text = _mask(text, atom.start, max(atom.end, atom.unit_end))
    return text


def _scan(text: str, words: bool) -> tuple[list[_Atom], list[_Atom] | None]:
    atoms: list[_Atom] = []
    work = text
    for m in _ZH_FRACTION.finditer(work):
        if m.group("pct"):
            value = number_value(m.group("num"))
            if value is not None:
                atoms.append(_Atom(m.start(), m.end(), value, m.group(), unit="%", unit_text="百分之", kind="fixed"))
        else:
            den, num = number_value(m.group("den")), number_value(m.group("num2"))
            if den and num is not None:
                atoms.append(_Atom(m.start(), m.end(), num / den, m.group()))
    atoms += [_Atom(m.start(), m.end(), _VULGAR[m.group()], m.group()) for m in _VULGAR_ALONE.finditer(work)]
    work = _blank(work, atoms)
    digits, alternative = _digit_atoms(work)
    atoms += digits
    for atom in atoms:
        if atom.unit is None and atom.kind != "fixed":
            if atom.kind == "digit" and atom.text[-2:] in ("st", "nd", "rd", "th"):
                continue
            _half_suffix(atom, text)
            _unit_at(atom, text)
    for atom in alternative:
        _unit_at(atom, text)
    if words:
        work = _blank(text, atoms)
        more = _word_atoms(work)
        for atom in more:
            if atom.kind != "fixed":
                _unit_at(atom, text)  # "the first hour" is 1 h, so 最初1分钟 is caught
                if atom.kind == "ordinal" and atom.unit not in _TIME_UNITS:
                    atom.unit, atom.unit_text = None, ""
                if atom.kind == "word" and atom.unit and atom.unit != "#":
                    atom.strong = True
        atoms += more
        atoms += _cn_atoms(_blank(text, atoms))
    atoms.sort(key=lambda a: a.start)
    if not alternative:
        return atoms, None
    split = sorted([a for a in atoms if not any(s.start <= a.start < s.end for s in _spaced(atoms))] + alternative,
                   key=lambda a: a.start)
    return atoms, split


def _spaced(atoms: list[_Atom]) -> list[_Atom]:
    return [a for a in atoms if isinstance(a.value, Fraction) and " " in a.text and a.kind == "digit"]


_RANGE_BETWEEN = re.compile(r"[ \t]*(?:-|–|—|−|~|to|至|到|or|或|and)?[ \t]*", re.I)
_CLAUSE_END = re.compile(r"[,，。;；:：\n!?！？" + MASK + "]")
_PER_PREFIX: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kg", re.compile(r"每[ \t]*(?:公斤|千克|kg)|按体重", re.I)),
    ("d", re.compile(r"每日|每天|(?<![A-Za-z])daily(?![A-Za-z])", re.I)),
    ("h", re.compile(r"每小时|(?<![A-Za-z])hourly(?![A-Za-z])", re.I)),
    ("min", re.compile(r"每分钟")),
)
_PER_SUFFIX = re.compile(r"(?i)[ \t]*(?:daily|a day|each day|every day)(?![A-Za-z])")
_DURATION = frozenset({"s", "min", "h"})
_TIME_UNITS = frozenset({"s", "min", "h", "d", "wk", "mo", "y"})


def _finish(atoms: list[_Atom], text: str) -> tuple[Quantity, ...]:
    """Link ranges, share units across them, attach comparisons, build Quantities."""
    groups: list[list[_Atom]] = []
    for atom in atoms:
        if groups and atom.extra.get("slash"):
            groups[-1].append(atom)  # 140/90 mmHg: one reading, one unit, one comparison
            continue
        if groups and isinstance(atom.value, Fraction):
            last = groups[-1][-1]
            between = text[last.unit_end:atom.start]
            sep = _RANGE_BETWEEN.fullmatch(between)
            word = sep.group().strip().lower() if sep else ""
            if sep and (word or atom.signed) and (word != "and" or last.unit is None):
                if atom.signed and not word and isinstance(atom.value, Fraction):
                    atom.value, atom.signed, atom.text = -atom.value, False, atom.text[1:]
                groups[-1].append(atom)
                continue
        groups.append([atom])
    out: list[Quantity] = []
    previous_end = 0
    for index, group in enumerate(groups):
        first, last = group[0], group[-1]
        shared = next((a for a in reversed(group) if a.unit), None)
        next_start = groups[index + 1][0].start if index + 1 < len(groups) else len(text)
        before = text[max(previous_end, first.start - 40):first.start]
        clause = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0):]
        after = text[last.unit_end:min(next_start, last.unit_end + 14)]
        prefix = _comparison(_PREFIX_CMP.search(before))
        suffix = _comparison(_SUFFIX_CMP.match(after))
        dens = {code for code, pattern in _PER_PREFIX if pattern.search(clause)}
        if _PER_SUFFIX.match(after):
            dens.add("d")
        for position, atom in enumerate(group):
            unit, unit_text = atom.unit, atom.unit_text
            if unit is None and shared and atom.kind != "fixed":
                unit, unit_text = shared.unit, shared.unit_text
            if unit is not None and dens:
                base, have = unit_parts(unit)
                unit = _canonical(base, [*have, *dens])
            op, op_text = ("", "")
            pair = any(a.extra.get("slash") for a in group)
            if (position == 0 or pair) and prefix[0]:
                op, op_text = prefix
            if (position == len(group) - 1 or pair) and suffix[0]:
                op, op_text = suffix
            if op_text.lower() == "over" and unit and unit_parts(unit)[0] in _DURATION:
                op = ""  # "IV over 10 minutes" is how long, not more than (15分钟以上输完 says the same)
            out.append(Quantity(atom.value, unit, unit_text, op, op_text, atom.strong, atom.text))
        previous_end = last.unit_end
    return tuple(out)


# ---------------------------------------------------------------- reading

def read(text: str, *, markup: bool = False, words: bool = True) -> Reading:
    """Everything comparable in one message.

    ``words=False`` reads digits only (for a language this module does not know).

    >>> r = read("Give 1 g IV over 10 minutes; repeat once after 30 minutes.")
    >>> [(format_value(q.value), q.unit) for q in r.quantities], [t.code for t in r.routes]
    ([('1', 'g'), ('10', 'min'), ('1', '#'), ('30', 'min')], ['IV'])
    """
    work = normalise(text)
    for pattern in (_URL, _LINK_TARGET, _PLACEHOLDER, _TAG, _LIST_MARKER) + ((_CODE,) if markup else ()):
        work = _sub(pattern, work, lambda m: None)
    tokens: list[Quantity] = []
    for kind, pattern in _TOKENS:
        work = _sub(pattern, work, partial(_token, kind, tokens))
    cues = tuple(Tag(code, m.group(), strong) for code, strong, pattern in _CUE_PATTERNS
                 for m in pattern.finditer(work)) if words else ()
    routes = _routes(work) if words else ()
    frequencies: list[Tag] = []

    def frequency(kind: str, m: re.Match[str]) -> bool:
        code = _frequency_code(kind, m)
        if code is None:
            return False
        weak = code.startswith("~")
        frequencies.append(Tag(code.lstrip("~"), m.group(), strong=not weak))
        return not weak  # implied frequencies ("daily", 每日) stay readable as "per day"

    if words:
        for kind, pattern in _FREQUENCY_PATTERNS:
            work = _sub(pattern, work, partial(frequency, kind))
    spans = _names(work)
    names = tuple(name_key(work[s:e]) for s, e in spans)
    for s, e in spans:
        work = _mask(work, s, e)
    atoms, split = _scan(work, words)
    quantities = tuple(tokens) + _finish(atoms, work)
    alternative = tuple(tokens) + _finish(split, work) if split is not None else None
    return Reading(quantities, names, tuple(frequencies), routes, cues, alternative)
