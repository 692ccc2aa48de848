"""A bilingual clinician's review of a translation, string by string, as data.

A review record in ``locales/<locale>/provenance.yaml`` names the reviewer, their role, the
date, the method, and the fingerprint of every string they reviewed:

    postpartum-haemorrhage:
      translated_from: 0.2.0
      ...
      reviews:
        - reviewer: 李医生
          role: obstetrician
          date: 2026-12-01
          method: [review]
          strings:
            "postpartum-haemorrhage:title": "9c1e0b8f2a6d4e73"
            "postpartum-haemorrhage:red_flags": ["0f4b…", "7a2c…"]   # a list shares one msgctxt

A fingerprint is the first 16 hex digits of SHA-256 over ``msgctxt NUL msgid NUL msgstr``
(UTF-8), so a later change of the English or of the translation invalidates the review of that
string, and of no other.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from babel.messages.catalog import Catalog

from ..problems import Problem, error
from ..source.loader import Document, JsonPath, format_path

REVIEW_METHODS = ("review", "back-translation", "reconciliation")
REVIEW_FIELDS = ("reviewer", "role", "date", "method", "strings", "notes")
FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def fingerprint(context: str, msgid: str, msgstr: str) -> str:
    """The short, stable identity of one translated string: what a reviewer signs.

    >>> fingerprint("pph:title", "Postpartum haemorrhage", "产后出血")
    '639d9482f99d08fe'
    """
    return hashlib.sha256(f"{context}\0{msgid}\0{msgstr}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ReviewedStrings:
    """The fingerprints signed under one msgctxt (several when a list shares the context)."""

    context: str
    fingerprints: tuple[str, ...]
    line: int = field(default=0, compare=False)
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Review:
    """One clinician's sign-off of some strings of one protocol's translation."""

    reviewer: str
    role: str
    date: str
    method: tuple[str, ...]
    strings: tuple[ReviewedStrings, ...]
    notes: str = ""


def parse_reviews(doc: Document, base: JsonPath) -> tuple[tuple[Review, ...], list[Problem]]:
    """The ``reviews`` list at ``base`` of a provenance document, checked strictly.

    Every problem carries the line and column of the offending key or value.
    """
    data = _at(doc.data, base)
    if data is None:
        return (), []
    problems: list[Problem] = []

    def report(path: JsonPath, message: str, hint: str, *, key: bool = False) -> None:
        line, col = doc.locate(path, key=key)
        problems.append(error(doc.file, line, col, message, path=format_path(path), hint=hint, code="provenance"))

    if not isinstance(data, list):
        report(base, "reviews must be a list of review records", "write `reviews:` then `- reviewer: ...` items")
        return (), problems
    reviews: list[Review] = []
    for index, item in enumerate(data):
        path = (*base, index)
        if not isinstance(item, dict):
            report(path, "a review must be a mapping", f"give {', '.join(REVIEW_FIELDS[:5])}")
            continue
        before = len(problems)
        for key in item:
            if key not in REVIEW_FIELDS:
                report((*path, key), f"unknown review field '{key}'", f"a review has: {', '.join(REVIEW_FIELDS)}",
                       key=True)
        for name in ("reviewer", "role"):
            if not isinstance(item.get(name), str) or not item[name].strip():
                report((*path, name), f"a review needs a non-empty {name}",
                       "name the bilingual clinician and their role, e.g. role: obstetrician")
        if not _is_date(item.get("date")):
            report((*path, "date"), f"date must be YYYY-MM-DD, got {item.get('date')!r}", "date: 2026-12-01")
        method = item.get("method")
        methods = [method] if isinstance(method, str) else method if isinstance(method, list) else None
        if not methods or any(m not in REVIEW_METHODS for m in methods):
            report((*path, "method"), f"method must list one or more of {', '.join(REVIEW_METHODS)}, got {method!r}",
                   "method: [review]")
        strings = _strings(doc, (*path, "strings"), item.get("strings"), report)
        if len(problems) == before:
            reviews.append(Review(item["reviewer"].strip(), item["role"].strip(), str(item["date"]),
                                  tuple(str(m) for m in methods or ()), strings, str(item.get("notes") or "")))
    return tuple(reviews), problems


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _is_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)))


def _strings(doc: Document, path: JsonPath, value: Any, report: Any) -> tuple[ReviewedStrings, ...]:
    hint = ("a fingerprint is 16 lowercase hex digits written by `carebridge i18n sign-off`; "
            "sign the string again rather than editing it")
    if not isinstance(value, dict) or not value:
        report(path, "strings must map each reviewed msgctxt to its fingerprint",
               'strings: {"pph:title": "0123456789abcdef"} (written by `carebridge i18n sign-off`)')
        return ()
    out: list[ReviewedStrings] = []
    for context, prints in value.items():
        where = (*path, context)
        items = prints if isinstance(prints, list) else [prints]
        bad = [p for p in items if not isinstance(p, str) or not FINGERPRINT.fullmatch(p)]
        if not items or bad:
            report(where, f"malformed fingerprint {bad[0] if bad else prints!r} for {context}", hint)
            continue
        line, col = doc.locate(where, key=True)
        out.append(ReviewedStrings(str(context), tuple(items), line, col))
    return tuple(out)


class ReviewStatus(enum.StrEnum):
    REVIEWED = "reviewed"          # a clinician signed exactly this English and this translation
    CHANGED = "changed"            # signed once; the English or the translation changed since
    UNREVIEWED = "unreviewed"      # translated, never signed
    UNTRANSLATED = "untranslated"  # nothing a reviewer could sign yet: empty or fuzzy


@dataclass(frozen=True)
class Reviewer:
    """A reviewer whose sign-off still covers ``strings`` of the current translation."""

    name: str
    role: str
    date: str
    strings: int


@dataclass
class ReviewState:
    """Where the review of one protocol's translation stands now."""

    protocol_id: str
    status: dict[tuple[str, str], ReviewStatus] = field(default_factory=dict)  # (msgctxt, msgid) -> status
    reviewers: tuple[Reviewer, ...] = ()  # newest first
    problems: list[Problem] = field(default_factory=list)

    def counts(self) -> Counter[ReviewStatus]:
        return Counter(self.status.values())

    @property
    def total(self) -> int:
        return len(self.status)

    @property
    def reviewed(self) -> int:
        return self.counts()[ReviewStatus.REVIEWED]

    @property
    def complete(self) -> bool:
        """Every string of the protocol is reviewed as it is now."""
        return bool(self.status) and self.reviewed == self.total

    def as_json(self) -> dict[str, int]:
        counts = self.counts()
        return {"strings": self.total, **{s.value: counts[s] for s in ReviewStatus}}


