"""Meaning checks: what a translation can change without touching a number.

A negation dropped or added, left and right or upper and lower swapped, "or" turned into "and",
one medicine named for another, mg/dL turned into g/dL, daily into weekly, two routes or two
placeholders exchanged. Each check is a small function registered under its code (as Babel's
checkers are), compares the concepts ``concepts.mentions`` finds on both sides, and reports a
``Finding`` with that code, so a reviewer can allow it with ``# carebridge-allow: <code> — why``.

The rule that keeps paraphrases passing: a *hard* concept on one side must be met on the other
(hard or soft); a *soft* one (unwell, unless, 非) may be. A concept that merely goes missing in a
family where nothing replaces it (upper tract → 尿路) is often a paraphrase and is not reported;
one replaced by another of its family (upper → 下) is.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .binding import ANCHOR_CATEGORIES, check_binding
from .clinical_terms import _ROMAN_CONTEXT, _ROUTE_PATTERNS
from .concepts import Mention, aligned_clauses, aligned_segments, counts, first_order, mentions, prepare, within
from .findings import Finding
from .numerals import normalise
from .quantities import Quantity
from .vocabulary import Concept, Vocabulary


@dataclass
class Pair:
    """One message and its translation, with the mentions each check asks for read once."""

    source: str
    translation: str
    vocabulary: Vocabulary
    language: str = "zh"
    quantities: tuple[tuple[Quantity, ...], tuple[Quantity, ...]] | None = None  # as ``equivalence`` read them
    _prepared: dict[str, str] = field(default_factory=dict)
    _found: dict[tuple[str, str], list[Mention]] = field(default_factory=dict)
    _segments: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def text(self, side: str) -> str:
        if side not in self._prepared:
            raw = self.source if side == "en" else self.translation
            self._prepared[side] = prepare(raw, side)
        return self._prepared[side]

    def segments(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        if "segments" not in self._prepared:
            self._segments = aligned_segments(self.text("en"), self.text(self.language))
            self._prepared["segments"] = ""
        return self._segments

    def found(self, category: str, side: str) -> list[Mention]:
        """Mentions of ``category`` in the source (``side="en"``) or the translation."""
        key = (category, side)
        if key not in self._found:
            self._found[key] = mentions(self.vocabulary[category], self.text(side), side)
        return self._found[key]


MeaningCheck = Callable[[Pair], list[Finding]]
CHECKS: dict[str, MeaningCheck] = {}


def register(code: str) -> Callable[[MeaningCheck], MeaningCheck]:
    """Add a check under ``code`` (one of ``findings.CODES``); adding a check is registering it."""
    def add(check: MeaningCheck) -> MeaningCheck:
        CHECKS[code] = check
        return check
    return add


def check_meaning(source: str, translation: str, vocabulary: Vocabulary, language: str = "zh",
                  quantities: tuple[tuple[Quantity, ...], tuple[Quantity, ...]] | None = None) -> list[Finding]:
    """Run every registered meaning check on one message.

    >>> from .vocabulary import vocabulary
    >>> [f.code for f in check_meaning("Do not force the catheter.", "强行插入导尿管。", vocabulary())]
    ['negation']
    """
    pair = Pair(source, translation, vocabulary, language, quantities)
    return [finding for check in CHECKS.values() for finding in check(pair)]


# ---------------------------------------------------------------- helpers

def _said(found: list[Mention], ids: set[str] | None = None) -> str:
    shown = dict.fromkeys(m.text.strip() for m in found if ids is None or m.id in ids)
    return ", ".join(shown) or "none"


def _name(concept_id: str) -> str:
    return concept_id.split(":", 1)[-1]


def _swaps(src: list[Mention], tr: list[Mention]) -> dict[str, tuple[set[str], set[str]]]:
    """Per family, what the translation lost and gained where the family is still named: oral
    temperature rendered as 腋温, or "venous or arterial" as 静脉或静脉. A concept dropped from a
    family the translation no longer names at all is often a paraphrase and is left alone."""
    s_all, t_all = {m.id for m in src}, {m.id for m in tr}
    s_hard = {m.id: m.concept.family for m in src if not m.concept.soft}
    t_hard = {m.id: m.concept.family for m in tr if not m.concept.soft}
    missing = {c: f for c, f in s_hard.items() if c not in t_all}
    extra = {c: f for c, f in t_hard.items() if c not in s_all}
    out: dict[str, tuple[set[str], set[str]]] = {}
    for family in set(missing.values()) | set(extra.values()):
        lost = {c for c, f in missing.items() if f == family}
        gained = {c for c, f in extra.items() if f == family}
        kept_in_translation = any(f == family and c in s_all for c, f in t_hard.items())
        kept_in_source = any(f == family and c in t_all for c, f in s_hard.items())
        if (lost and (gained or kept_in_translation)) or (gained and kept_in_source):
            out[family] = (lost, gained)
    return out


def _redistributed(src: list[Mention], tr: list[Mention]) -> list[str]:
    """Families named as often on both sides but shared out differently (oral ×2, axillary ×2 →
    口温 ×3, 腋温 ×1): one mention swapped for another already there."""
    out = []
    for family in dict.fromkeys(m.concept.family for m in src if not m.concept.soft):
        s_count = Counter(m.id for m in src if m.concept.family == family and not m.concept.soft)
        t_count = Counter(m.id for m in tr if m.concept.family == family and not m.concept.soft)
        if len(s_count) >= 2 and sum(s_count.values()) == sum(t_count.values()) and s_count != t_count:
            out.append(family)
    return out


def _tally(found: list[Mention], family: str) -> str:
    count = Counter(m.id for m in found if m.concept.family == family and not m.concept.soft)
    text = {m.id: m.text for m in found}
    return ", ".join(f"{text[c]} ×{n}" for c, n in count.items())


def _order_changes(src: list[Mention], tr: list[Mention]) -> list[tuple[list[str], list[str]]]:
    """Families named in the same set but a different order (left … right → 右 … 左)."""
    changes = []
    for family in dict.fromkeys(m.concept.family for m in src):
        s_order, t_order = first_order(src, family), first_order(tr, family)
        if len(s_order) >= 2 and set(s_order) == set(t_order) and s_order != t_order:
            changes.append((s_order, t_order))
    return changes


def _segment_order_changes(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[tuple[list[str], list[str]]]:
    changes = []
    for s_span, t_span in pair.segments():
        changes += _order_changes(within(src, s_span), within(tr, t_span))
    return changes


def _swap_findings(code: str, what: str, pair: Pair, category: str, hint: str, *, order: bool = True) -> list[Finding]:
    src, tr = pair.found(category, "en"), pair.found(category, pair.language)
    findings = []
    for _family, (lost, gained) in sorted(_swaps(src, tr).items()):
        findings.append(Finding(code, "error", f"{what} changed: source has {_said(src, lost)}, "
                                f"translation has {_said(tr, gained) if gained else 'only ' + _said(tr)}", hint))
    for s_span, t_span in pair.segments() if not findings else ():
        s_part, t_part = within(src, s_span), within(tr, t_span)
        where = f" in '{_excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
        for _family, (lost, gained) in sorted(_swaps(s_part, t_part).items()) if where else ():
            findings.append(Finding(code, "error", f"{what} changed{where}: source has "
                                    f"{_said(s_part, lost) if lost else _said(s_part)}, translation has "
                                    f"{_said(t_part, gained) if gained else 'only ' + _said(t_part)}", hint))
        for family in _redistributed(s_part, t_part):
            findings.append(Finding(code, "error", f"{what} exchanged{where}: source names "
                                    f"{_tally(s_part, family)}, translation {_tally(t_part, family)}", hint))
    for s_order, t_order in _segment_order_changes(pair, src, tr) if order else ():
        findings.append(Finding(code, "error", f"{what} order changed: source has {' … '.join(map(_name, s_order))}, "
                                f"translation has {' … '.join(map(_name, t_order))}", hint))
    return findings


def _interval(hard_s: int, soft_s: int, hard_t: int, soft_t: int) -> str:
    """'missing', 'added' or '' : can the two counts stand for the same thing?"""
    if hard_s > hard_t + soft_t:
        return "missing"
    if hard_t > hard_s + soft_s:
        return "added"
    return ""


# ---------------------------------------------------------------- negation

_EN_ANSWER = re.compile(r"^\s*(?:[-*]\s+)?(?P<a>yes|no)\b(?=\s*(?:[:,.;!—–-]|$))", re.I)
_ZH_LABEL_END = re.compile(r"\s*(?:[：:，,。；;！!—–-]|$)")


def _answer(pair: Pair, side: str) -> tuple[str, int]:
    """The Yes/No a decision branch begins with, and where it ends."""
    text = pair.text(side)
    if side == "en":
        m = _EN_ANSWER.match(text)
        return (m.group("a").lower(), m.end()) if m else ("", 0)
    pattern = pair.vocabulary["answers"].patterns.get(side)
    start = len(text) - len(text.lstrip())
    hit = next(pattern.finditer(text[:start + 8]), None) if pattern else None
    if hit and hit[0] == start and _ZH_LABEL_END.match(text, hit[1]):
        return hit[2].id, hit[1]
    return "", 0


@register("negation")
def _negation(pair: Pair) -> list[Finding]:
    findings: list[Finding] = []
    (s_answer, s_end), (t_answer, t_end) = _answer(pair, "en"), _answer(pair, pair.language)
    if s_answer and t_answer and s_answer != t_answer:
        findings.append(Finding("negation", "error", f"answer reversed: source begins '{s_answer.capitalize()}', "
                                f"translation begins '{pair.translation.strip()[:t_end].strip()}'",
                                "a decision branch keeps its Yes (是) or No (否)"))
    src = [m for m in pair.found("negation", "en") if m.start >= s_end]
    tr = _distributed([m for m in pair.found("negation", pair.language) if m.start >= t_end], pair.text(pair.language))
    for s_span, t_span in pair.segments():
        s_part, t_part = within(src, s_span), _unless(within(tr, t_span))
        hs, ss = sum(counts(s_part, soft=False).values()), sum(counts(s_part, soft=True).values())
        ht, st = sum(counts(t_part, soft=False).values()), sum(counts(t_part, soft=True).values())
        # a negation more in the translation may stand for a soft English one (non-tunnelled, stop),
        # unless that one is already rendered by a soft Chinese one (非隧道式)
        paired = min(ss, sum(1 for m in t_part if m.concept.soft and m.id != _REPEATED)) if ht > hs else 0
        verdict = _interval(hs, ss - paired, ht, st)
        if verdict:
            said = (f"source has {hs} ({_said([m for m in s_part if not m.concept.soft])}), "
                    f"translation has {ht} ({_said([m for m in t_part if not m.concept.soft])})")
            where = f" in '{_excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
            findings.append(Finding("negation", "error", f"negation {verdict}{where}: {said}",
                                    "keep every 'not', 'never', 'do not', 'avoid', 'without', 'no': 不, 勿, 禁止, "
                                    "切勿, 不得, 避免, 无, 未, 严禁"))
    return findings


_REPEATED = "repeated"  # a soft negation that renders no soft English word, so it pairs with none
_COORDINATED = re.compile(r"^[^，,。；;：:！？!?\n]*(?:或者?|和|及|、|也|又|且|并|与)$")


def _distributed(found: list[Mention], text: str) -> list[Mention]:
    """不做评估或不制定计划: Chinese repeats a negation over coordinated verbs; count it once."""
    out: list[Mention] = []
    for m in found:
        previous = next((p for p in reversed(out) if not p.concept.soft), None)
        if (previous is not None and not m.concept.soft and m.start - previous.end <= 20
                and _COORDINATED.match(text[previous.end:m.start])):
            m = Mention(Concept(_REPEATED, m.concept.family, soft=True), m.start, m.end, m.text)
        out.append(m)
    return out


def _unless(found: list[Mention]) -> list[Mention]:
    """除非……否则 is one "unless": the 否则 after 除非 adds nothing."""
    seen_unless = False
    kept = []
    for m in found:
        if m.text == "否则" and seen_unless:
            continue
        seen_unless = seen_unless or m.text == "除非"
        kept.append(m)
    return kept


def _excerpt(source: str, span: tuple[int, int], size: int = 40) -> str:
    part = " ".join(normalise(source)[span[0]:span[1]].split()).lstrip("-* ")
    return part if len(part) <= size else part[:size - 1] + "…"


# ---------------------------------------------------------------- sides and sites

@register("laterality")
def _laterality(pair: Pair) -> list[Finding]:
    src, tr = pair.found("laterality", "en"), pair.found("laterality", pair.language)
    findings = _swap_findings("laterality", "side or direction", pair, "laterality",
                              "left 左, right 右, upper 上, lower 下, proximal 近端, distal 远端")
    if not findings:
        # a side named on one side only is lost information, even with nothing in its place
        s_sides = {m.id for m in src if m.concept.family == "side" and not m.concept.soft}
        t_sides = {m.id for m in tr if m.concept.family == "side" and not m.concept.soft}
        if s_sides != t_sides:
            findings.append(Finding("laterality", "error", f"side differs: source has {_said(src, s_sides)}; "
                                    f"translation has {_said(tr, t_sides)}", "name the same side: left 左, right 右"))
    return findings


@register("site")
def _site(pair: Pair) -> list[Finding]:
    return _swap_findings("site", "anatomical site", pair, "site",
                          "name the same site: peripheral vein 外周静脉, central line 中心静脉, upper urinary tract 上尿路")


# ---------------------------------------------------------------- conjunctions

_EN_AND = re.compile(r"(?<![A-Za-z])and(?![A-Za-z/])", re.I)
_ZH_AND = re.compile(r"和(?!/)|以及|(?<![涉普危波企不顾])及(?!时|早|格|以上|以下|/)|并且|并(?!发|存|非|不|且|列|入|用)")
_EN_LIST = re.compile(r",[^,.;:]*\bor\b|\b(?:any|anything|either|whether|such as|for example|e\.g\.|one of)\b", re.I)
_ZH_LIST = re.compile(r"、|至|则|无论|不论")
_ZH_RANGE = re.compile(r"(?<=[\u4e00-\u9fff0-9])至(?=[\u4e00-\u9fff0-9])")
_EN_RANGE = re.compile(r"(?<![A-Za-z])(?:to|until|through)(?![A-Za-z])|[–—~]|(?<=[0-9])-(?=[0-9])", re.I)
_ZH_REGARDLESS = re.compile(r"无论|不论")
_EN_COMMA_OR = re.compile(r",[^,.;:]*\bor\b", re.I)


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


@register("conjunction")
def _conjunction(pair: Pair) -> list[Finding]:
    src, tr = pair.found("conjunction", "en"), pair.found("conjunction", pair.language)
    if not src and not tr:
        return []
    source, translation = pair.text("en"), pair.text(pair.language)
    findings = []
    for s_span, t_span in aligned_clauses(source, translation, pair.segments()):
        s_part, t_part = within(src, s_span), within(tr, t_span)
        hs, ss = sum(counts(s_part, soft=False).values()), sum(counts(s_part, soft=True).values())
        ht, st = sum(counts(t_part, soft=False).values()), sum(counts(t_part, soft=True).values())
        verdict = _interval(hs, ss, ht, st)
        if not verdict:
            continue
        s_text, t_text = source[s_span[0]:s_span[1]], translation[t_span[0]:t_span[1]]
        d_or = -1 if verdict == "missing" else 1
        d_and = len(_ZH_AND.findall(t_text)) - len(_EN_AND.findall(s_text))
        if verdict == "missing" and not t_part:
            # every "or" gone: only 无论 or a 至 the source has no "to" for (中度至重度) may stand for them
            ranges = len(_ZH_RANGE.findall(t_text)) - len(_EN_RANGE.findall(s_text))
            # or a list of alternatives written with commas alone ("…, or above 140" as "，…"), no "and" gained
            listed = bool(_EN_COMMA_OR.search(s_text)) and d_and <= 0
            excused = ranges >= hs or listed or bool(_ZH_REGARDLESS.search(t_text))
        else:
            # "or" lost where "and" was gained is the swap; a list written with 、 or 至 is not
            excused = _sign(d_and) != -d_or and bool(_EN_LIST.search(s_text) or _ZH_LIST.search(t_text))
        if excused:
            continue
        where = f" in '{_excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
        findings.append(Finding("conjunction", "error", f"'or' {verdict}{where}: source has {hs} ({_said(s_part)}), "
                                f"translation has {ht} ({_said(t_part)})",
                                "or 或/或者, and/or 和/或; 'and' is 和/及/并, never 或"))
    return findings


# ---------------------------------------------------------------- medicines

@register("drug")
def _drug(pair: Pair) -> list[Finding]:
    src, tr = pair.found("drug", "en"), pair.found("drug", pair.language)
    lost, gained = {m.id for m in src} - {m.id for m in tr}, {m.id for m in tr} - {m.id for m in src}
    findings = []
    if lost or gained:
        # a second mention written as 该药 is a paraphrase; a medicine named on one side only is not
        parts = [f"source has {_said(src, lost)} not in the translation" if lost else "",
                 f"translation has {_said(tr, gained)} not in the source" if gained else ""]
        findings.append(Finding("drug", "error", "medicine mismatch: " + "; ".join(p for p in parts if p),
                                "name the same medicines as the source, each by its national generic name"))
        return findings
    # the same medicines overall, but one mention given another's name (如卡前列素禁用 → 如米索前列醇禁用)
    # (not their order: "a GnRH agonist in an antagonist cycle" is 在拮抗剂周期中使用激动剂)
    return _swap_findings("drug", "medicine", pair, "drug", "keep each medicine where the source names it", order=False)


# ---------------------------------------------------------------- units, frequency words

_NUMBER_BEFORE = re.compile(r"[0-9½⅓¼¾%][ \t]*(?:[-–~][ \t]*)?$")


def _unit_words(pair: Pair, side: str) -> list[Mention]:
    text = pair.text(side)
    return [m for m in pair.found("unit-word", side) if not _NUMBER_BEFORE.search(text[max(0, m.start - 4):m.start])]


@register("unit-word")
def _unit_word(pair: Pair) -> list[Finding]:
    src, tr = _unit_words(pair, "en"), _unit_words(pair, pair.language)
    findings = []
    for _family, (lost, gained) in sorted(_swaps(src, tr).items()):
        findings.append(Finding("unit-word", "error", f"unit changed: source has {_said(src, lost)}, translation "
                                f"has {_said(tr, gained)}", "mg/dL 毫克/分升, μmol/L 微摩尔/升, °C 摄氏度, % 百分之, ‰ 千分之"))
    for s_order, t_order in _segment_order_changes(pair, src, tr) or _order_changes(src, tr):
        findings.append(Finding("unit-word", "error", f"units exchanged: source has {' … '.join(s_order)}, "
                                f"translation has {' … '.join(t_order)}", "keep each unit where the source has it"))
    return findings


@register("frequency-word")
def _frequency_word(pair: Pair) -> list[Finding]:
    src, tr = pair.found("frequency-word", "en"), pair.found("frequency-word", pair.language)
    findings = []
    for _family, (lost, gained) in sorted(_swaps(src, tr).items()):
        findings.append(Finding("frequency-word", "error", f"frequency changed: source has {_said(src, lost)}, "
                                f"translation has {_said(tr, gained)}",
                                "hourly 每小时, daily 每日/每天, weekly 每周, monthly 每月, at night 每晚"))
    return findings


# ---------------------------------------------------------------- route order, placeholders

def _route_positions(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for code, strict, loose in _ROUTE_PATTERNS:
        for m in strict.finditer(text):
            if code == "IV" and m.group() == "IV" and (
                    _ROMAN_CONTEXT.search(text, 0, m.start()) or text[m.end():m.end() + 1] in set("期级度型类")):
                continue  # stage IV
            found.append((m.start(), code))
        # 皮下或静脉注射: the first route is named by its loose form only
        taken = [p for p, c in found if c == code]
        found += [(m.start(), code) for m in (loose.finditer(text) if loose else ())
                  if not any(p <= m.start() < p + 6 for p in taken)]
    return sorted(found)


@register("route-order")
def _routes(pair: Pair) -> list[Finding]:
    source = _route_positions(pair.text("en"))
    if len({c for _, c in source}) < 2:
        return []
    findings = []
    translation = _route_positions(pair.text(pair.language))
    for s_span, t_span in pair.segments():
        s_order = list(dict.fromkeys(c for p, c in source if s_span[0] <= p < s_span[1]))
        t_order = list(dict.fromkeys(c for p, c in translation if t_span[0] <= p < t_span[1]))
        if len(s_order) >= 2 and set(s_order) == set(t_order) and s_order != t_order:
            findings.append(Finding("route-order", "error", f"routes exchanged: source has {' then '.join(s_order)}, "
                                    f"translation has {' then '.join(t_order)}",
                                    "keep each route with its own medicine, dose or condition"))
    return findings


_NAMED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]")


@register("placeholder")
def _placeholders(pair: Pair) -> list[Finding]:
    s_names, t_names = _NAMED.findall(pair.source), _NAMED.findall(pair.translation)
    if len(set(s_names)) < 2 or Counter(s_names) != Counter(t_names) or s_names == t_names:
        return []
    return [Finding("placeholder", "error", f"placeholders exchanged: source has {' … '.join(s_names)}, translation "
                    f"has {' … '.join(t_names)}", "each {name} stays in the place of the words it stands for; if "
                    "Chinese word order needs another order, say so with carebridge-allow: placeholder")]


# ---------------------------------------------------------------- numbers and what they qualify

@register("binding")
def _binding(pair: Pair) -> list[Finding]:
    src_q, tr_q = pair.quantities if pair.quantities else (None, None)
    return check_binding(pair.text("en"), pair.text(pair.language),
                         lambda: [m for c in ANCHOR_CATEGORIES for m in pair.found(c, "en")],
                         lambda: [m for c in ANCHOR_CATEGORIES for m in pair.found(c, pair.language)], src_q, tr_q)
