"""Stage 1: read a protocol YAML file into plain data plus the source position of every node.

The fast path is PyYAML's C composer; positions come from its nodes, so an error found later
(schema, semantics) can still be reported as ``path:line:col`` without a second parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..fsio import decode_utf8
from ..problems import Problem, error

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]


class _ProtocolLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as strings (the schema checks them as ``format: date``)."""


_ProtocolLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    """A loaded YAML file: its data and where each value (and each mapping key) starts."""

    file: str
    data: Any
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: JsonPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of ``path``, or of its nearest located ancestor."""
        table = self.key_positions if key else self.positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


def format_path(path: JsonPath) -> str:
    """``('steps', 3, 'dose')`` → ``steps[3].dose``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hint_for_yaml(message: str) -> str:
    if "\\t" in message or "tab" in message:
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted, e.g. title: \"Step 1: call for help\""
    if "could not find expected ':'" in message:
        return "check the line above: a key may be missing its ':' or a quote is not closed"
    if "found undefined alias" in message:
        return "define the anchor (&name) before using the alias (*name)"
    return "check indentation and quoting around this line"


def _walk(node: yaml.Node, path: JsonPath, doc: Document, problems: list[Problem],
          active: frozenset[int] = frozenset()) -> None:
    mark = node.start_mark
    if id(node) in active:
        problems.append(error(doc.file, mark.line + 1, mark.column + 1, "recursive alias: a node contains itself",
                              path=format_path(path), hint="an alias (*name) may not point at a mapping that contains it",
                              code="yaml"))
        return
    active = active | {id(node)}
    doc.positions[path] = (mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.append(error(
                    doc.file, line, key_node.start_mark.column + 1,
                    f"duplicate key '{key}' (first defined on line {seen[key]})",
                    path=format_path(path + (key,)),
                    hint="remove one of the two; YAML would silently keep only the last",
                    code="duplicate-key"))
                continue
            seen[key] = line
            child = path + (key,)
            doc.key_positions[child] = (line, key_node.start_mark.column + 1)
            _walk(value_node, child, doc, problems, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), doc, problems, active)


def load_text(text: str, file: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text. Returns the document, or None with the problems that stop it."""
    problems: list[Problem] = []
    if not text.strip():
        return None, [error(file, 1, 1, "file is empty", code="empty",
                            hint="start from `carebridge new <specialty>/<id>` or copy an existing protocol")]
    loader = _ProtocolLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, [error(file, 1, 1, "file holds no YAML document (only comments?)", code="empty",
                                hint="a protocol is a YAML mapping starting with `id:`")]
        doc = Document(file, None)
        _walk(node, (), doc, problems)
        if problems:
            return None, problems
        doc.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {exc.problem or exc.context}"
        lines = text.splitlines()
        # libyaml's message does not always name the tab; the line itself does.
        tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
        hint = _hint_for_yaml("tab" if tab else str(exc.problem))
        return None, [error(file, line, col, message, hint=hint, code="yaml")]
    except yaml.YAMLError as exc:
        return None, [error(file, 1, 1, f"YAML error: {exc}", code="yaml")]
    finally:
        loader.dispose()
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        return None, [error(file, 1, 1, f"a protocol must be a YAML mapping, got {kind}", code="yaml",
                            hint="the file should start with `id: <slug>` at column 1")]
    return doc, problems


def load_file(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read and parse one protocol file."""
    file = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(file, None, None, f"cannot read file: {exc.strerror}", code="io")]
    text, problem = decode_utf8(raw, file)
    if text is None:
        return None, [problem] if problem else []
    return load_text(text, file)
