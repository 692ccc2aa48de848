"""The schema reference page: editors read the JSON Schema itself, rendered, not a copy of it.

Every object of the schema becomes a table (field, type, required, translated, description);
references between objects become links. The schema file is published beside the page. This
module reads the schema into rows; ``templates/schema.md`` draws them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jinja2

from .templating import environment, render

SCHEMA_URL = "schema/protocol.schema.json"

_CJK_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")

# A type is shown as a few tokens: ("text", "list of "), ("code", "IV"), ("link", "step").
Token = tuple[str, str]


@dataclass(frozen=True)
class Row:
    field: str
    type: list[Token]
    required: bool
    translated: bool
    description: list[tuple[str, str]]  # (text, lang): Chinese examples inside English are marked


@dataclass(frozen=True)
class Section:
    name: str
    anchor: str
    description: list[tuple[str, str]]
    rows: list[Row]


def runs(value: str) -> list[tuple[str, str]]:
    """Text cut into (text, lang) runs: CJK runs are Chinese, the rest English.

    >>> runs("e.g. 缩宫素 for oxytocin")
    [('e.g. ', 'en'), ('缩宫素', 'zh-Hans'), (' for oxytocin', 'en')]
    """
    return [(part, "zh-Hans" if _CJK_RUN.fullmatch(part) else "en") for part in _CJK_RUN.split(value) if part]


def anchor(name: str) -> str:
    return "schema-" + name.replace("_", "-")


def _type(node: dict[str, Any], objects: set[str], defs: dict[str, Any]) -> list[Token]:
    """A short, linked description of a subschema's type."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in objects:
            return [("link", name)]
        return _type(defs[name], objects, defs) if name in defs else [("text", name)]
    if "enum" in node:
        tokens: list[Token] = [("text", "one of ")]
        for i, value in enumerate(node["enum"]):
            tokens += [("text", ", ")] if i else []
            tokens.append(("code", str(value)))
        return tokens
    kind = node.get("type", "")
    if kind == "array":
        return [("text", "list of "), *_type(node.get("items", {}), objects, defs)]
    pattern = node.get("pattern", "")
    if node.get("format") == "date" or "[0-9]{4}-" in pattern:
        return [("text", "date (YYYY-MM-DD)")]
    if pattern.startswith("^[a-z0-9]+"):
        return [("text", "id (lowercase-with-hyphens)")]
    if "(0|[1-9]" in pattern:
        return [("text", "version (MAJOR.MINOR.PATCH)")]
    if pattern.startswith("^https"):
        return [("text", "https:// address")]
    return [("text", str(kind))]


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def sections(schema: dict[str, Any]) -> list[Section]:
    """The protocol and every object type of the schema, each with its fields."""
    defs: dict[str, Any] = schema.get("$defs", {})
    objects = {name for name, sub in defs.items() if sub.get("type") == "object"}
    out = []
    for name, node in [("protocol", schema)] + [(name, defs[name]) for name in defs if name in objects]:
        required = set(node.get("required", []))
        rows = []
        for field, sub in node.get("properties", {}).items():
            resolved = _resolve(sub, defs)
            item = _resolve(resolved.get("items", {}), defs) if resolved.get("type") == "array" else {}
            description = sub.get("description") or resolved.get("description") or resolved.get("x-hint", "")
            rows.append(Row(field, _type(sub, objects, defs), field in required,
                            bool(resolved.get("x-translatable") or item.get("x-translatable")), runs(description)))
        about = runs(node.get("description", "")) if name != "protocol" else []
        out.append(Section(name, anchor(name), about, rows))
    return out


def schema_page(schema: dict[str, Any], schema_href: str, lang: str, env: jinja2.Environment | None = None) -> str:
    """The page source. ``lang`` marks the (English) reference on a page in another language."""
    return render(env or environment(), "schema.md", description=schema.get("description", ""),
                  schema_href=schema_href, lang=lang, sections=sections(schema))
