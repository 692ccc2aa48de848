"""Stage 4: the translatable messages of a protocol, driven by ``x-translatable`` in the schema.

A message's ``msgctxt`` is its place in the protocol built from stable ids
(``pph:steps.uterotonic.instructions``), never list indexes, so reordering steps or
branches loses no translation. Lists of plain strings share one context and are told apart
by their text, which gettext's (msgctxt, msgid) key allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from ..source.loader import Document, JsonPath, load_text
from ..source.model import amount_text
from ..source.schema import DEFAULT_SCHEMA, parse_schema, translatable_fields


@dataclass(frozen=True)
class Message:
    """One translatable string of a protocol."""

    context: str
    msgid: str
    line: int
    comments: tuple[str, ...] = ()
    markup: bool = False


@dataclass(frozen=True)
class FieldSpec:
    pattern: tuple[str, ...]
    hint: str
    markup: bool


def field_specs(schema_path: Path = DEFAULT_SCHEMA) -> tuple[FieldSpec, ...]:
    """The translatable fields of the schema, in schema order (recomputed when its text changes)."""
    return _field_specs(schema_path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _field_specs(text: str) -> tuple[FieldSpec, ...]:
    schema = parse_schema(text)
    return tuple(FieldSpec(path, str(sub.get("x-hint", "")), sub.get("x-markup") == "markdown")
                 for path, sub in translatable_fields(schema))


def markup_fields(schema_path: Path = DEFAULT_SCHEMA) -> frozenset[str]:
    """Names of fields holding the Markdown subset (e.g. ``instructions``)."""
    return frozenset(spec.pattern[-1] for spec in field_specs(schema_path) if spec.markup)


def message_text(value: str) -> str:
    """The msgid for a YAML text: block scalars' trailing newline is not part of the message."""
    return value.strip()


def _matches(data: Any, pattern: tuple[str, ...], path: JsonPath = (),
             ctx: tuple[str, ...] = ()) -> Iterator[tuple[JsonPath, tuple[str, ...], Any]]:
    """Walk ``data`` along ``pattern``: yield (json path, stable context parts, value)."""
    if not pattern:
        yield path, ctx, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                # Items with an id are addressed by it; others by their text (same context).
                stable = (item["id"],) if isinstance(item, dict) and isinstance(item.get("id"), str) else ()
                yield from _matches(item, rest, path + (index,), ctx + stable)
    elif head == "{}":
        if isinstance(data, dict):
            for key, item in data.items():
                yield from _matches(item, rest, path + (key,), ctx + (str(key),))
    elif isinstance(data, dict) and head in data:
        yield from _matches(data[head], rest, path + (head,), ctx + (head,))


def _dose_comment(data: dict[str, Any], path: JsonPath) -> str:
    """For a medication's text, remind the translator of the structured dose it goes with (a
    variant's text goes with the variant's dose: that is what the page shows beside it)."""
    if len(path) >= 4 and path[2] == "medications" and data.get("steps"):
        med = data["steps"][path[1]]["medications"][path[3]]
        if len(path) == 7 and path[4] == "variants":
            variant = med["variants"][path[5]]
            if "amount" not in variant:
                return f"{path[5]} values shown beside this text: {med['drug']}, no dose given (see the cited source)"
            amount = amount_text(variant["amount"], variant.get("amount_max"))
            return f"{path[5]} dose shown beside this text: {med['drug']} {amount} {variant.get('unit', med['unit'])}"
        if len(path) == 5:
            amount = amount_text(med["amount"], med.get("amount_max"))
            return f"Dose shown beside this text: {med['drug']} {amount} {med['unit']} {med['route']}"
    return ""


def protocol_messages_by_path(doc: Document, schema_path: Path = DEFAULT_SCHEMA,
                              domain: str = "") -> Iterator[tuple[JsonPath, Message]]:
    """Each translatable text with its JSON path (one message may sit at several paths); ``domain``
    prefixes the msgctxt (default the document's id; hospital editions use ``edition-<id>``)."""
    data = doc.data
    protocol_id = domain or str(data.get("id", Path(doc.file).stem))
    for spec in field_specs(schema_path):
        for path, ctx, value in _matches(data, spec.pattern):
            if not isinstance(value, str) or not value.strip():
                continue
            comments = tuple(c for c in (spec.hint, _dose_comment(data, path)) if c)
            yield path, Message(f"{protocol_id}:{'.'.join(ctx)}", message_text(value), doc.locate(path)[0],
                                comments, spec.markup)


_BY_PATH: dict[int, tuple[Document, Path, str, list[tuple[JsonPath, Message]]]] = {}
_BY_PATH_MAX = 4096  # documents; a serve that loads edited protocols again does not keep the old ones for ever


def messages_by_path(doc: Document, schema_path: Path = DEFAULT_SCHEMA,
                     domain: str = "") -> list[tuple[JsonPath, Message]]:
    """``protocol_messages_by_path`` as a list, kept for the document (which is never changed once
    loaded): a build reads a protocol's messages for each of its pages in each language, and the
    side-by-side view, three times a protocol in a process at 1,000 protocols, 1.2 s of each."""
    found = _BY_PATH.get(id(doc))
    if found is not None and found[0] is doc and found[1] == schema_path and found[2] == domain:
        return found[3]
    if len(_BY_PATH) >= _BY_PATH_MAX:
        _BY_PATH.clear()
    messages = list(protocol_messages_by_path(doc, schema_path, domain))
    _BY_PATH[id(doc)] = (doc, schema_path, domain, messages)  # the document held: its id is not reused meanwhile
    return messages


def protocol_messages(doc: Document, schema_path: Path = DEFAULT_SCHEMA, domain: str = "") -> list[Message]:
    """All messages of one schema-valid protocol, in document order (by line).

    >>> doc, _ = load_text("id: x\\ntitle: Hand hygiene\\nsteps:\\n  - id: rub\\n    title: Rub hands\\n", "x.yaml")
    >>> [(m.context, m.msgid, m.line) for m in protocol_messages(doc)]
    [('x:title', 'Hand hygiene', 2), ('x:steps.rub.title', 'Rub hands', 5)]
    """
    out: dict[tuple[str, str], Message] = {}
    for _, message in protocol_messages_by_path(doc, schema_path, domain):
        key = (message.context, message.msgid)
        if key not in out or message.line < out[key].line:
            out[key] = message
    return sorted(out.values(), key=lambda m: (m.line, m.context, m.msgid))


def babel_extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor (entry point ``carebridge``): ``pybabel extract -F babel.cfg``.

    Yields ``pgettext`` calls so Babel keeps our ``msgctxt``.
    """
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    doc, problems = load_text(text, getattr(fileobj, "name", "<protocol>"))
    if doc is None:
        raise ValueError("; ".join(str(p) for p in problems))
    for message in protocol_messages(doc):
        yield message.line, "pgettext", (message.context, message.msgid), list(message.comments)
