"""``carebridge i18n pull-reviews``: strings approved in Weblate become review records.

An approved string becomes part of a review record in ``locales/<locale>/provenance.yaml``
only when the catalog holds exactly the text that was approved, and only if sign-off could
sign it (translated, not fuzzy, passing every safety check). Each such string is fingerprinted
from the catalog, as sign-off does; approvals are grouped into one record per reviewer and
day (method ``review``). A string the same reviewer already signed with the same fingerprint
is left out, so pulling twice records nothing new. Every other approved string is reported
with the reason it was skipped; a broken provenance file or catalog stops everything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from ..fsio import decode_utf8, write_all_atomic
from ..problems import Problem, Severity, error, warning
from ..source.library import Project
from ..source.loader import load_text
from .catalog import read_catalog
from .extract import Message, protocol_messages
from .provenance import Provenance, load_provenance
from .reviews import Review, ReviewedStrings, fingerprint, review_state
from .signoff import append_review, find_protocol, unfit_name, unsafe_strings, verify_provenance_text
from .weblate_api import ApprovedUnit

DEFAULT_ROLE = "Weblate reviewer"
NOT_PROTOCOLS = ("site", "glossary")  # the site's words and Weblate's own glossary have no provenance
CODE = "pull-reviews"


@dataclass(frozen=True)
class Clinician:
    """How a Weblate user is named in provenance.yaml (from the --reviewers file)."""

    name: str
    role: str


@dataclass(frozen=True)
class PlannedReview:
    """One review record to add: who approved which strings of one protocol on one day."""

    locale: str
    protocol_id: str
    file: str  # the provenance file
    username: str  # the Weblate user
    review: Review

    @property
    def strings(self) -> int:
        return sum(len(group.fingerprints) for group in self.review.strings)


@dataclass
class Pulled:
    """What pull-reviews found and recorded (or would record, with --dry-run)."""

    reviews: list[PlannedReview] = field(default_factory=list)
    approved: int = 0  # approved units read from Weblate
    already: int = 0  # already recorded: same reviewer, same fingerprint
    not_protocols: int = 0  # approved site words and glossary terms
    skipped: int = 0  # reported with the reason, not recorded
    written: list[str] = field(default_factory=list)

    @property
    def recorded(self) -> int:
        return sum(r.strings for r in self.reviews)

    def as_json(self) -> dict[str, object]:
        return {"approved": self.approved, "recorded": self.recorded, "already_recorded": self.already,
                "skipped": self.skipped, "site_or_glossary": self.not_protocols, "written": self.written,
                "reviews": [{"locale": r.locale, "protocol": r.protocol_id, "file": r.file,
                             "reviewer": r.review.reviewer, "role": r.review.role, "date": r.review.date,
                             "weblate_user": r.username, "strings": r.strings,
                             "msgctxt": [g.context for g in r.review.strings]} for r in self.reviews]}


def pull_reviews(project: Project, units: list[ApprovedUnit], *, role: str = DEFAULT_ROLE,
                 clinicians: dict[str, Clinician] | None = None,
                 dry_run: bool = False) -> tuple[Pulled | None, list[Problem]]:
    """Record the approvals that match the catalogs; None (nothing written) on any error."""
    pulled, problems, texts = plan_reviews(project, units, role=role, clinicians=clinicians)
    if any(p.severity is Severity.ERROR for p in problems):
        return None, problems
    if not dry_run:
        pulled.written = [project.rel(path) for path in write_all_atomic(dict(texts))]
    return pulled, problems


def plan_reviews(project: Project, units: list[ApprovedUnit], *, role: str = DEFAULT_ROLE,
                 clinicians: dict[str, Clinician] | None = None
                 ) -> tuple[Pulled, list[Problem], dict[Path, str]]:
    """The review records the approvals make, the problems, and each provenance file's new text."""
    pulled = Pulled(approved=len(units))
    problems: list[Problem] = []
    by_protocol: dict[tuple[str, str], list[ApprovedUnit]] = defaultdict(list)
    for unit in units:
        by_protocol[(unit.locale, unit.component)].append(unit)
    provenance: dict[str, tuple[dict[str, Provenance], str]] = {}  # locale -> (records, text)
    for (locale, component), group in sorted(by_protocol.items()):
        if component in NOT_PROTOCOLS:
            pulled.not_protocols += len(group)
            continue
        if locale not in provenance:
            path = project.locales_dir / locale / "provenance.yaml"
            records, found = load_provenance(path, project.rel(path))
            problems += found
            provenance[locale] = records, _read(path)
        reviews, found = _plan_protocol(project, locale, component, group, provenance[locale][0], role, clinicians,
                                        pulled)
        pulled.reviews += reviews
        problems += found
    pulled.skipped = pulled.approved - pulled.not_protocols - pulled.already - pulled.recorded
    if any(p.severity is Severity.ERROR for p in problems):
        return pulled, problems, {}
    texts: dict[Path, str] = {}
    for locale, (records, text) in provenance.items():
        path = project.locales_dir / locale / "provenance.yaml"
        for planned in (r for r in pulled.reviews if r.locale == locale):
            text = append_review(text, planned.protocol_id, planned.review, dt.date.fromisoformat(planned.review.date))
            verify_provenance_text(text, planned.file, project.root, records, planned.protocol_id, planned.review)
            old = records[planned.protocol_id]
            records = {**records, old.protocol_id: dataclasses.replace(old, reviews=(*old.reviews, planned.review))}
        if any(r.locale == locale for r in pulled.reviews):
            texts[path] = text
    return pulled, problems, texts


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff") if path.exists() else ""


