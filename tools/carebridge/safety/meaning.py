"""Meaning checks: what a translation can change without touching a number.

A negation dropped or added, left and right or upper and lower swapped, "or" turned into "and",
one medicine named for another, mg/dL turned into g/dL, daily into weekly, two routes or two
placeholders exchanged. Each check is a small function registered under its code (as Babel's
checkers are), compares the concepts ``concepts.mentions`` finds on both sides, and reports a
``Finding`` with that code, so a reviewer can allow it with ``# carebridge-allow: <code> — why``.

The checks that count words (negation, "or") live in ``polarity``; ``pair`` holds what they all
share. The rule that keeps paraphrases passing: a *hard* concept on one side must be met on the other
(hard or soft); a *soft* one (unwell, unless, 非) may be. A concept that merely goes missing in a
family where nothing replaces it (upper tract → 尿路) is often a paraphrase and is not reported;
one replaced by another of its family (upper → 下) is.
"""

from __future__ import annotations

import re
from collections import Counter

from . import (
    actions,  # noqa: F401  (registers the instruction check)
    conditional,  # noqa: F401  (registers the condition check)
    extent,  # noqa: F401  (registers the length check)
    investigations,  # noqa: F401  (registers the investigation check)
    linktargets,  # noqa: F401  (registers the link target check)
    modality,  # noqa: F401  (registers the obligation check)
    ordinals,  # noqa: F401  (registers the ordinal check)
    polarity,  # registers negation and conjunction first: they read most like the clinician's words
    sequence,  # noqa: F401  (registers the sequence check)
)
from .binding import ANCHOR_CATEGORIES, check_binding
from .clinical_terms import ROMAN_CONTEXT, ROUTE_PATTERNS
from .concepts import Mention, counts, within
from .exchange import exchanged_members
from .findings import Finding
from .order import choice_reversed, condition_fronted, contrast_order, drug_order, in_conditions, pair_halved
from .pair import (
    CHECKS,
    Pair,
    concept_name,
    excerpt,
    interval,
    order_changes,
    register,
    said,
    segment_order_changes,
    swap_findings,
    swaps,
)
from .quantities import Reading
from .until import not_after, read_until
from .vocabulary import Vocabulary

__all__ = ["check_meaning", "polarity"]  # polarity: imported for the checks it registers


def check_meaning(source: str, translation: str, vocabulary: Vocabulary, language: str = "zh",
                  readings: tuple[Reading, Reading] | None = None) -> list[Finding]:
    """Run every registered meaning check on one message.

    >>> from .vocabulary import vocabulary
    >>> [f.code for f in check_meaning("Do not force the catheter.", "强行插入导尿管。", vocabulary())]
    ['negation']
    """
    pair = Pair(source, translation, vocabulary, language, readings)
    return [finding for check in CHECKS.values() for finding in check(pair)]


# ---------------------------------------------------------------- sides and sites

@register("laterality")
def _laterality(pair: Pair) -> list[Finding]:
    src, tr = pair.found("laterality", "en"), pair.found("laterality", pair.language)
    findings = swap_findings("laterality", "side or direction", pair, "laterality",
                              "left 左, right 右, upper 上, lower 下, proximal 近端, distal 远端")
    if not findings:
        # a side named on one side only is lost information, even with nothing in its place
        s_sides = {m.id for m in src if m.concept.family == "side" and not m.concept.soft}
        t_sides = {m.id for m in tr if m.concept.family == "side" and not m.concept.soft}
        # "check both pupils" says both sides softly: 检查双侧瞳孔 names it, 单侧 does not
        s_soft = {m.id for m in src if m.concept.family == "side" and m.concept.soft}
        if s_sides != t_sides - s_soft:
            findings.append(Finding("laterality", "error", f"side differs: source has {said(src, s_sides or s_soft)}; "
                                    f"translation has {said(tr, t_sides)}", "name the same side: left 左, right 右"))
    return findings


