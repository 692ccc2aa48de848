"""Stage 1: read a protocol YAML file into plain data plus the source position of every node.

One pass over libyaml's event stream (C) builds the data and the positions together, with an
explicit stack: no recursion, so no depth of nesting can crash the reader. The same reader
serves every YAML file of a project (protocols, glossaries, provenance), with one set of rules:

- Values resolve as JSON does (YAML 1.2's JSON schema): a number is written as JSON writes it
  (``10``, ``0.5``, ``1e-3``); ``true``/``false``; ``null``. Everything else is text, so YAML 1.1's
  surprises stay visible as text: ``1:30`` is not 90, ``010`` is not 8, ``0x1F`` is not 31, ``no``
  is not false. A field that needs a number then fails the schema with a precise message.
- ``.inf`` and ``.nan`` (and a number too large for a float) are refused: no dose is infinite.
- No anchors, aliases or tags: every value is written where it is read (and an alias bomb
  cannot expand). Nesting, file size and characters are bounded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import markup
from ..fsio import decode_utf8, not_a_file, read_at_most
from ..markup import MAX_DIGITS, long_number
from ..problems import Problem, error
from .characters import ESCAPED, INVISIBLE_HINT, forbidden_character, invisible_in_number, position

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _EventSource
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _EventSource  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]

MAX_BYTES = 1024 * 1024  # a protocol is ~12 KB; glossaries and provenance files pass a larger limit
MAX_DEPTH = 32           # the schema needs 7 levels (steps[].decision.branches[].goto)

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NOT_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# A plain scalar starting otherwise is no number (nor .inf or .nan): only a constant or a word.
_NUMERIC_START = frozenset("-+.0123456789")
_CONSTANTS: dict[str, Any] = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
                              "FALSE": False, "null": None, "Null": None, "NULL": None, "~": None, "": None}


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


def resolve_plain(text: str) -> Any:
    """What a plain (unquoted) scalar means: a JSON number, true/false, null, or else the text itself.

    >>> [resolve_plain(t) for t in ("10", "0.5", "1e3", "true", "~", "010", "1:30", "0x1F", "no", ".5")]
    [10, 0.5, 1000.0, True, None, '010', '1:30', '0x1F', 'no', '.5']
    """
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def _hint_for_yaml(message: str) -> str:
    if "\\t" in message or "tab" in message:
        return "YAML indents with spaces, never tabs: replace the tab with spaces"
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted, e.g. title: \"Step 1: call for help\""
    if "could not find expected ':'" in message:
        return "check the line above: a key may be missing its ':' or a quote is not closed"
    return "check indentation and quoting around this line"


class _Frame:
    """An open mapping or list while the events are read."""

    __slots__ = ("container", "discard", "is_map", "key", "path", "seen", "skip_value")

    def __init__(self, container: dict[str, Any] | list[Any], path: JsonPath, discard: bool):
        self.container: Any = container  # a dict or a list, as ``is_map`` says (checked once, here)
        self.is_map = isinstance(container, dict)
        self.path = path
        self.discard = discard        # inside the value of a duplicate key: read, not kept
        self.key: str | None = None   # a mapping's key waiting for its value
        self.skip_value = False       # that key is a duplicate
        self.seen: dict[str, int] = {}  # a mapping's keys and the line of each


class _Stop(Exception):
    """A refusal after which reading on is pointless (or unbounded)."""


class _Reader:
    """Builds a ``Document`` from libyaml's events, refusing what the rules refuse."""

    def __init__(self, text: str, file: str, max_depth: int):
        self.file = file
        self.max_depth = max_depth
        self.doc = Document(file, None)
        self.problems: list[Problem] = []
        self.events = _EventSource(text)
        self.stack: list[_Frame] = []
        # Without a backslash a double-quoted value holds only characters of the text (its line
        # breaks folded to spaces), which ``parse_yaml`` has checked: no escape to look behind. A
        # raw NEL, LS or PS can stay in such a value, and is refused there as an escaped one is.
        self.escapes = "\\" in text or any(char in text for char in "\x85\u2028\u2029")

    def refuse(self, mark: Any, message: str, hint: str, code: str, path: JsonPath) -> None:
        self.problems.append(error(self.file, mark.line + 1, mark.column + 1, message, path=format_path(path),
                                   hint=hint, code=code))

    def stop(self, mark: Any, message: str, hint: str, path: JsonPath = ()) -> None:
        self.refuse(mark, message, hint, "yaml", path)
        raise _Stop

    def read(self) -> bool:
        """Read the stream; False when it holds no document (empty or only comments)."""
        try:
            return self._read()
        except _Stop:
            return True
        finally:
            self.events.dispose()

    def _read(self) -> bool:
        # The common events (a plain key, a plain or single-quoted value, a container's end) are
        # handled here inline, with names bound locally: a protocol is ~400 events and this loop was
        # two thirds of its parse. Anything out of the ordinary goes to ``_node``/``_key``.
        documents = 0
        # Any: each event's kind is checked below by exact type, for speed
        get_event: Callable[[], Any] = self.events.get_event
        stack = self.stack
        positions, key_positions = self.doc.positions, self.doc.key_positions
        scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        max_text, constants, escapes = markup.MAX_TEXT, _CONSTANTS, self.escapes
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar and stack and event.anchor is None and event.tag is None:
                top = stack[-1]
                mark = event.start_mark
                if top.is_map and top.key is None:  # a key
                    key: str = event.value
                    top.key = key
                    if key in top.seen:
                        self._repeated(event, top)
                    else:
                        top.seen[key] = mark.line + 1
                        if not top.discard:
                            key_positions[top.path + (key,)] = (mark.line + 1, mark.column + 1)
                    continue
                text: str = event.value
                if top.discard or top.skip_value or (escapes and event.style == '"') or len(text) > max_text:
                    self._node(event)
                    continue
                owner = top.key  # a mapping's key waiting for this value; None in a list
                path = top.path + ((owner,) if owner is not None else (len(top.container),))
                positions[path] = (mark.line + 1, mark.column + 1)
                if not event.implicit[0]:  # quoted or a block scalar: text as written
                    value: Any = text
                elif text and text[0] not in _NUMERIC_START:  # plain, and not a number: a word or a constant
                    value = constants.get(text, text)
                else:
                    value = self._scalar(event, path)
                if owner is not None:
                    top.container[owner] = value
                    top.key = None
                else:
                    top.container.append(value)
            elif kind in ends:
                stack.pop()
            elif kind is scalar or kind is mapping_start or kind is sequence_start:
                self._node(event)
            elif kind is yaml.AliasEvent:
                self.stop(event.start_mark, f"alias *{event.anchor} is not allowed",
                          "write the value out in full: aliases make a file hard to review (and can explode)",
                          self._path_here())
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.stop(event.start_mark, "a second YAML document (---) in one file",
                              "a file holds one document: remove the --- line or split the file")
        return documents > 0

    def _path_here(self) -> JsonPath:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.is_map:
            return top.path + ((top.key,) if top.key is not None else ())
        return top.path + (len(top.container),)

    def _node(self, event: Any) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.key is None and top.is_map:
            self._key(event, top)
            return
        path = self._path_here()
        mark = event.start_mark
        if event.anchor is not None:
            self.stop(mark, f"anchor &{event.anchor} is not allowed", "write each value out in full where it is used",
                      path)
        if event.tag is not None:
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            self.stop(mark, f"YAML tag {tag} is not allowed", "remove the tag; quote the value if it is text",
                      path)
        discard = top is not None and (top.discard or top.skip_value)
        if not discard:
            self.doc.positions[path] = (mark.line + 1, mark.column + 1)
        value: Any
        if type(event) is yaml.ScalarEvent:
            if len(event.value) > markup.MAX_TEXT:
                self.refuse(mark, f"a text of {len(event.value):,} characters (no protocol text has more than "
                            f"{markup.MAX_TEXT:,})", "look for a paste gone wrong, or split the text into steps",
                            "size", path)
            value = self._scalar(event, path) if event.implicit[0] else event.value  # plain: resolve
            hidden = ESCAPED.search(event.value) if event.style == '"' else None
            if hidden is not None:
                # "\u202e" or "\x85" in a quoted string: the text check above saw only the escape
                char = ord(hidden.group())
                kind = "bidirectional control" if markup.BIDI.match(hidden.group()) else "control or line-separator"
                self.refuse(mark, f"escaped {kind} character U+{char:04X} in a quoted string",
                            "delete the escape: it would hide in the page and the catalogs (a bidirectional one "
                            "can show a dose in another order); write a line break as a new line", "character", path)
            invisible = invisible_in_number(event.value) if event.style == '"' and hidden is None else None
            if invisible is not None:  # "1\u200b0": the text check above saw only the escape
                self.refuse(mark, f"escaped invisible character U+{ord(invisible.group()[0]):04X} inside a number in "
                            "a quoted string", INVISIBLE_HINT, "character", path)
            odd = markup.odd_digit(event.value) if event.style == '"' and hidden is None and invisible is None else None
            if odd is not None:  # "\U0001D7CF": the text check above saw only the escape
                self.refuse(mark, f"escaped look-alike digit U+{ord(odd.group()):04X} in a quoted string: the page "
                            "shows a digit the checks do not read", markup.ODD_DIGIT_HINT, "character", path)
        else:
            if len(self.stack) >= self.max_depth:
                self.stop(mark, f"nesting deeper than {self.max_depth} levels",
                          "a protocol needs only a few levels: look for an unclosed [ or { or a runaway indent")
            value = {} if type(event) is yaml.MappingStartEvent else []
        if top is None:
            self.doc.data = value
        elif top.is_map:
            if not discard:
                top.container[str(top.key)] = value
            top.key, top.skip_value = None, False
        elif not discard:
            top.container.append(value)
        if isinstance(value, (dict, list)):
            self.stack.append(_Frame(value, path, discard))

    def _key(self, event: Any, top: _Frame) -> None:
        if type(event) is not yaml.ScalarEvent:
            self.stop(event.start_mark, "a key must be text, not a list or mapping",
                      "write keys as plain words, e.g. title:", top.path)
        if event.anchor is not None or event.tag is not None:
            self.stop(event.start_mark, "anchors and tags are not allowed on keys", "write the key as a plain word",
                      top.path)
        key: str = event.value
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        top.key = key
        if key in top.seen:
            self._repeated(event, top)
            return
        top.seen[key] = line
        if not top.discard:
            self.doc.key_positions[top.path + (key,)] = (line, col)

    def _repeated(self, event: Any, top: _Frame) -> None:
        """A key already in its mapping: refused, and its value read but not kept."""
        key: str = event.value
        if not top.discard:
            self.refuse(event.start_mark, f"duplicate key '{key}' (first defined on line {top.seen[key]})",
                        "remove one of the two; YAML would silently keep only the last", "duplicate-key",
                        top.path + (key,))
        top.skip_value = True

    def _scalar(self, event: Any, path: JsonPath) -> Any:
        text: str = event.value
        if _NOT_FINITE.fullmatch(text):
            self.refuse(event.start_mark, f"{text} is not a number a protocol can hold",
                        "a dose, threshold or count is a finite number; quote it if it is text", "number", path)
            return text
        try:
            value = resolve_plain(text)
        except ValueError:  # more digits than Python converts
            self.refuse(event.start_mark, f"a number with {len(text)} digits", "write a realistic number", "number",
                        path)
            return text
        if isinstance(value, float) and not math.isfinite(value):
            self.refuse(event.start_mark, f"{text} is too large to be a number (it would read as infinity)",
                        "a dose, threshold or count is a finite number", "number", path)
        return value


