"""Files and folders the user may not read: a clear error and exit 1, never a silent skip or an
internal error. A folder Path.glob or os.walk cannot list held "nothing": `validate` left a
specialty out of the library and `i18n check` said "0 catalogs checked: no problems".

Root reads every file whatever its mode, so as root the commands run with the capabilities that
allow it taken away (setpriv), as a CI user without them would."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import CONSOLE, Run, RunCli, _env

from carebridge.cli import library as library_cli

SETPRIV = shutil.which("setpriv")
pytestmark = pytest.mark.skipif(os.geteuid() == 0 and SETPRIV is None, reason="needs setpriv to drop root's powers")


def unprivileged(args: list[str], cwd: Path) -> Run:
    prefix = [SETPRIV or "setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, CONSOLE, "--root", str(cwd), *args], cwd=cwd,
                          env=_env({"CAREBRIDGE_CACHE_DIR": "off"}), capture_output=True, text=True, timeout=120,
                          check=False)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def tree(project_tree: Path, run_cli: RunCli) -> Iterator[Path]:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    yield project_tree
    for path in [project_tree, *project_tree.rglob("*")]:  # so that pytest can remove it
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


def digests(tree: Path) -> dict[str, str]:
    return {str(p.relative_to(tree)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(tree.rglob("*")) if p.is_file() and os.access(p, os.R_OK)}


def test_an_unreadable_specialty_folder_is_an_error_not_a_smaller_library(tree: Path) -> None:
    (tree / "protocols" / "nursing").chmod(0)
    run = unprivileged(["validate", "--format", "json"], tree)
    assert run.code == 1, run
    [problem] = [p for p in json.loads(run.stdout)["problems"] if p["code"] == "io"]
    assert problem["file"] == "protocols/nursing" and problem["message"].startswith("cannot list the folder")
    assert problem["hint"] and "Traceback" not in run.stderr


def test_an_unreadable_catalog_folder_fails_the_check_instead_of_passing_it(tree: Path) -> None:
    (tree / "locales" / "zh_CN" / "LC_MESSAGES").chmod(0)
    run = unprivileged(["i18n", "check", "--locale", "zh_CN"], tree)
    assert run.code == 1 and "0 catalogs checked" not in run.output, run
    assert "locales/zh_CN/LC_MESSAGES:1:1: error: [io] permission denied" in run.stdout
    assert "hint: give the user running carebridge permission" in run.stdout and "internal error" not in run.stderr


@pytest.mark.parametrize("unreadable", ["LC_MESSAGES/example-escalation.po", "LC_MESSAGES"])
@pytest.mark.parametrize("command", [["i18n", "update"], ["i18n", "stats"], ["i18n", "update", "--format", "json"]])
def test_an_unreadable_catalog_is_an_error_and_nothing_is_written(tree: Path, command: list[str],
                                                                 unreadable: str) -> None:
    (tree / "locales" / "zh_CN" / unreadable).chmod(0)
    before = digests(tree)
    run = unprivileged(command, tree)
    assert run.code == 1 and "internal error" not in run.stderr, run  # a folder was an internal error (exit 2)
    assert f"locales/zh_CN/{unreadable}" in run.output and "permission denied" in run.output.lower()
    if "json" in command:
        assert json.loads(run.stdout)["errors"] == 1
    assert digests(tree) == before


def test_an_internal_error_still_prints_json_for_a_machine(tree: Path, run_cli: RunCli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(library_cli, "validate_library", broken)
    run = run_cli(["validate", "--format", "json"], cwd=tree)
    assert run.code == 2
    assert json.loads(run.stdout) == {"problems": [], "errors": 0, "warnings": 0,
                                      "internal_error": "internal error: RuntimeError: a bug"}
    assert "carebridge: internal error: RuntimeError: a bug" in run.stderr
