"""report.py and problems.py: one list of problems, printed as text, JSON or GitHub annotations."""

from __future__ import annotations

import json

from carebridge.problems import Problem, Problems, Severity, error, warning
from carebridge.report import as_github, as_json, as_text, summary

SCHEMA = error("protocols/a.yaml", 42, 9, 'expected number, got string "10 IU"', path="steps[3].dose.amount",
               hint="write amount: 10 and unit: IU", code="schema")
PO = warning("locales/zh_CN/LC_MESSAGES/a.po", 118, None, "1 g became 1 mg", path="a:steps.x.notes",
             code="number", hint="")
MISSING = error("locales/zh_CN/LC_MESSAGES/b.po", None, None, "catalog file is missing", code="po-missing",
                hint="run `carebridge i18n update`")


def test_text_lines_and_hints() -> None:
    assert as_text([SCHEMA, PO, MISSING]).splitlines() == [
        'protocols/a.yaml:42:9: error: steps[3].dose.amount: expected number, got string "10 IU"',
        "  hint: write amount: 10 and unit: IU",
        "locales/zh_CN/LC_MESSAGES/a.po:118:1: warning: [number] a:steps.x.notes: 1 g became 1 mg",
        "locales/zh_CN/LC_MESSAGES/b.po:1:1: error: [po-missing] catalog file is missing",
        "  hint: run `carebridge i18n update`",
    ]
    assert as_text([]) == ""


def test_json_is_the_same_list() -> None:
    data = json.loads(as_json([SCHEMA, PO], checked=2))
    assert (data["errors"], data["warnings"], data["checked"]) == (1, 1, 2)
    assert data["problems"][0] == {"severity": "error", "file": "protocols/a.yaml", "line": 42, "col": 9,
                                   "path": "steps[3].dose.amount", "message": 'expected number, got string "10 IU"',
                                   "hint": "write amount: 10 and unit: IU", "code": "schema"}
    # the place the text names: a line without a column at column 1, as "a.po:118:1: warning"
    assert data["problems"][1]["col"] == 1 and data["problems"][1]["severity"] == "warning"


def test_json_puts_a_whole_file_problem_where_the_text_does_and_a_command_line_one_nowhere() -> None:
    data = json.loads(as_json([error("gone.yaml", None, None, "no such file"), error("--only", None, None, "bad")]))
    assert [(p["line"], p["col"]) for p in data["problems"]] == [(1, 1), (None, None)]


def test_json_keeps_chinese_readable() -> None:
    text = as_json([error("a.po", 1, 1, "译文缺少数字 90%")])
    assert "译文缺少数字 90%" in text
    assert json.loads(text)["problems"][0]["message"] == "译文缺少数字 90%"


def test_github_annotation_escaping() -> None:
    nasty = error("dir,with:odd%name.yaml", 3, 2, "100% wrong\r\nsecond line: yes, really", path="a.b",
                  hint="fix: it, now", code="schema")
    assert as_github([nasty]) == (
        "::error file=dir%2Cwith%3Aodd%25name.yaml,line=3,col=2,title=carebridge schema::"
        "a.b: 100%25 wrong%0D%0Asecond line: yes, really%0Ahint: fix: it, now")


def test_github_annotation_without_position_or_code() -> None:
    assert as_github([warning("x.po", None, None, "stale")]) == "::warning file=x.po,title=carebridge warning::stale"
    assert as_github([MISSING]).startswith("::error file=locales/zh_CN/LC_MESSAGES/b.po,title=carebridge po-missing::")


def test_github_one_line_per_problem() -> None:
    assert len(as_github([SCHEMA, PO, MISSING]).splitlines()) == 3


def test_summary() -> None:
    assert summary([], 1) == "1 file checked: no problems"
    assert summary([], 0) == "0 files checked: no problems"
    assert summary([SCHEMA, PO], 3, "catalog") == "3 catalogs checked: 1 error(s), 1 warning(s)"


def test_problems_collection() -> None:
    found = Problems()
    found.add(PO)
    assert not found.has_errors
    found.extend([SCHEMA, SCHEMA])
    found.extend(Problems([MISSING]))
    assert found.has_errors and len(found) == 4
    assert found.sorted() == [PO, MISSING, SCHEMA]  # by file, then line; duplicates once
    assert Problem(Severity.ERROR, "f", 1, 1, "", "m").location() == "f:1:1"


def test_a_value_with_line_breaks_stays_on_its_problems_line() -> None:
    quoted = error("editions/a.yaml", 21, 12, 'string "ext. 8100\n<script>" is not a valid value\r\u2028',
                   hint="first\nsecond")
    assert as_text([quoted]).splitlines() == [
        'editions/a.yaml:21:12: error: string "ext. 8100\\n<script>" is not a valid value\\r\\u2028',
        "  hint: first\\nsecond",
    ]
    assert json.loads(as_json([quoted]))["problems"][0]["hint"] == "first\nsecond"  # JSON keeps the text