@register("contrast")
def _contrast(pair: Pair) -> list[Finding]:
    # Words in opposed sets (en-zh-contrasts.yaml): before/after/within, rising/falling, any/all,
    # mild/severe, adult/child, do not/need not/must/may. Reported: a word of the set the source
    # does not name firmly, brought in where one the source names is lost, or named fewer times
    # while the set is named as often (reduce … falls as 下降 … 增加), in the whole message or one
    # aligned sentence. A word dropped or added alone is often a paraphrase; the order follows
    # each language's grammar (拔除导尿管前).
    # kinds (en-zh-kinds.yaml) overlap these words (产科医生 is a doctor and an obstetrician): a second layer
    # and so do the kinds of staff (en-zh-roles.yaml: the registrar is a doctor, the nurse in charge a nurse)
    src, tr = (sorted(pair.found("contrast", side) + pair.found("kind", side) + pair.found("role", side),
                      key=lambda m: m.start) for side in ("en", pair.language))
    if (barred := not_after(pair, src, tr)) is not None:  # "not until 48 hours after" as 48小时后不得
        return [Finding("contrast", "error", f"meaning reversed: source has not … until … {barred[0]}, translation has "
                        f"{barred[1]} (not after)", _CONTRAST_HINT)]
    tr = read_until(pair, src, tr)
    parts = [((0, len(pair.source)), (0, len(pair.translation)), "")]
    if len(pair.segments()) > 1:  # not clause by clause: clauses parted by semicolons may be reordered
        parts += [(s, t, f" in '{excerpt(pair.source, s)}'") for s, t in pair.segments()]
    for s_span, t_span, where in parts:
        s_part, t_part = (src, tr) if not where else (within(src, s_span), within(tr, t_span))
        s_hard = Counter(m.id for m in s_part if not m.concept.soft)
        t_hard = Counter(m.id for m in t_part if not m.concept.soft)
        # 先检查再搬动 still says "first": a soft word keeps a count, once the source's own soft words
        # have theirs ("lengthen the interval when the level is high": 偏高 renders "high", not "lengthen")
        s_soft = Counter(m.id for m in s_part if m.concept.soft)
        t_any = Counter(m.id for m in t_part)
        t_kept = Counter({c: n - min(n - t_hard[c], s_soft[c]) for c, n in t_any.items()})
        family = {m.id: m.concept.family for m in s_part + t_part}
        findings = []
        for name in sorted(set(family.values())):
            fewer = {c for c, n in s_hard.items() if family[c] == name and t_kept[c] < n}
            if name in _PLAIN_SOFT and not fewer:
                # "all" and "every" are soft (all of them may be unsaid), but not when the
                # translation says "some" instead: 所有 → 部分, 每一位 → 部分
                s_any = Counter(m.id for m in s_part)
                fewer = {c for c in s_any if family[c] == name and not t_any[c]}
                fewer = fewer if any(family[c] == name and c not in s_any for c in t_hard) else set()
            same_total = sum(n for c, n in s_hard.items() if family[c] == name) == sum(
                n for c, n in t_hard.items() if family[c] == name)
            # one the source does not name; or, with the set named as often, one named more often
            # (fever or low blood pressure as 低体温或低血压)
            shifted = same_total and name not in _LOOSE
            gained = {c for c in t_hard if family[c] == name and (c not in s_hard or (shifted and t_hard[c] > s_hard[c]))}
            if gained and fewer and (same_total or not any(t_kept[c] for c in fewer)):
                hard = [m for m in t_part if not m.concept.soft]
                findings.append(Finding("contrast", "error", f"meaning reversed{where}: source has {said(s_part, fewer)}, "
                                        f"translation has {said(hard, gained)}", _CONTRAST_HINT))
        if findings:  # a word in two layers (consultant: a grade and a seniority) is said once
            return list(dict.fromkeys(findings))
    return (contrast_order(pair, src, tr, _CONTRAST_HINT) or pair_halved(pair, src, tr, _CONTRAST_HINT, _LOOSE)
            or choice_reversed(pair, _CONTRAST_HINT))


