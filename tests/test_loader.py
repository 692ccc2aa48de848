"""loader.py: YAML text → data plus the line:col of every node; problems instead of exceptions."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.source.loader import format_path, load_file, load_text

GOOD = Path(__file__).resolve().parent / "examples" / "good" / "protocols" / "nursing" / "example-escalation.yaml"


@pytest.fixture(scope="module")
def good_text() -> str:
    return GOOD.read_text(encoding="utf-8")


def test_good_protocol_loads_without_problems(good_text: str) -> None:
    doc, problems = load_text(good_text, "g.yaml")
    assert problems == []
    assert doc is not None and doc.data["id"] == "example-escalation"
    assert doc.data["steps"][1]["medications"][0]["amount"] == 1


@pytest.mark.parametrize(("path", "key", "expected"), [
    (("id",), False, (3, 5)),
    (("title",), True, (10, 1)),
    (("steps", 1, "medications", 0, "amount"), False, (54, 17)),
    (("steps", 0, "instructions"), False, (35, 19)),  # a block scalar starts at its `|`
    (("scope", "population"), True, (13, 3)),
    (("steps", 0), False, (33, 5)),
    (("steps", 0, "no-such-field"), False, (33, 5)),  # nearest located ancestor
    (("history", 1, "date"), False, (77, 11)),
])
def test_positions(good_text: str, path: tuple[str | int, ...], key: bool, expected: tuple[int, int]) -> None:
    doc, _ = load_text(good_text, "g.yaml")
    assert doc is not None
    assert doc.locate(path, key=key) == expected


def test_dates_stay_strings(good_text: str) -> None:
    doc, _ = load_text(good_text, "g.yaml")
    assert doc is not None
    assert doc.data["last_reviewed"] == "2026-11-01"
    assert doc.data["history"][0]["date"] == "2026-10-01"


def test_duplicate_keys_are_all_reported_with_both_lines() -> None:
    doc, problems = load_text("id: x\nid: y\nsteps:\n  - title: a\n    title: b\n", "d.yaml")
    assert doc is None
    assert [(p.line, p.col, p.path, p.code) for p in problems] == [
        (2, 1, "id", "duplicate-key"), (5, 5, "steps[0].title", "duplicate-key")]
    assert "first defined on line 1" in problems[0].message
    assert "first defined on line 4" in problems[1].message
    assert all(p.hint for p in problems)


def test_tab_indent_is_a_yaml_problem_at_the_tab() -> None:
    doc, problems = load_text("id: x\nscope:\n\tpopulation: adults\n", "t.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.line, problem.col, problem.code) == (3, 1, "yaml")
    assert problem.message.startswith("YAML syntax: ")


def test_tab_indent_hint_says_tab() -> None:
    _, problems = load_text("id: x\nscope:\n\tpopulation: adults\n", "t.yaml")
    assert "tab" in problems[0].hint


@pytest.mark.parametrize(("text", "line", "col", "hint"), [
    ("id: x\ntitle: Step 1: call for help\n", 2, 14, "must be quoted"),
    ("id: x\ntitle: \"open quote\nsummary: y\n", 4, 1, ""),
    ("id: *nowhere\n", 1, 5, "define the anchor"),
    ("id: [x\n", 2, 1, ""),
])
def test_syntax_errors_have_positions(text: str, line: int, col: int, hint: str) -> None:
    doc, problems = load_text(text, "s.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.col, problem.code) == ("s.yaml", line, col, "yaml")
    assert hint in problem.hint and problem.hint


@pytest.mark.parametrize("text", ["", "   \n\n", "\n"])
def test_empty_file(text: str) -> None:
    doc, problems = load_text(text, "e.yaml")
    assert doc is None
    assert [(p.line, p.col, p.code, p.message) for p in problems] == [(1, 1, "empty", "file is empty")]


def test_comments_only_file() -> None:
    doc, problems = load_text("# nothing here\n# id: x\n", "c.yaml")
    assert doc is None
    assert [p.code for p in problems] == ["empty"]
    assert "no YAML document" in problems[0].message


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "list"), ("just text\n", "str"), ("42\n", "int")])
def test_non_mapping(text: str, kind: str) -> None:
    doc, problems = load_text(text, "n.yaml")
    assert doc is None
    (problem,) = problems
    assert problem.message == f"a protocol must be a YAML mapping, got {kind}"
    assert (problem.line, problem.col) == (1, 1)


def test_bom_is_ignored_and_columns_stay_right(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\ntitle: y\n")
    doc, problems = load_file(path, "b.yaml")
    assert problems == []
    assert doc is not None
    assert doc.data == {"id": "x", "title": "y"}  # not '\ufeffid'
    assert doc.locate(("id",)) == (1, 5)
    assert doc.locate(("id",), key=True) == (1, 1)


def test_not_utf8_reports_line_and_column_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_bytes(b"id: x\nkind: protocol\ntitle: caf\xe9\n")
    doc, problems = load_file(path, "l.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.col, problem.code) == ("l.yaml", 3, 11, "encoding")
    assert "0xe9" in problem.message
    assert "UTF-8" in problem.hint


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_bytes("title: 护理 caf".encode() + b"\xe9\n")
    _, problems = load_file(path, "l.yaml")
    assert problems[0].col == len("title: 护理 caf") + 1


def test_missing_file_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    doc, problems = load_file(tmp_path / "nope.yaml", "nope.yaml")
    assert doc is None
    assert [(p.file, p.line, p.code) for p in problems] == [("nope.yaml", None, "io")]


def test_recursive_alias_is_a_problem_not_a_crash() -> None:
    doc, problems = load_text("id: x\nsteps: &a\n  - *a\n", "r.yaml")
    assert doc is None
    assert problems and problems[0].code == "yaml"


@pytest.mark.parametrize(("path", "text"), [
    ((), ""),
    (("id",), "id"),
    (("steps", 3, "dose", "amount"), "steps[3].dose.amount"),
    (("history", 0), "history[0]"),
])
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text
