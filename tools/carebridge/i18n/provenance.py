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

import yaml

from ..fsio import decode_utf8
from ..problems import Problem, error

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
    """Read a locale's provenance file; a missing file means no provenance recorded."""
    if not path.exists():
        return {}, []
    text, problem = decode_utf8(path.read_bytes(), display)
    if text is None:
        return {}, [problem] if problem else []
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return {}, [error(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                          f"YAML syntax: {exc.problem}", code="provenance")]
    if not isinstance(data, dict):
        return {}, [error(display, 1, 1, "provenance must map protocol ids to records", code="provenance")]
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    out: dict[str, Provenance] = {}
    problems: list[Problem] = []
    for pid, record in data.items():
        line = lines.get(pid, 1)
        if not isinstance(record, dict) or "translated_from" not in record:
            problems.append(error(display, line, 1, f"{pid}: record needs translated_from (the English version)",
                                  code="provenance", hint="translated_from: 1.0.0"))
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
