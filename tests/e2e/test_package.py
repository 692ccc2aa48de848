"""The installed package works outside this repository: the wheel carries the schema, the
templates and the assets, and the published pre-commit hooks run in another repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GOOD = REPO / "tests" / "examples" / "good"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(REPO)], check=True, capture_output=True, text=True)
    return next(out.glob("carebridge-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel (and its dependencies) installed."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    result = subprocess.run([*pip, "-r", str(REPO / "requirements.lock"), str(wheel)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return venv / "bin"


@pytest.fixture
def other_repo(tmp_path: Path) -> Path:
    """Another repository with one protocol and its catalog, and no schema/ or tools/ of ours."""
    repo = tmp_path / "hospital-protocols"
    shutil.copytree(GOOD / "protocols", repo / "protocols")
    if (GOOD / "locales").is_dir():
        shutil.copytree(GOOD / "locales", repo / "locales")
    for modeline in repo.rglob("*.yaml"):  # their modeline pointed into our tree
        modeline.write_text(re.sub(r"^# yaml-language-server:.*\n", "", modeline.read_text(encoding="utf-8")),
                            encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_ships_schema_templates_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "carebridge/source/protocol.schema.json" in names
    assert "carebridge/site/templates/protocol.md" in names
    assert "carebridge/site/templates/partials/text.html" in names
    assert "carebridge/site/assets/carebridge.css" in names


def test_installed_validate_and_check_work_in_another_repository(installed: Path, other_repo: Path) -> None:
    where = _run(installed, other_repo, str(installed / "python"), "-c",
                 "import carebridge.source.schema as s; print(s.DEFAULT_SCHEMA)")
    assert "site-packages" in where.stdout, where.stdout + where.stderr  # not this checkout's copy
    validate = _run(installed, other_repo, "carebridge", "validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "internal error" not in validate.stderr
    for step in (["i18n", "extract"], ["i18n", "init", "--locale", "zh_CN"], ["i18n", "check"]):
        run = _run(installed, other_repo, "carebridge", *step)
        assert run.returncode == 0, (step, run.stdout, run.stderr)
    # The site's own words come from the installed templates and schema labels.
    site_pot = (other_repo / "locales" / "templates" / "site.pot").read_text(encoding="utf-8")
    assert 'msgid "Red flags: act now"' in site_pot and 'msgid "Reproductive medicine"' in site_pot


def test_installed_validate_reports_a_bad_protocol_precisely(installed: Path, other_repo: Path) -> None:
    protocol = next(other_repo.rglob("*.yaml"))
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("status: draft", "status: finished"),
                        encoding="utf-8")
    run = _run(installed, other_repo, "carebridge", "validate")
    assert run.returncode == 1
    assert re.search(r"protocols/.+\.yaml:\d+:\d+: error: .*status", run.stdout), run.stdout


def test_published_pre_commit_hooks_run_in_another_repository(installed: Path, other_repo: Path) -> None:
    # What `pre-commit try-repo` does, without its network install: each hook's entry and file filter.
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    subprocess.run(["git", "add", "-A"], cwd=other_repo, check=True)
    tracked = subprocess.run(["git", "ls-files"], cwd=other_repo, capture_output=True, text=True, check=True)
    files = tracked.stdout.split()
    ran = []
    for hook in hooks:
        if "pre-push" in hook.get("stages", []):
            continue  # needs a remote to compare with; tested in tests/test_versioning.py
        matching = [f for f in files if re.search(hook["files"], f)]
        args = [*hook["entry"].split(), *hook.get("args", []), *(matching if hook.get("pass_filenames", True) else [])]
        run = _run(installed, other_repo, *args)
        assert run.returncode == 0, (hook["id"], run.stdout, run.stderr)
        ran.append(hook["id"])
    assert ran == ["carebridge-validate", "carebridge-i18n-check"]
