"""A hospital's edition of the library (``editions/<id>.yaml``): loaded, validated, typed.

An edition says what a protocol cannot: who answers a role ({contact:role}), which resources
a branch needs are there (``requires: {resource: id}``), which drugs are stocked, and local
notes. It is checked against ``edition.schema.json`` (positions and hints as for protocols)
and against the library: every protocol, step, drug, role and resource it names must exist,
and every role the library's protocols name must have a contact.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import markup
from ..fsio import files_in, linked_outside
from ..problems import Problem, error
from .library import Loaded, Project
from .loader import Document, JsonPath, format_path, load_file
from .model import Change, Citation
from .schema import EDITION_SCHEMA, edition_vocabulary
from .validate import validate_document

EDITIONS_DIR = "editions"


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    phone: str


@dataclass(frozen=True)
class Resource:
    id: str
    available: bool
    hours: str = ""


@dataclass(frozen=True)
class LocalDose:
    text: str
    source: Citation


@dataclass(frozen=True)
class FormularyItem:
    drug: str
    available: bool
    local_name: str = ""
    local_dose: LocalDose | None = None


@dataclass(frozen=True)
class LocalNote:
    id: str
    protocol: str
    note: str
    step: str = ""
    source: Citation | None = None


@dataclass(frozen=True)
class EditionSource:
    id: str
    title: str
    publisher: str
    year: int
    url: str = ""


@functools.cache
def _countries() -> frozenset[str]:
    """ISO 3166 alpha-2 codes, as Babel (CLDR) names territories."""
    import babel

    # not CLDR's groupings (EU, UN, EZ) nor ISO's codes for private use (AA, QM-QZ, XA-XZ, ZZ: "unknown")
    private = {"AA", "ZZ", "EU", "EZ", "UN"} | {f"Q{c}" for c in "MNOPQRSTUVWXYZ"} | {f"X{c}" for c in map(chr, range(65, 91))}
    codes = (str(code) for code in babel.Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha() and code not in private)


def edition_domain(edition_id: str) -> str:
    """The gettext domain (catalog name) of an edition's own texts: ``edition-<id>``."""
    return f"edition-{edition_id}"


