"""Two of an opposed set that traded places: "preterm babies are weighed daily; term babies on
alternate days" as 足月儿每天称重，早产儿隔天称重, or "this dose is for adults; children need a
weight-based dose" as 此剂量适用于儿童，成人须按体重计算剂量. (English clauses joined by a comma are
not read: a comma also parts a list's items, so "…daily, term babies on alternate days" is left.)

Every word is there and no number changed clause, so neither the contrast check (both groups are
named on both sides) nor the binding check (numbers only) sees it. Here each text is cut into the
clauses ``binding`` reads, and the two members of an opposed set (adults and children, preterm and
term, the insertion site and the hub: one family of ``contrast`` or ``kind``) found on both sides
are each tied to what their clauses name besides them: a number, a frequency, a medicine, a site,
a test, another group. A member exchanged when something only its partner's clause held in the
source is only in its own clause in the translation. A translation that merges the two clauses
ties both to everything, which moves nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import pairwise

from .binding import clause_spans, number_items
from .concepts import Mention
from .findings import Finding
from .pair import Pair
from .quantities import read

_SETS = ("contrast", "kind")  # where opposed sets live (age groups, gestation, sites of a line …)
_ITEMS = ("anchor", "term", "drug", "site", "laterality", "frequency-word", "test", "contrast", "kind")
_EN_PART = re.compile(r"[;:!?\n()]|[.](?![0-9])")  # not a comma: "fever, chills or low blood pressure" is one list
_ZH_PART = re.compile(r"[，,；;。：:！？!?\n（）()]")
# families whose members are no group a rule is for, but the words that make it a rule
_FRAME = frozenset({"obligation", "condition", "timing", "polarity", "negation", "quantity", "how-many"})


def _members(pair: Pair, side: str) -> dict[str, set[str]]:
    by_family: dict[str, set[str]] = defaultdict(set)
    for category in _SETS:
        for m in pair.found(category, side):
            if not m.concept.soft and m.concept.family not in _FRAME:
                by_family[m.concept.family].add(m.id)
    return by_family


def _parts(text: str, side: str) -> list[tuple[int, int]]:
    """Sentence parts: cut at punctuation only (in English not at a comma, which also parts a list's
    items). Two groups named in one list ("fever and sepsis", 轻中度) share a part, and are left
    alone: a list is cut differently in the two languages."""
    cut = _EN_PART if side == "en" else _ZH_PART
    bounds = [0, *(m.end() for m in cut.finditer(text)), len(text)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def _company(pair: Pair, side: str, members: tuple[str, str]) -> dict[str, set[str]] | None:
    """What shares a clause with each of the two members (never the members themselves); None when the
    two share a sentence part, or one is in none."""
    text = pair.text(side)
    language = "en" if side == "en" else pair.language
    found: list[Mention] = [m for c in _ITEMS for m in pair.found(c, side) if not m.concept.soft]
    where = {member: {m.start for c in _SETS for m in pair.found(c, side) if m.id == member} for member in members}
    parts = _parts(text, language)
    for a, b in parts:
        if all(any(a <= at < b for at in where[member]) for member in members):
            return None
    readings = pair.readings[0 if side == "en" else 1].quantities if pair.readings else read(text).quantities
    items = [(m.start, m.id) for m in found] + number_items(readings)
    company: dict[str, set[str]] = {member: set() for member in members}
    for start, end in clause_spans(text, language):
        here = {item for at, item in items if start <= at < end}
        for member in members:
            if member in here:
                company[member] |= here - set(members)
    return company


def exchanged_members(pair: Pair) -> list[Finding]:
    """Reported as ``binding``, after numbers exchanged between clauses (``meaning``)."""
    source, translation = _members(pair, "en"), _members(pair, pair.language)
    for family in sorted(source.keys() & translation.keys()):
        if len(source[family]) != 2 or source[family] != translation[family]:
            continue
        a, b = sorted(source[family])
        s, t = _company(pair, "en", (a, b)), _company(pair, pair.language, (a, b))
        if s is None or t is None:
            continue
        shared = (s[a] | s[b]) & (t[a] | t[b])
        for member, partner in ((a, b), (b, a)):
            moved = sorted(x for x in (s[partner] - s[member]) & shared if x in t[member] - t[partner])
            if moved:
                said = {m.id: m.text.strip() for c in _ITEMS for m in reversed(pair.found(c, "en"))}
                return [Finding("binding", "error", f"'{said.get(member, member)}' and '{said.get(partner, partner)}' "
                                f"exchanged: in the source '{said.get(moved[0], moved[0].lstrip('#'))}' goes with "
                                f"'{said.get(partner, partner)}', in the translation with '{said.get(member, member)}'",
                                "keep each dose, time, site or rule with the group or place it is for")]
    return []