def parse_yaml(text: str, file: str, *, max_depth: int = MAX_DEPTH) -> tuple[Document | None, list[Problem]]:
    """Any YAML file of the project under the rules above: the document, or None with the problems
    that stop it (None without problems: the file holds no document, only comments or nothing).
    """
    bad = forbidden_character(text, file)
    if bad is not None:
        return None, [bad]
    if (start := long_number(text)) >= 0:
        return None, [error(file, *position(text, start), f"a number of more than {MAX_DIGITS} digits", code="number",
                            hint=f"no dose, count or code has more than {MAX_DIGITS} digits: look for a paste gone wrong")]
    reader = _Reader(text, file, max_depth)
    try:
        found = reader.read()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines()
        # libyaml's message does not always name the tab; the line itself does.
        tab = 0 < line <= len(lines) and "\t" in lines[line - 1]
        hint = _hint_for_yaml("tab" if tab else str(exc.problem))
        return None, [error(file, line, col, f"YAML syntax: {exc.problem or exc.context}", hint=hint, code="yaml")]
    except yaml.YAMLError as exc:
        return None, [error(file, 1, 1, f"YAML error: {exc}", code="yaml",
                            hint="check the file in an editor that shows invisible characters")]
    if reader.problems:
        return None, reader.problems
    return (reader.doc if found else None), []