class Signed(Protocol):
    """What a review state reads of a protocol's provenance record (``provenance.Provenance``)."""

    @property
    def reviews(self) -> tuple[Review, ...]: ...

    @property
    def file(self) -> str: ...


def review_state(strings: Iterable[tuple[str, str]], catalog: Catalog | None, record: Signed | None,
                 protocol_id: str) -> ReviewState:
    """Each current string's review status, from the catalog and the provenance record.

    ``strings`` are the protocol's current (msgctxt, msgid) pairs (its template). A sign-off for
    a msgctxt the protocol no longer has is a problem at its line in the provenance file.
    """
    current = list(dict.fromkeys(strings))
    contexts = {context for context, _ in current}
    state = ReviewState(protocol_id)
    signed: dict[str, dict[str, list[Review]]] = {}  # msgctxt -> fingerprint -> reviews
    file = ""
    for review in record.reviews if record else ():
        for group in review.strings:
            if group.context not in contexts:
                file = record.file if record else ""
                state.problems.append(error(
                    file, group.line, group.col, f"reviewed string {group.context} is not a string of "
                    f"{protocol_id} any more", path=f"{protocol_id}.reviews.strings", code="provenance",
                    hint="the English text was removed: delete this line (the review of a removed text has "
                         "nothing left to cover)"))
                continue
            for mark in group.fingerprints:
                signed.setdefault(group.context, {}).setdefault(mark, []).append(review)
    matched: dict[str, set[str]] = {}
    covered: Counter[Review] = Counter()
    for context, msgid in current:
        entry = catalog.get(msgid, context) if catalog is not None else None
        text = entry.string if entry is not None and isinstance(entry.string, str) else ""
        shown = bool(text.strip()) and not (entry is not None and entry.fuzzy)  # what a reader would see
        mark = fingerprint(context, msgid, text)
        if shown and mark in signed.get(context, {}):
            state.status[(context, msgid)] = ReviewStatus.REVIEWED
            matched.setdefault(context, set()).add(mark)
            covered.update(signed[context][mark])
        else:
            state.status[(context, msgid)] = ReviewStatus.UNREVIEWED if shown else ReviewStatus.UNTRANSLATED
    for (context, msgid), status in state.status.items():
        # A signed fingerprint that matches nothing any more: the string under it changed.
        if status is not ReviewStatus.REVIEWED and set(signed.get(context, {})) - matched.get(context, set()):
            state.status[(context, msgid)] = ReviewStatus.CHANGED
    people = [Reviewer(r.reviewer, r.role, r.date, n) for r, n in covered.items()]
    state.reviewers = tuple(sorted(people, key=lambda p: (p.date, p.name, p.role), reverse=True))
    return state
