"""scaffold.py and `carebridge new`: a new protocol validates as written, with a catalog per locale;
a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import snapshot

from carebridge.i18n.catalog import read_catalog
from carebridge.source.library import Project
from carebridge.source.loader import load_file
from carebridge.source.schema import load_schema
from carebridge.workflow import scaffold, versioning

TODAY = dt.date(2027, 3, 14)
NEW = Path("protocols/nursing/pressure-care.yaml")



@pytest.fixture
def library(project_tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example library with two locales and a fixed clock."""
    monkeypatch.setattr(versioning, "today", lambda: TODAY)
    for locale in ("zh_CN", "zh_TW"):
        assert run_cli(["i18n", "init", "--locale", locale], cwd=project_tree).code == 0
    return project_tree


def test_new_protocol_validates_as_written(library: Path, run_cli) -> None:
    run = run_cli(["new", "nursing/pressure-care", "--title", "Preventing pressure ulcers"], cwd=library)
    assert run.code == 0, run.output
    assert "created protocols/nursing/pressure-care.yaml" in run.stderr
    assert "replace every TODO" in run.stderr
    assert run_cli(["validate"], cwd=library).code == 0
    run = run_cli(["validate", NEW], cwd=library)
    # The placeholder source is not yet checked as current: a warning, not an error.
    assert (run.code, run.stderr.strip()) == (0, "1 file checked: 0 error(s), 1 warning(s)")
    assert "[source-unchecked] sources[0]: source 'replace-me'" in run.stdout


def test_new_protocol_has_the_modeline_and_the_placeholders(library: Path, run_cli) -> None:
    assert run_cli(["new", "nursing/pressure-care"], cwd=library).code == 0
    path = library / NEW
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/protocol.schema.json"
    assert (path.parent / first.split("=", 1)[1]).resolve() == (library / "schema" / "protocol.schema.json").resolve()
    doc, problems = load_file(path)
    assert doc is not None and not problems
    data = doc.data
    assert set(load_schema()["required"]) <= set(data)
    assert (data["id"], data["kind"], data["specialty"]) == ("pressure-care", "protocol", "nursing")
    assert (data["version"], data["status"], data["demonstration"]) == ("0.1.0", "draft", True)
    assert data["title"] == "Pressure care"  # made from the id
    assert (data["last_reviewed"], data["next_review"]) == ("2027-03-14", "2028-03-14")
    assert data["history"] == [{"version": "0.1.0", "date": "2027-03-14", "summary": "First draft."}]
    assert len(data["steps"]) == 1 and data["steps"][0]["source"]["ref"] == data["sources"][0]["id"]
    assert data["sources"][0]["url"] == "https://example.org/replace-me"
    assert "url: https://example.org/replace-me  # TODO" in text
    assert "# TODO: this source is a placeholder" in text
    # Every section is explained by a comment right above it.
    lines = text.splitlines()
    for key in ("id", "kind", "version", "status", "specialty", "summary", "scope", "owners", "last_reviewed",
                "sources", "steps", "history"):
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        assert lines[index - 1].startswith("#"), key


def test_new_creates_the_template_and_a_catalog_for_every_locale(library: Path, run_cli) -> None:
    run = run_cli(["new", "nursing/pressure-care", "--title", "Preventing pressure ulcers"], cwd=library)
    assert run.code == 0
    made = [library / "locales" / "templates" / "pressure-care.pot",
            library / "locales" / "zh_CN" / "LC_MESSAGES" / "pressure-care.po",
            library / "locales" / "zh_TW" / "LC_MESSAGES" / "pressure-care.po"]
    for path in made:
        assert f"created {path.relative_to(library).as_posix()}" in run.stderr
    catalog, problems = read_catalog(made[1], "pressure-care.po", "zh_CN")
    assert catalog is not None and not problems
    titles = [m for m in catalog if m.context == "pressure-care:title"]
    assert [(m.id, m.string) for m in titles] == [("Preventing pressure ulcers", "")]
    # The same files `i18n update` would make: updating changes none of them.
    before = {path: path.read_bytes() for path in made}
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert {path: path.read_bytes() for path in made} == before
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 0, run.output