def load_text(text: str, file: str, what: str = "protocol") -> tuple[Document | None, list[Problem]]:
    """Parse a protocol's (or, with ``what``, another file's) YAML text. Returns the document, or
    None with the problems that stop it."""
    start = ("start from `carebridge new <specialty>/<id>` or copy an existing protocol" if what == "protocol"
             else f"copy an existing {what} file and change it")
    if not text.strip():
        return None, [error(file, 1, 1, "file is empty", code="empty", hint=start)]
    doc, problems = parse_yaml(text, file)
    if problems:
        return None, problems
    if doc is None:
        return None, [error(file, 1, 1, "file holds no YAML document (only comments?)", code="empty",
                            hint=f"a {what} is a YAML mapping starting with `id:`")]
    if not isinstance(doc.data, dict):
        kind = {type(None): "an empty document", list: "a list", str: "a text"}.get(type(doc.data), type(doc.data).__name__)
        return None, [error(file, 1, 1, f"a {what} must be a YAML mapping, got {kind}", code="yaml",
                            hint="the file should start with `id: <slug>` at column 1")]
    return doc, []


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Problem]]:
    """A file's text, read no further than ``max_bytes`` (a FIFO or /dev/zero cannot hang or fill memory)."""
    problem = not_a_file(path, display)
    if problem is not None:
        return None, [problem]
    try:
        with path.open("rb") as handle:
            raw = read_at_most(handle, max_bytes)
    except OSError as exc:
        return None, [error(display, None, None, f"cannot read file: {exc.strerror}", code="io",
                            hint="check that the file exists and that you may read it")]
    if len(raw) > max_bytes:
        return None, [error(display, 1, 1, f"file is larger than {max_bytes // 1024} KB", code="size",
                            hint="a protocol is a few dozen KB: split it, or check that this is the right file")]
    text, problem = decode_utf8(raw, display)
    return text, [problem] if problem else []


def load_file(path: Path, display: str | None = None, what: str = "protocol") -> tuple[Document | None, list[Problem]]:
    """Read and parse one protocol file (or, with ``what``, another kind of file)."""
    file = display or str(path)
    text, problems = read_text(path, file)
    if text is None:
        return None, problems
    return load_text(text, file, what)
