"""currency.py: whether each source was checked as current, and how long ago."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from carebridge.problems import Severity
from carebridge.source import currency
from carebridge.source.library import Loaded, Project, load_protocol
from carebridge.source.model import Source

from .conftest import GOOD_PROTOCOL

ON = dt.date(2026, 11, 30)


def loaded_from(tmp_path: Path, old: str, new: str) -> Loaded:
    text = GOOD_PROTOCOL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "protocols" / "nursing" / "example-escalation.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace(old, new), encoding="utf-8")
    item, problems = load_protocol(Project.at(tmp_path), path)
    assert item is not None, problems
    return item


@pytest.mark.parametrize(("checked", "superseded_by", "state", "age"), [
    ("2026-11-30", "", "current", 0),
    ("2025-11-30", "", "current", 365),    # exactly the maximum age is still current
    ("2025-11-29", "", "overdue", 366),
    ("", "", "unchecked", None),
    ("2026-12-01", "", "future", -1),
    ("", "The 2025 edition", "superseded", None),
    ("2026-11-30", "The 2025 edition", "superseded", 0),
])
def test_state_of_a_source(checked: str, superseded_by: str, state: str, age: int | None) -> None:
    assert currency.state_of(checked, superseded_by, ON, 365) == (state, age)


def test_rows_point_at_each_source_entry(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "    checked: 2026-11-01\n", "")
    [row] = currency.source_rows([item], ON)
    assert (row.protocol, row.source, row.state, row.file, row.line, row.col) == (
        "example-escalation", "fixture-source", "unchecked", "protocols/nursing/example-escalation.yaml", 24, 5)
    [problem] = currency.currency_problems([row])
    assert (problem.severity, problem.code, problem.path) == (Severity.WARNING, "source-unchecked", "sources[0]")
    assert str(problem).startswith("protocols/nursing/example-escalation.yaml:24:5: warning: [source-unchecked] ")
    assert "checked: YYYY-MM-DD" in problem.hint


def test_an_old_check_is_overdue_by_the_configured_age(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "checked: 2026-11-01", "checked: 2026-05-01")
    assert currency.protocol_warnings(item, ON, max_age_days=365) == []
    [problem] = currency.protocol_warnings(item, ON, max_age_days=90)
    assert problem.code == "source-overdue"
    assert "last checked 2026-05-01, 213 days ago (more than 90)" in problem.message


def test_superseded_is_listed_by_sources_but_not_a_validate_warning(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "checked: 2026-11-01\n", "checked: 2026-11-01\n    superseded_by: The 2027 edition\n")
    rows = currency.source_rows([item], ON)
    assert [p.code for p in currency.currency_problems(rows)] == ["source-superseded"]
    assert "superseded by The 2027 edition" in currency.currency_problems(rows)[0].message
    assert currency.protocol_warnings(item, ON) == []


def test_a_checked_date_in_the_future_is_a_typo(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "checked: 2026-11-01", "checked: 2062-11-01")
    assert [p.code for p in currency.protocol_warnings(item, ON)] == ["source-checked-future"]


def test_a_current_source_gives_no_warning(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "checked: 2026-11-01", "checked: 2026-11-01")
    assert currency.protocol_warnings(item, ON) == []
    assert currency.source_rows([item], ON)[0].as_json()["state"] == "current"


def test_sources_checked_on_is_the_oldest_check(tmp_path: Path) -> None:
    protocol = loaded_from(tmp_path, "checked: 2026-11-01", "checked: 2026-11-01").protocol
    newer = Source("b", "B", "P", 2021, "https://b.example", checked="2026-11-30")
    older = Source("c", "C", "P", 2021, "https://c.example", checked="2026-06-01")
    assert currency.sources_checked_on(protocol) == "2026-11-01"
    assert currency.sources_checked_on(replace(protocol, sources=(newer, older))) == "2026-06-01"


def test_sources_checked_on_is_none_while_any_source_is_unchecked(tmp_path: Path) -> None:
    protocol = loaded_from(tmp_path, "checked: 2026-11-01", "checked: 2026-11-01").protocol
    unchecked = Source("b", "B", "P", 2021, "https://b.example")
    assert currency.sources_checked_on(replace(protocol, sources=(*protocol.sources, unchecked))) is None
    assert currency.sources_checked_on(replace(protocol, sources=())) is None


def test_table_lists_every_row_with_a_dash_for_no_date(tmp_path: Path) -> None:
    item = loaded_from(tmp_path, "    checked: 2026-11-01\n", "")
    lines = currency.table(currency.source_rows([item], ON))
    assert lines[0].split() == ["protocol", "source", "checked", "state", "superseded", "by"]
    assert lines[1].split() == ["example-escalation", "fixture-source", "-", "unchecked"]