def test_new_patient_leaflet(library: Path, run_cli) -> None:
    run = run_cli(["new", "patient-education/going-home", "--kind", "patient-leaflet",
                   "--title", "Going home after an operation"], cwd=library)
    assert run.code == 0, run.output
    doc, _ = load_file(library / "protocols" / "patient-education" / "going-home.yaml")
    assert doc is not None
    assert (doc.data["kind"], doc.data["title"]) == ("patient-leaflet", "Going home after an operation")
    assert "leaflet" in doc.data["scope"]["population"]
    assert run_cli(["validate"], cwd=library).code == 0


def test_a_title_with_colons_quotes_and_chinese_survives(library: Path, run_cli) -> None:
    title = 'Step 1: call "for help" — 呼救 #1'
    assert run_cli(["new", "nursing/call-for-help", "--title", title], cwd=library).code == 0
    doc, _ = load_file(library / "protocols" / "nursing" / "call-for-help.yaml")
    assert doc is not None and doc.data["title"] == title
    assert run_cli(["validate"], cwd=library).code == 0


def test_modeline_is_relative_to_where_the_file_is(tmp_path: Path) -> None:
    shutil.copytree(Path(__file__).resolve().parents[1] / "schema", tmp_path / "schema")
    project = Project.at(tmp_path, protocols="content/protocols")
    written, problems = scaffold.create(project, "cardiology/chest-pain", today=TODAY)
    assert not problems
    # No locale yet: the protocol and its template only.
    assert written == [tmp_path / "content" / "protocols" / "cardiology" / "chest-pain.yaml",
                       tmp_path / "locales" / "templates" / "chest-pain.pot"]
    first = written[0].read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schema/protocol.schema.json"


