"""``carebridge i18n review``: a review packet, one printable page per protocol and language.

The packet sets the English and the translation of every string side by side with what the
safety checks found, a blank column for the reviewer's back-translation or comment, the
string's review status and its fingerprint (what ``sign-off`` records). It is a standalone
HTML file: inline CSS, no script, no external request, the same bytes for the same input.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..fsio import inside, source_paths
from ..problems import Problem, error
from ..safety.findings import parse_allowances
from ..source.library import Project
from .catalog import read_catalog
from .checks import blocking, glossary_for
from .extract import protocol_messages
from .findingcache import findings
from .provenance import load_provenance
from .reviews import ReviewState, ReviewStatus, fingerprint, review_state
from .signoff import find_protocol

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# What render_packet writes near its top: only a file that says it is a packet may be replaced by one
PACKET_MARK = '<meta name="generator" content="CareBridge">'


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" (blocks the translation), "allowed" (a reviewed exception) or "warning"
    code: str
    message: str


@dataclass(frozen=True)
class Row:
    """One string as the reviewer sees it."""

    number: int
    context: str
    english: str
    translation: str
    status: str          # a ReviewStatus value, or "fuzzy"
    fingerprint: str     # "" when there is no translation to sign
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]  # what the translator was told (units, drug names, the dose beside the text)
    markup: bool
    line: int | None     # in the catalog


@dataclass(frozen=True)
class Packet:
    protocol_id: str
    title: str
    version: str
    status: str
    locale: str
    lang: str            # BCP 47 of the translation, for lang attributes
    catalog: str
    translated_from: str
    rows: tuple[Row, ...]
    state: ReviewState

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def review_packet(project: Project, protocol_id: str, locale: str) -> tuple[Packet | None, list[Problem]]:
    """Everything a reviewer needs for one protocol in one language (no file written)."""
    loaded, problems = find_protocol(project, protocol_id)
    if loaded is None:
        return None, problems
    path = project.catalog_path(locale, protocol_id)
    catalog, problems = read_catalog(path, project.rel(path), locale)
    provenance = project.locales_dir / locale / "provenance.yaml"
    records, found = load_provenance(provenance, project.rel(provenance))
    glossary, glossary_problems = glossary_for(project, locale)
    problems += found + [p for p in glossary_problems if p.severity.value == "error"]
    if catalog is None or problems:
        return None, problems
    record = records.get(protocol_id)
    messages = protocol_messages(loaded.document, project.schema_path)
    state = review_state([(m.context, m.msgid) for m in messages], catalog, record, protocol_id)
    if state.problems:
        return None, state.problems
    rows = []
    entries = [catalog.get(m.msgid, m.context) for m in messages]
    texts = [entry.string if entry is not None and isinstance(entry.string, str) else "" for entry in entries]
    checked = findings([(m.msgid, text, m.markup) for m, text in zip(messages, texts, strict=True)], locale, glossary)
    for number, (m, entry, text, result) in enumerate(zip(messages, entries, texts, checked, strict=True), start=1):
        blocked, allowed = blocking(result, parse_allowances(list(entry.user_comments) if entry else []))
        status = state.status[(m.context, m.msgid)].value
        if entry is not None and entry.fuzzy and text.strip() and status == ReviewStatus.UNTRANSLATED:
            status = "fuzzy"
        rows.append(Row(number, m.context, m.msgid, text, status, fingerprint(m.context, m.msgid, text) if text.strip()
                        else "", tuple([Finding("error", f.code, f.message) for f in blocked]
                                       + [Finding("allowed", f.code, f.message) for f in allowed]
                                       + [Finding("warning", f.code, f.message) for f in result
                                          if f.severity == "warning"]),
                        m.comments, m.markup, entry.lineno if entry is not None else None))
    p = loaded.protocol
    return Packet(p.id, p.title, p.version, p.status, locale, locale.replace("_", "-"), project.rel(path),
                  record.translated_from if record else "", tuple(rows), state), []


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("carebridge.i18n", "templates"), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.tests["cjk"] = lambda text: bool(_CJK.search(str(text)))  # names in Chinese get lang="zh"
    return env


def render_packet(packet: Packet) -> str:
    """The packet as a standalone HTML page (every YAML and PO text escaped by Jinja2)."""
    return str(_environment().get_template("review-packet.html").render(p=packet, statuses=STATUS_NAMES))


STATUS_NAMES = {
    "reviewed": "reviewed",
    "changed": "changed since review",
    "unreviewed": "to review",
    "untranslated": "not translated",
    "fuzzy": "fuzzy (not confirmed)",
}


def packet_target_problems(project: Project, target: Path, given_as: str = "--output") -> list[Problem]:
    """Why ``target`` is no place for a review packet ([] when it is): a packet may be a new
    ``.html`` file or replace an older packet, never a protocol, a catalog, the configuration or
    anything in the git repository (a mistyped ``--output`` would have put HTML there)."""
    real = Path(os.path.realpath(target))

    def refuse(message: str, hint: str) -> list[Problem]:
        return [error(given_as, None, None, f"review packet target {target} {message}", hint=hint, code="usage")]

    for what, path in source_paths(project.root, project.protocols_dir, project.locales_dir, project.schema_path):
        if inside(real, Path(os.path.realpath(path))):
            return refuse(f"is {what} or lies inside it: writing there would replace the project's own files",
                          "write the packet to a file of its own, e.g. review/<locale>/<id>.html (the default)")
    if real.suffix.lower() not in (".html", ".htm"):
        return refuse("does not end in .html: a packet is an HTML page", "name the file <something>.html")
    if real.is_dir():
        return refuse("is a folder", "name a file inside it, e.g. <folder>/<id>.html")
    if real.exists():
        try:
            with real.open("rb") as handle:
                head = handle.read(4096).decode("utf-8", "replace")
        except OSError as exc:
            return refuse(f"cannot be read ({exc.strerror})", "choose another file")
        if PACKET_MARK not in head:
            return refuse("is a file that is not a review packet: writing would replace it",
                          "choose a new file name, or remove this file yourself if you no longer need it")
    return []

