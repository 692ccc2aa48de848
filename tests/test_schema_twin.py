"""Rust's validator answers "valid" in place of jsonschema: the two must agree on every document.

``schema_errors`` trusts a "valid" from jsonschema-rs and asks jsonschema only about documents
Rust refuses. A document Rust accepts and jsonschema refuses would pass validation unreported,
so this test mutates every real protocol and edition many ways (wrong types, missing and unknown
keys, hostile strings for every pattern and the date format) and compares the two verdicts.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carebridge.source.loader import load_file
from carebridge.source.schema import DEFAULT_SCHEMA, EDITION_SCHEMA, fast_validator, portable, schema_errors, validator

REPO = Path(__file__).resolve().parents[1]
HOSTILE: list[Any] = [
    None, True, 0, -1, 1.5, 1e300, "", " ", "x", "X", [], {}, ["x"], {"x": 1},
    "pph\n", "pph\r", "pph\u2028", "Pph", "pph-", "-pph", "pph--x", "ph_x", "ppḥ",
    "1.2.3", "1.2.3\n", "01.2.3", "1.2", "1.2.3.4", "１.2.3",
    "2026-11-30", "2026-02-30", "2026-13-01", "2026-11-30\n", "20261130", "２０２６-11-30", "2026-11-30T00:00:00",
    "https://who.int", "https://who.int/a b", "https://who.int/a\u3000b", "https://who.int/a\u00a0b",
    "https://who.int/a\u0085b", "https://who.int/<x>", "http://who.int", "https://", "javascript:alert(1)",
    "zh_CN", "zh_Hant", "zh_Hant_HK", "zh-CN", "ZH", "zh_cn", "CN", "C", "CNN", "cn", "ext. 8123", "+86 10 1234",
    "ext. 8123\n", "8123x", "**bold**", "a<b", "a{b}", "٣", "x" * 5000,
]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _mutants(data: Any, rng: random.Random, count: int) -> Iterator[Any]:
    paths = [p for p in _paths(data) if p]
    for _ in range(count):
        doc = copy.deepcopy(data)
        path = rng.choice(paths)
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = rng.random()
        if action < 0.15 and isinstance(parent, dict):
            del parent[last]
        elif action < 0.25 and isinstance(parent, dict):
            parent[rng.choice(["extra", "Id", "notes ", str(last) + "_x"])] = rng.choice(HOSTILE)
        elif action < 0.3 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))  # a repeated item (uniqueItems, duplicate ids)
        elif action < 0.4 and isinstance(parent[last], str):
            parent[last] = parent[last] + rng.choice(["\n", " ", "\u3000", "x", "-"])
        else:
            parent[last] = copy.deepcopy(rng.choice(HOSTILE))
        yield doc


def _documents(folder: str) -> list[Any]:
    docs = []
    for path in sorted((REPO / folder).rglob("*.yaml")):
        doc, problems = load_file(path)
        assert doc is not None and not problems
        docs.append(doc.data)
    return docs


@pytest.mark.parametrize(("schema", "folder", "per_document"), [
    (DEFAULT_SCHEMA, "protocols", 150),
    (EDITION_SCHEMA, "editions", 600),
])
def test_rust_and_jsonschema_agree_on_mutated_documents(schema: Path, folder: str, per_document: int) -> None:
    fast, full = fast_validator(schema), validator(schema)
    assert fast is not None, "the packaged schema is portable: Rust must judge it"
    rng = random.Random(20261130)
    invalid = total = 0
    for data in _documents(folder):
        assert fast.is_valid(data) and not list(full.iter_errors(data))
        for doc in _mutants(data, rng, per_document):
            rust, python = fast.is_valid(doc), not any(True for _ in full.iter_errors(doc))
            assert rust == python, (rust, python, [e.message for e in full.iter_errors(doc)][:3])
            total += 1
            invalid += not python
    assert total >= 1000 and invalid > total // 3  # the mutants reached the rules, most are refused


def test_schema_errors_reports_what_jsonschema_reports() -> None:
    data = _documents("protocols")[0]
    broken = copy.deepcopy(data)
    broken["id"] = "pph\n"
    del broken["version"]
    messages = sorted(e.message for e in schema_errors(broken))
    assert messages == sorted(e.message for e in validator().iter_errors(broken)) and len(messages) == 2
    assert schema_errors(data) == []


def test_a_schema_rust_might_read_otherwise_is_left_to_jsonschema(tmp_path: Path) -> None:
    schema = tmp_path / "digits.schema.json"
    schema.write_text('{"$schema": "https://json-schema.org/draft/2020-12/schema",'
                      ' "properties": {"n": {"type": "string", "pattern": "^\\\\d+$"}}}', encoding="utf-8")
    assert not portable({"pattern": "^\\d+$"}) and fast_validator(schema) is None
    assert [e.validator for e in schema_errors({"n": "12a"}, schema)] == ["pattern"]
    assert schema_errors({"n": "12"}, schema) == []


def test_an_edited_schema_is_seen_by_the_same_process(tmp_path: Path) -> None:
    """What a long-running ``serve`` needs: the cache follows the file, both validators with it."""
    schema = tmp_path / "own.schema.json"

    def write(pattern: str, replace: bool = False) -> None:
        text = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "properties": {"id": {"type": "string", "pattern": pattern}}})
        target = tmp_path / "next.json" if replace else schema
        target.write_text(text, encoding="utf-8")
        if replace:  # how editors and our own writer save: a new file renamed over the old
            target.replace(schema)

    write("^[a-z]+$")
    assert [e.validator for e in schema_errors({"id": "A1"}, schema)] == ["pattern"]
    write("^[A-Za-z0-9]+$")  # another size
    assert schema_errors({"id": "A1"}, schema) == []
    write("^[a-z0-9]+$", replace=True)  # the same size as the first, saved atomically
    assert [e.validator for e in schema_errors({"id": "A1"}, schema)] == ["pattern"]


@pytest.mark.parametrize("path", [DEFAULT_SCHEMA, EDITION_SCHEMA], ids=["protocol", "edition"])
def test_the_packaged_schemas_are_valid_json_schemas(path: Path) -> None:
    # A run compiles them without checking them (only a project's own schema is checked each time).
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_a_projects_own_schema_is_still_checked(tmp_path: Path) -> None:
    from carebridge.problems import ProblemsFound

    own = tmp_path / "schema.json"
    own.write_text(json.dumps({"type": "object", "properties": {"id": {"type": "no-such-type"}}}), encoding="utf-8")
    with pytest.raises(ProblemsFound, match="not a valid JSON Schema"):
        validator(own)
