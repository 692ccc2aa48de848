"""validate.py: schema errors become one readable problem each (message, hint, line:col),
and the rules a schema cannot say (ids, references, dates, review, safe text) are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.problems import Problem
from carebridge.source.loader import load_text
from carebridge.source.validate import validate_document

GOOD = Path(__file__).resolve().parent / "examples" / "good" / "protocols" / "nursing" / "example-escalation.yaml"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")

REVIEWERS = "reviewers:\n  - name: Dr Fixture\n    role: Ward nurse lead\n    date: 2026-10-30\n"


def edited(*changes: tuple[str, str]) -> str:
    """The good fixture with each ``old`` replaced by ``new`` (each ``old`` must occur once)."""
    text = GOOD_TEXT
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str) -> int:
    """The one line holding ``needle`` (a trailing ``$`` means the whole line)."""
    exact = needle.endswith("$")
    lines = [i for i, line in enumerate(text.splitlines(), 1)
             if (line == needle[:-1] if exact else needle in line)]
    assert len(lines) == 1, needle
    return lines[0]


def problems_of(text: str, **kwargs: str) -> list[Problem]:
    doc, problems = load_text(text, "p.yaml")
    assert problems == [] and doc is not None
    return validate_document(doc, **kwargs)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_good_fixture_is_valid_with_its_name_and_folder() -> None:
    assert problems_of(GOOD_TEXT, expected_id="example-escalation", specialty_dir="nursing") == []


# --- schema errors, one per validator kind --------------------------------------------------

@pytest.mark.parametrize(("changes", "needle", "col", "path", "message", "hint"), [
    pytest.param([('amount: 1\n', 'amount: "10 IU"\n')], "10 IU", 17, "steps[1].medications[0].amount",
                 'expected number, got string "10 IU"', "write the number alone (amount: 10) and put the unit in `unit:`",
                 id="type-number"),
    pytest.param([('when: "Yes"', "when: true")], "when: true", 17, "steps[0].decision.branches[0].when",
                 "expected string, got boolean true", "quote the value to make it text", id="type-string-true"),
    pytest.param([("status: draft", "status: draf")], "status:", 9, "status",
                 'string "draf" is not one of: draft, review, approved', "did you mean 'draft'?", id="enum-near"),
    pytest.param([("category: family-role", "category: family")], "category:", 15, "adaptations[0].category",
                 'string "family" is not one of:', "", id="enum"),
    pytest.param([("id: assess", "id: Assess_Step")], "Assess_Step", 9, "steps[0].id",
                 'string "Assess_Step" is not a valid slug', "lowercase letters, digits and single hyphens",
                 id="pattern-slug"),
    pytest.param([("version: 1.1.0\nstatus", 'version: "1.1"\nstatus')], 'version: "1.1"', 10, "version",
                 'string "1.1" is not a valid semver', "MAJOR.MINOR.PATCH", id="pattern-semver"),
    pytest.param([("version: 1.1.0\nstatus", "version: 1.1\nstatus")], "version: 1.1$", 10, "version",
                 "expected string, got number 1.1", "quote the value", id="type-string-number"),
    pytest.param([("locale: zh_CN", "locale: zh-CN")], "zh-CN", 13, "adaptations[0].locale",
                 'string "zh-CN" is not a valid locale', "gettext locale such as zh_CN", id="pattern-locale"),
    pytest.param([("url: https://example.org/fixture", "url: http://example.org/fixture")], "url:", 10,
                 "sources[0].url", 'string "http://example.org/fixture" is not a valid url', "full https://",
                 id="pattern-url"),
    pytest.param([("url: https://example.org/fixture", "url: https://example.org@evil.example/fixture")], "url:", 10,
                 "sources[0].url", 'string "https://example.org@evil.example/fixture" is not a valid url', "full https://",
                 id="pattern-url-userinfo"),
    pytest.param([("next_review: 2027-11-01", "next_review: 2027-02-30")], "next_review", 14, "next_review",
                 'string "2027-02-30" is not a real date', "YYYY-MM-DD", id="format-date"),
    pytest.param([("title: Example escalation protocol", 'title: "Ex"')], "title: \"Ex\"", 8, "title",
                 'string "Ex" is too short (minLength 3)', "fill in this field", id="minLength"),
    pytest.param([("owners:\n  - name: CareBridge test team\n    role: Fixture author\n", "owners: []\n")],
                 "owners: []", 9, "owners", "a list is too short (minItems 1)", "add at least one item", id="minItems"),
    pytest.param([("year: 2026", "year: 1900")], "year:", 11, "sources[0].year",
                 "number 1900 is out of range (minimum 1950)", "", id="minimum"),
    pytest.param([("amount: 1\n", "amount: 0\n")], "amount: 0", 17, "steps[1].medications[0].amount",
                 "number 0 is out of range (exclusiveMinimum 0)", "", id="exclusiveMinimum"),
    pytest.param([("amount: 1\n", "amount: 1e300\n")], "amount: 1e300", 17, "steps[1].medications[0].amount",
                 "number 1e+300 is out of range (maximum 100000000)", "", id="maximum-dose"),
    pytest.param([("title: Example escalation protocol\n", "")], "id: example", 1, "",
                 "missing required field 'title'", "add `title:` here", id="required-top"),
    pytest.param([("    instructions: Repeat observations every 4 hours.\n", "")], "id: monitor", 5, "steps[2]",
                 "missing required field 'instructions'", "add `instructions:` here", id="required-nested"),
    pytest.param([("  exclusions:", "  exclusons:")], "exclusons", 3, "scope.exclusons",
                 "unknown field 'exclusons'", "did you mean 'exclusions'?", id="unknown-near"),
    pytest.param([("  setting:", "  zzqx: 1\n  setting:")], "zzqx", 3, "scope.zzqx",
                 "unknown field 'zzqx'", "allowed fields here: exclusions, population, setting", id="unknown-far"),
])
def test_schema_error(changes: list[tuple[str, str]], needle: str, col: int, path: str, message: str,
                      hint: str) -> None:
    text = edited(*changes)
    problem = only(problems_of(text))
    assert (problem.file, problem.line, problem.col) == ("p.yaml", line_of(text, needle), col)
    assert (problem.path, problem.code) == (path, "schema")
    assert message in problem.message
    assert hint in problem.hint
    if hint:
        assert problem.hint


def test_misspelt_required_field_reports_both_the_stray_and_the_missing_field() -> None:
    text = edited(("    instructions: Repeat observations every 4 hours.", "    instructons: Repeat observations."))
    problems = sorted(problems_of(text), key=lambda p: p.line or 0)
    assert [(p.line, p.path, p.message) for p in problems] == [
        (62, "steps[2]", "missing required field 'instructions'"),
        (64, "steps[2].instructons", "unknown field 'instructons'"),
    ]
    assert problems[1].hint == "did you mean 'instructions'?"


def test_every_unknown_field_is_reported() -> None:
    text = edited(("  setting:", "  popluation: a\n  setings: b\n  setting:"))
    assert sorted(p.path for p in problems_of(text)) == ["scope.popluation", "scope.setings"]


def test_semantic_rules_wait_for_a_schema_valid_file() -> None:
    text = edited(("goto: escalate", "goto: nowhere"), ("status: draft", "status: drafty"))
    assert [p.code for p in problems_of(text)] == ["schema"]


# --- rules a schema cannot say ---------------------------------------------------------------

@pytest.mark.parametrize(("changes", "needle", "path", "code", "message", "hint"), [
    pytest.param([("goto: monitor", "goto: assess")], "goto: assess", "steps[0].decision.branches[1].goto",
                 "decision-loop", "cannot lead back to its own step", "next step", id="decision-loop"),
    pytest.param([("goto: monitor", "goto: zzz")], "goto: zzz", "steps[0].decision.branches[1].goto",
                 "unknown-step", "no step with id 'zzz'", "known step ids: assess, escalate, monitor",
                 id="goto-unknown-far"),
    pytest.param([("step: assess", "step: asess")], "step: asess", "adaptations[0].step", "unknown-step",
                 "no step with id 'asess'", "did you mean 'assess'?", id="adaptation-step"),
    pytest.param([('{ref: fixture-source, section: "Table 2"}', '{ref: other-source, section: "Table 2"}')],
                 "other-source", "steps[1].medications[0].source.ref", "unknown-source",
                 "no source with id 'other-source'", "", id="medication-source"),
    pytest.param([("    rationale: Family", '    source: {ref: nope, section: "1"}\n    rationale: Family')],
                 "ref: nope", "adaptations[0].source.ref", "unknown-source", "no source with id 'nope'",
                 "known source ids: fixture-source", id="adaptation-source"),
    pytest.param([("red_flags:\n  - Systolic", "  - {id: fixture-source, title: Same id again, publisher: CareBridge, year: 2025,"
                   " url: https://example.org/again}\nred_flags:\n  - Systolic")],
                 "Same id again", "sources[1].id", "duplicate-id", "duplicate source id 'fixture-source'", "",
                 id="duplicate-source"),
    pytest.param([("    red_flags:\n      - Oxygen", "      - {id: paracetamol, drug: paracetamol again, amount: 1, unit: g, route: IV,"
                   " frequency: once, source: {ref: fixture-source, section: T}}\n    red_flags:\n      - Oxygen")],
                 "paracetamol again", "steps[1].medications[1].id", "duplicate-id",
                 "duplicate medication id 'paracetamol'", "", id="duplicate-medication"),
    pytest.param([("    date: 2026-10-01", "    date: 2026-12-01")], "    date: 2026-11-01$", "history[1].date",
                 "dates-order", "history is not in date order", "oldest first", id="history-order"),
    pytest.param([("version: 1.1.0\nstatus", "version: 1.2.0\nstatus")], "version: 1.2.0", "version",
                 "history-version", "version 1.2.0 has no entry in history", "version: 1.2.0", id="history-lacks-current"),
    pytest.param([("next_review: 2027-11-01", "next_review: 2026-11-01")], "next_review", "next_review",
                 "dates-order", "is not after last_reviewed", "", id="review-same-day"),
    pytest.param([("amount: 1\n", "amount: 1\n        amount_max: 1\n")], "amount_max", "steps[1].medications[0].amount_max",
                 "dose-range", "amount_max must be greater than amount", "amount_max: 2", id="amount-max-equal"),
    pytest.param([("status: draft", "status: approved"), ("demonstration: true", "demonstration: false")],
                 "status:", "status", "approval", "requires at least one named reviewer", "reviewers:",
                 id="approved-no-reviewers"),
    pytest.param([("status: draft", "status: approved"), ("last_reviewed", REVIEWERS + "last_reviewed")],
                 "status:", "status", "approval", "demonstration content cannot be 'approved'", "", id="approved-demo"),
    pytest.param([("  - Systolic blood pressure below 90 mmHg", "  - Systolic blood pressure <b>below</b> 90 mmHg")],
                 "<b>", "red_flags[0]", "raw-html", "raw HTML is not allowed", "", id="raw-html-in-list"),
    pytest.param([("Repeat observations every 4 hours.", "Repeat [observations](ftp://example.org/x).")],
                 "ftp://", "steps[2].instructions", "unsafe-link", "link 'ftp://", "", id="ftp-link"),
    pytest.param([("title: Example escalation protocol", 'title: "    "')], 'title: "    "', "title", "blank",
                 "only white space", "write the text", id="blank-title"),
    pytest.param([("Repeat observations every 4 hours.", "Repeat [observations](https://nice.org.uk@evil.example/x).")],
                 "evil", "steps[2].instructions", "unsafe-link", "link 'https://nice.org.uk@evil", "",
                 id="link-with-a-user-name"),
    pytest.param([("Repeat observations every 4 hours.", "Repeat <javascript:alert(1)> observations.")],
                 "alert", "steps[2].instructions", "raw-html", "raw HTML", "", id="autolink-is-html"),
])
def test_semantic_rule(changes: list[tuple[str, str]], needle: str, path: str, code: str, message: str,
                       hint: str) -> None:
    text = edited(*changes)
    problems = [p for p in problems_of(text) if p.code == code]
    problem = only(problems)
    assert problem.line == line_of(text, needle)
    assert problem.path == path
    assert message in problem.message
    assert hint in problem.hint and problem.hint


def test_autolink_with_javascript_is_also_an_unsafe_link() -> None:
    text = edited(("Repeat observations every 4 hours.", "Repeat <javascript:alert(1)> observations."))
    assert sorted(p.code for p in problems_of(text)) == ["raw-html", "unsafe-link"]


def test_a_larger_dose_range_is_fine() -> None:
    assert problems_of(edited(("amount: 1\n", "amount: 1\n        amount_max: 2\n"))) == []


def test_approved_with_reviewers_and_no_demonstration_is_fine() -> None:
    text = edited(("status: draft", "status: approved"), ("demonstration: true", "demonstration: false"),
                  ("last_reviewed", REVIEWERS + "last_reviewed"))
    assert problems_of(text) == []


@pytest.mark.parametrize("link", ["[the chart](https://example.org/chart)", "[step 1](#assess)",
                                  "[old site](http://example.org)"])
def test_allowed_links(link: str) -> None:
    assert problems_of(edited(("Repeat observations every 4 hours.", f"See {link}."))) == []


def test_the_word_data_followed_by_a_colon_is_not_a_link() -> None:
    text = edited(("    instructions: Repeat observations every 4 hours.",
                   "    instructions: |\n      Record these data: heart rate and blood pressure."))
    assert problems_of(text) == []


def test_id_and_folder_must_match_the_file() -> None:
    problems = problems_of(GOOD_TEXT, expected_id="other-name", specialty_dir="cardiology")
    assert sorted((p.code, p.line, p.col, p.path) for p in problems) == [
        ("id-mismatch", 3, 5, "id"), ("specialty-dir", 8, 12, "specialty")]
    hints = {p.code: p.hint for p in problems}
    assert hints["id-mismatch"] == "rename the file to example-escalation.yaml or set id: other-name"
    assert hints["specialty-dir"] == "move the file to protocols/nursing/"


def test_problems_of_several_rules_are_all_collected() -> None:
    text = edited(("goto: monitor", "goto: monitr"), ("step: assess", "step: asses"),
                  ("next_review: 2027-11-01", "next_review: 2020-01-01"))
    assert sorted(p.code for p in problems_of(text)) == ["dates-order", "unknown-step", "unknown-step"]


def test_source_currency_fields_validate_and_reach_the_model() -> None:
    from carebridge.source.model import build_protocol

    text = edited(("    checked: 2026-11-01\n", "    checked: 2026-11-30\n    superseded_by: The 2027 edition\n"))
    doc, problems = load_text(text, "x.yaml")
    assert problems == []
    assert validate_document(doc) == []
    source = build_protocol(doc.data).sources[0]
    assert (source.checked, source.superseded_by) == ("2026-11-30", "The 2027 edition")


def test_source_checked_must_be_a_date() -> None:
    doc, _ = load_text(edited(("    checked: 2026-11-01\n", "    checked: last week\n")), "x.yaml")
    problems = validate_document(doc)
    assert {p.path for p in problems} == {"sources[0].checked"}, problems


EDITION_TEXT = (Path(__file__).resolve().parents[1] / "editions" / "qingshan-county.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message", "hint"), [
    ("contacts:\n", "contacts: []\nxcontacts:\n", "expected object, got a list", "indented on the lines below"),
    ("formulary:\n", "formulary: {drug: x}\nxformulary:\n", "expected array, got a mapping", "starting with `- `"),
    ("icu: {available: true}", "icu: {available: null}", "expected boolean, got nothing (null)", "after the colon"),
    ("icu: {available: true}", "icu: 1", "expected object, got number 1", "indented on the lines below"),
    ("formulary:\n", "sources: [{id: s1, title: Handbook, publisher: Ward, year: 1800}]\nformulary:\n",
     "number 1800 is out of range (minimum 1950)", "of at least 1950"),
    ("  - id: stemi-transfer", "  - id: " + "a" * 65, "is too long (maxLength 64)", "at most 64 characters"),
])
def test_every_schema_problem_in_an_edition_has_a_hint(old: str, new: str, message: str, hint: str) -> None:
    from carebridge.source.schema import EDITION_SCHEMA

    assert EDITION_TEXT.count(old) == 1, old
    doc, _ = load_text(EDITION_TEXT.replace(old, new), "e.yaml")
    assert doc is not None
    found = [p for p in validate_document(doc, schema_path=EDITION_SCHEMA, semantics=False) if message in p.message]
    assert len(found) == 1 and hint in found[0].hint and found[0].line, found


@pytest.mark.parametrize(("old", "new", "path"), [
    ("id: example-escalation\n", 'id: "example-escalation\\n"\n', "id"),
    ("version: 1.1.0\nstatus", 'version: "1.1.0\\n"\nstatus', "version"),
])
def test_a_pattern_ends_at_the_end_of_the_text_not_before_a_final_line_break(old: str, new: str, path: str) -> None:
    """JSON Schema's `$` (ECMA-262) is the end of the text; Python's also matches before a last "\\n"."""
    doc, _ = load_text(edited((old, new)), "x.yaml")
    assert doc is not None and doc.data[path].endswith("\n")
    assert [p.path for p in validate_document(doc) if p.severity.value == "error"] == [path]


def test_an_edition_phone_with_a_final_line_break_is_refused() -> None:
    from carebridge.source.schema import EDITION_SCHEMA

    old = next(line for line in EDITION_TEXT.splitlines() if "phone:" in line)
    number = old.split("phone:", 1)[1].strip().strip('"')
    doc, _ = load_text(EDITION_TEXT.replace(old, old.split("phone:")[0] + f'phone: "{number}\\n"', 1), "e.yaml")
    assert doc is not None
    found = [p for p in validate_document(doc, schema_path=EDITION_SCHEMA, semantics=False) if "phone" in p.path]
    assert len(found) == 1 and found[0].line, found
