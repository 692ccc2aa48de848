"""Who translated each protocol, how, and from which version of the English.

Kept in ``locales/<locale>/provenance.yaml`` beside the catalogs rather than in PO headers:
Babel drops unknown header fields on every rewrite, and translators' tools rewrite headers.

    postpartum-haemorrhage:
      translated_from: 0.1.0          # version of the English the translation was made from
      date: 2026-11-23
      method: [forward, back-translation, reconciliation]   # ISPOR / WHO steps done
      translators: [{name: 王医生, role: obstetrician}]
      reviewers: [{name: ..., role: ...}]
      notes: ...
      back_translation: locales/zh_CN/back-translation/postpartum-haemorrhage.po   # if one was made:
        # msgid = the English source, msgstr = the independent back-translation into English,
        # translator comment "reconciliation: equivalent | minor difference — … | meaning differs — …"
      reviews: [...]   # clinicians' sign-offs, string by string: see ``reviews``

Every field is checked: an unknown one is an error at its line, so a typo never silently drops
what a reviewer recorded.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import Problem, error, warning
from ..source.loader import Document, load_text, read_text
from ..source.schema import is_slug
from .reviews import Review, parse_reviews

MAX_BYTES = 8 * 1024 * 1024  # one record per protocol: a large library stays far below this
METHODS = ("forward", "back-translation", "reconciliation", "review", "machine-assisted")
_VERSION = re.compile(r"(?:0|[1-9][0-9]{0,8})\.(?:0|[1-9][0-9]{0,8})\.(?:0|[1-9][0-9]{0,8})")  # as the schema's semver
FIELDS = ("translated_from", "date", "method", "translators", "reviewers", "notes", "back_translation", "reviews")


@dataclass(frozen=True)
class Provenance:
    protocol_id: str
    translated_from: str
    date: str = ""
    method: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    notes: str = ""
    back_translation: str = ""  # path (from the project root) of the back-translation catalog, if any
    reviews: tuple[Review, ...] = ()  # clinicians' sign-offs, string by string (see ``reviews``)
    file: str = field(default="", compare=False)  # the provenance file, as problems name it
    place: tuple[int, int] = field(default=(1, 1), compare=False)  # line and column of the record's key

    def stale(self, current_version: str) -> bool:
        return bool(self.translated_from) and self.translated_from != current_version


def _is_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


# What each field holds; a field of another shape is an error at its value (``method: 5`` was an
# internal error, ``translators: 王医生`` listed three people).
_SHAPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "method": ("a list of steps, e.g. [forward, machine-assisted]",
               lambda v: isinstance(v, list) and all(isinstance(m, str) for m in v)),
    "translators": ("a list of people, e.g. [{name: 王医生, role: obstetrician}]", lambda v: _is_people(v)),
    "reviewers": ("a list of people, e.g. [{name: 王医生, role: obstetrician}]", lambda v: _is_people(v)),
    "notes": ("a text", lambda v: isinstance(v, str)),
    "back_translation": ("a path, e.g. locales/zh_CN/back-translation/<id>.po", lambda v: isinstance(v, str)),
}


def _is_people(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, str) or (isinstance(p, dict) and isinstance(p.get("name"), str)
                               and isinstance(p.get("role", ""), str)) for p in value)


def _shape_problems(doc: Document, pid: str, record: dict[str, Any], display: str) -> list[Problem]:
    problems = []
    for key, (what, fits) in _SHAPES.items():
        if key in record and record[key] is not None and not fits(record[key]):
            line, col = doc.locate((pid, key))
            problems.append(error(display, line, col, f"{pid}: {key} must be {what}", path=f"{pid}.{key}",
                                  code="provenance", hint=f"write {key}: as {what}"))
    return problems


def _people(value: Any) -> tuple[str, ...]:
    out = []
    for person in value or []:
        if isinstance(person, dict):
            role = f" ({person['role']})" if person.get("role") else ""
            out.append(f"{person.get('name', '?')}{role}")
        else:
            out.append(str(person))
    return tuple(out)


def load_provenance(path: Path, display: str) -> tuple[dict[str, Provenance], list[Problem]]:
    """Read a locale's provenance file; a missing file means no provenance recorded.

    Read by the protocols' reader (YAML 1.2 values, no anchors, bounded), so ``translated_from:
    1.10`` is a number there, not version "1.10": it must be written as MAJOR.MINOR.PATCH.
    """
    if not path.exists():
        return {}, []
    text, problems = read_text(path, display, MAX_BYTES)
    if text is None:
        return {}, problems
    return parse_provenance(text, display, path.parent.parent.parent)


def parse_provenance(text: str, display: str, root: Path) -> tuple[dict[str, Provenance], list[Problem]]:
    """Provenance records from the text of ``display``; ``root`` is the project (for back_translation)."""
    doc, problems = load_text(text, display)
    if doc is None:
        if all(p.code == "empty" for p in problems):
            return {}, []
        return {}, [error(display, p.line, p.col, "provenance must map protocol ids to records", code="provenance",
                          hint="write one record per protocol: `<protocol-id>:` with translated_from, date, method, "
                               "translators")
                    if "must be a YAML mapping" in p.message else p for p in problems]
    out: dict[str, Provenance] = {}
    for pid, record in doc.data.items():
        line, col = doc.key_positions.get((pid,), (1, 1))
        if not is_slug(pid):  # `../../etc` is no protocol
            problems.append(error(display, line, col, f"{pid!r} is not a protocol id", path=str(pid), code="provenance",
                                  hint="a key is the id of the protocol the record is for, as its file's `id:` "
                                       "(lowercase letters, digits and hyphens, e.g. postpartum-haemorrhage)"))
            continue
        if not isinstance(record, dict) or "translated_from" not in record:
            problems.append(error(display, line, col, f"{pid}: record needs translated_from (the English version)",
                                  code="provenance", hint="translated_from: 1.0.0"))
            continue
        for key in record:
            if key not in FIELDS:
                k_line, k_col = doc.key_positions[(pid, key)]
                problems.append(error(display, k_line, k_col, f"{pid}: unknown field '{key}'", path=f"{pid}.{key}",
                                      code="provenance", hint=f"a record has: {', '.join(FIELDS)}"))
        if not isinstance(record["translated_from"], str) or not _VERSION.fullmatch(record["translated_from"]):
            v_line, v_col = doc.locate((pid, "translated_from"))
            problems.append(error(display, v_line, v_col, f"{pid}: translated_from must be a version such as 1.2.0",
                                  path=f"{pid}.translated_from", code="provenance",
                                  hint="write MAJOR.MINOR.PATCH, e.g. translated_from: 1.2.0"))
            continue
        shape = _shape_problems(doc, str(pid), record, display)
        problems += shape
        record = {key: value for key, value in record.items()
                  if not any(p.path == f"{pid}.{key}" for p in shape)}  # a field of the wrong shape is left out
        if "date" in record and not _is_date(record["date"]):
            d_line, d_col = doc.locate((pid, "date"))
            problems.append(error(display, d_line, d_col, f"{pid}: date must be a date such as 2026-11-30",
                                  path=f"{pid}.date", code="provenance", hint="write YYYY-MM-DD, e.g. date: 2026-11-30"))
        method = tuple(str(m) for m in record.get("method") or [])
        unknown = [m for m in method if m not in METHODS]
        if unknown:
            m_line, m_col = doc.locate((pid, "method"))
            problems.append(error(display, m_line, m_col, f"{pid}: unknown method {', '.join(unknown)}",
                                  path=f"{pid}.method", code="provenance", hint=f"use: {', '.join(METHODS)}"))
        back = str(record.get("back_translation", "") or "")
        if "back-translation" in method and not back:
            problems.append(error(display, line, col, f"{pid}: method names back-translation but no back_translation file",
                                  code="provenance", hint="back_translation: locales/<locale>/back-translation/<id>.po"))
        elif back and not (root / back).is_file():
            problems.append(error(display, line, col, f"{pid}: back_translation file {back} does not exist",
                                  code="provenance", hint="give the path from the project root"))
        reviews, review_problems = parse_reviews(doc, (pid, "reviews"))
        problems += review_problems
        out[str(pid)] = Provenance(str(pid), str(record["translated_from"]), str(record.get("date", "")), method,
                                   _people(record.get("translators")), _people(record.get("reviewers")),
                                   str(record.get("notes", "")), back, reviews, display, (line, col))
    return out, problems


def unknown_records(records: dict[str, Provenance], known: set[str]) -> list[Problem]:
    """A record whose key names no protocol (nor edition catalog) of the library: a mistyped id leaves
    the real protocol without its provenance, silently. A warning: a record may outlive a protocol
    that was removed or renamed, and says nothing wrong about the ones that are there."""
    problems = []
    for pid, record in sorted(records.items()):
        if pid in known:
            continue
        close = difflib.get_close_matches(pid, sorted(known), n=1)
        problems.append(warning(record.file, *record.place, "record for an id no protocol has",
                                path=pid, code="provenance",
                                hint=f"did you mean '{close[0]}'? A key is the protocol's id" if close else
                                "rename it to the id of the protocol it is for, or remove it if that protocol is gone"))
    return problems
