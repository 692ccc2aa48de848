"""Hostile input found by a sweep over every command: each is a clear problem at its line and column
with a hint (exit 1), never exit 2, a traceback, a file written half-way, or markup on a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import edit

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")


def _problems(run) -> list[dict[str, object]]:
    return json.loads(run.stdout)["problems"]


@pytest.mark.parametrize(("written", "char"), [
    ("Repeat observations every 1\u200b0 hours.", "U+200B"),   # as typed (a copy and paste)
    ('"Repeat observations every 1\\u200b0 hours."', "U+200B"),  # as an escape in a quoted string
    ("Repeat observations every 1\u200f0 hours.", "U+200F"),
    ("Repeat observations every \uff11\u2060\uff10 hours.", "U+2060"),
])
def test_an_invisible_character_inside_a_number_of_a_protocol_is_refused_where_it_is(
        project_tree: Path, run_cli, written: str, char: str) -> None:
    # The page would show 10 where the translation checks and search read 1 and 0.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.", f"    instructions: {written}")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "character"]
    assert char in str(problem["message"]) and "inside a number" in str(problem["message"])
    assert problem["line"] == 64 and problem["hint"]
    assert problem["col"] == (19 if written.startswith('"') else 19 + written.index(chr(int(char[2:], 16))))


def test_an_invisible_character_between_words_stays_allowed(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.", "Repeat observa\u00adtions every 4 hours.")
    assert run_cli(["validate"], cwd=project_tree).code == 0


@pytest.mark.parametrize("definition", ["[c]: ftp://example.org/chart", "  [c]: <file:///etc/passwd>",
                                        "[c]:\n      vbscript:msgbox(1)", "[c]: chart.html"])
def test_a_link_given_by_a_reference_definition_is_held_to_the_link_rule(
        project_tree: Path, run_cli, definition: str) -> None:
    # [text][c] takes its target from the definition: it passed validation where [text](ftp://…) did not.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.",
         f"    instructions: |\n      Repeat observations every 4 hours ([chart][c]).\n\n      {definition}")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "unsafe-link"]
    assert problem["path"] == "steps[2].instructions" and problem["line"] == 64 and problem["hint"]


def test_a_reference_definition_to_a_public_page_stays_allowed(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.",
         "    instructions: |\n      Repeat observations every 4 hours ([chart][c]).\n\n"
         "      [c]: https://example.org/chart")
    assert run_cli(["validate"], cwd=project_tree).code == 0