def _plan_protocol(project: Project, locale: str, protocol_id: str, units: list[ApprovedUnit],
                   records: dict[str, Provenance], role: str, clinicians: dict[str, Clinician] | None,
                   pulled: Pulled) -> tuple[list[PlannedReview], list[Problem]]:
    loaded, found = find_protocol(project, protocol_id)
    if loaded is None:
        if all(p.code == "usage" for p in found):
            return [], [warning(project.rel(project.protocols_dir), None, None,
                                f"{len(units)} string(s) approved in Weblate component '{protocol_id}' ({locale}) "
                                f"skipped: no protocol with that id here", code=CODE,
                                hint="the protocol was renamed or removed; update Weblate from the repository")]
        return [], found
    catalog_path = project.catalog_path(locale, protocol_id)
    display = project.rel(catalog_path)
    if not catalog_path.exists():
        return [], [warning(display, None, None, f"{len(units)} string(s) of {protocol_id} approved in Weblate "
                            f"skipped: there is no {locale} catalog here", code=CODE,
                            hint="pull Weblate's commits (or run `carebridge i18n init --locale "
                                 f"{locale}`), then pull-reviews again")]
    catalog, found = read_catalog(catalog_path, display, locale)
    if catalog is None or found:
        return [], found
    file = project.rel(project.locales_dir / locale / "provenance.yaml")
    record = records.get(protocol_id)
    if record is None:
        return [], [warning(file, None, None, f"{len(units)} string(s) of {protocol_id} approved in Weblate skipped: "
                            f"no provenance record for {protocol_id}", code=CODE,
                            hint=f"record who translated it first: `{protocol_id}:` with translated_from, date, "
                                 "method and translators")]
    messages = protocol_messages(loaded.document, project.schema_path)
    state = review_state([(m.context, m.msgid) for m in messages], catalog, record, protocol_id)
    if state.problems:
        return [], state.problems
    signed = {(r.reviewer, g.context, mark) for r in record.reviews for g in r.strings for mark in g.fingerprints}
    problems: list[Problem] = []
    matched: list[tuple[ApprovedUnit, Message, Clinician]] = []
    known = {(m.context, m.msgid): m for m in messages}
    for unit in units:
        message = known.get((unit.context, unit.msgid))
        entry = catalog.get(unit.msgid, unit.context)
        line = entry.lineno if entry is not None else None
        why, hint = _mismatch(unit, message, catalog, clinicians)
        if why:
            problems.append(warning(display, line, None, f"approved in Weblate but not recorded: {why}",
                                    path=unit.context, hint=f"{hint} ({unit.web_url})", code=CODE))
            continue
        assert message is not None and unit.approval is not None
        listed = (clinicians or {}).get(unit.approval.username)
        matched.append((unit, message, listed or Clinician(unit.approval.name, role)))
    unsafe = {(p.path, p.line): p for p in unsafe_strings(project, locale, [m for _, m, _ in matched], catalog, display)}
    if any((p.path, p.line) not in {(m.context, _line(catalog, m)) for _, m, _ in matched} for p in unsafe.values()):
        return [], list(unsafe.values())  # a broken glossary: nothing can be checked
    groups: dict[tuple[str, str, str, str], dict[Message, str]] = defaultdict(dict)
    for unit, message, person in matched:
        blocked = unsafe.get((message.context, _line(catalog, message)))
        if blocked is not None:
            problems.append(dataclasses.replace(
                blocked, severity=Severity.WARNING, code=CODE,
                message=f"approved in Weblate but not recorded: {blocked.message}",
                hint=f"{blocked.hint} ({unit.web_url})"))
            continue
        mark = fingerprint(message.context, message.msgid, unit.target)
        if (person.name, message.context, mark) in signed:
            pulled.already += 1
            continue
        assert unit.approval is not None
        groups[(person.name, person.role, unit.approval.date, unit.approval.username)][message] = mark
    planned = []
    for (name, person_role, date, username), marks in sorted(groups.items(), key=lambda g: (g[0][2], g[0][0])):
        strings: dict[str, list[str]] = {}
        for message in sorted(marks, key=messages.index):
            strings.setdefault(message.context, []).append(marks[message])
        review = Review(name, person_role, date, ("review",),
                        tuple(ReviewedStrings(c, tuple(fps)) for c, fps in strings.items()),
                        f"approved in Weblate by user {username}")
        planned.append(PlannedReview(locale, protocol_id, file, username, review))
    return planned, problems