def _counted(category: str, code: str, what: str, added: str, hint: str) -> None:
    """Register a check that counts one category's words per aligned sentence: a hard word the
    translation does not meet is an error; one it adds is reported with severity ``added``
    ("" for not at all), since Chinese often makes explicit what English implies."""
    def check(pair: Pair) -> list[Finding]:
        src, tr = pair.found(category, "en"), pair.found(category, pair.language)
        if not src and not tr:
            return []
        for s_span, t_span in pair.segments():
            s_part, t_part = within(src, s_span), within(tr, t_span)
            verdict = interval(sum(counts(s_part, soft=False).values()), sum(counts(s_part, soft=True).values()),
                               sum(counts(t_part, soft=False).values()), sum(counts(t_part, soft=True).values()))
            if verdict == "missing" or (verdict == "added" and added):
                where = f" in '{excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
                return [Finding(code, "error" if verdict == "missing" else added,
                                f"{what} {verdict}{where}: source has {said(s_part)}, translation has {said(t_part)}",
                                hint)]
        return []

    register(code)(check)


# "only" dropped gives oxygen to everyone; 仅 added restricts what the English does not (a warning)
_counted("restriction", "restriction", "'only'", "warning",
         "only 仅/只/唯一 (only if 仅在…时, 只有…才); add none the source does not say")
# "even if" as 如 (if) makes a rule that holds in spite of something lapse because of it
_counted("concession", "concession", "'even if'", "",
         "even if 即使/即便/哪怕, even though 尽管, regardless 无论; or the 仍/也要 it leads to")
# "immediately" as 尽快 ("as soon as possible") or left out turns an emergency into a task
_counted("urgency", "urgency", "'immediately'", "",
         "immediately 立即/立刻/马上/即刻; 尽快 is 'as soon as possible', 及时 'in good time'")


# How binding an instruction is, and on what condition, is phrased too freely for its words to be counted
_LOOSE = frozenset({"obligation", "condition", "disease"})
# Sets whose soft words still name one of the set (all, every, any), so one lost for another is a swap
_PLAIN_SOFT = frozenset({"how-many", "trend"})
_CONTRAST_HINT = ("keep the source's sense: before 前, after 后, within 内; rising 升高, falling 降低; any 任一, all 全部; "
                  "mild 轻度, severe 重度; adult 成人, child 儿童; do not 不要, need not 不必, must 必须, may 可以")


@register("site")
def _site(pair: Pair) -> list[Finding]:
    if not pair.found("site", "en"):
        return []  # a site the source never names is reported only as a swap of one it does
    hint = "name the same site: peripheral vein 外周静脉, central line 中心静脉, upper urinary tract 上尿路"
    findings = swap_findings("site", "anatomical site", pair, "site", hint, order=False)
    if findings:
        return findings
    src, tr = pair.found("site", "en"), pair.found("site", pair.language)
    named = {m.id for m in src if not m.concept.soft}
    s_if, t_if = in_conditions(pair, src, tr, named)
    if len(named) >= 2 and named == {m.id for m in tr if not m.concept.soft} and s_if and t_if:
        # "a suprapubic catheter if urethral catheterisation fails" is 如经尿道导尿失败，改行耻骨上…: what
        # each side's condition names decides, not the order
        return [] if s_if == t_if else [Finding(
            "site", "error", f"anatomical site changed in the condition: source has {said(src, s_if)} there, "
            f"translation has {said(tr, t_if)}", hint)]
    for s_order, t_order in segment_order_changes(pair, src, tr):
        findings.append(Finding("site", "error", f"anatomical site order changed: source has "
                                f"{' … '.join(map(concept_name, s_order))}, translation has "
                                f"{' … '.join(map(concept_name, t_order))}", hint))
    return findings


# ---------------------------------------------------------------- medicines

