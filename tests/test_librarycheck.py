"""validate_library with outcomes kept between runs: a file is read again only when something it
was checked against changed, and a kept outcome reports exactly what checking it again would."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_library, edit

from carebridge.site.pagecache import Kept
from carebridge.source import librarycheck
from carebridge.source.advisories import Advisor
from carebridge.source.edition import ProtocolFacts
from carebridge.source.schema import DEFAULT_SCHEMA

DAY = dt.date(2026, 12, 3)
PPH = "protocols/obstetrics/postpartum-haemorrhage.yaml"
STEMI = "protocols/cardiology/stemi-first-90-minutes.yaml"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "lib")


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files read and checked (not taken from the memo), in the order checked."""
    seen: list[str] = []
    real = librarycheck.load_protocol

    def counting(project: Any, path: Path) -> Any:
        seen.append(project.rel(path))
        return real(project, path)

    monkeypatch.setattr(librarycheck, "load_protocol", counting)
    return seen


def _run(root: Path, memo: Any, advice: Any = None, summary: Any = None, paths: list[Path] | None = None,
         schema: str = "") -> tuple[int, list[str], list[Any]]:
    from carebridge.source.library import Project

    project = Project.at(root, schema=schema)
    count, problems, summaries = librarycheck.validate_library(project, paths, advice, summary, memo)
    return count, [f"{p}\n  hint: {p.hint}" for p in problems], summaries  # each as reported, with its hint


def _memo() -> Kept:
    memo = Kept.open(settings="validate")
    assert memo.folder is not None
    return memo


def test_a_second_run_reads_no_file_and_reports_the_same(library: Path, checked: list[str]) -> None:
    advice = Advisor(DAY)
    first = _run(library, _memo(), advice, ProtocolFacts.of)
    assert len(checked) == first[0] > 10
    checked.clear()
    again = _run(library, _memo(), advice, ProtocolFacts.of)
    assert checked == []
    assert again == first
    assert _run(library, None, advice, ProtocolFacts.of) == first  # the same as with nothing kept


def test_an_edited_file_alone_is_checked_again_and_its_new_error_is_reported(library: Path,
                                                                              checked: list[str]) -> None:
    before = _run(library, _memo())
    assert not any(": error:" in line for line in before[1])
    edit(library / PPH, "\nversion: ", "\nversion: [")  # broken YAML
    checked.clear()
    after = _run(library, _memo())
    assert checked == [PPH]
    errors = [line for line in after[1] if ": error:" in line]
    assert errors and all(line.startswith(PPH) for line in errors)
    checked.clear()
    assert _run(library, _memo()) == after and checked == []  # a kept error is still reported


def test_other_advice_another_summary_or_another_schema_checks_every_file_again(library: Path,
                                                                                checked: list[str]) -> None:
    _run(library, _memo(), Advisor(DAY))
    total = len(checked)
    for advice, summary in ((Advisor(DAY + dt.timedelta(days=1)), None),  # sources age by the day
                            (Advisor(DAY, max_age_days=30), None),
                            (Advisor(DAY), ProtocolFacts.of)):
        checked.clear()
        _run(library, _memo(), advice, summary)
        assert len(checked) == total, (advice, summary)
    schema = library / "own.schema.json"  # a project's own schema (mkdocs.yml: schema)
    shutil.copy(DEFAULT_SCHEMA, schema)
    _run(library, _memo(), schema=str(schema))
    checked.clear()
    _run(library, _memo(), schema=str(schema))
    assert checked == []
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _run(library, _memo(), schema=str(schema))
    assert len(checked) == total


def test_a_link_that_now_leads_outside_the_protocols_is_checked_again(library: Path, tmp_path: Path,
                                                                     checked: list[str]) -> None:
    inside = library / "protocols" / "obstetrics" / "spare.txt"  # inside, but not itself a protocol file
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(library / PPH, inside)
    shutil.copy(library / PPH, outside)  # the same bytes in both places
    link = library / "protocols" / "obstetrics" / "linked.yaml"
    link.symlink_to(inside)
    first = _run(library, _memo())
    assert not any("linked.yaml" in line and "outside" in line for line in first[1])
    link.unlink()
    link.symlink_to(outside)
    checked.clear()
    second = _run(library, _memo())
    assert len(checked) == 1 and checked[0].endswith("protocols/obstetrics/linked.yaml")
    assert any("linked.yaml" in line and "outside" in line for line in second[1])


def test_checking_some_files_keeps_the_outcomes_of_the_others(library: Path, checked: list[str]) -> None:
    _run(library, _memo())
    edit(library / STEMI, "\ntitle: ", "\ntitle: Edited ")
    checked.clear()
    _run(library, _memo(), paths=[library / STEMI])
    assert checked == [STEMI]
    checked.clear()
    _run(library, _memo())
    assert checked == []


def test_a_damaged_or_foreign_memo_entry_is_never_trusted(library: Path, checked: list[str]) -> None:
    from carebridge.source.library import Project

    first = _run(library, _memo())
    total = len(checked)
    memo = _memo()
    where = memo.key("validated", Project.at(library).root, Project.at(library).protocols_dir)
    for junk in ({}, {"x": 1}, {str(library / PPH): (b"other key", ("id", "f", [], None))}, ["not a dict"]):
        memo.store(where, junk)
        checked.clear()
        assert _run(library, _memo()) == first
        assert len(checked) == total, junk
    memo.store(where, {path: (key, ("pph", PPH, ["not a problem"], None))
                       for path, (key, _) in (memo.load(where) or {}).items()})
    checked.clear()
    assert _run(library, _memo()) == first and len(checked) == total  # outcomes that are not outcomes


def test_with_the_cache_off_nothing_is_kept(library: Path, checked: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", "off")
    memo = Kept.open(settings="validate")
    assert memo.folder is None
    first = _run(library, memo)
    total = len(checked)
    checked.clear()
    assert _run(library, memo) == first and len(checked) == total


def test_the_command_reports_a_broken_file_on_every_run(library: Path, run_cli: Any) -> None:
    edit(library / PPH, "\nversion: ", "\nversion: [")
    first = run_cli(["validate"], library)
    second = run_cli(["validate"], library)
    assert first.code == second.code == 1
    assert first.stdout == second.stdout and PPH in first.stdout
    json_run = run_cli(["validate", "--format", "json"], library)
    assert json_run.code == 1 and PPH in json_run.stdout
