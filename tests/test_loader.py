"""loader.py: YAML text → data plus the line:col of every node; problems instead of exceptions."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest

from carebridge.source.loader import format_path, load_file, load_text, parse_yaml

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
    ("id: *nowhere\n", 1, 5, "write the value out in full"),
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


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "a text"), ("42\n", "int"),
                                             ("---\n", "an empty document")])
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


# --- YAML 1.2 / JSON values: what a dose field holds is what the editor wrote ---------------------

@pytest.mark.parametrize("text", ["1:30", "010", "0x1F", "0o17", "0b101", "1_000", ".5", "5.", "+5",
                                  "yes", "no", "on", "off", "y", "n", "Yes", "NO", "2026-11-23", "<<", "="])
def test_yaml_1_1_values_stay_the_text_that_was_written(text: str) -> None:
    doc, problems = load_text(f"id: x\namount: {text}\n", "n.yaml")
    assert problems == []
    assert doc is not None and doc.data["amount"] == text


@pytest.mark.parametrize(("text", "value"), [
    ("10", 10), ("-3", -3), ("0", 0), ("0.5", 0.5), ("1e-3", 0.001), ("2.5E2", 250.0),
    ("true", True), ("false", False), ("null", None), ("~", None), ("", None),
])
def test_json_numbers_booleans_and_null_are_values(text: str, value: object) -> None:
    doc, problems = load_text(f"id: x\namount: {text}\n", "n.yaml")
    assert problems == []
    assert doc is not None and doc.data["amount"] == value and type(doc.data["amount"]) is type(value)


def test_quoted_numbers_stay_text() -> None:
    doc, _ = load_text("id: x\na: '10'\nb: \"0.5\"\nc: |\n  12\n", "q.yaml")
    assert doc is not None and doc.data == {"id": "x", "a": "10", "b": "0.5", "c": "12\n"}


def test_keys_are_always_text() -> None:
    doc, _ = load_text("id: x\n1: a\ntrue: b\nnull: c\n", "k.yaml")
    assert doc is not None and list(doc.data) == ["id", "1", "true", "null"]


@pytest.mark.parametrize("text", [".inf", "-.inf", "+.INF", ".nan", ".NaN", "1e999", "-1e400"])
def test_infinite_and_not_a_number_are_refused_where_they_are(text: str) -> None:
    doc, problems = load_text(f"id: x\nsteps:\n  - amount: {text}\n", "i.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.line, problem.col, problem.code, problem.path) == (3, 13, "number", "steps[0].amount")
    assert text in problem.message and "finite" in problem.hint


def test_a_number_too_long_to_convert_is_a_problem_not_a_crash() -> None:
    doc, problems = load_text("id: x\namount: " + "9" * 5000 + "\n", "l.yaml")
    assert doc is None and [p.code for p in problems] == ["number"]


@pytest.mark.parametrize("text", ["amount: !!int 010", "amount: !!float 1", "amount: !!str 5", "amount: ! 5",
                                  "a: !!python/object:os.system x", "steps: !!set {a}", "x: !custom 1"])
def test_tags_are_refused(text: str) -> None:
    doc, problems = load_text(f"id: x\n{text}\n", "t.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.line, problem.code) == (2, "yaml") and "tag" in problem.message


# --- bounded reading ------------------------------------------------------------------------------

def test_an_alias_bomb_is_refused_at_once() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(9)]
    started = time.perf_counter()
    doc, problems = load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 0.5
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 4, "yaml")]
    assert "anchor &a" in problems[0].message


def test_an_alias_is_refused_where_it_is() -> None:
    _, problems = load_text("id: x\nsteps:\n  - *nowhere\n", "a.yaml")
    assert [(p.line, p.col, p.path) for p in problems] == [(3, 5, "steps[0]")]


@pytest.mark.parametrize(("text", "line", "col"), [
    ("id: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, 36),        # one 200 KB line: segfaulted libyaml's composer
    ("id: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", 1, 129),  # RecursionError before
    ("".join("  " * i + "k:\n" for i in range(40)) + "  " * 40 + "v\n", 33, 65),  # block indentation
])
def test_deep_nesting_is_refused_without_crashing(text: str, line: int, col: int) -> None:
    started = time.perf_counter()
    doc, problems = load_text(text, "deep.yaml")
    assert time.perf_counter() - started < 0.5
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(line, col, "yaml")]
    assert "nesting deeper than 32 levels" in problems[0].message


def test_a_file_larger_than_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB of NUL bytes that are never read
    doc, problems = load_file(path, "huge.yaml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 1, "size")]
    assert "larger than 1024 KB" in problems[0].message


@pytest.mark.parametrize(("text", "line", "col", "char"), [
    ("id: x\ntitle: ab\x07c\n", 2, 10, "U+0007"),
    ("id: x\r\ntitle: a\r\nsummary: b\x00\n", 3, 11, "U+0000"),
    ("id: x\nnote: 护理\x1b\n", 2, 9, "U+001B"),
    ("id: x\ntitle: a\ufeffb\n", 2, 9, "U+FEFF"),
])
def test_a_control_character_is_reported_at_its_line_and_column(text: str, line: int, col: int, char: str) -> None:
    doc, problems = load_text(text, "c.yaml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(line, col, "character")]
    assert char in problems[0].message and problems[0].hint


def test_a_bidirectional_override_that_could_reverse_a_dose_is_refused() -> None:
    doc, problems = load_text("id: x\ninstructions: give \u202e01\u202c mg\n", "b.yaml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 20, "character")]
    assert "U+202E" in problems[0].message


def _yaml_refuses(cp: int) -> bool:
    """YAML 1.2 c-printable (section 5.1), a BOM inside the text, and the bidirectional controls and marks."""
    printable = (cp in (0x09, 0x0A, 0x0D, 0x85) or 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xD7FF
                 or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF)
    return (not printable or cp in (0xFEFF, 0x061C, 0x200E, 0x200F) or 0x202A <= cp <= 0x202E
            or 0x2066 <= cp <= 0x2069)


def _look_alike_digit(cp: int) -> bool:
    """A decimal digit (Unicode Nd) other than 0-9 and the full-width ０-９: the page shows a digit the checks do not read."""
    return unicodedata.category(chr(cp)) == "Nd" and not (0x30 <= cp <= 0x39 or 0xFF10 <= cp <= 0xFF19)


def test_every_character_yaml_forbids_and_no_other_is_refused() -> None:
    points = [*range(0x10000), 0x10000, 0x1D7E3, 0x1F600, 0x10FFFF]  # the BMP whole; beyond it, one rule
    refused = [cp for cp in points if any(p.code == "character" for p in load_text(f"id: a{chr(cp)}b", "c.yaml")[1])]
    assert refused == [cp for cp in points if _yaml_refuses(cp) or _look_alike_digit(cp)]
    assert 0x0661 in refused and 0x1D7E3 in refused  # Arabic-Indic one, mathematical sans-serif one


def test_a_second_document_is_refused() -> None:
    doc, problems = load_text("id: x\n---\nid: y\n", "two.yaml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(2, 1, "yaml")]


def test_a_key_that_is_a_list_is_refused() -> None:
    doc, problems = load_text("id: x\n? [a, b]\n: c\n", "k.yaml")
    assert doc is None and [(p.line, p.col) for p in problems] == [(2, 3)]


def test_the_value_of_a_duplicate_key_leaves_no_positions_behind() -> None:
    doc, problems = load_text("id: x\nscope:\n  a: 1\nscope:\n  b:\n    - 2\n", "d.yaml")
    assert doc is None
    assert [(p.line, p.col, p.path) for p in problems] == [(4, 1, "scope")]


def test_a_file_without_a_document_is_none_for_every_reader() -> None:
    assert parse_yaml("# only a comment\n", "c.yaml") == (None, [])
    doc, problems = parse_yaml("---\n", "n.yaml")
    assert problems == [] and doc is not None and doc.data is None


@pytest.mark.parametrize("escape", ["\\u202e", "\\u2066", "\\x85", "\\u2028", "\\u2029", "\\v", "\\f", "\\e", "\\a",
                                    "\\x7f", "\\x1b", "\\0"])
def test_an_escaped_hidden_character_in_a_quoted_string_is_refused_where_it_is(escape: str) -> None:
    doc, problems = parse_yaml(f'id: x\ntitle: "Give 1{escape}0 mg"\n', "p.yaml")
    assert doc is None and [(p.line, p.col, p.code) for p in problems] == [(2, 8, "character")]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_raw_line_separator_kept_in_a_quoted_value_is_refused_as_an_escaped_one_is(separator: str) -> None:
    # The reader skips a quoted value's second look in a file with no backslash; LS and PS are kept
    # by libyaml inside such a value without one, so a file holding them still gets the look.
    doc, problems = parse_yaml(f'id: x\ntitle: "Give 1{separator}0 mg"\n', "p.yaml")
    assert doc is None and [(p.line, p.col, p.code) for p in problems] == [(2, 8, "character")]


def test_quoted_values_without_escapes_keep_their_text_and_positions() -> None:
    doc, problems = parse_yaml('id: x\nsteps:\n  - title: "Give 1 g"\n    note: "a\n      b"\n  - "10"\n', "p.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"id": "x", "steps": [{"title": "Give 1 g", "note": "a b"}, "10"]}
    assert [doc.positions[path] for path in (("steps", 0, "title"), ("steps", 0, "note"), ("steps", 1))] == [
        (3, 12), (4, 11), (6, 5)]


def test_escaped_tabs_and_new_lines_stay_allowed() -> None:
    doc, problems = parse_yaml('title: "one\\ttwo\\nthree"\n', "p.yaml")
    assert problems == [] and doc is not None and doc.data["title"] == "one\ttwo\nthree"


def test_a_text_longer_than_any_protocol_holds_is_refused_where_it_is() -> None:
    text = "id: x\ntitle: ok\nsummary: " + "a[" * 5_001 + "\n"
    doc, problems = parse_yaml(text, "p.yaml")
    assert doc is None
    (problem,) = problems
    assert (problem.line, problem.col, problem.code, problem.path) == (3, 10, "size", "summary")
    assert "10,002 characters" in problem.message and problem.hint


def test_a_text_as_long_as_a_protocol_holds_is_read() -> None:
    doc, problems = parse_yaml("summary: " + "a" * 10_000 + "\n", "p.yaml")
    assert problems == [] and doc is not None and len(doc.data["summary"]) == 10_000

