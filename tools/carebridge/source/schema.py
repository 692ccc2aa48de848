"""The editors' contract: the JSON Schema, shipped inside the package and compiled once per content.

The schema is package data (read with ``importlib.resources``), so an installed CareBridge
validates protocols in any repository; a project may name its own schema in ``mkdocs.yml``.
Caches are keyed by the file's text (read again when its mtime, size or inode changes), not
its path: an edited schema is seen at once by a long-running ``serve``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, SchemaError, ValidationError
from jsonschema.validators import extend
from referencing import Registry, Resource

from ..problems import ProblemsFound, error

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - a platform without its wheel: every document takes the full path
    jsonschema_rs = None  # type: ignore[assignment]

SCHEMA_NAME = "protocol.schema.json"
EDITION_SCHEMA_NAME = "edition.schema.json"
# A regular (non-zip) install: the packaged file is a real path, which MkDocs can publish.
DEFAULT_SCHEMA = Path(str(resources.files(__package__ or "carebridge.source").joinpath(SCHEMA_NAME)))
EDITION_SCHEMA = Path(str(resources.files(__package__ or "carebridge.source").joinpath(EDITION_SCHEMA_NAME)))


_HINT = "check `schema:` of the carebridge plugin in mkdocs.yml (without it the packaged schema is used)"


def _problem(path: Path, message: str, line: int | None = None, col: int | None = None) -> ProblemsFound:
    return ProblemsFound([error(str(path), line, col, message, hint=_HINT, code="schema-file")])


# The text of each schema file read, keyed by what stat says of it: every protocol asks for the
# schema, and a stat costs a tenth of a read. A saved file has a new mtime or size.
_TEXTS: dict[Path, tuple[tuple[int, int, int], str]] = {}


def _read(path: Path) -> str:
    """The schema's text; a schema that cannot be read stops the command with a problem, not a crash."""
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = _TEXTS.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, f"cannot read the schema: {getattr(exc, 'strerror', None) or exc}") from None
    _TEXTS[path] = (key, text)
    return text


