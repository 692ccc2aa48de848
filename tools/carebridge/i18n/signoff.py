"""``carebridge i18n sign-off``: record a clinician's review of a translation in provenance.yaml.

Only strings a reader would see can be signed: translated, not fuzzy, and passing every safety
check. Everything is checked first; the provenance file is rewritten (comments and key order
kept, ruamel round-trip) and written atomically only when nothing is wrong.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import io
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from .. import markup
from ..fsio import write_atomic
from ..problems import Problem, error
from ..safety.findings import parse_allowances
from ..source.characters import hidden_character
from ..source.library import Loaded, Project, load_protocol, select
from .catalog import read_catalog
from .checks import blocking, glossary_for
from .extract import Message, protocol_messages
from .findingcache import findings
from .provenance import Provenance, load_provenance, parse_provenance
from .reviews import REVIEW_METHODS, Review, ReviewedStrings, fingerprint, review_state

COMMAND_LINE = "<command line>"


@dataclass(frozen=True)
class SignedOff:
    """What a sign-off recorded."""

    protocol_id: str
    locale: str
    file: str  # the provenance file written
    strings: int
    reviewer: str
    date: str
    skipped: int = 0  # matched by a --strings glob but not translated or fuzzy


def _usage(message: str, hint: str = "") -> Problem:
    return error(COMMAND_LINE, None, None, message, hint=hint, code="usage")


MAX_NAME = 200  # characters of a reviewer's name, role or username, as provenance.yaml records them


def unfit_name(value: str, *, name: bool = True) -> str:
    """Why a reviewer's name, role or username cannot be recorded in provenance.yaml ("" when it can):
    a character the file may not hold (a bidirectional override, a control or invisible character),
    raw HTML the pages and the review packet would show, and, for a name (``name``, not a note), a
    line break or a paste gone wrong.

    >>> unfit_name("李医生"), unfit_name("Dr \u202eLi"), unfit_name("li\\nwei"), unfit_name("x" * 201)
    ('', 'holds the control, bidirectional or invisible character U+202E', 'holds a line break', 'is 201 characters long (at most 200)')
    """
    if hidden := hidden_character(value):
        return f"holds the control, bidirectional or invisible character {hidden}"
    if markup.raw_html(value):
        return f"holds raw HTML ({value[:40]!r})"
    if not name:
        return ""
    if "\n" in value or "\r" in value:
        return "holds a line break"
    if len(value) > MAX_NAME:
        return f"is {len(value):,} characters long (at most {MAX_NAME})"
    return ""


def hidden_characters(options: dict[str, str]) -> list[Problem]:
    """Each option whose text provenance.yaml may not hold (``unfit_name``): the rewritten file
    would not load, or the pages would show what the option smuggled in.

    >>> [p.message for p in hidden_characters({"reviewer": "Dr \u202eLi", "role": "nurse"})]
    ['--reviewer holds the control, bidirectional or invisible character U+202E, which provenance.yaml may not hold']
    """
    return [error(COMMAND_LINE, None, None, f"--{name} {reason}, which provenance.yaml may not hold", code="sign-off",
                  hint=f"type the {name} again as plain text, without < > (a name copied from a web page or a PDF "
                       "can carry invisible characters)")
            for name, value in options.items() if (reason := unfit_name(value, name=name != "notes"))]


def find_protocol(project: Project, protocol_id: str) -> tuple[Loaded | None, list[Problem]]:
    """The protocol with this id (its file is ``protocols/<specialty>/<id>.yaml``)."""
    files = [f for f in select(project.protocols_dir, [protocol_id])[0] if f.stem == protocol_id]
    if len(files) != 1:
        return None, [_usage(f"no protocol with id '{protocol_id}' under {project.rel(project.protocols_dir)}/"
                             if not files else f"protocol id '{protocol_id}' is used by {len(files)} files",
                             "give the id, the file name without .yaml, e.g. postpartum-haemorrhage")]
    return load_protocol(project, files[0])


def sign_off(project: Project, protocol_id: str, locale: str, *, reviewer: str, role: str, date: dt.date,
             methods: tuple[str, ...] = ("review",), patterns: tuple[str, ...] = (),
             notes: str = "") -> tuple[SignedOff | None, list[Problem]]:
    """Record that ``reviewer`` reviewed the selected strings (default: every translated one)."""
    reviewer, role = " ".join(reviewer.split()), " ".join(role.split())
    problems = [_usage(f"--{name} must not be empty", f"--{name} \"{example}\"")
                for name, value, example in (("reviewer", reviewer, "Dr Li Wei"), ("role", role, "obstetrician"))
                if not value]
    problems += [_usage(f"unknown method '{m}'", f"use: {', '.join(REVIEW_METHODS)}")
                 for m in methods if m not in REVIEW_METHODS]
    problems += hidden_characters({"reviewer": reviewer, "role": role, "notes": notes})
    if problems:
        return None, problems
    loaded, problems = find_protocol(project, protocol_id)
    if loaded is None:
        return None, problems
    catalog_path = project.catalog_path(locale, protocol_id)
    catalog, problems = read_catalog(catalog_path, project.rel(catalog_path), locale)
    path = project.locales_dir / locale / "provenance.yaml"
    display = project.rel(path)
    records, found = load_provenance(path, display)
    problems += found
    if catalog is None or problems:
        return None, problems
    record = records.get(protocol_id)
    if record is None:
        return None, [error(display, None, None, f"no provenance record for {protocol_id}",
                            hint=f"record who translated it first: `{protocol_id}:` with translated_from: "
                                 f"{loaded.protocol.version}, date, method and translators", code="provenance")]
    messages = protocol_messages(loaded.document, project.schema_path)
    state = review_state([(m.context, m.msgid) for m in messages], catalog, record, protocol_id)
    if state.problems:
        return None, state.problems
    chosen, skipped, problems = _chosen(messages, catalog, patterns, protocol_id, project.rel(catalog_path))
    problems += unsafe_strings(project, locale, chosen, catalog, project.rel(catalog_path))
    if problems:
        return None, problems
    strings: dict[str, list[str]] = {}
    for m in chosen:
        strings.setdefault(m.context, []).append(fingerprint(m.context, m.msgid, _text(catalog, m)))
    review = Review(reviewer, role, date.isoformat(), tuple(dict.fromkeys(methods)),
                    tuple(ReviewedStrings(c, tuple(fps)) for c, fps in strings.items()), " ".join(notes.split()))
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    rewritten = append_review(text, protocol_id, review, date)
    verify_provenance_text(rewritten, display, path.parent.parent.parent, records, protocol_id, review)
    write_atomic(path, rewritten)
    return SignedOff(protocol_id, locale, display, len(chosen), reviewer, date.isoformat(), skipped), []


def _text(catalog: Catalog, message: Message) -> str:
    entry = catalog.get(message.msgid, message.context)
    return entry.string if entry is not None and isinstance(entry.string, str) else ""


def _chosen(messages: list[Message], catalog: Catalog, patterns: tuple[str, ...], protocol_id: str,
            display: str) -> tuple[list[Message], int, list[Problem]]:
    """The strings to sign and how many a glob skipped.

    Without ``patterns``, every translated string. A msgctxt named exactly must be signable; a glob
    signs the translated strings it matches and skips untranslated and fuzzy ones.
    """
    problems: list[Problem] = []
    if not patterns:
        chosen = [m for m in messages if _signable(catalog, m)]
        if not chosen:
            problems.append(error(display, None, None, f"nothing to sign: no string of {protocol_id} is translated",
                                  hint="translate the catalog first; fuzzy strings need a translator's confirmation",
                                  code="sign-off"))
        return chosen, 0, problems
    chosen = []
    skipped: set[Message] = set()
    example = (f"give a msgctxt such as {messages[0].context} or a glob such as '{protocol_id}:steps.*'"
               if messages else "")
    for pattern in patterns:
        found = [m for m in messages if fnmatch.fnmatchcase(m.context, pattern)]
        glob = any(c in pattern for c in "*?[")
        if glob:
            skipped.update(m for m in found if not _signable(catalog, m))
            found = [m for m in found if _signable(catalog, m)]
        if not found:
            problems.append(_usage(f"--strings '{pattern}' matches no {'translated ' if glob else ''}string of "
                                   f"{protocol_id}", example))
        chosen += [m for m in found if m not in chosen]
    for m in chosen:
        entry = catalog.get(m.msgid, m.context)
        if not _signable(catalog, m):
            why = "is fuzzy (a translator must confirm it)" if entry is not None and entry.fuzzy else "is not translated"
            line = entry.lineno if entry is not None else None
            problems.append(error(display, line, None, f"{m.context}: cannot sign a string that {why}",
                                  path=m.context, code="sign-off",
                                  hint="leave it out of --strings until it is translated and confirmed"))
    return sorted(chosen, key=messages.index), len(skipped - set(chosen)), problems


def _signable(catalog: Catalog, message: Message) -> bool:
    entry = catalog.get(message.msgid, message.context)
    return entry is not None and not entry.fuzzy and bool(_text(catalog, message).strip())


def unsafe_strings(project: Project, locale: str, chosen: list[Message], catalog: Catalog, display: str) -> list[Problem]:
    """A reviewer cannot sign a translation the site would block."""
    glossary, problems = glossary_for(project, locale)
    problems = [p for p in problems if p.severity.value == "error"]
    checked = findings([(m.msgid, _text(catalog, m), m.markup) for m in chosen], locale, glossary)
    for m, found in zip(chosen, checked, strict=True):
        entry = catalog.get(m.msgid, m.context)
        assert entry is not None
        blocked, _ = blocking(found, parse_allowances(list(entry.user_comments)))
        problems += [error(display, entry.lineno, None, f"cannot sign a translation that fails a safety check: "
                           f"[{f.code}] {f.message}", path=m.context, code="sign-off",
                           hint=f.hint or "fix the translation (or leave it out of --strings), then sign")
                     for f in blocked]
    return problems


# --- rewriting provenance.yaml ---------------------------------------------------------------------

def append_review(text: str, protocol_id: str, review: Review, date: dt.date) -> str:
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    yaml.indent(**_indent(text))
    tree = yaml.load(text)
    record = tree[protocol_id]

    def flow(items: list[Any]) -> Any:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    strings = CommentedMap()
    for group in review.strings:  # fingerprints quoted: 16 digits would otherwise read as a number
        prints = [Quoted(p) for p in group.fingerprints]
        strings[Quoted(group.context)] = prints[0] if len(prints) == 1 else flow(prints)
    item = CommentedMap([("reviewer", review.reviewer), ("role", review.role), ("date", date),
                         ("method", flow(list(review.method)))])
    if review.notes:
        item["notes"] = review.notes
    item["strings"] = strings
    trailing = _detach_trailing(record)  # blank lines and comments after the record stay after it
    if isinstance(record.get("reviews"), list):
        record["reviews"].append(item)
    else:
        record["reviews"] = CommentedSeq([item])
    if trailing:
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        strings.ca.items[list(strings)[-1]] = [None, None, CommentToken("\n" + trailing, CommentMark(0), None), None]
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    return buffer.getvalue()


def _detach_trailing(node: Any) -> str:
    """Take the blank lines and comments that follow the last line of ``node`` off it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if not isinstance(node, CommentedMap | CommentedSeq) or not len(node) or node.fa.flow_style():
        return ""
    last: Any = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
    inner = _detach_trailing(node[last])
    if inner:
        return inner
    taken = ""
    slot = node.ca.items.get(last)
    index = 2 if isinstance(node, CommentedMap) else 0
    token = slot[index] if slot and len(slot) > index else None
    if token is not None:
        if isinstance(node[last], LiteralScalarString | FoldedScalarString):
            taken, slot[index] = token.value, None  # nothing can follow a block scalar on its line
        else:
            head, newline, taken = token.value.partition("\n")
            token.value = head + newline
    if node.ca.end:
        taken += "".join(t.value for t in node.ca.end)
        node.ca.end = []
    return taken.removeprefix("\n") if taken.startswith("\n\n") else taken


