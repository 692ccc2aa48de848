"""The schema reference page is generated from the schema: nothing in it can drift."""

from __future__ import annotations

import re

import markdown as md

from carebridge.site.schemadoc import schema_page
from carebridge.source.schema import load_schema


def test_every_field_of_every_object_is_documented_with_its_anchor() -> None:
    schema = load_schema()
    page = schema_page(schema, "schema/protocol.schema.json", "en")
    html = md.markdown(page, extensions=["attr_list", "toc"])
    anchors = set(re.findall(r'id="([^"]+)"', html))
    for name, sub in [("protocol", schema), *schema["$defs"].items()]:
        if sub.get("type") != "object":
            continue
        assert f"schema-{name.replace('_', '-')}" in anchors, name
        for field in sub.get("properties", {}):
            assert f"<code>{field}</code>" in html, (name, field)
    # links between objects point at anchors that exist
    assert set(re.findall(r'href="#([^"]+)"', html)) <= anchors


def test_required_and_translated_fields_are_marked() -> None:
    page = schema_page(load_schema(), "x.json", "en")
    row = re.search(r"<tr><td><code>title</code></td>.*?</tr>", page)
    assert row and "required" in row.group() and "translated" in row.group()
    row = re.search(r"<tr><td><code>amount</code></td>.*?</tr>", page)
    assert row and "translated" not in row.group()  # numbers are never translated


def test_descriptions_are_escaped() -> None:
    schema = {"description": "<script>x</script>", "properties": {"a": {"type": "string", "description": "<b>"}}}
    page = schema_page(schema, "x.json", "zh-Hans")
    assert "<script>" not in page and "<b>" not in page
    assert 'lang="en"' in page
