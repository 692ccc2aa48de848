"""cli/: the commands as a user runs them; exit 0 clean, 1 problems, 2 usage or internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import edit, snapshot

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")
PO = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")




@pytest.fixture
def started(project_tree: Path, run_cli) -> Path:
    """The project with a zh_CN locale whose title is translated."""
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    edit(project_tree / PO, 'msgid "Example escalation protocol"\nmsgstr ""',
         'msgid "Example escalation protocol"\nmsgstr "示例升级方案"')
    return project_tree


# --- validate ----------------------------------------------------------------------------------

def test_validate_without_arguments_checks_protocols(project_tree: Path, run_cli) -> None:
    run = run_cli(["validate"], cwd=project_tree)
    assert (run.code, run.stdout, run.stderr.strip()) == (0, "", "1 file checked: no problems")
    bad = project_tree / "protocols" / "nursing" / "broken.yaml"
    bad.write_text((project_tree / PROTOCOL).read_text(encoding="utf-8").replace("id: example-escalation", "id: broken")
                   .replace("goto: monitor", "goto: monitr"), encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert run.stdout.startswith("protocols/nursing/broken.yaml:46:17: error: [unknown-step] ")
    assert "2 files checked: 1 error(s), 0 warning(s)" in run.stderr


def test_validate_dot_checks_the_library_as_without_arguments(project_tree: Path, run_cli) -> None:
    # `validate .` walked the whole project: glossaries, synonyms, provenance and editions were read
    # as protocols (a hundred "missing required field" errors on the library), and mkdocs.yml too.
    (project_tree / "locales" / "zh_CN").mkdir(parents=True)
    (project_tree / "locales" / "zh_CN" / "glossary.yaml").write_text("terms:\n  - en: paracetamol\n    zh: 对乙酰氨基酚\n",
                                                                     encoding="utf-8")
    whole = run_cli(["validate", "--format", "json"], cwd=project_tree)
    for args in (["."], [str(project_tree)]):
        run = run_cli(["validate", *args, "--format", "json"], cwd=project_tree)
        assert whole.code == run.code == 0 and run.stdout == whole.stdout, run.output
    assert run_cli(["validate", "protocols/..", "--format", "json"], cwd=project_tree).stdout == whole.stdout


def test_validate_json_when_clean(project_tree: Path, run_cli) -> None:
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 0
    assert json.loads(run.stdout) == {"problems": [], "errors": 0, "warnings": 0, "checked": 1}


def test_validate_checks_the_specialty_folder(project_tree: Path, run_cli) -> None:
    (project_tree / "protocols" / "nursing").rename(project_tree / "protocols" / "cardiology")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert "protocols/cardiology/example-escalation.yaml:8:12: error: [specialty-dir] " in run.stdout
    assert "hint: move the file to protocols/nursing/" in run.stdout


def test_validate_reports_a_missing_path_and_a_yml_file(project_tree: Path, run_cli) -> None:
    (project_tree / "protocols" / "nursing" / "other.yml").write_text("id: other\n", encoding="utf-8")
    run = run_cli(["validate", "protocols", "nowhere.yaml"], cwd=project_tree)
    assert run.code == 1
    assert "nowhere.yaml:1:1: error: [io] no such file or folder" in run.stdout
    assert "protocols/nursing/other.yml:1:1: error: [file-name] protocol files must end in .yaml" in run.stdout


def test_validate_finds_a_protocol_id_used_twice(project_tree: Path, run_cli) -> None:
    copy = project_tree / "elsewhere" / "example-escalation.yaml"
    copy.parent.mkdir()
    copy.write_bytes((project_tree / PROTOCOL).read_bytes())
    run = run_cli(["validate", "protocols", "elsewhere"], cwd=project_tree)
    assert run.code == 1
    assert "[duplicate-id] protocol id 'example-escalation' is also used by" in run.stdout


def test_github_annotations_by_default_on_github_actions(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "goto: monitor", "goto: monitr")
    run = run_cli(["validate"], cwd=project_tree, env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    assert run.stdout.startswith("::error file=protocols/nursing/example-escalation.yaml,line=46,col=17,"
                                 "title=carebridge unknown-step::steps[0].decision.branches[1].goto: no step with id")
    assert "%0Ahint: did you mean 'monitor'?" in run.stdout
    assert "protocols/nursing/example-escalation.yaml:46:17: error:" in run.stderr  # readable log too


# --- i18n ----------------------------------------------------------------------------------

def test_extract_writes_templates_once(project_tree: Path, run_cli) -> None:
    run = run_cli(["i18n", "extract"], cwd=project_tree)
    assert run.code == 0
    assert "wrote locales/templates/example-escalation.pot" in run.stderr
    assert "wrote locales/templates/site.pot" in run.stderr
    pot = (project_tree / "locales" / "templates" / "example-escalation.pot").read_bytes()
    assert b'msgctxt "example-escalation:steps.assess.title"' in pot
    run = run_cli(["i18n", "extract"], cwd=project_tree)
    assert run.code == 0 and "nothing to change" in run.stderr
    assert (project_tree / "locales" / "templates" / "example-escalation.pot").read_bytes() == pot


def test_extract_removes_the_template_of_a_deleted_protocol(project_tree: Path, run_cli) -> None:
    stale = project_tree / "locales" / "templates" / "gone.pot"
    stale.parent.mkdir(parents=True)
    stale.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert run_cli(["i18n", "extract"], cwd=project_tree).code == 0
    assert not stale.exists()


def test_init_creates_a_catalog_per_protocol_and_site(project_tree: Path, run_cli) -> None:
    run = run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree)
    assert run.code == 0, run.output
    assert "created locales/zh_CN/LC_MESSAGES/example-escalation.po" in run.stderr
    assert "created locales/zh_CN/LC_MESSAGES/site.po" in run.stderr
    text = (project_tree / PO).read_text(encoding="utf-8")
    assert '"Language: zh_CN\\n"' in text and '"Plural-Forms: nplurals=1; plural=0;\\n"' in text


def test_stats_text_and_json(started: Path, run_cli) -> None:
    run = run_cli(["i18n", "stats"], cwd=started)
    assert run.code == 0
    header, *rows = run.stdout.splitlines()
    assert header.split()[:3] == ["locale", "catalog", "done"]
    row = next(r for r in rows if " example-escalation " in r).split()
    assert row[:7] == ["zh_CN", "example-escalation", "4%", "1", "0", "22", "0"]
    run = run_cli(["i18n", "stats", "--format", "json"], cwd=started)
    assert run.code == 0
    report = json.loads(run.stdout)
    entry = next(c for c in report["catalogs"] if c["domain"] == "example-escalation")
    assert {k: entry[k] for k in ("locale", "file", "total", "translated", "fuzzy", "untranslated", "obsolete")} == {
        "locale": "zh_CN", "file": PO.as_posix(), "total": 23, "translated": 1, "fuzzy": 0, "untranslated": 22,
        "obsolete": 0}
    assert entry["percent"] == round(100 / 23, 1)
    assert report["errors"] == 0


def test_stats_warns_about_a_catalog_behind_its_template(started: Path, run_cli) -> None:
    edit(started / PROTOCOL, "title: Continue monitoring", "title: Keep monitoring")
    run = run_cli(["i18n", "stats", "--format", "json"], cwd=started)
    assert run.code == 0  # a warning, not an error
    report = json.loads(run.stdout)
    assert [(p["code"], p["severity"], p["file"]) for p in report["problems"]] == [
        ("po-stale", "warning", PO.as_posix())]


def test_update_keeps_translations_and_marks_changed_text_fuzzy(started: Path, run_cli) -> None:
    edit(started / PO, 'msgid "Continue monitoring"\nmsgstr ""', 'msgid "Continue monitoring"\nmsgstr "继续监测"')
    edit(started / PROTOCOL, "title: Continue monitoring", "title: Continue close monitoring")
    run = run_cli(["i18n", "update"], cwd=started)
    assert run.code == 0, run.output
    assert "updated locales/zh_CN/LC_MESSAGES/example-escalation.po" in run.stderr
    text = (started / PO).read_text(encoding="utf-8")
    assert 'msgstr "示例升级方案"' in text
    assert ('#, fuzzy\n#| msgid "Continue monitoring"\nmsgctxt "example-escalation:steps.monitor.title"\n'
            'msgid "Continue close monitoring"\nmsgstr "继续监测"') in text


def test_init_on_an_existing_locale_refuses_and_writes_nothing(started: Path, run_cli) -> None:
    before = snapshot(started, "locales")
    run = run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=started)
    assert run.code != 0
    assert "locale zh_CN already exists" in run.stdout
    assert "hint: use `carebridge i18n update --locale zh_CN` to refresh it" in run.stdout
    assert snapshot(started, "locales") == before


def test_init_on_an_existing_locale_is_a_usage_error(started: Path, run_cli) -> None:
    # Exit 2 (usage), not 1: nothing was checked; the command was the wrong one (update, not init).
    run = run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=started)
    assert run.code == 2
    assert "carebridge i18n update --locale zh_CN" in run.output


@pytest.mark.parametrize("command", ["init", "update"])
def test_unknown_locale_is_a_usage_error(project_tree: Path, run_cli, command: str) -> None:
    run = run_cli(["i18n", command, "--locale", "xx_YY"], cwd=project_tree)
    assert run.code == 2
    assert "unknown locale 'xx_YY'" in run.stdout and "'xx_YY': unknown" not in run.stdout  # said once
    assert not (project_tree / "locales" / "xx_YY").exists()


@pytest.mark.parametrize("locale", ["en", "en_GB"])
def test_the_source_language_gets_no_catalogs(project_tree: Path, run_cli, locale: str) -> None:
    run = run_cli(["i18n", "init", "--locale", locale], cwd=project_tree)
    assert run.code == 2 and f"'{locale}' is the language the protocols are written in" in run.stdout, run.output
    assert not (project_tree / "locales" / locale).exists()


def test_unknown_locale_writes_nothing(project_tree: Path, run_cli) -> None:
    assert run_cli(["i18n", "update", "--locale", "xx_YY"], cwd=project_tree).code == 2
    assert not (project_tree / "locales").exists()


def test_update_does_not_start_a_new_locale(started: Path, run_cli) -> None:
    run = run_cli(["i18n", "update", "--locale", "fr"], cwd=started)
    assert run.code != 0
    assert not (started / "locales" / "fr").exists()


def test_a_bad_protocol_stops_update_before_anything_is_written(started: Path, run_cli) -> None:
    assert run_cli(["i18n", "update"], cwd=started).code == 0
    edit(started / PROTOCOL, "title: Continue monitoring", "title: Keep monitoring")  # would change every file
    edit(started / PROTOCOL, "goto: monitor", "goto: monitr")
    before = snapshot(started, "locales")
    run = run_cli(["i18n", "update"], cwd=started)
    assert run.code == 1
    assert "protocols/nursing/example-escalation.yaml:46:17: error: [unknown-step]" in run.stdout
    assert snapshot(started, "locales") == before


def test_a_broken_catalog_stops_update_and_other_catalogs_stay(started: Path, run_cli) -> None:
    site = started / "locales" / "zh_CN" / "LC_MESSAGES" / "site.po"
    site.write_text(site.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstrr "y"\n', encoding="utf-8")
    edit(started / PROTOCOL, "title: Continue monitoring", "title: Keep monitoring")
    catalog_before = (started / PO).read_bytes()
    run = run_cli(["i18n", "update"], cwd=started)
    assert run.code == 1
    line = site.read_text(encoding="utf-8").splitlines().index('msgstrr "y"') + 1
    assert f"locales/zh_CN/LC_MESSAGES/site.po:{line}:1: error: [po-syntax] PO syntax:" in run.stdout
    assert (started / PO).read_bytes() == catalog_before


def test_init_update_and_extract_speak_json_to_machines(project_tree: Path, run_cli) -> None:
    run = run_cli(["i18n", "init", "--locale", "zh_CN", "--format", "json"], cwd=project_tree)
    assert run.code == 0, run.output
    body = json.loads(run.stdout)
    assert (body["problems"], body["errors"], body["warnings"]) == ([], 0, 0)
    assert sorted(body["created"]) == ["locales/templates/example-escalation.pot", "locales/templates/site.pot",
                                       str(PO), "locales/zh_CN/LC_MESSAGES/site.po"]
    edit(project_tree / PROTOCOL, "title: Continue monitoring", "title: Keep monitoring")
    run = run_cli(["i18n", "update", "--format", "json"], cwd=project_tree)
    assert run.code == 0 and json.loads(run.stdout)["updated"] == ["locales/templates/example-escalation.pot", str(PO)]
    run = run_cli(["i18n", "update", "--format", "json"], cwd=project_tree)
    assert (run.code, json.loads(run.stdout)) == (0, {"problems": [], "errors": 0, "warnings": 0, "updated": []})
    run = run_cli(["i18n", "extract", "--format", "json"], cwd=project_tree)
    assert (run.code, json.loads(run.stdout)["wrote"]) == (0, [])


def test_a_refused_update_in_json_names_the_problem_and_writes_nothing(started: Path, run_cli) -> None:
    edit(started / PROTOCOL, "goto: monitor", "goto: monitr")
    before = snapshot(started, "locales")
    run = run_cli(["i18n", "update", "--format", "json"], cwd=started)
    body = json.loads(run.stdout)
    assert (run.code, body["errors"], body["problems"][0]["code"]) == (1, 1, "unknown-step")
    assert (body["problems"][0]["line"], body["problems"][0]["col"]) == (46, 17)
    assert "updated" not in body and snapshot(started, "locales") == before
    run = run_cli(["i18n", "init", "--locale", "zh_CN", "--format", "json"], cwd=started)
    assert run.code == 2 and json.loads(run.stdout)["problems"][0]["code"] == "usage"


# --- failures the user should never see as a traceback -----------------------------------------

def test_internal_error_exits_2_with_one_line(project_tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import carebridge.cli.library

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(carebridge.cli.library, "validate_library", boom)
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 2
    assert run.stderr.splitlines()[0] == "carebridge: internal error: RuntimeError: boom"
    assert "CAREBRIDGE_DEBUG=1" in run.stderr
    assert "Traceback" not in run.output
    run = run_cli(["validate"], cwd=project_tree, env={"CAREBRIDGE_DEBUG": "1"})
    assert run.code == 2 and "Traceback" in run.stderr


def test_internal_error_in_i18n_exits_2(project_tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import carebridge.i18n.commands

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("steps")

    monkeypatch.setattr(carebridge.i18n.commands, "protocol_template", boom)
    run = run_cli(["i18n", "extract"], cwd=project_tree)
    assert run.code == 2
    assert "carebridge: internal error: KeyError: 'steps'" in run.stderr
    assert not (project_tree / "locales").exists()


def test_console_script_usage_errors(project_tree: Path, run_console) -> None:
    run = run_console(["frobnicate"], cwd=project_tree)
    assert run.code == 2
    assert "No such command 'frobnicate'" in run.stderr and "Traceback" not in run.output
    run = run_console(["validate", "--format", "xml"], cwd=project_tree)
    assert run.code == 2 and "Traceback" not in run.output
    run = run_console(["--version"], cwd=project_tree)
    assert run.code == 0 and "0.1.0" in run.stdout


def test_console_script_reports_a_broken_catalog_without_traceback(started: Path, run_console) -> None:
    (started / PO).write_bytes(b'msgid ""\nmsgstr "\xff\n')
    run = run_console(["i18n", "stats"], cwd=started)
    assert run.code == 1
    assert "locales/zh_CN/LC_MESSAGES/example-escalation.po:2:" in run.stdout
    assert "[encoding]" in run.stdout and "Traceback" not in run.output


def test_usage_error_has_no_files_checked_summary(project_tree: Path, run_cli) -> None:
    run = run_cli(["i18n", "init", "--locale", "xx_YY"], cwd=project_tree)
    assert "files checked" not in run.stderr


def test_update_creates_the_catalog_of_a_new_protocol(started: Path, run_cli) -> None:
    second = started / "protocols" / "nursing" / "second-protocol.yaml"
    second.write_text((started / PROTOCOL).read_text(encoding="utf-8").replace("id: example-escalation",
                                                                               "id: second-protocol"), encoding="utf-8")
    before = (started / PO).read_bytes()
    run = run_cli(["i18n", "update"], cwd=started)
    assert run.code == 0, run.output
    assert "updated locales/zh_CN/LC_MESSAGES/second-protocol.po" in run.stderr
    assert (started / "locales" / "templates" / "second-protocol.pot").is_file()
    assert (started / PO).read_bytes() == before


def test_root_is_found_from_a_subfolder(project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from carebridge.cli import main

    monkeypatch.chdir(project_tree / "protocols" / "nursing")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["checked"] == 1


def test_progress_shows_at_a_terminal_and_never_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.cli import app as cli

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(cli.sys, "stderr", Tty())
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert cli.interactive()
    monkeypatch.setenv("CI", "true")
    assert not cli.interactive()


def test_update_reports_progress_through_its_callback(started: Path) -> None:
    from carebridge.i18n import commands as i18n
    from carebridge.source.library import Project

    messages: list[str] = []
    i18n.update(Project.at(started), progress=messages.append)
    assert messages and "1 protocol(s)" in messages[0] and "zh_CN" in messages[0]


def test_stats_say_when_a_translation_was_made_from_an_older_english(started: Path, run_cli) -> None:
    (started / "locales" / "zh_CN" / "provenance.yaml").write_text(
        "example-escalation:\n  translated_from: 1.0.0\n  method: [forward]\n", encoding="utf-8")
    run = run_cli(["i18n", "stats", "--format", "json"], cwd=started)
    row = next(c for c in json.loads(run.stdout)["catalogs"] if c["domain"] == "example-escalation")
    assert (row["source_version"], row["translated_from"], row["stale"]) == ("1.1.0", "1.0.0", True)
    text = run_cli(["i18n", "stats"], cwd=started).stdout
    assert "v1.0.0 (English is v1.1.0)" in text


@pytest.mark.parametrize(("schema", "what"), [("nowhere.json", "does not exist"), ("protocols", "is a folder, not a file")])
def test_a_missing_schema_named_in_mkdocs_yml_is_an_error_at_its_line(project_tree: Path, run_cli, schema: str,
                                                                      what: str) -> None:
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - carebridge:\n",
                                                                 f"  - carebridge:\n      schema: {schema}\n"),
                      encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(f"      schema: {schema}") + 1
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1  # a mistake in mkdocs.yml, as any other there (it was exit 2, a usage error)
    assert (f"mkdocs.yml:{line}:15: error: [config] plugins.carebridge.schema: the schema '{schema}' named in "
            f"mkdocs.yml {what}") in run.output
    assert "internal error" not in run.output


def test_a_project_schema_named_in_mkdocs_yml_is_used(project_tree: Path, run_cli) -> None:
    from carebridge.source.schema import DEFAULT_SCHEMA

    own = DEFAULT_SCHEMA.read_text(encoding="utf-8").replace('"draft", "review", "approved"]', '"draft", "review"]')
    (project_tree / "strict.schema.json").write_text(own, encoding="utf-8")
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - carebridge:\n", "  - carebridge:\n      schema: strict.schema.json\n"), encoding="utf-8")
    protocol = next((project_tree / "protocols").rglob("*.yaml"))
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("status: draft", "status: approved"),
                        encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1 and "status" in run.stdout