@register("drug")
def _drug(pair: Pair) -> list[Finding]:
    src, tr = pair.found("drug", "en"), pair.found("drug", pair.language)
    lost, gained = {m.id for m in src} - {m.id for m in tr}, {m.id for m in tr} - {m.id for m in src}
    findings = []
    if lost or gained:
        # a second mention written as 该药 is a paraphrase; a medicine named on one side only is not
        parts = [f"source has {said(src, lost)} not in the translation" if lost else "",
                 f"translation has {said(tr, gained)} not in the source" if gained else ""]
        findings.append(Finding("drug", "error", "medicine mismatch: " + "; ".join(p for p in parts if p),
                                "name the same medicines as the source, each by its national generic name"))
        return findings
    # the same medicines overall, but one mention given another's name (如卡前列素禁用 → 如米索前列醇禁用)
    # (not their order: "a GnRH agonist in an antagonist cycle" is 在拮抗剂周期中使用激动剂)
    hint = "keep each medicine where the source names it"
    found = swap_findings("drug", "medicine", pair, "drug", hint, order=False) or drug_order(pair, src, tr)
    named = {m.id for m in src}
    s_if, t_if = in_conditions(pair, src, tr, named)
    if not found and len(named) >= 2 and s_if and t_if and s_if != t_if:
        # "give misoprostol if oxytocin is not available" as 如米索前列醇不可用，给予缩宫素
        found = [Finding("drug", "error", f"medicine changed in the condition: source has {said(src, s_if)} there, "
                         f"translation has {said(tr, t_if)}", hint)]
    return found


# ---------------------------------------------------------------- units, frequency words

_NUMBER_BEFORE = re.compile(r"[0-9½⅓¼¾%][ \t]*(?:[-–~][ \t]*)?$")


def _unit_words(pair: Pair, side: str) -> list[Mention]:
    text = pair.text(side)
    return [m for m in pair.found("unit-word", side) if not _NUMBER_BEFORE.search(text[max(0, m.start - 4):m.start])]


@register("unit-word")
def _unit_word(pair: Pair) -> list[Finding]:
    src = _unit_words(pair, "en")
    if not src:
        return []  # as for sites: only a unit the source names can be changed
    tr = _unit_words(pair, pair.language)
    findings = []
    for _family, (lost, gained) in sorted(swaps(src, tr).items()):
        findings.append(Finding("unit-word", "error", f"unit changed: source has {said(src, lost)}, translation "
                                f"has {said(tr, gained)}", "mg/dL 毫克/分升, μmol/L 微摩尔/升, °C 摄氏度, % 百分之, ‰ 千分之"))
    for s_order, t_order in segment_order_changes(pair, src, tr) or order_changes(src, tr):
        findings.append(Finding("unit-word", "error", f"units exchanged: source has {' … '.join(s_order)}, "
                                f"translation has {' … '.join(t_order)}", "keep each unit where the source has it"))
    return findings


@register("frequency-word")
def _frequency_word(pair: Pair) -> list[Finding]:
    src = pair.found("frequency-word", "en")
    if not src:
        return []
    tr = pair.found("frequency-word", pair.language)
    findings = []
    hint = "hourly 每小时, daily 每日/每天, weekly 每周, monthly 每月, at night 每晚"
    for _family, (lost, gained) in sorted(swaps(src, tr).items()):
        findings.append(Finding("frequency-word", "error", f"frequency changed: source has {said(src, lost)}, "
                                f"translation has {said(tr, gained)}", hint))
    for s_order, t_order in (segment_order_changes(pair, src, tr) or order_changes(src, tr)) if not findings else ():
        findings.append(Finding("frequency-word", "error", f"frequencies exchanged: source has {' … '.join(s_order)}, "
                                f"translation has {' … '.join(t_order)}", hint))
    return findings or _period_to_occasion(src, tr, hint) or _occasion_to_period(src, tr, hint)