def test_next_review_of_a_leap_day() -> None:
    assert scaffold._next_review(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


# --- refusals: a usage error (exit 2), a clear problem with a hint, nothing written ------------------

@pytest.mark.parametrize(("target", "expected", "hint"), [
    ("nursin/pressure-care", "error: [specialty] unknown specialty 'nursin'", "hint: did you mean 'nursing'?"),
    ("xyz/pressure-care", "unknown specialty 'xyz'", "hint: choose one of: obstetrics, "),
    ("nursing/Pressure_Care", "error: [slug] 'Pressure_Care' is not a valid protocol id", "e.g. pressure-care"),
    ("nursing/pressure--care", "'pressure--care' is not a valid protocol id", "single hyphens"),
    ("nursing/" + "a" * 65, "is not a valid protocol id", "at most 64 characters"),
    ("nursing/" + "a" * 300, "is not a valid protocol id", "at most 64 characters"),  # was an internal error
    ("Nursing/pressure-care", "unknown specialty 'Nursing'", "did you mean 'nursing'?"),
    ("nursing/pressure.care", "'pressure.care' is not a valid protocol id", "e.g. pressure-care"),
    ("nursing/site", "the id 'site' is reserved", "choose another id"),
    ("nursing/example-escalation", "protocols/nursing/example-escalation.yaml:1:1: error: [exists] a protocol with "
     "this id already exists here", "run `carebridge bump` on it"),
    ("cardiology/example-escalation", "protocols/nursing/example-escalation.yaml:1:1: error: [exists] the id "
     "'example-escalation' is already used here", "ids are unique across the library"),
])
def test_new_refuses_and_writes_nothing(library: Path, run_cli, target: str, expected: str, hint: str) -> None:
    before = snapshot(library)
    run = run_cli(["new", target], cwd=library)
    assert run.code == 2, run.output
    assert "Traceback" not in run.output and "internal error" not in run.output
    assert expected in run.stdout
    assert hint in run.stdout
    assert snapshot(library) == before


def test_new_refuses_a_title_the_schema_refuses(library: Path, run_cli) -> None:
    before = snapshot(library)
    run = run_cli(["new", "nursing/pressure-care", "--title", "ab"], cwd=library)
    assert run.code == 2
    assert "protocols/nursing/pressure-care.yaml:22:8: error: title: string \"ab\" is too short" in run.stdout
    run = run_cli(["new", "nursing/pressure-care", "--title", "<b>Bold</b> title"], cwd=library)
    assert run.code == 2 and "raw HTML is not allowed" in run.stdout
    assert snapshot(library) == before


def test_new_lists_what_it_created_as_json(library: Path, run_cli) -> None:
    run = run_cli(["new", "nursing/pressure-care", "--format", "json"], cwd=library)
    assert run.code == 0
    report = json.loads(run.stdout)
    assert report["problems"] == [] and report["created"] == [
        NEW.as_posix(), "locales/templates/pressure-care.pot", "locales/zh_CN/LC_MESSAGES/pressure-care.po",
        "locales/zh_TW/LC_MESSAGES/pressure-care.po"]


def test_new_reports_every_refusal_at_once_as_json(library: Path, run_cli) -> None:
    run = run_cli(["new", "nursin/Pressure Care", "--format", "json"], cwd=library)
    assert run.code == 2
    problems = json.loads(run.stdout)["problems"]
    assert sorted(p["code"] for p in problems) == ["slug", "specialty"]
    assert all(p["hint"] for p in problems)


@pytest.mark.parametrize("target", ["pressure-care", "a/b/c", "", "../x/y", "/nursing/pressure-care", "/etc/passwd",
                                    "nursing//pressure-care", "./nursing/pressure-care", "nursing/..", "../nursing",
                                    "protocols/../nursing/x"])
def test_new_target_that_is_not_specialty_slash_id_is_a_usage_error(library: Path, run_cli, target: str) -> None:
    before = snapshot(library)
    run = run_cli(["new", target], cwd=library)
    assert run.code == 2
    assert "is not <specialty>/<id>" in run.stdout and "hint: e.g. carebridge new" in run.stdout
    assert snapshot(library) == before


def test_a_broken_catalog_left_behind_is_a_problem_of_the_project_not_of_the_command(library: Path,
                                                                                     run_cli) -> None:
    po = library / "locales" / "zh_CN" / "LC_MESSAGES" / "pressure-care.po"
    po.write_bytes(b'msgid ""\nmsgstr "\xff\n')
    before = snapshot(library)
    run = run_cli(["new", "nursing/pressure-care"], cwd=library)
    assert run.code == 1, run.output
    assert "locales/zh_CN/LC_MESSAGES/pressure-care.po:2:" in run.stdout
    assert snapshot(library) == before


def test_new_accepts_the_path_as_seen_in_the_tree(library: Path, run_cli) -> None:
    assert run_cli(["new", "protocols/nursing/pressure-care.yaml"], cwd=library).code == 0
    assert (library / NEW).is_file()


def test_new_keeps_the_translations_of_a_catalog_left_by_a_deleted_protocol(library: Path, run_cli) -> None:
    assert run_cli(["new", "nursing/pressure-care", "--title", "Preventing pressure ulcers"], cwd=library).code == 0
    po = library / "locales" / "zh_CN" / "LC_MESSAGES" / "pressure-care.po"
    text = po.read_text(encoding="utf-8")
    old = 'msgid "Preventing pressure ulcers"\nmsgstr ""'
    assert text.count(old) == 1
    po.write_text(text.replace(old, 'msgid "Preventing pressure ulcers"\nmsgstr "预防压疮"'), encoding="utf-8")
    (library / NEW).unlink()
    assert run_cli(["new", "nursing/pressure-care", "--title", "Preventing pressure ulcers"], cwd=library).code == 0
    assert 'msgstr "预防压疮"' in po.read_text(encoding="utf-8")


def test_scaffold_text_is_valid_for_every_specialty_and_kind(tmp_path: Path) -> None:
    project = Project.at(tmp_path)
    for specialty in load_schema()["properties"]["specialty"]["enum"]:
        for kind in scaffold.KINDS:
            files, problems = scaffold.plan(project, f"{specialty}/some-protocol", kind=kind, today=TODAY)
            assert not problems, (specialty, kind, problems)
            assert list(files) == [tmp_path / "protocols" / specialty / "some-protocol.yaml",
                                   tmp_path / "locales" / "templates" / "some-protocol.pot"]
    assert not (tmp_path / "protocols").exists()  # plan writes nothing


@pytest.mark.parametrize("protocol_id", ["x", "ab", "a-b"])
def test_new_with_a_short_id_and_no_title_validates_as_written(library: Path, run_cli, protocol_id: str) -> None:
    # The title made from the id ("Ab") was shorter than the schema allows: a valid id was refused
    # (exit 2) at a line of a file that was never written, with the hint "fill in this field".
    run = run_cli(["new", f"nursing/{protocol_id}"], cwd=library)
    assert run.code == 0, run.output
    assert run_cli(["validate", f"protocols/nursing/{protocol_id}.yaml"], cwd=library).code == 0
