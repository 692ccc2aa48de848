"""contacts.py: a hospital's telephone number written into a protocol every hospital shares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carebridge.source.contacts import check_contact_numbers, contact_numbers
from carebridge.source.loader import load_text

from .conftest import GOOD_PROTOCOL

GOOD_TEXT = GOOD_PROTOCOL.read_text(encoding="utf-8")
STEP = "Call the responsible doctor and record the time of the call."


@pytest.mark.parametrize(("text", "number"), [
    ("Call the urologist on ext. 8245.", "ext. 8245"),
    ("Bleep 2231 for the outreach team.", "Bleep 2231"),
    ("Call 0571-87654321 for urology.", "0571-87654321"),
    ("Call +86 138 0013 8000 at night.", "+86 138 0013 8000"),
    ("Text 13800138000.", "13800138000"),
    ("Phone (310) 555-0100 for the lab.", "(310) 555-0100"),
    ("拨打分机8123。", "分机8123"),
])
def test_a_telephone_number_or_extension_is_found(text: str, number: str) -> None:
    assert contact_numbers(text) == [number]


@pytest.mark.parametrize("text", [
    "Give 1 000 mg over 10-15 minutes.", "Platelets 50 000-100 000 × 10⁹/L.", "BP 140/90 mmHg.",
    "ISBN 978-92-4-154850-2.", "NICE NG143 (2019, updated 2021).", "In China call 120.",
    "Benzylpenicillin 2 400 000 units.", "Record times at 08:00, 12:00 and 16:00.",
])
def test_doses_ranges_citations_and_emergency_numbers_are_no_contact(text: str) -> None:
    assert contact_numbers(text) == []


def test_a_number_in_a_step_is_a_warning_at_its_field_naming_the_edition() -> None:
    doc, problems = load_text(GOOD_TEXT.replace(STEP, "Call ext. 8245 and record the time of the call."),
                              "protocols/nursing/example-escalation.yaml")
    assert doc is not None, problems
    [problem] = check_contact_numbers(doc)
    assert (problem.severity.value, problem.code, problem.path) == ("warning", "contact-number", "steps[1].instructions")
    assert str(problem).startswith("protocols/nursing/example-escalation.yaml:50:19: warning: [contact-number] ")
    assert "{contact:" in problem.hint and "editions/" in problem.hint
    assert check_contact_numbers(load_text(GOOD_TEXT, "p.yaml")[0]) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("number", ["ext. 8245", "Bleep 2231", "0571-87654321", "+86 138 0013 8000", "13800138000",
                                    "(310) 555-0100", "+44 20 79 46 09", "+1 (310) 55 01 00"])
def test_the_quick_scan_before_the_pattern_lets_every_shape_through(number: str) -> None:
    """A text is searched only when it has three digits in a row or a "+" before one: every shape
    the pattern knows has one, even a number of two-digit groups."""
    doc, problems = load_text(GOOD_TEXT.replace(STEP, f"Call {number} and record the time of the call."),
                              "protocols/nursing/example-escalation.yaml")
    assert doc is not None, problems
    assert [p.message.split("'")[1] for p in check_contact_numbers(doc)] == [number]


def test_validate_reports_it_and_still_exits_0(project_tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = project_tree / "protocols" / "nursing" / "example-escalation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(STEP, "Call 0571-87654321 and record the time."),
                    encoding="utf-8")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 0, run.output
    assert [p["code"] for p in json.loads(run.stdout)["problems"] if p["code"] == "contact-number"] == ["contact-number"]
