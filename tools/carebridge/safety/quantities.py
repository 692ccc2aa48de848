"""Read numbers, units, comparisons, frequencies and routes out of English or Chinese clinical text.

This is the reader (``read(text) -> Reading``): it masks what must not be read (links,
placeholders, markup, the names with digits ``digit_names`` finds), reads dates and ratios whole,
and joins the numbers ``numerals`` finds to the units, comparisons, frequencies and routes
``clinical_terms`` knows, linking ranges into ``Quantity`` values. Every pattern runs on both
sides: a Chinese translation may keep "mg", "IV" or "q8h" in Latin script, so one reader serves
both languages and ``equivalence`` compares what it finds.

Rules for the ambiguous cases (tests in ``tests/test_quantities.py`` pin each one):

* A *weak* number may match one on the other side but is never reported alone: a single 一 or 两
  before a classifier (一个 "a", 这两种 "both"; 两 before a dose or 次 counts), 二次 "secondary" (not
  after a period: 每8小时二次), 一半, 双, a numeral before a plain noun (四早), 级/期/型/类, English
  "one" without a unit, "a/an hour", ordinals, "half", and "once" as a conjunction.
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
* Negation ("do not give", 勿) is the meaning checks' (``polarity``), not this reader's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import partial

from .clinical_terms import (
    CUE_PATTERNS,
    DOSE_UNITS,
    DURATION,
    FREQUENCY_PATTERNS,
    PER_PREFIX,
    PER_SUFFIX,
    TIME_UNITS,
    WEAK_CLASSIFIERS,
    ZH_ACT,
    Tag,
    canonical_unit,
    find_routes,
    frequency_code,
    match_unit,
    unit_before,
    unit_parts,
)
from .clock import WHOLE, whole_value
from .comparisons import PREFIX_CMP, SUFFIX_CMP, comparison_said
from .counting import count_atoms, counts
from .digit_names import digit_word_names, name_key
from .numerals import (
    CJK,
    CN_BETWEEN,
    CN_DOSE_COUNT,
    CN_HALF,
    CN_NUMERAL,
    CN_PAIR,
    CN_SINGLE,
    EN_DOSE_FORM,
    HALF_SUFFIX,
    MASK,
    VULGAR,
    VULGAR_ALONE,
    ZH_FRACTION,
    Atom,
    Value,
    blank_atoms,
    cn_int,
    cn_value,
    digit_atoms,
    mask_span,
    normalise,
    number_value,
    spaced,
    unit_half,
    word_atoms,
)


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
    start: int = field(default=-1, compare=False)  # offset in the normalised text, for ``binding``
    counts: bool = field(default=False, compare=False)  # a counting word (single, both, 两个, 一方, 一对一)


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


# ---------------------------------------------------------------- masks, tokens


def _sub(pattern: re.Pattern[str], text: str, found: Callable[[re.Match[str]], bool | None]) -> str:
    """Mask every match that ``found`` accepts (returns anything but False)."""
    def repl(m: re.Match[str]) -> str:
        return m.group() if found(m) is False else MASK * len(m.group())
    return pattern.sub(repl, text)


_URL = re.compile(r"(?i)\b(?:https?|ftp)://[^\s<>\"'\]\[(){}，。；、）（]+|\bwww\.[^\s<>\"'\]\[(){}，。；、）（]+"
                  r"|\bmailto:[^\s<>\"')]+")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_PLACEHOLDER = re.compile(r"\{(?:contact|resource):[a-z0-9-]+\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\{[0-9]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|(?<![0-9%])%[sdi]")
_TAG = re.compile(r"<[/!?]?[A-Za-z][^<>]*>")
_CODE = re.compile(r"`[^`\n]+`")
_LIST_MARKER = re.compile(r"(?m)^[ \t]*(?:[-*+]|[0-9]+[.)、])[ \t]+")
def _token(kind: str, into: list[Quantity], m: re.Match[str]) -> None:
    into.append(Quantity(whole_value(kind, m), text=m.group(), start=m.start()))


# ---------------------------------------------------------------- numbers with their units


def _unit_at(atom: Atom, text: str) -> None:
    unit = match_unit(text, atom.end)
    if unit:
        atom.unit, atom.unit_text, atom.unit_end = unit
        unit_half(atom, text)


def _half_suffix(atom: Atom, text: str) -> None:
    """一个半小时, 2个半月: the 半 adds 0.5 and the unit follows it."""
    m = HALF_SUFFIX.match(text, atom.end)
    if m and isinstance(atom.value, Fraction) and match_unit(text, m.end()):
        atom.value += Fraction(1, 2)
        atom.end = m.end()
        atom.text += m.group()


# 一两天 ("a day or two"), 两三次, 三五天: two numerals side by side are a rough range, each its own number
_CN_ROUGH = re.compile(r"(?P<lo>[一二两三四五六七八九])(?P<hi>[二两三四五六七八九])(?=[个天日周月年次小分片粒支剂名位条项])")
_CN_QUARTER = re.compile(r"(?P<n>[一三])刻钟")  # 一刻钟 is a quarter of an hour
_CN_HALVED = re.compile(r"减半|半量|(?<!一)半剂量|半片|半粒")  # "half the dose": weak, it pairs with the source's half


def _cn_rough(text: str) -> list[Atom]:
    atoms: list[Atom] = []
    for m in _CN_ROUGH.finditer(text):
        lo, hi = cn_int(m.group("lo")), cn_int(m.group("hi"))
        if lo is None or hi is None or not 1 <= hi - lo <= 2:
            continue
        high = Atom(m.start("hi"), m.end("hi"), Fraction(hi), m.group("hi"), kind="cn")
        _unit_at(high, text)
        atoms += [Atom(m.start("lo"), m.end("lo"), Fraction(lo), m.group("lo"), kind="cn", unit=high.unit,
                        unit_text=high.unit_text, unit_end=high.end), high]
    for m in _CN_QUARTER.finditer(text):
        atoms.append(Atom(m.start(), m.end(), Fraction(cn_int(m.group("n")) or 1, 4), m.group(), unit="h",
                           unit_text="刻钟", kind="fixed"))
    return atoms


def _cn_atoms(text: str) -> list[Atom]:
    atoms: list[Atom] = _cn_rough(text)
    atoms += count_atoms(blank_atoms(text, atoms), english=False)
    text = blank_atoms(text, atoms)
    for m in CN_NUMERAL.finditer(text):
        num = m.group("num")
        if num == "零" and text[m.end():m.end() + 1] == "下":
            continue
        value = cn_int(num)
        if value is None:
            continue
        atom = Atom(m.start(), m.end(), cn_value(m, value), m.group(), kind="cn")
        _half_suffix(atom, text)
        unit = match_unit(text, atom.end)
        follow = text[atom.end:atom.end + 1]
        if m.group("ord"):
            if text.startswith("时间", m.end()):
                continue  # 第一时间: "at once"
        elif unit and not text.startswith("性", unit[2]):  # 一次性: disposable
            # A single 一/二/两 before a classifier may be no count: 一个 is often "a", 这两种 "both", 二次
            # "secondary", 二倍体 "diploid". Counting uses 两, so 二 before another classifier (二项, 二片) is two; a
            # measure (二小时, 一天, 两周) is a number whatever the style.
            single = num in "一二两" and atom.value == value
            counted = unit[0] != "#" or (num == "两" and unit[1] in CN_DOSE_COUNT and not CN_BETWEEN.match(text, unit[2])) or (num == "二" and (unit[1] not in ("次", "倍")
                                                          or bool(_AFTER_PERIOD.search(text, 0, m.start()))
                                                          or bool(_COUNT_BEFORE.search(text, 0, m.start()))))
            atom.strong = (not single or counted) and unit[1][-1:] not in WEAK_CLASSIFIERS
            if num == "一" and unit[1] in ("日", "天") and text[max(0, m.start() - 1):m.start()] == "前":
                atom.strong = False  # 术前一日: "the day before", which English says without a number
        elif len(num) >= 2 and any(c in num for c in "十百千万") and not CJK.match(follow) and follow != "、":
            pass  # 二十四，
        elif len(num) >= 3 and not any(c in num for c in "十百千万"):
            pass  # 分机八一二三: digits read one by one are a number, whatever follows
        elif _DESIGNATION.search(text, 0, m.start()):
            pass  # 表二, 附录一: a numeral naming a table or appendix, as 表2 would
        elif num != "一" and follow != "、":
            atom.strong = False  # 四早, 三查七对: a numeral before a noun may still stand for "four"
        else:
            continue
        _unit_at(atom, text)
        atoms.append(atom)
    rest = blank_atoms(text, atoms)
    for m in CN_HALF.finditer(rest):
        if match_unit(rest, m.end()) or m.group("one"):
            atoms.append(Atom(m.start(), m.end(), Fraction(1, 2), m.group(), strong=not m.group("one")))
            _unit_at(atoms[-1], rest)
    atoms += [Atom(m.start(), m.end(), Fraction(1, 2), m.group(), strong=False) for m in _CN_HALVED.finditer(rest)]
    atoms += [Atom(m.start(), m.end(), Fraction(2), m.group(), strong=False, kind="count") for m in CN_PAIR.finditer(rest)]
    atoms += [Atom(m.start(), m.end(), Fraction(1), m.group(), strong=False, unit="#", unit_text=m.group(), kind="fixed")
              for m in CN_SINGLE.finditer(rest)]
    return atoms


def _scan(text: str, words: bool) -> tuple[list[Atom], list[Atom] | None]:
    atoms: list[Atom] = []
    work = text
    for m in ZH_FRACTION.finditer(work):
        if m.group("pct"):
            value = number_value(m.group("num"))
            if value is not None:
                atoms.append(Atom(m.start(), m.end(), value, m.group(), unit="%", unit_text="百分之", kind="fixed"))
        else:
            den, num = number_value(m.group("den")), number_value(m.group("num2"))
            if den and num is not None:
                atoms.append(Atom(m.start(), m.end(), num / den, m.group()))
    atoms += [Atom(m.start(), m.end(), VULGAR[m.group()], m.group()) for m in VULGAR_ALONE.finditer(work)]
    work = blank_atoms(work, atoms)
    digits, alternative = digit_atoms(work)
    atoms += digits
    for atom in atoms:
        if atom.unit is None and atom.kind != "fixed":
            if atom.kind == "digit" and atom.text[-2:] in ("st", "nd", "rd", "th"):
                continue
            _half_suffix(atom, text)
            _unit_at(atom, text)
            if atom.unit is None and (before := unit_before(text, atom.start)):
                atom.unit, atom.unit_text = before  # on day 3 is 第3天
                atom.extra["before"] = "1"
    for atom in alternative:
        _unit_at(atom, text)
    if words:
        work = blank_atoms(text, atoms)
        more = count_atoms(work, english=True)  # one-to-one before "one"
        more += word_atoms(blank_atoms(work, more))
        for atom in more:
            if atom.kind not in ("fixed", "count"):
                _unit_at(atom, text)  # "the first hour" is 1 h, so 最初1分钟 is caught
                if atom.kind == "ordinal" and atom.unit not in TIME_UNITS:
                    atom.unit, atom.unit_text = None, ""
                if atom.kind == "word" and atom.unit and (atom.unit != "#" or EN_DOSE_FORM.fullmatch(atom.unit_text)):
                    atom.strong = True
        atoms += more
        atoms += _cn_atoms(blank_atoms(text, atoms))
    atoms.sort(key=lambda a: a.start)
    if not alternative:
        return atoms, None
    split = sorted([a for a in atoms if not any(s.start <= a.start < s.end for s in spaced(atoms))] + alternative,
                   key=lambda a: a.start)
    return atoms, split


# 每8小时二次 (the period already read, so masked): a count, not "secondary"
_AFTER_PERIOD = re.compile(rf"(?:每|秒|分钟|小时|[天日周]|{MASK})[ \t]*{ZH_ACT}?[ \t]*$")
# 3次按压配合二次通气: a count just before in the clause (or a ratio's 配合, 对, 比), so 二次 counts
# too; and after a determiner (下二次, 同二次, 最近二次 are "the next two", not "secondary")
_COUNT_BEFORE = re.compile(rf"(?:[0-9一二两三四五六七八九十]+[ \t]*次[^，。；;,、\n{MASK}]{{0,8}}"
                           rf"|{MASK}+[^，。；;,、\n{MASK}]{{0,4}}(?:配合|对|比|[:：])"
                           r"|(?:同|下|上|最近|任何|这|那|哪)[ \t]*)$")
# 表二, 图三, 附录二: a numeral naming a table, figure or appendix (as 表2 would)
_DESIGNATION = re.compile(r"(?:表|图|附表|附图|附录|附件)[ \t]*$")
_PER_KG_AFTER = re.compile(r"(?i)[^,，。;；:\n0-9]{0,24}?(?<![A-Za-z])(?:per|a|/)[ \t]*(?:kg|kilogram)(?![A-Za-z])")
_SCORE_POINT = re.compile(r"^[ \t]*分(?!钟)")
_RANGE_BETWEEN = re.compile(r"[ \t]*(?:-|–|—|−|~|to|至|到|or|或者|或|and|、)?[ \t]*", re.I)
_CLAUSE_END = re.compile(r"[,，。;；:：\n!?！？" + MASK + "]")


def _finish(atoms: list[Atom], text: str) -> tuple[Quantity, ...]:
    """Link ranges, share units across them, attach comparisons, build Quantities."""
    groups: list[list[Atom]] = []
    for atom in atoms:
        if groups and atom.extra.get("slash"):
            groups[-1].append(atom)  # 140/90 mmHg: one reading, one unit, one comparison
            continue
        if groups and isinstance(atom.value, Fraction):
            last = groups[-1][-1]
            between = text[last.unit_end:atom.start]
            sep = _RANGE_BETWEEN.fullmatch(between)
            word = sep.group().strip().lower() if sep else ""
            # "days 2 and 3" and 第2、3天 share their unit; "2 mg and 3 tablets" do not
            if sep and (word or atom.signed) and (word not in ("and", "、") or last.unit is None or last.extra.get("before")):
                if atom.signed and not word and isinstance(atom.value, Fraction):
                    atom.value, atom.signed, atom.text = -atom.value, False, atom.text[1:]
                groups[-1].append(atom)
                continue
        groups.append([atom])
    out: list[Quantity] = []
    previous_end = 0
    pending: set[str] = set()  # 按每千克体重给予10%葡萄糖5 mL: "per kg" passes over the strength to the dose
    for index, group in enumerate(groups):
        first, last = group[0], group[-1]
        shared = next((a for a in reversed(group) if a.unit), None)
        next_start = groups[index + 1][0].start if index + 1 < len(groups) else len(text)
        before = text[max(previous_end, first.start - 40):first.start]
        clause = before[max((m.end() for m in _CLAUSE_END.finditer(before)), default=0):]
        after = text[last.unit_end:min(next_start, last.unit_end + 14)]
        prefix = comparison_said(PREFIX_CMP.search(before))
        # 5分及以上: a score's 分 is no unit (分 alone may be minutes), but the comparison follows it
        suffix = comparison_said(SUFFIX_CMP.match(_SCORE_POINT.sub("", after, count=1) if shared is None else after))
        dens = {code for code, pattern in PER_PREFIX if pattern.search(clause)}
        if pending and len(clause) == len(before):  # no clause ends between the strength and this number
            dens |= pending
        pending = set()
        if shared is not None and shared.unit == "%":  # a percentage is a strength, never per kg or per day
            pending, dens = dens, set()
            if out and len(clause) == len(before) and _PER_KG_AFTER.match(text, last.unit_end, next_start):
                base, have = unit_parts(out[-1].unit or "")  # "5 mL of 10% glucose per kg": the dose's
                if base in DOSE_UNITS:
                    out[-1] = replace(out[-1], unit=canonical_unit(base, [*have, "kg"]))
        if PER_SUFFIX.match(after):
            dens.add("d")
        for position, atom in enumerate(group):
            unit, unit_text = atom.unit, atom.unit_text
            if unit is None and shared and atom.kind != "fixed":
                unit, unit_text = shared.unit, shared.unit_text
            if unit is not None and dens:
                base, have = unit_parts(unit)
                unit = canonical_unit(base, [*have, *dens])
            op, op_text = ("", "")
            pair = any(a.extra.get("slash") for a in group)
            if (position == 0 or pair) and prefix[0]:
                op, op_text = prefix
            if (position == len(group) - 1 or pair) and suffix[0]:
                op, op_text = suffix
            if op_text.lower() == "over" and unit and unit_parts(unit)[0] in DURATION:
                op = ""  # "IV over 10 minutes" is how long, not more than (15分钟以上输完 says the same)
            out.append(Quantity(atom.value, unit, unit_text, op, op_text, atom.strong, atom.text, atom.start,
                                counts(atom)))
        previous_end = last.unit_end
    return tuple(out)


# ---------------------------------------------------------------- reading


def read(text: str, *, markup: bool = False, words: bool = True) -> Reading:
    """Everything comparable in one message.

    ``words=False`` reads digits only (for a language this module does not know).

    >>> from carebridge.safety.numerals import format_value
    >>> r = read("Give 1 g IV over 10 minutes; repeat once after 30 minutes.")
    >>> [(format_value(q.value), q.unit) for q in r.quantities], [t.code for t in r.routes]
    ([('1', 'g'), ('10', 'min'), ('1', '#'), ('30', 'min')], ['IV'])
    """
    work = normalise(text)
    for pattern in (_URL, _LINK_TARGET, _PLACEHOLDER, _TAG, _LIST_MARKER) + ((_CODE,) if markup else ()):
        work = _sub(pattern, work, lambda m: None)
    tokens: list[Quantity] = []
    for kind, pattern in WHOLE:
        work = _sub(pattern, work, partial(_token, kind, tokens))
    cues = tuple(Tag(code, m.group(), strong) for code, strong, pattern in CUE_PATTERNS
                 for m in pattern.finditer(work)) if words else ()
    routes = find_routes(work) if words else ()
    frequencies: list[Tag] = []

    def frequency(kind: str, m: re.Match[str]) -> bool:
        code = frequency_code(kind, m)
        if code is None:
            return False
        weak = code.startswith("~")
        frequencies.append(Tag(code.lstrip("~"), m.group(), strong=not weak))
        return not weak  # implied frequencies ("daily", 每日) stay readable as "per day"

    if words:
        for kind, pattern in FREQUENCY_PATTERNS:
            work = _sub(pattern, work, partial(frequency, kind))
    spans = digit_word_names(work)
    names = tuple(name_key(work[s:e]) for s, e in spans)
    for s, e in spans:
        work = mask_span(work, s, e)
    atoms, split = _scan(work, words)
    quantities = tuple(tokens) + _finish(atoms, work)
    alternative = tuple(tokens) + _finish(split, work) if split is not None else None
    return Reading(quantities, names, tuple(frequencies), routes, cues, alternative)