def _line(catalog: Catalog, message: Message) -> int | None:
    entry = catalog.get(message.msgid, message.context)
    return entry.lineno if entry is not None else None


def _mismatch(unit: ApprovedUnit, message: Message | None, catalog: Catalog,
              clinicians: dict[str, Clinician] | None) -> tuple[str, str]:
    """Why an approved unit cannot be recorded (empty when it can), and what to do about it."""
    approval = unit.approval
    if approval is None:
        return ("no 'Translation approved' change says who approved it",
                "approved by a bulk edit or an upload, or before --since; approve it again in Weblate's editor")
    if approval.text != unit.target:
        return ("its text changed after it was approved",
                "a reviewer must approve the current text again in Weblate")
    if clinicians is not None and approval.username not in clinicians:
        return (f"Weblate user '{approval.username}' is not in the reviewers file",
                "list them there with their clinical role if they are a bilingual clinician")
    named = clinicians is not None and approval.username in clinicians  # then the name is the file's
    for what, value in (("username", approval.username), *(() if named else (("name", approval.name),))):
        if reason := unfit_name(value):
            return (f"the Weblate user's {what} {reason}, which provenance.yaml may not hold",
                    "correct the name in Weblate, or name the user in a --reviewers file")
    if message is None or unit.plural:
        return ("it is not a string of this protocol's English any more",
                "update Weblate from the repository (`carebridge i18n update`, then let Weblate pull)")
    entry = catalog.get(message.msgid, message.context)
    text = entry.string if entry is not None and isinstance(entry.string, str) else ""
    if text != unit.target:
        return ("the catalog's translation differs from the approved one",
                "merge Weblate's commits first (a review must match the text in the catalog), then pull again")
    if entry is None or entry.fuzzy or not text.strip():
        return ("it is fuzzy or untranslated in the catalog", "a translator must confirm it first")
    return "", ""


def load_clinicians(path: Path, display: str) -> tuple[dict[str, Clinician], list[Problem]]:
    """The --reviewers file: Weblate username -> name and role, as provenance.yaml will record them.

        li.wei: {name: 李医生, role: obstetrician}
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return {}, [error(display, None, None, f"cannot read the reviewers file: {exc.strerror}", code="usage",
                          hint="give a YAML file mapping Weblate usernames to {name: ..., role: ...}")]
    text, problem = decode_utf8(raw, display)
    if text is None:
        return {}, [problem] if problem else []
    doc, problems = load_text(text, display)
    if doc is None:
        return {}, problems
    out: dict[str, Clinician] = {}
    for username, value in doc.data.items():
        line, col = doc.locate((username,), key=True)
        name = value.get("name", "") if isinstance(value, dict) else ""
        role = value.get("role", "") if isinstance(value, dict) else ""
        extra = set(value) - {"name", "role"} if isinstance(value, dict) else set()
        if not isinstance(name, str) or not isinstance(role, str) or not name.strip() or not role.strip() or extra:
            problems.append(error(display, line, col, f"{username}: give the clinician's name and role, and nothing "
                                  "else", path=str(username), code="reviewers",
                                  hint=f"{username}: {{name: 李医生, role: obstetrician}}"))
            continue
        unfit = [f"{what} {reason}" for what, value in (("the name", " ".join(name.split())), ("the role", " ".join(role.split())))
                 if (reason := unfit_name(value))]
        if unfit:
            problems.append(error(display, line, col, f"{username}: {'; '.join(unfit)}, which provenance.yaml may not "
                                  "hold", path=str(username), code="reviewers",
                                  hint="type the name and role as plain text, without < >"))
            continue
        out[str(username)] = Clinician(" ".join(name.split()), " ".join(role.split()))
    return out, problems
