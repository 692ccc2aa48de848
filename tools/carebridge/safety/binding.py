"""Number–context binding: each number stays with the unit and the clinical terms it qualifies.

The numbers check pairs numbers by value, so "above 160 under 12 months, above 150 at 12 to 24
months" rendered with 150 and 160 exchanged passes it: the same numbers are there. Here each text
is cut into clauses (at punctuation and at or/and/if, 或/和/如…), and every number is tied to what
shares its clause: other numbers (an age, a time) and the terms of the vocabulary (heart rate,
infants, oxytocin, systolic, door-to-balloon). Word order inside a clause does not matter, so
"heart rate above 160 in infants" and 婴儿心率高于160 agree.

A translation may merge or split clauses; that only adds or removes ties. Two numbers have traded
places when a number lost a tie and gained another, and the term it lost is now tied to a number
it was not tied to before. Only numbers and terms found on both sides take part.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fractions import Fraction
from itertools import pairwise

from .clinical_terms import match_unit
from .concepts import Mention
from .findings import Finding
from .numerals import format_value
from .quantities import Quantity, read

ANCHOR_CATEGORIES = ("anchor", "term", "drug", "site", "laterality", "test")
_EN_CLAUSE = re.compile(r"[.,](?![0-9])|(?<![0-9])[.,]|[;!?\n()\[\]]|(?<![A-Za-z])(?:or(?! (?:more|less|higher|lower|above|below|"
                        r"over|under|greater|fewer|longer|shorter|older|younger)\b(?!\s*[<>≤≥~]?\s*[0-9]))|and|but|"
                        r"then|while|whereas)(?![A-Za-z])", re.I)
_ZH_CLAUSE = re.compile(r"[，,；;。！？!?\n()（）\[\]、]|或(?!以[上下]|更)者?|以及|和|及(?!时|以[上下])|但|然后")
_SECONDS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "wk": 604800}

Item = str


_DIRECTION = {"<": "<", "<=": "<", ">": ">", ">=": ">"}


def _key(q: Quantity) -> Item:
    """One key per amount and the way its limit points: 30 min and 半小时 are the same, "above
    150" and 150次/分 too (a unit is often written once for a list; the units check compares
    units), but "under 35" and "35 or over" are two thresholds."""
    direction = _DIRECTION.get(q.comparison, "")
    if isinstance(q.value, str):
        return f"#{q.value}"
    if q.unit in _SECONDS:
        return f"#{format_value(q.value * _SECONDS[q.unit])}s{direction}"
    return f"#{format_value(q.value)}{direction}"


# "at 48 hours and 7 days after discharge", 出院后48小时和7天: a conjunction between two amounts of
# the same kind (two times, two doses) joins the amounts, not two clauses: what precedes or follows
# applies to both. "32 weeks and 30%" stays two clauses.
_AMOUNT_BEFORE = re.compile(r"[0-9][0-9.,]*[ \t]*(?P<unit>[A-Za-z]{1,8}|[\u4e00-\u9fff]{1,2})[ \t]*$")
_AMOUNT_AFTER = re.compile(r"[ \t]*[0-9][0-9.,]*[ \t]*(?P<unit>[A-Za-z]{1,8}|[\u4e00-\u9fff]{1,2})")
_TIMES = frozenset({"s", "min", "h", "d", "wk", "mo", "y"})


_BARE_BEFORE = re.compile(r"[0-9][ \t]*$")
_BARE_AFTER = re.compile(r"[ \t]*[0-9]")


def _joins_amounts(text: str, m: re.Match[str]) -> bool:
    if m.group().strip().lower() in ("and", "or", "、", "和", "或") and _BARE_BEFORE.search(
            text, max(0, m.start() - 3), m.start()) and _BARE_AFTER.match(text, m.end()):
        return True  # "days 2 and 3", 第2、3天: two numbers of one list, under one unit
    before = _AMOUNT_BEFORE.search(text, max(0, m.start() - 16), m.start())
    after = _AMOUNT_AFTER.match(text, m.end())
    if not (m.group().strip().isalpha() and before and after):
        return False
    first, second = match_unit(before.group("unit"), 0), match_unit(after.group("unit"), 0)
    return bool(first and second and (first[0] == second[0] or {first[0], second[0]} <= _TIMES))


def _clauses(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    bounds = [0, *(m.start() for m in pattern.finditer(text) if not _joins_amounts(text, m)), len(text)]
    return list(pairwise(bounds))


def clause_spans(text: str, language: str) -> list[tuple[int, int]]:
    """The clauses binding reads: cut at punctuation and at or/and/but/then (或/和/及/但/然后)."""
    return _clauses(text, _EN_CLAUSE if language == "en" else _ZH_CLAUSE)


def _ties(text: str, pattern: re.Pattern[str], numbers: list[tuple[int, Item]],
          terms: list[tuple[int, Item]]) -> set[tuple[Item, Item]]:
    """(number, number or term) pairs that share a clause."""
    ties: set[tuple[Item, Item]] = set()
    for start, end in _clauses(text, pattern):
        here_numbers = {item for pos, item in numbers if start <= pos < end}
        here_all = here_numbers | {item for pos, item in terms if start <= pos < end}
        ties |= {(n, other) for n in here_numbers for other in here_all if other != n}
    return ties


def _terms(found: Iterable[Mention]) -> list[tuple[int, Item]]:
    return [(m.start, m.id) for m in found if not m.concept.soft]


def number_items(quantities: Iterable[Quantity]) -> list[tuple[int, Item]]:
    """(offset, key) of each firm number: 30 min and 半小时 share a key, "under 35" and "35 or over" do not."""
    return [(q.start, _key(q)) for q in quantities if q.strong and q.start >= 0 and isinstance(q.value, Fraction | str)]


def check_binding(source: str, translation: str, src_terms: Callable[[], list[Mention]],
                  tr_terms: Callable[[], list[Mention]],
                  src_quantities: tuple[Quantity, ...] | None = None,
                  tr_quantities: tuple[Quantity, ...] | None = None) -> list[Finding]:
    """Numbers that traded places between clauses.

    ``source`` and ``translation`` are the texts the mentions were found in (same offsets as the
    normalised text ``quantities.read`` reads); the mentions are asked for only when at least two
    numbers are on both sides.

    >>> from .concepts import mentions, prepare
    >>> from .vocabulary import vocabulary
    >>> v = vocabulary()["anchor"]
    >>> en = "Heart rate above 160 in infants, above 140 in children."
    >>> zh = "婴儿心率高于140，儿童高于160。"
    >>> s, t = prepare(en, "en"), prepare(zh, "zh")
    >>> [f.code for f in check_binding(s, t, lambda: mentions(v, s, "en"), lambda: mentions(v, t, "zh"))]
    ['binding']
    """
    src_q = src_quantities if src_quantities is not None else read(source).quantities
    tr_q = tr_quantities if tr_quantities is not None else read(translation).quantities
    s_numbers, t_numbers = number_items(src_q), number_items(tr_q)
    shared_numbers = {i for _, i in s_numbers} & {i for _, i in t_numbers}
    if len(shared_numbers) < 2:
        return []
    src_found = src_terms()
    s_terms, t_terms = _terms(src_found), _terms(tr_terms())
    shared = shared_numbers | ({i for _, i in s_terms} & {i for _, i in t_terms})
    s_ties = {t for t in _ties(source, _EN_CLAUSE, s_numbers, s_terms) if t[1] in shared and t[0] in shared}
    t_ties = {t for t in _ties(translation, _ZH_CLAUSE, t_numbers, t_terms) if t[1] in shared and t[0] in shared}
    shown = {_key(q): f"{q.text} {q.unit_text}".strip() for q in src_q if q.strong}
    exchange = _moved_partner(s_ties, t_ties) or _exchanged(s_ties, t_ties, shared_numbers)
    if exchange is None:
        return []
    number, other, taker = exchange
    return [Finding("binding", "error", f"numbers exchanged between clauses: in the source {shown.get(number, number[1:])} "
                    f"goes with {_show(other, src_found, shown)}; in the translation {shown.get(taker, taker[1:])} does",
                    "keep each threshold, dose or time with the age, measure, medicine or event it belongs to")]


Tie = tuple[Item, Item]


def _moved_partner(s_ties: set[Tie], t_ties: set[Tie]) -> tuple[Item, Item, Item] | None:
    """A number lost a partner and gained another, and the lost partner went to another number."""
    lost, gained = s_ties - t_ties, t_ties - s_ties
    # a number that left its measure or age group is the clearest way to say it
    for number, other in sorted(lost, key=lambda tie: (tie[1].startswith("#"), tie)):
        if not any(n == number for n, _ in gained):
            continue
        takers = sorted(n for n, o in gained if o == other and n != number)
        if takers:
            return number, other, takers[0]
    return None


def _exchanged(s_ties: set[Tie], t_ties: set[Tie], numbers: set[Item]) -> tuple[Item, Item, Item] | None:
    """Two numbers whose company is better explained exchanged than kept (one may stand alone)."""
    def company(ties: set[Tie], number: Item, without: Item) -> set[Item]:
        return {o for n, o in ties if n == number and o != without}

    ordered = sorted(numbers)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            sa, sb, ta, tb = (company(s_ties, a, b), company(s_ties, b, a), company(t_ties, a, b),
                              company(t_ties, b, a))
            if sa == sb:
                continue  # nothing tells them apart
            kept, swapped = len(sa ^ ta) + len(sb ^ tb), len(sa ^ tb) + len(sb ^ ta)
            if (kept - swapped >= 2 and swapped == 0) or kept - swapped >= 3:
                partner = sorted(sa - sb) or sorted(sa)
                return a, partner[0] if partner else b, b
    return None


def _show(item: Item, terms: Iterable[Mention], shown: dict[Item, str]) -> str:
    if item.startswith("#"):
        return shown.get(item, item[1:])
    said = next((m.text for m in terms if m.id == item), item.split(":", 1)[-1])
    return f"'{said}'"
