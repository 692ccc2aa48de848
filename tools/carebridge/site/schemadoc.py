"""The schema reference page: editors read the JSON Schema itself, rendered, not a copy of it.

Every object of the schema becomes a table (field, type, required, translated, description);
references between objects become links. The schema file is published beside the page.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .render import heading_text

SCHEMA_URL = "schema/protocol.schema.json"


_CJK_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


def _text(value: str) -> str:
    """Escaped English text; Chinese examples inside it (缩宫素) are marked as Chinese."""
    return _CJK_RUN.sub(r'<span lang="zh-Hans">\1</span>', html.escape(value))


def _anchor(name: str) -> str:
    return "schema-" + name.replace("_", "-")


def _type(node: dict[str, Any], objects: set[str], defs: dict[str, Any]) -> str:
    """A short, linked description of a subschema's type."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in objects:
            return f'<a href="#{_anchor(name)}">{html.escape(name)}</a>'
        return _type(defs[name], objects, defs) if name in defs else html.escape(name)
    if "enum" in node:
        return "one of " + ", ".join(f"<code>{html.escape(str(v))}</code>" for v in node["enum"])
    kind = node.get("type", "")
    if kind == "array":
        return "list of " + _type(node.get("items", {}), objects, defs)
    text = html.escape(str(kind))
    if node.get("format") == "date" or "[0-9]{4}-" in node.get("pattern", ""):
        text = "date (YYYY-MM-DD)"
    elif "pattern" in node and node["pattern"].startswith("^[a-z0-9]+"):
        text = "id (lowercase-with-hyphens)"
    elif "pattern" in node and "(0|[1-9]" in node["pattern"]:
        text = "version (MAJOR.MINOR.PATCH)"
    elif "pattern" in node and node["pattern"].startswith("^https"):
        text = "https:// address"
    return text


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def schema_page(schema: dict[str, Any], schema_href: str, lang: str) -> str:
    """The page source. ``lang`` marks the (English) descriptions on a page in another language."""
    defs: dict[str, Any] = schema.get("$defs", {})
    objects = {name for name, sub in defs.items() if sub.get("type") == "object"}
    out = ["# Schema reference", "",
           f'<div lang="en"{"" if lang == "en" else " class=cb-text"}>',
           f"<p>{html.escape(schema.get('description', ''))}</p>",
           f'<p>The schema itself: <a href="{html.escape(schema_href)}"><code>protocol.schema.json</code></a> '
           "(JSON Schema 2020-12). Editors get completion and checking while typing from the first line of "
           "every protocol: <code># yaml-language-server: $schema=../../schema/protocol.schema.json</code>. "
           "Fields marked <strong>translated</strong> are extracted into the catalogs; everything else "
           "(ids, numbers, units, routes, dates, citations) is never translated.</p>", "</div>", ""]
    sections = [("protocol", schema)] + [(name, defs[name]) for name in defs if name in objects]
    for name, node in sections:
        out += [f"## {heading_text(name)} {{#{_anchor(name)}}}", ""]
        if node.get("description") and name != "protocol":
            out.append(f'<p lang="en">{_text(node["description"])}</p>')
        required = set(node.get("required", []))
        rows = []
        for field, sub in node.get("properties", {}).items():
            resolved = _resolve(sub, defs)
            item = _resolve(resolved.get("items", {}), defs) if resolved.get("type") == "array" else {}
            translated = resolved.get("x-translatable") or item.get("x-translatable")
            description = sub.get("description") or resolved.get("description") or resolved.get("x-hint", "")
            rows.append(f"<tr><td><code>{html.escape(field)}</code></td><td>{_type(sub, objects, defs)}</td>"
                        f"<td>{'required' if field in required else ''}</td>"
                        f"<td>{'translated' if translated else ''}</td>"
                        f'<td lang="en">{_text(description)}</td></tr>')
        out += ['<table class="cb-history cb-schema"><thead><tr><th scope="col">Field</th><th scope="col">Type</th>'
                '<th scope="col">Required</th><th scope="col">Translated</th><th scope="col">Description</th>'
                f"</tr></thead><tbody>{''.join(rows)}</tbody></table>", ""]
    return "\n".join(out)