def load_schema(path: Path = DEFAULT_SCHEMA) -> dict[str, Any]:
    """The schema at ``path`` (the packaged one by default), parsed once per distinct text."""
    text = _read(path)
    try:
        return parse_schema(text)
    except json.JSONDecodeError as exc:
        raise _problem(path, f"the schema is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None


@lru_cache(maxsize=8)
def parse_schema(text: str) -> dict[str, Any]:
    """The schema in ``text``; callers share the result, so never modify it."""
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validators(path: Path) -> tuple[Draft202012Validator, Any]:
    """jsonschema's validator for the schema at ``path`` and its Rust twin (None where only
    jsonschema may judge), compiled once per text; forked workers inherit both."""
    load_schema(path)  # a missing or broken file is reported as a problem
    text = _read(path)
    try:
        compiled = _compile(text)
    except SchemaError as exc:
        raise _problem(path, f"not a valid JSON Schema: {exc.message}") from None
    return compiled, _fast(text)


def validator(path: Path = DEFAULT_SCHEMA) -> Draft202012Validator:
    """A compiled validator for the schema at ``path``; recompiled only when its text changes."""
    return _validators(path)[0]


@lru_cache(maxsize=256)
def is_slug(value: object) -> bool:
    """An id as the packaged schemas' ``$defs/slug`` spells it (protocols, editions, provenance keys):
    lowercase letters, digits and single hyphens, at most 64 characters. ``../../etc`` is none."""
    pattern, longest = _slug()
    return isinstance(value, str) and len(value) <= longest and pattern.fullmatch(value) is not None


@lru_cache(maxsize=1)
def _slug() -> tuple[re.Pattern[str], int]:
    slug = load_schema()["$defs"]["slug"]  # the packaged schema: read once
    return re.compile(slug["pattern"]), int(slug["maxLength"])


def ecma_pattern(pattern: str) -> re.Pattern[str]:
    r"""A schema ``pattern`` as JSON Schema means it (ECMA-262): ``$`` is the end of the text only.

    Python's ``$`` also matches before a final line break, so ``"ext. 8180\n"`` or an id
    ``"pph\n"`` passed ``^...$``. Each ``$`` outside a character class becomes ``\Z``.

    >>> bool(ecma_pattern("^[a-z]+$").search("pph\n")), bool(ecma_pattern("^[a-z]+$").search("pph"))
    (False, True)
    >>> ecma_pattern(r"^a[$]\$b$").pattern
    '^a[$]\\$b\\Z'
    """
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]" or (out[-1] == "[" or out[-2:] == ["[", "^"])
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append("\\Z")
            continue
        out.append(ch)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12 with ECMA-262's end of text in `pattern` (the only keyword with a pattern in our schemas).
_Validator = extend(Draft202012Validator, {"pattern": _pattern})


@lru_cache(maxsize=8)
def _compile(text: str) -> Draft202012Validator:
    schema = parse_schema(text)
    if text not in _packaged_texts():  # the packaged ones are checked by the tests, not each run (0.05-0.15 s)
        Draft202012Validator.check_schema(schema)
    # Same rules, local $refs inlined: reference lookups were half of validation time.
    compiled: Draft202012Validator = _Validator(inline_refs(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return compiled


@lru_cache(maxsize=1)
def _packaged_texts() -> frozenset[str]:
    return frozenset(_read(path) for path in (DEFAULT_SCHEMA, EDITION_SCHEMA))


# Where two correct 2020-12 validators can still disagree: regex dialects (\\d, \\w and \\b are
# Unicode in Python and Rust, ASCII in ECMA-262; lookaround, inline flags and POSIX classes are
# read differently) and formats other than "date". \\s differs between Python and Rust only on
# U+001C-U+001F, which the YAML reader refuses.
_DIALECT = re.compile(r"\\[dDwWbBpPkKhHvVuxcAzZ0-9]|\(\?(?!:)|\[:")
_FORMATS = frozenset({"date"})


def portable(schema: Any) -> bool:
    """True when Rust's jsonschema reads every keyword of ``schema`` as this module does.

    >>> portable({"properties": {"id": {"pattern": "^[a-z]+$"}, "d": {"format": "date"}}})
    True
    >>> portable({"pattern": "^\\\\d+$"}), portable({"format": "email"}), portable({"patternProperties": {"(?=a)": {}}})
    (False, False, False)
    >>> portable({"pattern": "(?i)^a$"}), portable({"pattern": "^[[:alpha:]]$"}), portable({"pattern": "^(?:ab)+$"})
    (False, False, True)
    >>> portable({"properties": {"format": {"type": "string"}, "pattern": {"type": "string"}}})
    True
    """
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            patterns = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
            patterns += list(node["patternProperties"]) if isinstance(node.get("patternProperties"), dict) else []
            if any(_DIALECT.search(p) for p in patterns):
                return False
            if isinstance(node.get("format"), str) and node["format"] not in _FORMATS:
                return False
            stack.extend(node.values())
    return True


@lru_cache(maxsize=8)
def _fast(text: str) -> Any:
    """Rust's validator for the same rules (local $refs inlined, as ``_compile`` does), or None."""
    if jsonschema_rs is None:
        return None
    schema = inline_refs(parse_schema(text))
    if not portable(schema):
        return None
    try:
        return jsonschema_rs.validator_for(schema, validate_formats=True)
    except (ValueError, jsonschema_rs.ValidationError):  # a schema it cannot compile: the full path only
        return None


def fast_validator(path: Path = DEFAULT_SCHEMA) -> Any:
    """Rust's validator for the schema at ``path``, or None where only jsonschema may judge."""
    return _validators(path)[1]


def schema_errors(data: Any, path: Path = DEFAULT_SCHEMA) -> list[ValidationError]:
    """Every schema error of ``data``, as jsonschema reports them (paths, messages, keywords).

    Most documents are valid: Rust's validator says so in microseconds, where jsonschema takes
    1.5 ms a protocol. A document it refuses (or a schema it might read otherwise, see
    ``portable``) is validated by jsonschema, whose errors are the ones reported.
    """
    full, fast = _validators(path)
    if fast is not None and fast.is_valid(data):
        return []
    return list(full.iter_errors(data))


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``#/$defs/...`` reference replaced by its target.

    >>> inline_refs({"$defs": {"n": {"type": "number"}}, "properties": {"a": {"$ref": "#/$defs/n"}}})
    {'properties': {'a': {'type': 'number'}}}
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, depth: int) -> Any:
        if depth > 50:
            raise ValueError("schema references nest too deep (recursive $ref?)")
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
                target = walk(defs[node["$ref"].rsplit("/", 1)[-1]], depth + 1)
                extra = {k: walk(v, depth + 1) for k, v in node.items() if k != "$ref"}
                return {**target, **extra}
            return {k: walk(v, depth + 1) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v, depth + 1) for v in node]
        return node

    result: dict[str, Any] = walk(schema, 0)
    return result


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s (``#/$defs/x``) until a concrete subschema."""
    if "$ref" not in node:
        return node
    registry: Registry = Registry().with_resource("urn:cb", Resource.from_contents(schema))
    resolver = registry.resolver("urn:cb")
    while "$ref" in node:
        node = resolver.lookup("urn:cb" + node["$ref"]).contents
    return node


Field = tuple[tuple[str, ...], dict[str, Any]]
# Per schema object (load_schema returns one object per schema content): every protocol asks.
_FIELDS: dict[int, tuple[dict[str, Any], list[Field]]] = {}


def translatable_fields(schema: dict[str, Any]) -> list[Field]:
    """``(field path, subschema)`` for every ``x-translatable`` string.

    Paths use ``*`` for "each item of a list", e.g. ``('steps', '*', 'title')``, and ``{}`` for
    "each value of a mapping keyed by id" (``variants: {CN: ...}``); the schema is
    the only list of what translators see.
    """
    cached = _FIELDS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    fields = list(_translatable_fields(schema))
    _FIELDS[id(schema)] = (schema, fields)
    return fields


def _translatable_fields(schema: dict[str, Any]) -> Iterator[Field]:

    def walk(node: dict[str, Any], path: tuple[str, ...], depth: int) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
        node = resolve(schema, node)
        if node.get("x-translatable"):
            yield path, node
            return
        if depth > 12:
            return
        for key, sub in node.get("properties", {}).items():
            yield from walk(sub, path + (key,), depth + 1)
        if "items" in node:
            yield from walk(node["items"], path + ("*",), depth + 1)
        if isinstance(node.get("additionalProperties"), dict):  # a mapping keyed by id (variants: {CN: ...})
            yield from walk(node["additionalProperties"], path + ("{}",), depth + 1)

    yield from walk(schema, (), 0)


# The enum fields whose values the site names, and where the schema defines them.
ENUM_FIELDS = {"specialty": ("properties", "specialty"), "status": ("properties", "status"),
               "kind": ("properties", "kind"), "category": ("$defs", "adaptation", "properties", "category"),
               "route": ("$defs", "medication", "properties", "route"), "unit": ("$defs", "unit")}


def enum_labels(schema: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each enum field's values with their English labels (``x-labels``; the value itself if none).

    The labels are site words: ``i18n extract`` puts them in ``site.pot``, so a new enum value
    gets a translatable label by being added to the schema, nowhere else.
    """
    out: dict[str, dict[str, str]] = {}
    for name, path in ENUM_FIELDS.items():
        node: Any = schema
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        labels = node.get("x-labels", {}) if isinstance(node, dict) else {}
        out[name] = {str(v): str(labels.get(v, v)) for v in (node.get("enum", []) if isinstance(node, dict) else [])}
    return out


def edition_vocabulary(path: Path = EDITION_SCHEMA) -> dict[str, dict[str, str]]:
    """The roles (``contact``) and resources (``resource``) protocols may name, with English labels.

    >>> sorted(edition_vocabulary())
    ['contact', 'resource']
    """
    defs = load_schema(path).get("$defs", {})
    out: dict[str, dict[str, str]] = {}
    for kind, name in (("contact", "role"), ("resource", "resource_id")):
        node = defs.get(name, {})
        labels = node.get("x-labels", {})
        out[kind] = {str(v): str(labels.get(v, v)) for v in node.get("enum", [])}
    return out
