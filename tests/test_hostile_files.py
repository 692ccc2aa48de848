"""Files that are not what their names say: a FIFO, a link to /dev/zero, a link loop, a link out of
the library. Each is a clear error (exit 1, path and hint), never a hang, a MemoryError or exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

PROTOCOLS = Path("protocols/nursing")


def _problems(run) -> list[dict[str, object]]:
    return json.loads(run.stdout)["problems"]


@pytest.mark.parametrize("command", [["validate"], ["validate", "--format", "json"], ["i18n", "extract"]])
def test_a_protocol_that_is_a_fifo_is_reported_without_reading_it(project_tree: Path, run_cli, command) -> None:
    os.mkfifo(project_tree / PROTOCOLS / "waiting.yaml")
    run = run_cli(command, cwd=project_tree)  # an open() of a FIFO would block this test forever
    assert run.code == 1, run.output
    assert "protocols/nursing/waiting.yaml" in run.output and "is a FIFO, not a file" in run.output


def test_a_protocol_linked_to_dev_zero_is_reported_without_reading_it(project_tree: Path, run_cli) -> None:
    (project_tree / PROTOCOLS / "zero.yaml").symlink_to("/dev/zero")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1
    assert any(p["file"] == "protocols/nursing/zero.yaml" for p in _problems(run)), run.stdout


def test_a_link_loop_is_a_problem_not_an_internal_error(project_tree: Path, run_cli) -> None:
    (project_tree / PROTOCOLS / "loop-a.yaml").symlink_to("loop-b.yaml")
    (project_tree / PROTOCOLS / "loop-b.yaml").symlink_to("loop-a.yaml")
    for command in (["validate"], ["validate", "--format", "json"], ["i18n", "extract"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1, run.output
        assert "internal error" not in run.output and "loop-a.yaml" in run.output
    assert json.loads(run_cli(["validate", "--format", "json"], cwd=project_tree).stdout)["errors"] >= 2


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_a_catalog_that_is_no_file_is_reported(project_tree: Path, run_cli, target: str) -> None:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    catalog = project_tree / "locales" / "zh_CN" / "LC_MESSAGES" / "example-escalation.po"
    catalog.unlink()
    if target == "fifo":
        os.mkfifo(catalog)
    else:
        catalog.symlink_to(target)
    for command in (["i18n", "check"], ["i18n", "stats"], ["i18n", "update"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1, (command, run.output)
        assert catalog.name in run.output and "not a file" in run.output


def test_an_edition_linked_out_of_the_library_is_refused_unread(tmp_path: Path, run_cli) -> None:
    import shutil

    from .conftest import REPO

    tree = tmp_path / "repo"
    for name in ("protocols", "editions", "locales", "docs", "overrides", "schema"):
        shutil.copytree(REPO / name, tree / name)
    (tree / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    outside = tmp_path / "secret.yaml"
    outside.write_text("id: secret\n", encoding="utf-8")
    (tree / "editions" / "secret.yaml").symlink_to(outside)
    run = run_cli(["validate"], cwd=tree)
    assert run.code == 1
    assert f"editions/secret.yaml:1:1: error: [symlink] links to {outside}, outside editions/" in run.output


def test_a_protocol_file_with_an_upper_case_extension_or_a_folder_named_like_one_is_reported(
        project_tree: Path, run_cli) -> None:
    (project_tree / PROTOCOLS / "Falls-Check.YAML").write_text("id: falls-check\n", encoding="utf-8")
    (project_tree / PROTOCOLS / "folder.yaml").mkdir()
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert ("protocols/nursing/Falls-Check.YAML:1:1: error: [file-name] protocol files must end in .yaml (lower case)"
            in run.output)
    assert "protocols/nursing/folder.yaml:1:1: error: [file-name] a folder is named like a protocol file" in run.output


def test_a_broken_mkdocs_yml_is_reported_at_its_line_with_a_hint(project_tree: Path, run_cli) -> None:
    (project_tree / "mkdocs.yml").write_text("site_name: [\nplugins:\n", encoding="utf-8")
    for command in (["validate"], ["i18n", "check"], ["sources"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1, run.output
        assert "mkdocs.yml:3:1: error: [config] mkdocs.yml cannot be read" in run.output and "hint:" in run.output


@pytest.mark.parametrize("command", [["validate"], ["i18n", "check"], ["i18n", "stats"], ["sources"], ["build"]])
def test_a_broken_mkdocs_yml_is_reported_in_the_format_asked_for(project_tree: Path, run_cli, command) -> None:
    # The project is read before the command's options: its problems were printed as text even
    # with --format json, so a machine reading stdout met no JSON at all.
    (project_tree / "mkdocs.yml").write_text("site_name: [\nplugins:\n", encoding="utf-8")
    run = run_cli([*command, "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = _problems(run)
    assert (problem["file"], problem["line"], problem["col"], problem["code"]) == ("mkdocs.yml", 3, 1, "config")
    assert str(problem["message"]).startswith("mkdocs.yml cannot be read") and problem["hint"]


@pytest.mark.parametrize(("text", "where", "message"), [
    ("", (1, 1), "mkdocs.yml holds no settings"),
    ("# only a comment\n", (1, 1), "mkdocs.yml holds no settings"),
    ("- a\n", (1, 1), "mkdocs.yml is not a mapping of settings"),
    ("plugins: [search]\n", (1, 1), "mkdocs.yml has no site_name"),
    ("site_name: x\nplugins: 5\n", (2, 10), "plugins must be a list"),
    ("site_name: x\nplugins:\n  - carebridge: 5\n", (3, 17), "the carebridge plugin's options must be a mapping"),
    ("site_name: x\nplugins:\n  - carebridge:\n      languages: 5\n", (4, 18), "languages must be a list"),
    # a mistyped option: MkDocs only warns, and the plugin would build without any hospital edition
    ("site_name: x\nplugins:\n  - carebridge:\n      edtions: [county]\n", (4, 7),
     "unknown option 'edtions' of the carebridge plugin"),
    ("site_name: x\nplugins:\n  - carebridge:\n      languages:\n        - locale: zh_CN\n          prefx: zh\n",
     (6, 11), "unknown option 'prefx'"),
])
def test_mkdocs_yml_that_is_not_settings_the_build_can_use_is_an_error_at_its_line(
        project_tree: Path, run_cli, text: str, where: tuple[int, int], message: str) -> None:
    (project_tree / "mkdocs.yml").write_text(text, encoding="utf-8")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    found = [p for p in _problems(run) if p["file"] == "mkdocs.yml" and p["severity"] == "error"]
    assert [(p["line"], p["col"], p["code"]) for p in found] == [(*where, "config")], found
    assert message in str(found[0]["message"]) and found[0]["hint"] and "Traceback" not in run.output


def test_an_edition_that_is_a_list_is_reported_as_an_edition(tmp_path: Path) -> None:
    from carebridge.source.loader import load_text

    _, problems = load_text("- a\n- b\n", "editions/x.yaml", "hospital edition")
    assert [p.message for p in problems] == ["a hospital edition must be a YAML mapping, got a list"]


def test_a_catalog_linked_out_of_its_folder_is_refused_unread(project_tree: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    catalog = project_tree / "locales" / "zh_CN" / "LC_MESSAGES" / "example-escalation.po"
    outside = tmp_path / "elsewhere.po"
    outside.write_bytes(catalog.read_bytes())
    catalog.unlink()
    catalog.symlink_to(outside)
    run = run_cli(["i18n", "check"], cwd=project_tree)
    assert run.code == 1 and f"links to {outside}, outside its folder" in run.output


@pytest.mark.parametrize("linked", ["locales", "locales/templates", "locales/zh_CN", "locales/zh_CN/LC_MESSAGES",
                                    "protocols"])
@pytest.mark.parametrize("command", [["i18n", "extract"], ["i18n", "update"], ["i18n", "check"], ["validate"]])
def test_a_folder_of_the_project_linked_out_of_it_is_refused_before_anything_is_read_or_written(
        project_tree: Path, tmp_path: Path, run_cli, linked: str, command: list[str]) -> None:
    # extract and update wrote templates and catalogs through locales/templates -> /elsewhere (exit 0),
    # and check read the catalogs there; only a catalog file linked out of its folder was refused.
    from tests.conftest import snapshot

    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    protocol = project_tree / PROTOCOLS / "example-escalation.yaml"
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("title: Example escalation protocol",
                                                                     "title: Example escalation protocol, changed"),
                        encoding="utf-8")
    outside = tmp_path / "elsewhere"
    os.rename(project_tree / linked, outside)
    (project_tree / linked).symlink_to(outside)
    before = snapshot(outside)
    run = run_cli(command, cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{linked}:1:1: error: [symlink] links to the folder {outside}, outside the project" in run.output
    assert "hint: put the folder itself in the project" in run.output
    assert snapshot(outside) == before


def test_a_device_or_fifo_named_on_the_command_line_is_said_to_be_no_file(project_tree: Path, run_cli) -> None:
    # validate /dev/zero said "no such file or folder" of a path that is there.
    fifo = project_tree / "pipe.yaml"
    os.mkfifo(fifo)
    for target, kind in (("/dev/zero", "a device"), (str(fifo), "a FIFO")):
        run = run_cli(["validate", target], cwd=project_tree)
        assert run.code == 1 and f"{target}:1:1: error: [io] is {kind}, not a file" in run.output, run.output


def test_a_failure_while_reading_the_project_is_an_internal_error_not_a_traceback(
        project_tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # The project is read by the command group, outside the commands' guard: anything it raised
    # escaped as a Python traceback (seen as an ImportError while a module was being saved).
    from carebridge.cli import app

    def broken(project: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(app, "linked_out_folders", broken)
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 2 and "carebridge: internal error: RuntimeError: boom" in run.stderr, run.output
    assert "Traceback" not in run.output


def test_a_folder_named_like_a_file_or_holding_no_protocol_named_on_the_command_line_is_reported(
        project_tree: Path, run_cli) -> None:
    # validate some-dir.yaml (or an empty folder) said "0 files checked: no problems", exit 0.
    (project_tree / "some-dir.yaml").mkdir()
    (project_tree / "empty").mkdir()
    for target, message in (("some-dir.yaml", "[file-name] is a folder named like a protocol file, not a file"),
                            ("empty", "[io] no protocol files (*.yaml) in this folder")):
        run = run_cli(["validate", target], cwd=project_tree)
        assert run.code == 1 and f"{target}:1:1: error: {message}" in run.output, run.output
        assert "hint: give a protocol file" in run.output
    assert run_cli(["validate", "protocols/nursing"], cwd=project_tree).code == 0