def _period_to_occasion(src: list[Mention], tr: list[Mention], hint: str) -> list[Finding]:
    """"Weigh daily" as 每次称体重: the source's period is gone and the translation says "each time"
    where it did not (a swap within one family is found above; this one crosses two)."""
    periods = [m for m in src if m.concept.family == "period" and not m.concept.soft]
    if not periods or any(m.concept.family == "period" for m in tr):
        return []
    added = sum(m.concept.family == "occasion" for m in tr) - sum(m.concept.family == "occasion" for m in src)
    if added <= 0:
        return []
    occasion = next(m for m in tr if m.concept.family == "occasion")
    return [Finding("frequency-word", "error", f"frequency changed: source has {said(periods)}, translation has "
                    f"{said([occasion])} (each time) instead", hint)]


def _occasion_to_period(src: list[Mention], tr: list[Mention], hint: str) -> list[Finding]:
    """"At every birth" as 每日分娩, "each dose" as 每日: the source counts occasions and names no
    period, and the translation drops an occasion for a period of its own."""
    if any(m.concept.family == "period" for m in src):
        return []
    occasions = [m for m in src if m.concept.family == "occasion" and not m.concept.soft]
    gained = [m for m in tr if m.concept.family == "period" and not m.concept.soft]
    if not occasions or not gained or sum(m.concept.family == "occasion" for m in tr) >= len(occasions):
        return []
    return [Finding("frequency-word", "error", f"frequency changed: source has {said(occasions)} (each time), "
                    f"translation has {said(gained)} instead", hint)]


@register("comparison")
def _comparison_word(pair: Pair) -> list[Finding]:
    """At least and at most, maximum and minimum: a limit reversed where no number is compared."""
    src = pair.found("comparison-word", "en")
    if not src:
        return []
    tr = pair.found("comparison-word", pair.language)
    return [Finding("comparison", "error", f"limit reversed: source has {said(src, lost)}, translation has "
                    f"{said(tr, gained)}", "at least 至少/不少于, at most 最多/不超过, maximum 最大, minimum 最小")
            for _family, (lost, gained) in sorted(swaps(src, tr).items())]


# ---------------------------------------------------------------- route order, placeholders

def _route_positions(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for code, strict, loose in ROUTE_PATTERNS:
        for m in strict.finditer(text):
            if code == "IV" and m.group() == "IV" and (
                    ROMAN_CONTEXT.search(text, 0, m.start()) or text[m.end():m.end() + 1] in set("期级度型类")):
                continue  # stage IV
            found.append((m.start(), code))
        # 皮下或静脉注射: the first route is named by its loose form only
        taken = [p for p, c in found if c == code]
        found += [(m.start(), code) for m in (loose.finditer(text) if loose else ())
                  if not any(p <= m.start() < p + 6 for p in taken)]
    return sorted(found)


@register("route-order")
def _routes(pair: Pair) -> list[Finding]:
    if pair.readings and len({t.code for t in pair.readings[0].routes}) < 2:
        return []  # one route or none: nothing to exchange
    source = _route_positions(pair.text("en"))
    if len({c for _, c in source}) < 2:
        return []
    findings = []
    translation = _route_positions(pair.text(pair.language))
    for s_span, t_span in pair.segments():
        s_order = list(dict.fromkeys(c for p, c in source if s_span[0] <= p < s_span[1]))
        t_order = list(dict.fromkeys(c for p, c in translation if t_span[0] <= p < t_span[1]))
        if len(s_order) >= 2 and set(s_order) == set(t_order) and s_order != t_order:
            if condition_fronted(pair, source, translation, s_span, t_span, s_order):
                continue
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
    src_q, tr_q = (pair.readings[0].quantities, pair.readings[1].quantities) if pair.readings else (None, None)
    return check_binding(pair.text("en"), pair.text(pair.language),
                         lambda: [m for c in ANCHOR_CATEGORIES for m in pair.found(c, "en")],
                         lambda: [m for c in ANCHOR_CATEGORIES for m in pair.found(c, pair.language)], src_q, tr_q
                         ) or exchanged_members(pair)
