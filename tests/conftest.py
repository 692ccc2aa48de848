"""Shared fixtures: a throwaway project tree and two ways to run ``carebridge`` on it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from carebridge.cli import main
from carebridge.source import currency

REPO = Path(__file__).resolve().parents[1]
CLOCK = dt.date(2026, 12, 1)  # "today" for source ages in in-process runs
EXAMPLES = REPO / "tests" / "examples"
GOOD = EXAMPLES / "good"
GOOD_PROTOCOL = GOOD / "protocols" / "nursing" / "example-escalation.yaml"
CONSOLE = shutil.which("carebridge", path=str(Path(sys.executable).parent)) or str(
    Path(sys.executable).parent / "carebridge")


@dataclass(frozen=True)
class Run:
    """What a user sees: exit code, standard output, standard error."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


RunCli = Callable[..., Run]


SESSION_CACHE = Path(tempfile.mkdtemp(prefix="carebridge-cache-"))


def pytest_configure(config: pytest.Config) -> None:
    # The safety checks' findings cache (i18n/findingcache.py): never the user's ~/.cache, for this
    # process and every process a test starts. Each test then gets a folder of its own (``_cache``).
    os.environ["CAREBRIDGE_CACHE_DIR"] = str(SESSION_CACHE)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(SESSION_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty findings cache for each test, so that no test depends on another through it."""
    folder = tmp_path_factory.mktemp("findings-cache")
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", str(folder))
    return folder


def _env(extra: dict[str, str] | None) -> dict[str, str]:
    # CI sets GITHUB_ACTIONS=true, which would switch the default format to annotations.
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CAREBRIDGE_DEBUG")}
    return {**env, **(extra or {})}


@pytest.fixture
def project_tree(tmp_path: Path) -> Path:
    """tests/examples/good plus the repository's mkdocs.yml (without its hospital editions, whose
    files and protocols are not here), docs/, overrides/ and schema/."""
    tree = tmp_path / "project"
    shutil.copytree(GOOD, tree)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (tree / "mkdocs.yml").write_text(re.sub(r"(?m)^ *editions: \[.*\]\n", "", config), encoding="utf-8")
    for name in ("docs", "overrides", "schema"):
        shutil.copytree(REPO / name, tree / name)
    return tree


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``carebridge --root <cwd> ARGS`` in-process (fast; allows monkeypatching)."""

    def run(args: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> Run:
        monkeypatch.chdir(cwd)
        for name in ("GITHUB_ACTIONS", "CAREBRIDGE_DEBUG"):
            monkeypatch.delenv(name, raising=False)
        # Sources age: the example's source was checked on 2026-11-01, so its clock stays in 2026.
        monkeypatch.setattr(currency, "today", lambda: CLOCK)
        # catch_exceptions=False: an exception escaping the CLI fails the test instead of becoming exit 1.
        result = CliRunner(env=env, catch_exceptions=False).invoke(main, ["--root", str(cwd), *map(str, args)])
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def run_console() -> RunCli:
    """Run the installed ``carebridge`` console script in a subprocess, as a user meets it."""

    def run(args: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None) -> Run:
        done = subprocess.run([CONSOLE, "--root", str(cwd), *map(str, args)], cwd=cwd, env=_env(env),
                              capture_output=True, text=True, timeout=120, check=False)
        return Run(done.returncode, done.stdout, done.stderr)

    return run


def msgfmt_check(path: Path) -> str:
    """GNU msgfmt's complaints about a PO file ("" when it accepts it); skip when msgfmt is missing."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CAREBRIDGE_REQUIRE_BROWSER"):
            pytest.fail("msgfmt (GNU gettext) is required when CAREBRIDGE_REQUIRE_BROWSER is set")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    done = subprocess.run([msgfmt, "-c", "--check-format", "-o", os.devnull, str(path)], capture_output=True,
                          text=True, check=False)
    return "" if done.returncode == 0 else done.stderr


def copy_library(dest: Path) -> Path:
    """A copy of the repository's own library: protocols, editions, catalogs, site files, mkdocs.yml."""
    for name in ("protocols", "editions", "locales", "docs", "overrides", "schema"):
        shutil.copytree(REPO / name, dest / name, symlinks=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` in a file, which must hold it exactly once (a test's edit must not miss)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def snapshot(tree: Path, *folders: str) -> dict[str, str]:
    """Every file under ``folders`` of ``tree`` (the whole tree without any) with a hash of its bytes."""
    roots = [tree / folder for folder in folders] if folders else [tree]
    return {p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for root in roots if root.is_dir() for p in sorted(root.rglob("*")) if p.is_file()}
