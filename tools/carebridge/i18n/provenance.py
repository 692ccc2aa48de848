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
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import Problem, error
from ..source.loader import parse_yaml, read_text

MAX_BYTES = 8 * 1024 * 1024  # one record per protocol: a large library stays far below this
METHODS = ("forward", "back-translation", "reconciliation", "review", "machine-assisted")


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

    def stale(self, current_version: str) -> bool:
        return bool(self.translated_from) and self.translated_from != current_version


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
    doc, problems = parse_yaml(text, display)
    if doc is None or doc.data is None:
        return {}, problems
    data = doc.data
    if not isinstance(data, dict):
        return {}, [error(display, 1, 1, "provenance must map protocol ids to records", code="provenance")]
    lines = {key[0]: line for key, (line, _) in doc.key_positions.items() if len(key) == 1}
    out: dict[str, Provenance] = {}
    for pid, record in data.items():
        line = lines.get(pid, 1)
        if not isinstance(record, dict) or "translated_from" not in record:
            problems.append(error(display, line, 1, f"{pid}: record needs translated_from (the English version)",
                                  code="provenance", hint="translated_from: 1.0.0"))
            continue
        if not isinstance(record["translated_from"], str):
            problems.append(error(display, line, 1, f"{pid}: translated_from must be a version such as 1.2.0",
                                  code="provenance", hint="write MAJOR.MINOR.PATCH, e.g. translated_from: 1.2.0"))
            continue
        method = tuple(str(m) for m in record.get("method", []))
        unknown = [m for m in method if m not in METHODS]
        if unknown:
            problems.append(error(display, line, 1, f"{pid}: unknown method {', '.join(unknown)}", code="provenance",
                                  hint=f"use: {', '.join(METHODS)}"))
        back = str(record.get("back_translation", "") or "")
        if "back-translation" in method and not back:
            problems.append(error(display, line, 1, f"{pid}: method names back-translation but no back_translation file",
                                  code="provenance", hint="back_translation: locales/<locale>/back-translation/<id>.po"))
        elif back and not (path.parent.parent.parent / back).is_file():
            problems.append(error(display, line, 1, f"{pid}: back_translation file {back} does not exist",
                                  code="provenance", hint="give the path from the project root"))
        out[str(pid)] = Provenance(str(pid), str(record["translated_from"]), str(record.get("date", "")), method,
                                   _people(record.get("translators")), _people(record.get("reviewers")),
                                   str(record.get("notes", "")), back)
    return out, problems
