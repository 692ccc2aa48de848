"""The clinical vocabulary around numbers: units, comparisons, frequencies, timing cues and routes.

Tables and their matching, in English and Chinese: canonical units with their spellings
(``match_unit`` reads "mg/kg/day" or 毫克/千克 after a number), dosing frequencies (q8h, twice
daily, 每日2次) and their codes, "stat"/"prn" cues, and the routes of administration (``ROUTES``:
IV, 静脉注射, PO, 口服 ...) found by ``find_routes``; the comparison words are ``comparisons``'. It
reads no numbers itself (``numerals`` does) and ``quantities`` puts the two together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from .numerals import CN_CHARS, EN_NUMBER, format_value, number_value

DOSE_UNITS = frozenset({"mg", "g", "μg", "ng", "mL", "L", "IU", "mmol", "μmol", "mEq", "kcal"})


@dataclass(frozen=True)
class Tag:
    """A frequency, route or timing cue found in the text (``strong=False``: implied, never required)."""

    code: str
    text: str
    strong: bool = True


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
    ("IU", _alts("iu", r"i\.u\.", "international units?", "units?", "u", "国际单位", "个单位", "单位")),
    ("mmol", _alts("mmol", "millimol(?:es?)?", "毫摩尔")),
    ("μmol", _alts("μmol", "umol", "µmol", "micromol(?:es?)?", "微摩尔")),
    ("mEq", _alts("meq", "毫当量")),
    ("mOsm", _alts("mosm", "milliosmoles?", "毫渗量", "毫渗透压摩尔", "毫渗")),  # osmolality is mOsm/kg
    ("mmHg", _alts(r"mm\s?hg", "millimet(?:re|er)s? of mercury", "毫米汞柱", "毫米水银柱")),
    ("cmH2O", _alts(r"cm\s?h2o", "厘米水柱")),
    ("kPa", _alts("kpa", "kilopascals?", "千帕")),
    ("cm", _alts("cm", "centimet(?:re|er)s?", "厘米", "公分")),
    ("mm", _alts("mm", "millimet(?:re|er)s?", "毫米")),
    ("m", _alts("m", "met(?:re|er)s?", "米")),
    ("kcal", _alts("kcal", "千卡", "大卡")),
    ("h", _alts("h", "hrs?", "hours?", "小时", "个小时", "钟头", "个钟头")),
    ("min", _alts("min", "mins", "minutes?", "分钟")),  # bare 分 is also a score (评分7分)
    ("s", _alts("s", "secs?", "seconds?", "秒钟", "秒")),
    ("d", _alts("d", "days?", "天", "日")),
    ("wk", _alts("wks?", "weeks?", "周(?!期)", "星期", "个星期", "週", "个礼拜", "礼拜")),
    ("mo", _alts("mos?", "months?", "个月", "月")),
    ("y", _alts("y", "yrs?", "years?(?:[- ]old)?", "年", "岁", "周岁")),
    ("°C", _alts(r"°\s?c", r"º\s?c", "℃", "degrees? (?:celsius|centigrade|c)", "degrees?", "摄氏度", "度", "°")),
    ("%", _alts("%", "percent", "per cent")),
    ("‰", _alts("‰", "per ?mille", "per ?mil")),
    ("‱", _alts("‱",)),
    ("°F", _alts(r"°\s?f", r"º\s?f", "℉", "degrees? fahrenheit", "华氏度")),
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
    ("wk", _alts("wk", "weeks?", "周(?!期)")),
    ("L", _alts("l", "lit(?:re|er)s?", "升")),
    ("dL", _alts("dl", "分升")),
    ("mL", _alts("ml", "毫升")),
    ("dose", _alts("doses?", "次", "剂")),  # 4 g/次 is per dose, not per day
)
WEAK_CLASSIFIERS = frozenset("级期型类度")
_DEN_ORDER = {code: i for i, (code, _) in enumerate(_DENOMINATORS)}


def _compile(table: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    # a Latin unit must not run on into a word (5 doses is not 5 d); 5分钟Apgar is fine
    return tuple((code, re.compile(rf"(?:{pattern})(?:(?<![A-Za-z])|(?![A-Za-z]))", re.I)) for code, pattern in table)


UNITS = _compile(_UNIT_TABLE)
_DENS = _compile(_DENOMINATORS)
_UNIT_GAP = re.compile(r"[ \t]*(?:-(?=[A-Za-z]))?")
_POWER_UNIT = re.compile(r"[ \t]*[×xX*][ \t]*10\^?(-?[0-9]+)")
_DEN_SEP = re.compile(r"[ \t]*(?:/|per[ \t]+)[ \t]*", re.I)
_DEN_PAIR = re.compile(r"[ \t]*/[ \t]*\([ \t]*(kg|公斤|千克)[ \t]*[·•.*×]?[ \t]*(d|h|min|日|天|小时|分钟)[ \t]*\)", re.I)
_BODY_WEIGHT = re.compile(r"[ \t]*(?:(?:of[ \t]+)?body[- ]weight|体重)", re.I)


def longest(table: tuple[tuple[str, re.Pattern[str]], ...], text: str, pos: int) -> tuple[str, int] | None:
    best: tuple[str, int] | None = None
    for code, pattern in table:
        m = pattern.match(text, pos)
        if m and m.end() > pos and (best is None or m.end() > best[1]):
            best = (code, m.end())
    return best


def canonical_unit(base: str, dens: list[str]) -> str:
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
    found = longest(UNITS, text, start)
    if power:
        base, end = f"×10^{power.group(1)}", power.end()
    elif found:
        base, end = found
        if "/" in base:  # bpm
            base, dens = "#", ["min"]
    while True:
        pair = _DEN_PAIR.match(text, end)
        if pair:
            time = longest(_DENS, pair.group(2), 0)
            dens += ["kg", time[0] if time else "d"]
            end = pair.end()
            continue
        sep = _DEN_SEP.match(text, end)
        den = longest(_DENS, text, sep.end()) if sep else None
        if not sep or not den or (base is None and not dens and sep.group().strip().lower().startswith("per")):
            break
        dens.append(den[0])
        end = den[1]
        if den[0] == "kg" and (weight := _BODY_WEIGHT.match(text, end)):
            end = weight.end()
    if base is None and not dens:
        return None
    return canonical_unit(base or "#", dens), text[start:end], end


_UNIT_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(day|week|month)s?[ \t]+$")


def unit_before(text: str, pos: int) -> tuple[str, str] | None:
    """The unit of an English "day 1" or "week 2" (第1天, 第2周) ending at ``pos``: canonical, as written.

    >>> unit_before("on day 3", 7)
    ('d', 'day')
    """
    m = _UNIT_BEFORE.search(text, max(0, pos - 8), pos)
    return ({"day": "d", "week": "wk", "month": "mo"}[m.group(1).lower()], m.group(1)) if m else None


def unit_parts(unit: str) -> tuple[str, frozenset[str]]:
    """``mg/kg/d`` → ``("mg", {"kg", "d"})``."""
    base, *dens = unit.split("/")
    return base, frozenset(dens)


PER_PREFIX: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("kg", re.compile(r"每[ \t]*(?:公斤|千克|kg)|按体重", re.I)),
    ("d", re.compile(r"每日|每天|(?<![A-Za-z])daily(?![A-Za-z])", re.I)),
    ("h", re.compile(r"每小时|(?<![A-Za-z])hourly(?![A-Za-z])", re.I)),
    ("min", re.compile(r"每分钟")),
    ("dose", re.compile(r"每次|每剂|(?<![A-Za-z])(?:each|per) dose(?![A-Za-z])", re.I)),
)
PER_SUFFIX = re.compile(r"(?i)[ \t]*(?:daily|a day|each day|every day)(?![A-Za-z])")
DURATION = frozenset({"s", "min", "h"})
TIME_UNITS = frozenset({"s", "min", "h", "d", "wk", "mo", "y"})


# ---------------------------------------------------------------- frequencies, cues, routes

_Q_UNITS = {"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h", "小时": "h", "个小时": "h",
            "min": "min", "mins": "min", "minute": "min", "minutes": "min", "分钟": "min",
            "d": "d", "day": "d", "days": "d", "天": "d", "日": "d",
            "wk": "wk", "week": "wk", "weeks": "wk", "周": "wk", "星期": "wk",
            "month": "mo", "months": "mo", "个月": "mo"}
_PER_UNITS = {"day": "d", "daily": "d", "d": "d", "week": "wk", "weekly": "wk", "wk": "wk", "hour": "h",
              "hourly": "h", "h": "h", "month": "mo", "monthly": "mo", "日": "d", "天": "d", "周": "wk",
              "星期": "wk", "月": "mo"}
_N = rf"(?:[0-9]+(?:\.[0-9]+)?|{EN_NUMBER}|[{CN_CHARS}]+)"
_RANGE_SEP = r"[ \t]*(?:-|–|—|−|~|to|至|到|or)[ \t]*"
# What may stand between a period and its count in Chinese (每8小时给药1次, 一天检查两次): a closed list,
# so that a count further on in the sentence is never read as the frequency.
# An act may take a short object (每日测血糖4次, 每天监测血压两次).
# A route may lead the act (每日静脉注射2次, 每天皮下注射1次), or what it is done with (每日用生理盐水漱口4次).
ZH_ACT = (r"(?:(?:用|以)[\u4e00-\u9fff]{1,6}?)?(?:(?:静脉|皮下|肌内|肌肉|舌下|经直肠|经鼻|雾化)?(?:给予|给药|用药|服用|服药|口服|注射|推注|"
           r"滴注|输注|静滴|静推|肌注|吸入|含服|涂抹|外用|重复|使用|监测|测量|检查|评估|记录|复查|复测|称重|更换|冲管|"
           r"漱口|含漱|冲洗|擦洗|清洁|消毒|翻身|吸痰|测定|测|查|称)(?:[\u4e00-\u9fff]{1,4}?)?)")
FREQUENCY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in (
    # "every half hour" is every 30 minutes, as 每半小时 and 每30分钟 are
    ("q30min", r"(?<![A-Za-z])(?:every half[ -](?:an[ -])?hour|half-hourly)(?![A-Za-z])|每半(?:个)?小时"),
    ("q2d", r"(?<![A-Za-z])(?:every other (?:day|night|evening|morning)|on alternate (?:days|nights|evenings|mornings)|alternate[ -]day|qod|q\.o\.d\.?)(?![A-Za-z])|每隔(?:一|1)[天日晚]|隔[日天晚](?!间隔)"),
    ("every", rf"(?<![A-Za-z])(?:once[ \t]+)?every[ \t]+(?:(?P<n>{_N})(?:{_RANGE_SEP}(?P<m>{_N}))?[ \t]+)?"
              r"(?P<u>hours?|hrs?|h|minutes?|mins?|days?|weeks?|months?)(?![A-Za-z])"),
    ("every", r"(?<![A-Za-z])q\.?[ \t]?(?P<n>[0-9]+(?:\.[0-9]+)?)(?:[ \t]*[-–~][ \t]*(?P<m>[0-9]+))?[ \t]?"
              r"(?P<u>h|hrs?|hours?|min|mins|d)(?![A-Za-z])"),
    ("every", rf"(?<![A-Za-z0-9])(?P<n>[0-9]+|{EN_NUMBER})(?:{_RANGE_SEP}(?P<m>[0-9]+))?[- ]?(?P<u>hour)ly(?![A-Za-z])"),
    ("every", rf"每(?:隔)?[ \t]*(?P<n>{_N})(?:{_RANGE_SEP}(?P<m>{_N}))?[ \t]*"
              rf"(?P<u>个小时|小时|h|hr|分钟|min|天|日|周|星期|个月)(?:[ \t]*{ZH_ACT}?[ \t]*(?:1|一)[ \t]*次)?"),
    ("times", rf"(?<![A-Za-z])(?P<k>once|twice|thrice|(?:{_N})[ \t]*(?:times|x|×))[ \t]*(?:a|per|each|every|/|in a)?"
              r"[ \t]*(?P<u>daily|day|d|weekly|week|wk|hourly|hour|h|monthly|month)(?![A-Za-z])"),
    ("times", rf"(?:每日|每天|一日|一天|(?<![\u3400-\u9fff])日)[ \t]*{ZH_ACT}?[ \t]*(?P<k>{_N})[ \t]*次|(?P<k2>{_N})[ \t]*次[ \t]*/[ \t]*(?P<u>日|天|d|day|周)"),
    ("times", rf"每(?:个)?(?P<u>周|星期|月)[ \t]*{ZH_ACT}?[ \t]*(?P<k>{_N})[ \t]*次"),
    ("2/d", r"(?<![A-Za-z])(?:bid|b\.i\.d\.?|b\.d\.?|bd)(?![A-Za-z])"),
    ("3/d", r"(?<![A-Za-z])(?:tid|t\.i\.d\.?|tds|t\.d\.s\.?)(?![A-Za-z])"),
    ("4/d", r"(?<![A-Za-z])(?:qid|q\.i\.d\.?|qds|q\.d\.s\.?)(?![A-Za-z])"),
    ("1/d", r"(?<![A-Za-z])(?:qd|q\.d\.|(?-i:od))(?![A-Za-z])"),
    ("2/wk", r"(?<![A-Za-z])(?:biw|b\.i\.w\.?)(?![A-Za-z])"), ("3/wk", r"(?<![A-Za-z])(?:tiw|t\.i\.w\.?)(?![A-Za-z])"),
    ("q1h", r"(?<![A-Za-z])qh(?![A-Za-z])"),
    ("qn", r"(?<![A-Za-z])(?:qn|qhs|nocte)(?![A-Za-z])"),
    ("~qn", r"(?<![A-Za-z])(?:at bedtime|at night|every night|nightly)(?![A-Za-z])|每晚|睡前"),
    ("~1/d", r"(?<![A-Za-z])(?:daily|every day|each day|per day)(?![A-Za-z])|每日|每天"),
    ("~1/wk", r"(?<![A-Za-z])(?:weekly|every week)(?![A-Za-z])|每周(?!期)|每星期"),  # 每周期: each cycle
    ("~1/mo", r"(?<![A-Za-z])(?:monthly|every month)(?![A-Za-z])|每(?:个)?月(?![0-9一二两三四五六七八九十])"),
    ("~q1h", r"(?<![A-Za-z])hourly(?![A-Za-z])|每小时"),
))
CUE_PATTERNS: tuple[tuple[str, bool, re.Pattern[str]], ...] = (
    ("stat", True, re.compile(r"(?<![A-Za-z])stat(?![A-Za-z])", re.I)),
    ("stat", False, re.compile(r"(?<![A-Za-z])(?:immediately|at once|without delay)(?![A-Za-z])"
                               r"|立即|立刻|即刻|马上|第一时间|迅速|紧急|当即|随即|即时|立时|迅即|立马|当场", re.I)),
    ("prn", True, re.compile(r"(?<![A-Za-z])(?:prn|p\.r\.n\.)(?![A-Za-z])", re.I)),
    ("prn", False, re.compile(r"(?<![A-Za-z])(?:as needed|as required|when required)(?![A-Za-z])"
                              r"|必要时|按需|需要时|如需|视需要|视情况|酌情", re.I)),
)


def _abbr(*forms: str) -> str:
    """Case-sensitive abbreviations: IV, but not 'iv' in a word."""
    return r"(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![A-Za-z])"


# A leaflet says "your tongue", a protocol "the patient's tongue": the same route
_WHOSE = r"(?:the|your|his|her|their|(?:the )?(?:patient|woman|child|baby)['’]s)"


def _words(*forms: str) -> str:
    return r"(?i:(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![A-Za-z]))"


# (code, display, English forms (also accepted in a translation), Chinese forms that name this
# route on their own, Chinese characters that accept it but are too common to count as an extra:
# 静脉血栓 is a venous clot, 局部麻醉 a local anaesthetic, 经鼻胃管 a nasogastric tube).
ROUTES: tuple[tuple[str, str, str, str, str], ...] = (
    ("IV", "intravenous", _abbr(r"IV", r"I\.V\.", r"i\.v\.") + "|" + _words("intravenous(?:ly)?"),
     "静脉(?:内)?(?:注射|滴注|推注|输注|给药|输液|泵入|用药|补液|补钾|补钙|补镁|补充)|静注|静滴|静推|经静脉", "静脉|输液|点滴|吊针"),
    ("IM", "intramuscular", _abbr("IM", r"I\.M\.", r"i\.m\.") + "|" + _words(
        "intramuscular(?:ly)?", "into (?:the |a )?(?:[a-z-]+ ){0,2}muscle", "deltoid", "vastus lateralis"),
     "肌内|肌肉注射|肌注|肌肉内", "三角肌|股外侧肌|臀[大中]?肌"),  # "into the deltoid" as 注射于三角肌 names the muscle
    ("PO", "by mouth", _abbr("PO", r"P\.O\.", r"p\.o\.") + "|" + _words(
        "oral(?:ly)?(?! (?:care|hygiene|cavity|mucosa|health|exam|examination|temperature|thrush|candidiasis"
        "|lesions?|ulcers?|airway|suction|intake|feeding|cancer|surgery|secretions|rehydration (?:solution|salt)))", "per os",
        "(?<!nil )(?<!nothing )by mouth", "chew(?:ed|s|ing)?", "pills?",
        "swallow(?:ed)?(?= (?:the|it|them|whole|with|tablets?|capsules?)\\b)", "(?:(?<=do not )|(?<=never ))swallow", "chew(?:ed)? and swallow(?:ed)?"),
     "口服(?!补液盐)|吞服|嚼服", "经口|吞(?!咽)"),  # 能吞咽 (can swallow), 口服补液盐 (ORS) name no route
    # "inject into the skin of the abdomen" is how a leaflet says it: 腹部皮下注射
    ("SC", "subcutaneous", _abbr("SC", "SQ", r"S\.C\.", r"s\.c\.", "subcut") + "|" + _words(
        "sub-?cutaneous(?:ly)?", f"under {_WHOSE} skin", f"into the (?:fatty )?(?:tissue|layer|fat) under {_WHOSE} skin",
        "into the skin of (?:the |your |her |his )?(?:abdomen|belly|stomach|tummy|thighs?|upper arms?|arms?|buttocks?)"),
     "皮下注射|皮下给药", "皮下"),
    ("SL", "sublingual", _abbr("SL") + "|" + _words("sublingual(?:ly)?", f"under {_WHOSE} tongue"), "舌下", "含服"),
    ("PR", "rectal", _abbr("PR(?! interval)", r"P\.R\.", r"p\.r\.") + "|" + _words(
        "rectal(?:ly)?(?! temperature)", "per rectum"), "经直肠|直肠给药|纳肛|塞肛|肛塞|肛门给药|直肠内", "直肠"),
    # Only where a medicine goes into the vagina: vaginal bleeding and a vaginal birth name no route
    ("PV", "vaginal", _words("vaginally", "per vaginam", "vaginal (?:tablets?|pessar(?:y|ies)|gel|inserts?|route|administration)",
                             "(?<!ring )(?<!shelf )(?<!cube )pessar(?:y|ies)"),  # a medicine pessary is vaginal (a ring pessary is 子宫托)
     "阴道给药|经阴道给药|阴道用药|阴道栓|阴道片|阴道凝胶", "阴道内|置于阴道|阴道放置|(?<![血肛肠脑])栓剂?(?!塞)"),  # 黄体酮栓: a pessary  # a fist 置于阴道前穹窿 is no dose
    ("NG", "nasogastric", _words("nasogastric(?: tube)?", "NG tube", "(?<!oro)gastric tube", "via (?:the |a )?NG", "naso-gastric(?: tube)?"),
     "鼻饲|鼻胃管|经胃管|(?<!口)胃管", ""),
    # 揿 ("a press" of an inhaler) is how Chinese counts puffs: it accepts "puff" without naming a route.
    ("inhaled", "inhaled", _words("inhal(?:ed|ation|er|ers)", "by inhalation", "puffs?",
                                       "(?:through|via|with|using) an? (?:[a-z]+ )?spacer"), "吸入",
     "揿|喷|吸(?![氧烟引收气痰附管])"),
    ("nebulised", "nebulised", _words("nebuli[sz](?:ed|er|ers|ation)"), "雾化", ""),
    ("topical", "topical", _words("topical(?:ly)?", "applied to the skin", "external(?:ly)?(?= use)", "externally"), "外用",
     "局部|涂|敷|擦"),
    ("intranasal", "intranasal", _words("intranasal(?:ly)?", "nasal spray"), "鼻内|滴鼻|鼻喷|鼻腔给药|经鼻给药",
     "经鼻|鼻腔"),
    ("IO", "intraosseous", _abbr("IO") + "|" + _words("intraosseous(?:ly)?"), "骨髓腔内|骨内注射|骨髓内", "骨髓腔|骨内"),
    # Routes no dose here uses, read so that a translation naming one (鞘内 for IO, 硬膜外 for IV)
    # is a route the source does not name: intrathecal vincristine kills.
    ("IT", "intrathecal", _words("intrathecal(?:ly)?", "into the spinal fluid"), "鞘内|椎管内给药", ""),
    ("epidural", "epidural", _words("epidural(?:ly)?"), "硬膜外", ""),
    ("ID", "intradermal", _words("intradermal(?:ly)?"), "皮内注射|皮内", ""),
    ("IA", "intra-arterial", _words("intra-?arterial(?:ly)?"), "动脉内注射|动脉内给药|经动脉给药", ""),
)
ROUTE_PATTERNS = tuple((code, re.compile(f"{en}|{zh}"), re.compile(loose) if loose else None)
                        for code, _, en, zh, loose in ROUTES)
ROMAN_CONTEXT = re.compile(r"(?:stage|grade|class|type|phase|level|category|degree|factor|NYHA)[ \t]*$", re.I)


def find_routes(text: str) -> tuple[Tag, ...]:
    found: list[Tag] = []
    for code, strict, loose in ROUTE_PATTERNS:
        for m in strict.finditer(text):
            if code == "IV" and m.group() == "IV" and (
                    ROMAN_CONTEXT.search(text, 0, m.start()) or text[m.end():m.end() + 1] in set("期级度型类")):
                continue  # stage IV, Ⅳ期
            found.append(Tag(code, m.group()))
        if loose and not any(t.code == code for t in found):
            found += [Tag(code, m.group(), strong=False) for m in loose.finditer(text)]
    return tuple(found)


def frequency_code(kind: str, m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if kind == "every":
        unit = _Q_UNITS.get((groups["u"] or "").lower())
        n = number_value(groups["n"]) if groups.get("n") else Fraction(1)
        if unit is None or n is None:
            return None
        if groups.get("m"):
            hi = number_value(groups["m"])
            return None if hi is None else f"q{format_value(n)}-{format_value(hi)}{unit}"
        if n == 1 and unit in ("d", "wk", "mo"):
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
