"""Acceptance: each file in tests/examples/bad/ is named for the one error it must produce.

The table below is the contract: where the defect is (line, column), its code, the JSON
path, a fragment of the message and of the hint. Every bad file is derived from the good
fixture with one defect, so each must produce exactly one problem.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent / "examples"
BAD = EXAMPLES / "bad"

# file: (line, col, code, json path, message fragment, hint fragment)
EXPECTED: dict[str, tuple[int, int, str, str, str, str]] = {
    "yaml-syntax.yaml": (10, 14, "yaml", "", "mapping values are not allowed", "must be quoted"),
    "duplicate-key.yaml": (63, 5, "duplicate-key", "steps[2].title",
                           "duplicate key 'title' (first defined on line 62)", "remove one of the two"),
    "tab-indent.yaml": (13, 1, "yaml", "", "cannot start any token", ""),  # hint: test_loader xfail
    "wrong-type-amount.yaml": (53, 17, "schema", "steps[1].medications[0].amount",
                               'expected number, got string "10 IU"', "put the unit in `unit:`"),
    "unknown-field.yaml": (15, 3, "schema", "scope.exclusons", "unknown field 'exclusons'",
                           "did you mean 'exclusions'?"),
    "missing-required-title.yaml": (3, 1, "schema", "", "missing required field 'title'", "add `title:`"),
    "not-utf8.yaml": (10, 40, "encoding", "", "not valid UTF-8 (byte 0xe9)", "save the file as UTF-8"),
    "empty.yaml": (1, 1, "empty", "", "file is empty", "copy an existing protocol"),
    "comments-only.yaml": (1, 1, "empty", "", "holds no YAML document", "a YAML mapping"),
    "not-a-mapping.yaml": (1, 1, "yaml", "", "must be a YAML mapping, got a list", "start with `id:"),
    "bad-goto.yaml": (43, 17, "unknown-step", "steps[0].decision.branches[0].goto", "no step with id 'escalte'",
                      "did you mean 'escalate'?"),
    "unknown-source-ref.yaml": (46, 19, "unknown-source", "steps[0].source.ref",
                                "no source with id 'fixture-sauce'", "did you mean 'fixture-source'?"),
    "duplicate-step-id.yaml": (64, 9, "duplicate-id", "steps[3].id", "duplicate step id 'monitor'",
                               "each step needs its own id"),
    "approved-without-reviewers.yaml": (6, 9, "approval", "status", "requires at least one named reviewer",
                                        "add reviewers:"),
    "dates-out-of-order.yaml": (22, 14, "dates-order", "next_review",
                                "next_review 2025-11-01 is not after last_reviewed 2026-11-01", "after the last one"),
    "id-mismatch.yaml": (3, 5, "id-mismatch", "id", "does not match the file name 'id-mismatch.yaml'",
                         "set id: id-mismatch"),
    "raw-html.yaml": (49, 19, "raw-html", "steps[1].instructions", "raw HTML is not allowed", "use Markdown"),
    "javascript-link.yaml": (63, 19, "unsafe-link", "steps[2].instructions", "link 'javascript:",
                             "https:// page"),
    "wrong-enum-route.yaml": (55, 16, "schema", "steps[1].medications[0].route", 'string "po" is not one of', ""),
    "invalid-date.yaml": (21, 16, "schema", "last_reviewed", 'string "2026-11-31" is not a real date', "YYYY-MM-DD"),
    "history-lacks-version.yaml": (5, 10, "history-version", "version", "version 1.2.0 has no entry in history",
                                   "add a history entry"),
    "dose-range-reversed.yaml": (54, 21, "dose-range", "steps[1].medications[0].amount_max",
                                 "amount_max must be greater than amount", "amount_max: 2"),
    # YAML 1.2 / JSON numbers only: what YAML 1.1 read as another number is text, and fails here.
    "sexagesimal-amount.yaml": (53, 17, "schema", "steps[1].medications[0].amount", 'expected number, got string "1:30"',
                                "base 60 (1:30 as 90)"),
    "octal-amount.yaml": (53, 17, "schema", "steps[1].medications[0].amount", 'expected number, got string "010"',
                          "octal (010 as 8)"),
    "hex-amount.yaml": (53, 17, "schema", "steps[1].medications[0].amount", 'expected number, got string "0x1F"',
                        "decimal digits"),
    "infinite-amount.yaml": (53, 17, "number", "steps[1].medications[0].amount", ".inf is not a number",
                             "finite number"),
    "yes-for-boolean.yaml": (7, 16, "schema", "demonstration", 'expected boolean, got string "yes"', "true or false"),
    "tag.yaml": (53, 17, "yaml", "steps[1].medications[0].amount", "YAML tag !!int is not allowed", "remove the tag"),
    # Bounded reading: no anchors (no alias bombs), no runaway nesting, no invisible characters.
    "anchor.yaml": (12, 8, "yaml", "scope", "anchor &scope is not allowed", "write each value out in full"),
    "too-deep.yaml": (29, 43, "yaml", "", "nesting deeper than 32 levels", "unclosed [ or {"),
    "control-character.yaml": (10, 26, "character", "", "control character U+0007", "delete it"),
}


def test_every_bad_example_is_in_the_table() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


def test_not_utf8_example_really_is_latin1() -> None:
    raw = (BAD / "not-utf8.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.splitlines()[9].endswith(b"(caf\xe9)")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_example_text_report(name: str, run_cli) -> None:
    line, col, code, path, fragment, hint = EXPECTED[name]
    run = run_cli(["validate", f"bad/{name}"], cwd=EXAMPLES)
    assert run.code == 1, run.output
    assert "Traceback" not in run.output
    out = run.stdout.splitlines()
    errors = [i for i, text in enumerate(out) if ": error: " in text]
    assert len(errors) == 1, run.stdout  # one defect, one problem
    first = out[errors[0]]
    assert first.startswith(f"bad/{name}:{line}:{col}: error: "), first
    assert fragment in first
    tag = f"error: [{code}] " if code not in ("schema", "yaml") else "error: "
    assert first.startswith(f"bad/{name}:{line}:{col}: {tag}"), first
    if path:
        assert f" {path}: " in first
    assert out[errors[0] + 1].startswith("  hint: ")
    assert hint in out[errors[0] + 1]
    assert "1 file checked: 1 error(s)" in run.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_example_json_report(name: str, run_cli) -> None:
    line, col, code, path, fragment, _ = EXPECTED[name]
    run = run_cli(["validate", "--format", "json", f"bad/{name}"], cwd=EXAMPLES)
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["errors"] == 1 and report["warnings"] == 0 and report["checked"] == 1
    (problem,) = report["problems"]
    assert problem["file"] == f"bad/{name}"
    assert (problem["line"], problem["col"], problem["code"], problem["path"]) == (line, col, code, path)
    assert problem["severity"] == "error"
    assert fragment in problem["message"]
    assert problem["hint"]


def test_all_bad_examples_in_one_run_report_every_problem(run_console) -> None:
    run = run_console(["validate", "bad"], cwd=EXAMPLES)
    assert run.code == 1
    assert "Traceback" not in run.output
    for name, (line, col, *_rest) in EXPECTED.items():
        assert f"bad/{name}:{line}:{col}: error: " in run.stdout, name
    assert f"{len(EXPECTED)} files checked: {len(EXPECTED)} error(s), 0 warning(s)" in run.stderr


def test_all_bad_examples_json_lists_every_file(run_cli) -> None:
    run = run_cli(["validate", "--format", "json", "bad"], cwd=EXAMPLES)
    report = json.loads(run.stdout)
    assert sorted(p["file"] for p in report["problems"]) == sorted(f"bad/{n}" for n in EXPECTED)
    assert report["checked"] == len(EXPECTED)


def test_good_tree_validates(project_tree: Path, run_console) -> None:
    run = run_console(["validate"], cwd=project_tree)
    assert (run.code, run.stdout) == (0, "")
    assert "1 file checked: no problems" in run.stderr


def test_good_and_bad_together_fail_with_only_the_bad_reported(project_tree: Path, run_cli) -> None:
    run = run_cli(["validate", "protocols", BAD / "bad-goto.yaml"], cwd=project_tree)
    assert run.code == 1
    assert "example-escalation" not in run.stdout
    assert "bad-goto.yaml:43:17:" in run.stdout


def test_wrong_enum_route_hint_suggests_the_case_fix(run_cli) -> None:
    run = run_cli(["validate", "bad/wrong-enum-route.yaml"], cwd=EXAMPLES)
    assert "did you mean 'PO'?" in run.stdout
