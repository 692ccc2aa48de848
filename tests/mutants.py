"""Seeded dose, number, unit, comparison, route, link and markup errors in the real library's
translations: the mistakes a translator or a machine translation makes.

Each mutator takes a translation and yields ``(changed, note)`` pairs, one change each. Sites are
found with plain patterns of their own, not with the checks' tables, so a kill rate measured here
is not the checks agreeing with themselves. A site whose change would not change the meaning (a
date's 日, 左右 "about", a vein named in 中心静脉导管, the digits of a link or a name) is skipped, so
every mutant counted is a real error. Used by tests/test_mutants.py and, for a table of kill
rates per class with the survivors, by ``python tests/mutants.py [-v]``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

try:
    from .meaning_mutations import MUTATIONS as MEANING
    from .meaning_mutations import Entry, errors, library
except ImportError:  # run as a script: python tests/mutants.py
    from meaning_mutations import MUTATIONS as MEANING  # type: ignore[no-redef]
    from meaning_mutations import Entry, errors, library  # type: ignore[no-redef]

Mutator = Callable[[str], Iterator[tuple[str, str]]]

# what is copied, not read: links, placeholders, code, names with digits (NEWS2, 5-HT3), list markers
_COPIED = re.compile(r"\[[^\]\n]*\]\([^)\n]*\)|(?i:https?://|www\.)[^\s，。；、）（()]+|\{[^{}\n]*\}|`[^`\n]+`"
                     r"|[A-Za-z][A-Za-z0-9]*[0-9][A-Za-z0-9-]*|[0-9]+-?[A-Za-z]+[0-9]*|(?m:^[ \t]*[0-9]+[.)、][ \t])")
# a date's 月 and 日 are not units
_DATE = re.compile(r"[0-9]+年[0-9]+月(?:[0-9]+日)?|[0-9]+月[0-9]+日|[0-9]{4}年")


def _protected(text: str) -> list[tuple[int, int]]:
    return [m.span() for pattern in (_COPIED, _DATE) for m in pattern.finditer(text)]


def _free(m: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    return not any(a < m.end() and m.start() < b for a, b in spans)


def _sites(pattern: str, change: Callable[[re.Match[str]], str | None], *, copied: bool = False) -> Mutator:
    """Every match of ``pattern`` outside copied text, changed by ``change`` (None: leave it)."""
    compiled = re.compile(pattern)

    def mutate(text: str) -> Iterator[tuple[str, str]]:
        spans = [] if copied else _protected(text)
        for m in compiled.finditer(text):
            new = change(m) if _free(m, spans) else None
            if new is not None and new != m.group():
                yield text[:m.start()] + new + text[m.end():], f"{m.group()} → {new}"
    return mutate


def _swap(pairs: dict[str, str], *, before: str = "", after: str = "") -> Mutator:
    words = "|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True))
    return _sites(f"{before}(?P<w>{words}){after}",
                  lambda m: m.group()[:m.start("w") - m.start()] + pairs[m.group("w")])


# ---------------------------------------------------------------- numbers

_NUM = r"(?<![0-9.,:：])[0-9]+(?:\.[0-9]+)?(?![0-9]|\.[0-9]|[,:：][0-9])"
_INT = r"(?<![0-9.,:：])[0-9]+(?![0-9]|\.[0-9]|[,:：][0-9])"


def _bump(number: str) -> str:
    last = int(number[-1])
    return number[:-1] + str(last + 1 if last < 9 else last - 1)


def _drop_point(m: re.Match[str]) -> str | None:
    if "." not in m.group():
        return None
    return m.group().replace(".", "").lstrip("0") or "0"


def _add_point(m: re.Match[str]) -> str | None:
    n = m.group()
    if not int(n):
        return None  # 0.0 is 0
    return "0." + n if len(n) == 1 else n[:-1] + "." + n[-1]


_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    if n < 10:
        return _CN_DIGITS[n]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _chinese_other(m: re.Match[str]) -> str | None:
    """15 written 五十 (digits read the wrong way round), 7 written 八."""
    n = int(m.group())
    if not 1 <= n <= 98:
        return None
    tens, ones = divmod(n, 10)
    other = ones * 10 + tens if tens and ones and tens != ones else n + 1
    return _chinese(other)


_CN_VALUE = {"一": "二", "二": "三", "两": "三", "三": "四", "四": "五", "五": "六", "六": "七", "七": "八", "八": "九",
             "九": "十", "十": "二十", "十五": "五十", "五十": "十五", "二十四": "四十二", "半": "一"}
# a Chinese number before a unit or classifier, not in a word (一次性, 一般, 第一时间)
_CN_UNIT = r"(?=个?(?:小时|分钟|秒|天|日|周|个月|年|岁|次(?!性)|片|粒|剂|倍|项|名|人|毫克|克|毫升|升|单位))"
_CN_RUN = r"(?<![一二两三四五六七八九十百千第])(?:二十四|十五|五十|[一二两三四五六七八九十半])" + _CN_UNIT

_RANGE = r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)([ \t]*(?:-|–|—|~|～|至|到)[ \t]*)([0-9]+(?:\.[0-9]+)?)(?![0-9])"


def _range_upper(m: re.Match[str]) -> str:
    return m.group(1) + m.group(2) + _bump(m.group(3))


def _range_lower(m: re.Match[str]) -> str:
    return _bump(m.group(1)) + m.group(2) + m.group(3)


# ---------------------------------------------------------------- units

_AFTER_NUMBER = r"(?<=[0-9一二两三四五六七八九十半])[ \t]?"
_DOSE_UNITS = {"毫克": "微克", "微克": "毫克", "千克": "克", "克": "毫克", "毫升": "升", "升": "毫升", "mg": "μg",
               "μg": "mg", "mcg": "mg", "g": "mg", "kg": "g", "mL": "L", "ml": "L", "L": "mL", "IU": "mg",
               "国际单位": "毫克", "单位": "毫克", "mmol": "mg", "mmHg": "kPa"}
_TIME_UNITS = {"小时": "分钟", "分钟": "小时", "秒": "分钟", "天": "周", "日": "周", "周": "月", "个月": "周", "月": "周",
               "年": "月", "h": "min", "min": "h"}
_PER_KG = r"[ \t]*/[ \t]*(?:kg|千克|公斤)(?:体重)?|(?<=[0-9])[ \t]*(?:每|/)(?:千克|公斤)体重"

# ---------------------------------------------------------------- comparisons, frequencies, routes, sides

_COMPARISONS = {"最多": "至少", "至多": "至少", "至少": "最多", "不超过": "不少于", "不少于": "不超过", "不低于": "不高于",
                "不高于": "不低于", "高于": "低于", "低于": "高于", "超过": "不足", "大于": "小于", "小于": "大于",
                "少于": "多于", "多于": "少于", "最大": "最小", "最小": "最大", "最长": "最短", "≥": "≤", "≤": "≥",
                ">": "<", "<": ">", "＞": "＜", "＜": "＞"}
# 以上/以下 only after a number (以下措施 is "the following measures")
_SUFFIX_CMP = {"及以上": "及以下", "及以下": "及以上", "或以上": "或以下", "以上": "以下", "以下": "以上", "以内": "以上"}


def _after_number(pairs: dict[str, str]) -> Mutator:
    """以上/以下 within a few characters of a number (5岁以下, ≥7分及以上), not 以下措施 "the following"."""
    swap = _swap(pairs)

    def mutate(text: str) -> Iterator[tuple[str, str]]:
        for changed, note in swap(text):
            at = next(i for i, (a, b) in enumerate(zip(text, changed, strict=False)) if a != b)
            if re.search(r"[0-9一二两三四五六七八九十半][^，。；：,;:\s]{0,4}$", text[max(0, at - 5):at]):
                yield changed, note
    return mutate


_FREQUENCIES = {"每日两次": "每日三次", "每日三次": "每日两次", "每日一次": "每日两次", "每天两次": "每天三次",
                "每天一次": "每天两次", "每日1次": "每日2次", "每日2次": "每日3次", "每日3次": "每日2次",
                "bid": "tid", "tid": "bid", "BID": "TID", "TID": "BID", "qd": "bid", "q6h": "q8h", "q8h": "q6h",
                "q4h": "q6h", "q12h": "q8h", "每小时": "每2小时", "每晚": "每周"}
_EVERY_HOURS = r"(?<=每)[0-9]+(?=[ \t]?个?小时)"
_ROUTE_PHRASES = {"静脉": "肌内", "肌内": "静脉", "皮下": "静脉", "肌肉": "静脉"}
_ROUTE_WORDS = {"口服": "静脉注射", "静注": "肌注", "肌注": "静注", "舌下含服": "口服", "静脉推注": "肌内注射"}
_ROUTE = (r"(?:静脉|肌内|肌肉|皮下)(?=注射|滴注|给予|输注|推注|给药|用药|使用)")
_LOOSE_ROUTE = r"(?<=[经予])(?:静脉|肌内|皮下)"


def _side(m: re.Match[str]) -> str:
    return {"左": "右", "右": "左"}[m.group()]


# ---------------------------------------------------------------- links and markup

def _drop_list_item(text: str) -> Iterator[tuple[str, str]]:
    lines = text.split("\n")
    items = [i for i, line in enumerate(lines) if re.match(r"[ \t]*(?:[-*+]|[0-9]+[.)])[ \t]+", line)]
    if len(items) >= 2:
        i = items[-1]
        yield "\n".join(lines[:i] + lines[i + 1:]), f"list item dropped: {lines[i][:30]}"


def _change_url(m: re.Match[str]) -> str:
    url = m.group()
    return url[:-1] + ("x" if url[-1] != "x" else "y")


def _meaning(mutate: Callable[[str, str], Iterator[str]]) -> Mutator:
    """A mutator of ``meaning_mutations`` (it takes the source too, and yields the text alone)."""
    return lambda text: ((changed, "") for changed in mutate("", text))


MUTANTS: dict[str, list[Mutator]] = {
    "number changed": [_sites(_NUM, lambda m: _bump(m.group()))],
    "order of magnitude": [_sites(_INT, lambda m: m.group() + "0" if int(m.group()) else None)],
    "decimal point dropped": [_sites(_NUM, _drop_point)],
    "decimal point added": [_sites(_INT, _add_point)],
    "ratio changed": [_sites(r"(?<![0-9])1[:：][0-9]+", lambda m: m.group() + "0")],
    "chinese numeral other value": [_sites(_INT, _chinese_other), _sites(_CN_RUN, lambda m: _CN_VALUE[m.group()])],
    "dose unit swapped": [_swap(_DOSE_UNITS, before=_AFTER_NUMBER, after=r"(?![A-Za-z])")],
    "time unit swapped": [_swap(_TIME_UNITS, before=_AFTER_NUMBER, after=r"(?![A-Za-z])")],
    "per kg dropped": [_sites(_PER_KG, lambda m: "")],
    "per day to per dose": [_sites(r"每日|每天|/日|/天|/d(?![A-Za-z])", lambda m: "/次" if "/" in m.group() else "每次")],
    "frequency changed": [_swap(_FREQUENCIES, after=r"(?![A-Za-z0-9])"),
                          _sites(_EVERY_HOURS, lambda m: {"4": "6", "6": "8", "8": "6", "12": "8"}.get(m.group(), _bump(m.group())))],
    "range changed": [_sites(_RANGE, _range_upper), _sites(_RANGE, _range_lower),
                      _sites(_RANGE, lambda m: m.group(3))],
    "comparison reversed": [_swap(_COMPARISONS), _after_number(_SUFFIX_CMP)],
    "negation removed": [_meaning(m) for m in MEANING["negation removed"]],
    "negation added": [_meaning(m) for m in MEANING["negation added"]],
    "side swapped": [_sites(r"(?<![左右])[左右](?![左右])", _side)],
    "route swapped": [_swap(_ROUTE_WORDS), _sites(_ROUTE, lambda m: _ROUTE_PHRASES[m.group()]),
                      _sites(_LOOSE_ROUTE, lambda m: _ROUTE_PHRASES[m.group()])],
    "percent changed": [_sites(r"(?<=[0-9])[ \t]?%", lambda m: "‰"), _sites(r"(?<=[0-9])[ \t]?%", lambda m: "")],
    "temperature changed": [_sites(r"[0-9]+(?=(?:\.[0-9])?[ \t]?(?:°C|℃|度))", lambda m: str(int(m.group()) + 1))],
    "time limit changed": [_sites(r"[0-9]+(?=[ \t]?(?:分钟|小时|秒|min|h)(?![A-Za-z]))",
                                  lambda m: str(int(m.group()) * 2))],
    "link changed": [_sites(r"(?i)(?:https?://|www\.)[^\s，。；、）（()\]]+[A-Za-z0-9/]", _change_url, copied=True),
                     _sites(r"\[([^\]\n]*)\]\([^)\n]*\)", lambda m: m.group(1), copied=True)],
    "markup changed": [_sites(r"\*\*([^*\n]+)\*\*", lambda m: m.group(1), copied=True), _drop_list_item],
}


@dataclass(frozen=True)
class Mutant:
    kind: str
    entry: Entry
    text: str
    note: str


def mutants(entries: list[Entry]) -> Iterator[Mutant]:
    """Every mutant of every entry, in a fixed order (class, entry, site)."""
    for kind, mutators in MUTANTS.items():
        for entry in entries:
            seen = {entry.translation}
            for mutate in mutators:
                for text, note in mutate(entry.translation):
                    if text not in seen:
                        seen.add(text)
                        yield Mutant(kind, entry, text, note)


def failing_originals() -> list[tuple[Entry, list[str]]]:
    """Real translations that do not pass as they stand (their mutants prove nothing)."""
    entries, glossary = library()
    return [(e, [f.message for f in found]) for e in entries if (found := errors(e, e.translation, glossary))]


def kill_rates() -> dict[str, tuple[int, int, list[Mutant]]]:
    """Per class: (killed, tried, the survivors)."""
    entries, glossary = library()
    rates: dict[str, tuple[int, int, list[Mutant]]] = {kind: (0, 0, []) for kind in MUTANTS}
    for mutant in mutants(entries):
        killed, tried, survivors = rates[mutant.kind]
        if errors(mutant.entry, mutant.text, glossary):
            killed += 1
        else:
            survivors.append(mutant)
        rates[mutant.kind] = (killed, tried + 1, survivors)
    return rates


if __name__ == "__main__":  # pragma: no cover - a report for people, not a test
    show = "-v" in sys.argv
    for entry, messages in failing_originals():
        print(f"original fails: {entry.catalog}:{entry.line}: {messages}")
    total = [0, 0]
    for kind, (killed, tried, survivors) in kill_rates().items():
        total[0] += killed
        total[1] += tried
        print(f"{kind:28} {killed:5}/{tried:<5} killed")
        for m in survivors[:40] if show else []:
            print(f"    {m.entry.catalog}:{m.entry.line}  [{m.note}]\n      EN: {m.entry.source[:200]!r}\n"
                  f"      ZH: {m.text[:200]!r}")
    print(f"{'all':28} {total[0]:5}/{total[1]:<5} killed")
