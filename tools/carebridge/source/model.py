"""Stage 3: the typed protocol, built from schema-valid data. Text fields stay plain strings
here; ``localize`` swaps them for translated ``Text`` values."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Citation:
    ref: str
    section: str


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    year: int
    url: str
    section: str = ""
    checked: str = ""        # date someone confirmed this is the current version
    superseded_by: str = ""  # the newer version, when the old one is cited on purpose


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    date: str = ""


@dataclass(frozen=True)
class Variant:
    """A jurisdiction's own values for a medication (``variants: {CN: ...}``), with its own source.
    ``amount`` is None when the number could not be checked: the page shows the citation alone."""

    jurisdiction: str
    label: str
    source: Citation
    amount: float | None = None
    amount_max: float | None = None
    unit: str = ""
    frequency: str = ""
    max_dose: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Medication:
    id: str
    drug: str
    amount: float
    unit: str
    route: str
    frequency: str
    source: Citation
    amount_max: float | None = None
    max_dose: str = ""
    notes: str = ""
    alternative: str = ""  # another medication's id, for a hospital that lacks this drug
    variants: tuple[Variant, ...] = ()

    def variant(self, jurisdiction: str) -> Variant | None:
        return next((v for v in self.variants if v.jurisdiction == jurisdiction), None)


@dataclass(frozen=True)
class Requirement:
    """A resource a branch needs; where a hospital lacks it, go to ``otherwise``."""

    resource: str
    otherwise: str
    note: str = ""


@dataclass(frozen=True)
class Branch:
    when: str
    goto: str
    requires: Requirement | None = None


@dataclass(frozen=True)
class Decision:
    question: str
    branches: tuple[Branch, ...]


@dataclass(frozen=True)
class StepVariant:
    """A jurisdiction's own instructions for a step (``variants: {CN: ...}``), with its own source."""

    jurisdiction: str
    label: str
    instructions: str
    source: Citation


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    instructions: str
    medications: tuple[Medication, ...] = ()
    decision: Decision | None = None
    red_flags: tuple[str, ...] = ()
    source: Citation | None = None
    variants: tuple[StepVariant, ...] = ()

    def variant(self, jurisdiction: str) -> StepVariant | None:
        return next((v for v in self.variants if v.jurisdiction == jurisdiction), None)


@dataclass(frozen=True)
class Adaptation:
    id: str
    locale: str
    category: str
    note: str
    rationale: str
    step: str = ""
    source: Citation | None = None


@dataclass(frozen=True)
class Change:
    version: str
    date: str
    summary: str


@dataclass(frozen=True)
class Scope:
    population: str
    setting: str
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Protocol:
    """A schema-valid protocol. ``file`` is the path relative to the project root."""

    id: str
    kind: str
    version: str
    status: str
    specialty: str
    title: str
    summary: str
    scope: Scope
    owners: tuple[Person, ...]
    last_reviewed: str
    next_review: str
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    history: tuple[Change, ...]
    file: str = ""
    demonstration: bool = False
    partnership: str = ""
    reviewers: tuple[Person, ...] = ()
    red_flags: tuple[str, ...] = ()
    adaptations: tuple[Adaptation, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def source(self, ref: str) -> Source:
        return next(s for s in self.sources if s.id == ref)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)


def amount_text(amount: float, amount_max: float | None = None) -> str:
    """A dose as its author wrote it: every digit, never rounded or in exponent form (``:g`` showed
    2400000 units as 2.4e+06 and 0.1234567 mg as 0.123457); a range with an en dash."""
    def one(value: float) -> str:
        if isinstance(value, int) or value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # repr is the shortest text that reads back as the value
    return one(amount) + (f"–{one(amount_max)}" if amount_max is not None else "")


def _cite(data: dict[str, Any] | None) -> Citation | None:
    return Citation(**data) if data else None


def _medication(data: dict[str, Any]) -> Medication:
    fields = dict(data)
    fields["source"] = Citation(**data["source"])
    fields["variants"] = tuple(
        Variant(jurisdiction=key, **{**value, "source": Citation(**value["source"])})
        for key, value in sorted(data.get("variants", {}).items()))
    return Medication(**fields)


def _branch(data: dict[str, Any]) -> Branch:
    requires = data.get("requires")
    return Branch(data["when"], data["goto"], Requirement(**requires) if requires else None)


def _step(data: dict[str, Any]) -> Step:
    decision = data.get("decision")
    return Step(
        id=data["id"], title=data["title"], instructions=data["instructions"],
        medications=tuple(_medication(m) for m in data.get("medications", [])),
        decision=Decision(decision["question"], tuple(_branch(b) for b in decision["branches"])) if decision else None,
        red_flags=tuple(data.get("red_flags", [])),
        source=_cite(data.get("source")),
        variants=tuple(StepVariant(key, value["label"], value["instructions"], Citation(**value["source"]))
                       for key, value in sorted(data.get("variants", {}).items())),
    )


def build_protocol(data: dict[str, Any], file: str = "") -> Protocol:
    """Turn schema-valid data into a ``Protocol``.

    >>> p = build_protocol({"id": "x", "kind": "protocol", "version": "1.0.0", "status": "draft",
    ...     "specialty": "nursing", "title": "T", "summary": "S", "scope": {"population": "a", "setting": "b"},
    ...     "owners": [{"name": "A", "role": "B"}], "last_reviewed": "2026-01-01", "next_review": "2027-01-01",
    ...     "sources": [{"id": "s", "title": "t", "publisher": "p", "year": 2020, "url": "https://x"}],
    ...     "steps": [{"id": "one", "title": "One", "instructions": "Do it."}],
    ...     "history": [{"version": "1.0.0", "date": "2026-01-01", "summary": "first"}]})
    >>> p.steps[0].id, p.scope.exclusions
    ('one', ())
    """
    scope = data["scope"]
    return Protocol(
        id=data["id"], kind=data["kind"], version=data["version"], status=data["status"],
        specialty=data["specialty"], title=data["title"], summary=data["summary"],
        scope=Scope(scope["population"], scope["setting"], tuple(scope.get("exclusions", []))),
        owners=tuple(Person(**o) for o in data["owners"]),
        last_reviewed=data["last_reviewed"], next_review=data["next_review"],
        sources=tuple(Source(**s) for s in data["sources"]),
        steps=tuple(_step(s) for s in data["steps"]),
        history=tuple(Change(**c) for c in data["history"]),
        file=file, demonstration=bool(data.get("demonstration", False)),
        partnership=data.get("partnership", ""),
        reviewers=tuple(Person(**r) for r in data.get("reviewers", [])),
        red_flags=tuple(data.get("red_flags", [])),
        adaptations=tuple(Adaptation(**{k: v for k, v in a.items() if k != "source"}, source=_cite(a.get("source")))
                          for a in data.get("adaptations", [])),
        raw=data,
    )
