"""One message and its translation as the meaning checks see them, the registry they join, and
what several checks share: finding swaps within a family of concepts, counting hard and soft
words, quoting the sentence a finding is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .concepts import Mention, aligned_segments, first_order, mentions, prepare, within
from .findings import Finding
from .numerals import normalise
from .quantities import Reading
from .vocabulary import Vocabulary


@dataclass
class Pair:
    """One message and its translation, with the mentions each check asks for read once."""

    source: str
    translation: str
    vocabulary: Vocabulary
    language: str = "zh"
    readings: tuple[Reading, Reading] | None = None  # source and translation as ``equivalence`` read them
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


# ---------------------------------------------------------------- helpers

def said(found: list[Mention], ids: set[str] | None = None) -> str:
    shown = dict.fromkeys(m.text.strip() for m in found if ids is None or m.id in ids)
    return ", ".join(shown) or "none"


def concept_name(concept_id: str) -> str:
    return concept_id.split(":", 1)[-1]


def swaps(src: list[Mention], tr: list[Mention]) -> dict[str, tuple[set[str], set[str]]]:
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


def redistributed(src: list[Mention], tr: list[Mention]) -> list[str]:
    """Families named as often on both sides but shared out differently (oral ×2, axillary ×2 →
    口温 ×3, 腋温 ×1): one mention swapped for another already there."""
    out = []
    for family in dict.fromkeys(m.concept.family for m in src if not m.concept.soft):
        s_count = Counter(m.id for m in src if m.concept.family == family and not m.concept.soft)
        t_count = Counter(m.id for m in tr if m.concept.family == family and not m.concept.soft)
        if len(s_count) >= 2 and sum(s_count.values()) == sum(t_count.values()) and s_count != t_count:
            out.append(family)
    return out


def tally(found: list[Mention], family: str) -> str:
    count = Counter(m.id for m in found if m.concept.family == family and not m.concept.soft)
    text = {m.id: m.text for m in found}
    return ", ".join(f"{text[c]} ×{n}" for c, n in count.items())


def _fronted(s_order: list[str], t_order: list[str]) -> bool:
    """Chinese opens with what a sentence is about: "prefer the subclavian vein for central lines,
    avoid the femoral" as 中心静脉导管首选锁骨下静脉，避免股静脉 moves one of three or more to the front
    and keeps the others in order. With two, that move is the swap itself (left … right → 右 … 左)."""
    return len(s_order) >= 3 and t_order[1:] == [c for c in s_order if c != t_order[0]]


def order_changes(src: list[Mention], tr: list[Mention]) -> list[tuple[list[str], list[str]]]:
    """Families named in the same set but a different order (left … right → 右 … 左)."""
    changes = []
    for family in dict.fromkeys(m.concept.family for m in src):
        s_order, t_order = first_order(src, family), first_order(tr, family)
        if len(s_order) >= 2 and set(s_order) == set(t_order) and s_order != t_order and not _fronted(s_order, t_order):
            changes.append((s_order, t_order))
    return changes


def segment_order_changes(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[tuple[list[str], list[str]]]:
    changes = []
    for s_span, t_span in pair.segments():
        changes += order_changes(within(src, s_span), within(tr, t_span))
    return changes


def swap_findings(code: str, what: str, pair: Pair, category: str, hint: str, *, order: bool = True) -> list[Finding]:
    src, tr = pair.found(category, "en"), pair.found(category, pair.language)
    findings = []
    for _family, (lost, gained) in sorted(swaps(src, tr).items()):
        findings.append(Finding(code, "error", f"{what} changed: source has {said(src, lost)}, "
                                f"translation has {said(tr, gained) if gained else 'only ' + said(tr)}", hint))
    for s_span, t_span in pair.segments() if not findings else ():
        s_part, t_part = within(src, s_span), within(tr, t_span)
        where = f" in '{excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
        for _family, (lost, gained) in sorted(swaps(s_part, t_part).items()) if where else ():
            findings.append(Finding(code, "error", f"{what} changed{where}: source has "
                                    f"{said(s_part, lost) if lost else said(s_part)}, translation has "
                                    f"{said(t_part, gained) if gained else 'only ' + said(t_part)}", hint))
        for family in redistributed(s_part, t_part):
            findings.append(Finding(code, "error", f"{what} exchanged{where}: source names "
                                    f"{tally(s_part, family)}, translation {tally(t_part, family)}", hint))
    for s_order, t_order in segment_order_changes(pair, src, tr) if order else ():
        findings.append(Finding(code, "error", f"{what} order changed: source has {' … '.join(map(concept_name, s_order))}, "
                                f"translation has {' … '.join(map(concept_name, t_order))}", hint))
    return findings


def interval(hard_s: int, soft_s: int, hard_t: int, soft_t: int) -> str:
    """'missing', 'added' or '' : can the two counts stand for the same thing?"""
    if hard_s > hard_t + soft_t:
        return "missing"
    if hard_t > hard_s + soft_s:
        return "added"
    return ""


def excerpt(source: str, span: tuple[int, int], size: int = 40) -> str:
    part = " ".join(normalise(source)[span[0]:span[1]].split()).lstrip("-* ")
    return part if len(part) <= size else part[:size - 1] + "…"
