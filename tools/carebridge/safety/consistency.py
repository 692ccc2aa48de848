"""One English term, one Chinese rendering: the same term translated differently across catalogs.

Per-message checks cannot see this: 红旗征象 in one catalog and 危险信号 in another are each a
fine translation of "red flags". Two signals, each a warning naming both places:

* a term from ``data/en-zh-terms.yaml`` rendered with a variant other than the one the rest of
  the library uses (the most used one; the file's first on a tie);
* the same English message (three words or more) translated differently in two places.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .findings import Finding

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Place:
    """Where a message is: catalog path as shown, line, and its two texts."""

    file: str
    line: int | None
    source: str
    translation: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class _Group:
    term: str
    english: re.Pattern[str]
    variants: tuple[re.Pattern[str], ...]


@lru_cache(maxsize=1)
def _any_term() -> re.Pattern[str]:
    """All groups' English at once: most messages name none of the terms."""
    return re.compile("|".join(f"(?:{g.english.pattern})" for g in _groups()), re.I)


@lru_cache(maxsize=1)
def _groups() -> tuple[_Group, ...]:
    text = resources.files("carebridge.safety").joinpath("data", "en-zh-terms.yaml").read_text(encoding="utf-8")
    groups = []
    for entry in (yaml.load(text, Loader=_Loader) or {}).get("consistency", []):
        english = re.compile(rf"(?<![A-Za-z]){entry['en']}(?![A-Za-z])", re.I)
        groups.append(_Group(entry["en"], english, tuple(re.compile(v) for v in entry["zh"])))
    return tuple(groups)


_WORDS = re.compile(r"[A-Za-z]+")
_FOLD = re.compile(r"[\s，,。.；;：:、!！?？\"“”'‘’()（）]+")


def check_consistency(places: list[Place]) -> list[tuple[Place, Finding]]:
    """Warnings for renderings that differ from the rest of the library, each at its place.

    >>> a = Place("a.po", 3, "Check the red flags.", "检查危险信号。")
    >>> b = Place("b.po", 9, "Red flags", "危险信号")
    >>> c = Place("c.po", 5, "Red flags: act now", "红旗征象：立即处理")
    >>> [(str(p), f.message) for p, f in check_consistency([a, b, c])]
    [('c.po:5', "'red flags' is 红旗征象 here but 危险信号 in a.po:3 (and 1 more)")]
    """
    return _term_variants(places) + _same_message(places)


def _term_variants(places: list[Place]) -> list[tuple[Place, Finding]]:
    out: list[tuple[Place, Finding]] = []
    candidates = [place for place in places if _any_term().search(place.source)]
    for group in _groups():
        uses: dict[int, list[tuple[Place, str]]] = defaultdict(list)
        for place in candidates:
            match = group.english.search(place.source)
            if not match:
                continue
            for index, variant in enumerate(group.variants):
                rendering = variant.search(place.translation)
                if rendering:
                    uses[index].append((place, rendering.group()))
                    break
        if len(uses) < 2:
            continue
        usual = max(uses, key=lambda i: (len(uses[i]), -i))
        first, said = uses[usual][0]
        more = f" (and {len(uses[usual]) - 1} more)" if len(uses[usual]) > 1 else ""
        term = _term_name(places, group)
        for index, renderings in uses.items():
            if index == usual:
                continue
            for place, text in renderings:
                out.append((place, Finding("consistency", "warning", f"'{term}' is {text} here but {said} in "
                                           f"{first}{more}", f"use {said} as the rest of the library does, or "
                                           "change every place together")))
    return out


def _term_name(places: list[Place], group: _Group) -> str:
    for place in places:
        match = group.english.search(place.source)
        if match:
            return match.group().lower()
    return group.term


def _same_message(places: list[Place]) -> list[tuple[Place, Finding]]:
    out: list[tuple[Place, Finding]] = []
    first_seen: dict[str, tuple[Place, str]] = {}
    for place in places:
        if len(_WORDS.findall(place.source)) < 3:
            continue  # "Yes" is 是 or 有 by the question it answers
        key = " ".join(place.source.split()).casefold()
        folded = _FOLD.sub("", place.translation)
        if key not in first_seen:
            first_seen[key] = (place, folded)
            continue
        earlier, earlier_folded = first_seen[key]
        if folded != earlier_folded:
            out.append((place, Finding("consistency", "warning", f"the same English is translated differently in "
                                       f"{earlier}: '{_short(earlier.translation)}' there, "
                                       f"'{_short(place.translation)}' here",
                                       "translate the same text the same way in every catalog")))
    return out


def _short(text: str, size: int = 80) -> str:
    """A translation as a warning shows it: one line, at most ``size`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"
