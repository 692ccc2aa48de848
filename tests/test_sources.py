"""`carebridge sources` and the source and jurisdiction warnings of `validate`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import REPO, edit

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")



def test_sources_lists_each_source_and_exits_0_when_current(project_tree: Path, run_cli) -> None:
    run = run_cli(["sources"], cwd=project_tree)
    assert run.code == 0, run.output
    assert run.stdout.splitlines()[1].split() == ["example-escalation", "fixture-source", "2026-11-01", "current"]
    assert run.stderr.strip() == "1 source checked: no problems"


def test_unchecked_source_is_a_warning_that_fails_only_with_strict(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    checked: 2026-11-01\n", "")
    run = run_cli(["sources"], cwd=project_tree)
    assert run.code == 0
    assert ("protocols/nursing/example-escalation.yaml:24:5: warning: [source-unchecked] sources[0]: "
            "source 'fixture-source' has not been checked as current") in run.stdout
    assert "1 source checked: 0 error(s), 1 warning(s)" in run.stderr
    assert run_cli(["sources", "--strict"], cwd=project_tree).code == 1


def test_max_age_comes_from_the_flag_then_mkdocs_yml(project_tree: Path, run_cli) -> None:
    # The clock in tests is 2026-12-01: the source was checked 30 days before.
    assert run_cli(["sources", "--strict"], cwd=project_tree).code == 0
    run = run_cli(["sources", "--strict", "--max-age", "28"], cwd=project_tree)
    assert run.code == 1
    assert "[source-overdue]" in run.stdout and "30 days ago (more than 28)" in run.stdout
    edit(project_tree / "mkdocs.yml", "      protocols_dir: protocols\n",
         "      protocols_dir: protocols\n      sources_max_age_days: 20\n")
    assert "more than 20" in run_cli(["sources"], cwd=project_tree).stdout
    assert run_cli(["sources", "--strict", "--max-age", "30"], cwd=project_tree).code == 0  # the flag wins


@pytest.mark.parametrize("value", ["a year", "-1", "0", "true"])
def test_a_bad_max_age_setting_is_an_error_at_its_line(project_tree: Path, run_cli, value: str) -> None:
    edit(project_tree / "mkdocs.yml", "      protocols_dir: protocols\n",
         f"      protocols_dir: protocols\n      sources_max_age_days: {value}\n")
    line = (project_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(
        f"      sources_max_age_days: {value}") + 1
    for command in (["sources"], ["validate"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1, run.output  # a mistake in a file, not in the command line
        assert (f"mkdocs.yml:{line}:29: error: [config] plugins.carebridge.sources_max_age_days: "
                "sources_max_age_days must be a whole number") in run.output
    edit(project_tree / "mkdocs.yml", f"      sources_max_age_days: {value}\n", "")
    assert run_cli(["sources", "--max-age", "0"], cwd=project_tree).code == 2


def test_sources_json_has_rows_and_problems(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    checked: 2026-11-01\n", "    checked: 2026-11-01\n    superseded_by: The 2027 edition\n")
    run = run_cli(["sources", "--format", "json"], cwd=project_tree)
    data = json.loads(run.stdout)
    assert run.code == 0
    assert data["max_age_days"] == 365 and data["checked"] == 1 and data["warnings"] == 1
    assert data["sources"] == [{"protocol": "example-escalation", "source": "fixture-source",
                                "title": "A fixture source document", "year": 2026, "checked": "2026-11-01",
                                "superseded_by": "The 2027 edition", "state": "superseded", "age_days": 30,
                                "file": "protocols/nursing/example-escalation.yaml", "line": 24, "col": 5}]
    assert [p["code"] for p in data["problems"]] == ["source-superseded"]


def test_sources_reports_a_broken_protocol_as_an_error(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "goto: monitor", "goto: monitr")
    run = run_cli(["sources"], cwd=project_tree)
    assert run.code == 1
    assert "[unknown-step]" in run.stdout


def test_validate_warns_but_still_exits_0(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    checked: 2026-11-01\n", "")
    edit(project_tree / PROTOCOL, "Call the responsible doctor", "Call the registrar")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 0
    assert "[source-unchecked] sources[0]" in run.stdout
    assert "[jurisdiction] steps[1].instructions: 'registrar'" in run.stdout
    assert "1 file checked: 0 error(s), 2 warning(s)" in run.stderr


def test_validate_does_not_warn_about_a_source_cited_on_purpose(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    checked: 2026-11-01\n", "    checked: 2026-11-01\n    superseded_by: The 2027 edition\n")
    run = run_cli(["validate"], cwd=project_tree)
    assert (run.code, run.stdout, run.stderr.strip()) == (0, "", "1 file checked: no problems")


def test_validate_reads_the_max_age_from_mkdocs_yml(project_tree: Path, run_cli) -> None:
    edit(project_tree / "mkdocs.yml", "      protocols_dir: protocols\n",
         "      protocols_dir: protocols\n      sources_max_age_days: 7\n")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 0 and "[source-overdue]" in run.stdout


# --- the real library ------------------------------------------------------------------------

# Sources nobody has yet confirmed as the current version. The list may only shrink: check a
# source against its publisher, add `checked:` (and `superseded_by:` when newer), remove it here.
UNVERIFIED: set[tuple[str, str]] = {
    ("acute-urinary-retention", "cn-tamsulosin-label"),
    ("discharge-and-follow-up", "cn-health-info-2014"),
    ("discharge-and-follow-up", "who-transitions-2019"),
    ("early-warning-score-escalation", "ihi-sbar"),
    ("febrile-neutropenia", "cn-abx-admin-2012"),
    ("febrile-neutropenia", "cn-fn-2020"),
    ("febrile-neutropenia", "esmo-2016-fn"),
    ("febrile-neutropenia", "idsa-2010-fn"),
    ("fever-after-chemotherapy", "cn-fn-2020"),
    ("fever-under-five", "cn-antibiotics-2015"),
    ("fever-under-five", "who-imci-2014"),
    ("hand-hygiene-and-central-line-bundle", "nhc-vcai-2021"),
    ("ovarian-hyperstimulation-syndrome", "cn-art-2003"),
    ("newborn-resuscitation-at-birth", "cn-nrp-2021"),
    ("patient-identification", "who-ps-solution-2"),
    ("postpartum-haemorrhage", "cn-pph-2023"),
    ("remote-second-opinion", "cn-health-info-2014"),
    ("remote-second-opinion", "nhc-telemedicine-2018"),
    ("serious-incident-review", "cn-mqse-reporting-2011"),
    ("severe-pre-eclampsia", "cn-hdp-2020"),
    ("stemi-first-90-minutes", "cn-cpc-standard"),
    ("stemi-first-90-minutes", "cn-stemi-2019"),
    ("stemi-first-90-minutes", "cn-stemi-lysis-drugs-2019"),
}


def test_the_library_has_no_jurisdiction_warnings_and_only_known_unchecked_sources(run_cli) -> None:
    run = run_cli(["validate", "--format", "json"], cwd=REPO)
    report = json.loads(run.stdout)
    assert run.code == 0 and report["errors"] == 0
    assert [p for p in report["problems"] if p["code"] != "source-unchecked"] == []
    run = run_cli(["sources", "--format", "json"], cwd=REPO)
    rows = json.loads(run.stdout)["sources"]
    assert run.code == 0 and len(rows) >= 70
    unchecked = {(r["protocol"], r["source"]) for r in rows if r["state"] == "unchecked"}
    assert unchecked == UNVERIFIED, "a source was checked (remove it from UNVERIFIED) or a new one is unchecked"
    assert all(r["state"] in ("current", "superseded") for r in rows if (r["protocol"], r["source"]) not in UNVERIFIED)