def _indent(text: str) -> dict[str, int]:
    """ruamel's indent settings that reproduce the file's own (default: 2, sequences at 4 offset 2).

    >>> _indent("a:\\n  translators:\\n    - x\\n")
    {'mapping': 2, 'sequence': 4, 'offset': 2}
    >>> _indent("a:\\n    b:\\n    - x\\n")
    {'mapping': 4, 'sequence': 2, 'offset': 0}
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    mapping, sequence, offset = 2, 4, 2
    for above, line in itertools.pairwise(lines):
        if not above.rstrip().endswith(":"):
            continue
        outer, inner = len(above) - len(above.lstrip()), len(line) - len(line.lstrip())
        if line.lstrip().startswith("- "):
            offset = max(inner - outer, 0)
            sequence = offset + 2
            break
        if inner > outer:
            mapping = inner - outer
    return {"mapping": mapping, "sequence": sequence, "offset": offset}


def verify_provenance_text(text: str, display: str, root: Path, before: dict[str, Provenance], protocol_id: str,
            review: Review) -> None:
    """The rewrite added exactly this review; anything else is a bug, not a file to write."""
    after, problems = parse_provenance(text, display, root)
    old = before[protocol_id]
    expected = {**before, protocol_id: Provenance(**{**old.__dict__, "reviews": (*old.reviews, review)})}
    if problems or list(after) != list(expected) or after != expected:
        raise RuntimeError(f"sign-off would change more than the reviews of {protocol_id} in {display}; "
                           "the file was left as it was")