@dataclass(frozen=True)
class Edition:
    """One hospital's edition; ``file`` is relative to the project root."""

    id: str
    version: str
    jurisdiction: str
    name: str
    contacts: tuple[Contact, ...]
    resources: tuple[Resource, ...]
    history: tuple[Change, ...]
    file: str = ""
    demonstration: bool = False
    sources: tuple[EditionSource, ...] = ()
    formulary: tuple[FormularyItem, ...] = ()
    notes: tuple[LocalNote, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def domain(self) -> str:
        """The gettext domain of the edition's own texts."""
        return edition_domain(self.id)

    def contact(self, role: str) -> Contact | None:
        return next((c for c in self.contacts if c.role == role), None)

    def resource(self, resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

    def stock(self, drug: str) -> FormularyItem | None:
        return next((f for f in self.formulary if f.drug.casefold() == drug.casefold()), None)

    def source(self, ref: str) -> EditionSource:
        return next(s for s in self.sources if s.id == ref)


def build_edition(data: dict[str, Any], file: str = "") -> Edition:
    """Turn schema-valid data into an ``Edition``."""
    def cite(value: dict[str, Any] | None) -> Citation | None:
        return Citation(**value) if value else None

    return Edition(
        id=data["id"], version=data["version"], jurisdiction=data["jurisdiction"], name=data["name"],
        contacts=tuple(Contact(role, c["name"], c["phone"]) for role, c in data["contacts"].items()),
        resources=tuple(Resource(rid, r["available"], r.get("hours", "")) for rid, r in data["resources"].items()),
        history=tuple(Change(**c) for c in data["history"]), file=file,
        demonstration=bool(data.get("demonstration", False)),
        sources=tuple(EditionSource(**s) for s in data.get("sources", [])),
        formulary=tuple(FormularyItem(f["drug"], f["available"], f.get("local_name", ""),
                                      LocalDose(f["local_dose"]["text"], Citation(**f["local_dose"]["source"]))
                                      if "local_dose" in f else None) for f in data.get("formulary", [])),
        notes=tuple(LocalNote(n["id"], n["protocol"], n["note"], n.get("step", ""), cite(n.get("source")))
                    for n in data.get("notes", [])),
        raw=data,
    )


@dataclass(frozen=True)
class LoadedEdition:
    edition: Edition
    document: Document


class _Checker:
    """The rules across an edition and the library."""

    def __init__(self, doc: Document, facts: LibraryFacts, complete: bool = True):
        self.complete = complete  # False for a preview of some protocols: names outside it are not errors
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.facts = facts
        self.protocols = facts.protocols
        self.vocabulary = edition_vocabulary()
        self.problems: list[Problem] = []

    def report(self, path: JsonPath, message: str, hint: str, code: str, *, key: bool = False) -> None:
        line, col = self.doc.locate(path, key=key)
        self.problems.append(error(self.doc.file, line, col, message, path=format_path(path), hint=hint, code=code))

    def unknown(self, path: JsonPath, value: str, known: set[str], what: str, *, key: bool = False) -> None:
        close = difflib.get_close_matches(value, sorted(known), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known {what} ids: {', '.join(sorted(known)) or 'none'}"
        self.report(path, f"no {what} '{value}'", hint, f"unknown-{what}", key=key)

    def run(self, expected_id: str | None) -> list[Problem]:
        d = self.data
        if expected_id is not None and d["id"] != expected_id:
            self.report(("id",), f"id '{d['id']}' does not match the file name '{expected_id}.yaml'",
                        f"rename the file to {d['id']}.yaml or set id: {expected_id}", "id-mismatch")
        if d["jurisdiction"] not in _countries():  # ZZ matches ^[A-Z]{2}$ and no country's variants
            self.report(("jurisdiction",), f"'{d['jurisdiction']}' is no country code",
                        "write the ISO 3166 code of the hospital's country, such as CN", "unknown-jurisdiction")
        for kind, section in (("contact", "contacts"), ("resource", "resources")):
            for name in d[section]:
                if name not in self.vocabulary[kind]:
                    self.unknown((section, name), name, set(self.vocabulary[kind]),
                                 "role" if kind == "contact" else "resource", key=True)
        sources = {s["id"] for s in d.get("sources", [])}
        drugs = self.facts.drugs
        listed: dict[str, int] = {}
        for i, item in enumerate(d.get("formulary", [])):
            first = listed.setdefault(item["drug"].casefold(), i)
            if first != i:  # the page would show one entry and drop the other without a word
                self.report(("formulary", i, "drug"), f"'{item['drug']}' is listed twice in the formulary (first "
                            f"as formulary[{first}])", "keep one entry per drug: stocked or not, its local name "
                            "and its local dose together", "duplicate-drug")
            if self.complete and item["drug"].casefold() not in drugs:
                self.unknown(("formulary", i, "drug"), item["drug"], drugs, "drug in the protocols")
            if "local_dose" in item:
                self.cite(("formulary", i, "local_dose", "source"), item["local_dose"]["source"], sources)
        seen: set[str] = set()
        for i, note in enumerate(d.get("notes", [])):
            if note["id"] in seen:
                self.report(("notes", i, "id"), f"duplicate note id '{note['id']}'",
                            "each note needs its own id; translations are keyed on it", "duplicate-id")
            seen.add(note["id"])
            protocol = self.protocols.get(note["protocol"])
            if protocol is None and self.complete:
                self.unknown(("notes", i, "protocol"), note["protocol"], set(self.protocols), "protocol")
            elif protocol is not None and note.get("step") and note["step"] not in protocol.steps:
                self.unknown(("notes", i, "step"), note["step"], set(protocol.steps), "step")
            if "source" in note:
                self.cite(("notes", i, "source"), note["source"], sources)
        self.safe_text(d, ())
        self.library_roles()
        return self.problems

    def cite(self, path: JsonPath, citation: dict[str, Any], sources: set[str]) -> None:
        if citation["ref"] not in sources:
            self.unknown(path + ("ref",), citation["ref"], sources, "source of this edition")

    def safe_text(self, node: Any, path: JsonPath) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                self.safe_text(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                self.safe_text(value, path + (index,))
        elif isinstance(node, str) and not markup.plain(node):
            if markup.raw_html(node):
                self.report(path, "raw HTML is not allowed in edition text", "use Markdown or plain text", "raw-html")
            refusal = markup.link_refusal(node, " in edition text")
            if refusal:
                self.report(path, refusal, "link to a public https:// page", "unsafe-link")
            elif markup.images(node):  # to a public page (any other is an unsafe link above)
                self.report(path, f"images are not shown on pages: {markup.images(node)[0]}…",
                            "describe in words what it shows, or link to it: [the chart](https://…)", "image")
            for kind, name in markup.references(node):
                section = "contacts" if kind == "contact" else "resources"
                if name not in self.data[section]:
                    self.unknown(path, name, set(self.data[section]), "role" if kind == "contact" else "resource")

    def library_roles(self) -> None:
        """Every role a protocol names must be answered here; reported where the protocol names it."""
        contacts = set(self.data["contacts"])
        for protocol in self.protocols.values():
            for name, path, line, col in protocol.roles:
                if name in contacts:
                    continue
                self.problems.append(error(
                    protocol.file, line, col,
                    f"names role '{name}', which edition '{self.data['id']}' does not define", path=path,
                    code="edition-role",
                    hint=f"add `{name}: {{name: ..., phone: ...}}` under contacts: in {self.doc.file}"))


@dataclass(frozen=True)
class ProtocolFacts:
    """What editions are checked against in one protocol: small, so a validation's workers send
    these back instead of whole protocols."""

    id: str
    file: str
    steps: frozenset[str]
    drugs: frozenset[str]  # casefolded names of the medications its steps dose
    roles: tuple[tuple[str, str, int | None, int | None], ...]  # each {contact:role}: role, path, line, col

    @classmethod
    def of(cls, item: Loaded) -> ProtocolFacts:
        """The facts of ``item``; read once per process for the same file bytes (a build checks its
        editions before MkDocs starts and loads them again in the plugin)."""
        known = _FACTS.get((item.protocol.file, item.digest)) if item.digest is not None else None
        if known is None:
            known = cls._read(item)
            if item.digest is not None:
                if len(_FACTS) >= _FACTS_KEPT:  # a long serve's edits: start again rather than grow
                    _FACTS.clear()
                _FACTS[(item.protocol.file, item.digest)] = known
        return known

    @classmethod
    def _read(cls, item: Loaded) -> ProtocolFacts:
        roles = []
        for path, text in _strings(item.document.data, ()):
            for kind, name in markup.references(text):
                if kind == "contact":
                    roles.append((name, format_path(path), *item.document.locate(path)))
        protocol = item.protocol
        return cls(protocol.id, protocol.file, frozenset(s.id for s in protocol.steps),
                   frozenset(m.drug.casefold() for s in protocol.steps for m in s.medications), tuple(roles))


_FACTS: dict[tuple[str, bytes], ProtocolFacts] = {}
_FACTS_KEPT = 20_000


@dataclass(frozen=True)
class LibraryFacts:
    """What every edition is checked against, read from the library once for all of them."""

    protocols: dict[str, ProtocolFacts]
    drugs: set[str]  # casefolded names of every medication a step doses

    @classmethod
    def of(cls, library: list[Loaded] | LibraryFacts) -> LibraryFacts:
        if isinstance(library, LibraryFacts):
            return library
        return cls.gather([ProtocolFacts.of(item) for item in library])

    @classmethod
    def gather(cls, parts: list[ProtocolFacts]) -> LibraryFacts:
        protocols: dict[str, ProtocolFacts] = {}
        for part in parts:  # a second protocol with an id is dropped, as when the library loads
            protocols.setdefault(part.id, part)
        return cls(protocols, {drug for part in protocols.values() for drug in part.drugs})


def _strings(node: Any, path: JsonPath) -> list[tuple[JsonPath, str]]:
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _strings(value, path + (key,))]
    if isinstance(node, list):
        return [found for index, value in enumerate(node) for found in _strings(value, path + (index,))]
    return [(path, node)] if isinstance(node, str) and "{" in node else []


def edition_files(project: Project) -> list[Path]:
    folder = project.root / EDITIONS_DIR
    return files_in(folder, ".yaml")


def load_edition(project: Project, path: Path, library: list[Loaded] | LibraryFacts,
                 complete: bool = True) -> tuple[LoadedEdition | None, list[Problem]]:
    """Load one edition file, check it against its schema and against ``library`` (or the facts
    read from it, which a caller checking several editions reads once)."""
    display = project.rel(path)
    real = linked_outside(path, project.root / EDITIONS_DIR)
    if real is not None:
        return None, [error(f"{EDITIONS_DIR}/{path.name}", None, None, f"links to {real}, outside {EDITIONS_DIR}/",
                            hint="copy the edition file into editions/, where it is reviewed and versioned",
                            code="symlink")]
    doc, problems = load_file(path, display, "hospital edition")
    if doc is None:
        return None, problems
    problems = validate_document(doc, schema_path=EDITION_SCHEMA, semantics=False)
    if not problems:
        problems = _Checker(doc, LibraryFacts.of(library), complete).run(path.stem)
    if problems:
        return None, problems
    return LoadedEdition(build_edition(doc.data, display), doc), []


def load_editions(project: Project, library: list[Loaded] | LibraryFacts, only: list[str] | None = None,
                  complete: bool = True) -> tuple[list[LoadedEdition], list[Problem]]:
    """The editions under ``editions/`` (or just the ids in ``only``), sorted by id; ``complete``
    False when ``library`` is a preview of some protocols (``--only``)."""
    files = edition_files(project)
    problems: list[Problem] = []
    if only is not None:
        known = {p.stem: p for p in files}
        for name in only:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                problems.append(error(f"{EDITIONS_DIR}/{name}.yaml", None, None, f"no edition '{name}'", code="io",
                                      hint=f"did you mean '{close[0]}'?" if close else
                                      f"editions: {', '.join(sorted(known)) or f'none yet (add {EDITIONS_DIR}/<id>.yaml)'}"))
        files = [known[name] for name in only if name in known]
    loaded: list[LoadedEdition] = []
    facts = LibraryFacts.of(library) if files else library
    for path in files:
        item, found = load_edition(project, path, facts, complete)
        problems += found
        if item is not None:
            loaded.append(item)
    return loaded, problems
