"""Starting another language's (or edition's) build process (site/languages.py)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from carebridge.site import languages


class _Process:
    returncode = 0

    def __init__(self, argv: list[str], **_: Any) -> None:
        self.argv = argv

    def communicate(self) -> tuple[str, str]:
        return "", ""

    def kill(self) -> None:
        pass

    def wait(self) -> int:
        return 0


@pytest.mark.parametrize("end", ["finish", "cancel"])
def test_the_parsed_library_goes_to_the_process_in_a_private_file_removed_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: str) -> None:
    started: list[_Process] = []

    def popen(argv: list[str], **kwargs: Any) -> _Process:
        started.append(_Process(argv, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", [[("zh_CN", {}, site / "zh")]], site, b"parsed library")
    assert started[0].argv[-4:] == ["mkdocs.yml", "--library", str(running.library), str(running.parts[0].settings)]
    library = Path(started[0].argv[-2])
    assert library.parent == site and library.name.startswith(languages.STAGING)
    assert library.read_bytes() == b"parsed library"
    assert stat.S_IMODE(library.stat().st_mode) == 0o600  # the user's own: the process unpickles it
    languages.finish(running) if end == "finish" else languages.cancel(running)
    assert not library.exists() and not running.parts[0].settings.exists()
    assert list(site.iterdir()) == []  # nor its log


def test_without_a_library_no_file_is_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[_Process] = []
    monkeypatch.setattr(subprocess, "Popen", lambda argv, **kw: started.append(_Process(argv)) or started[-1])
    running = languages.start("mkdocs.yml", [[("zh_CN", {}, tmp_path / "site" / "zh")]], tmp_path / "site")
    assert started[0].argv[-2:] == ["mkdocs.yml", str(running.parts[0].settings)]
    languages.cancel(running)


def test_each_process_is_given_its_own_chain_first_then_the_others_from_their_ends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[_Process] = []
    monkeypatch.setattr(subprocess, "Popen", lambda argv, **kw: started.append(_Process(argv)) or started[-1])
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", [[("a", {}, site / "a"), ("b", {}, site / "b")],
                                             [("c", {}, site / "c"), ("d", {}, site / "d"), ("e", {}, site / "e")]],
                              site)
    name = {str(part.settings): part.name for part in running.parts}
    assert [[name[arg] for arg in process.argv[4:]] for process in started] == [
        ["a", "b", "e", "d", "c"], ["c", "d", "e", "b", "a"]]
    languages.cancel(running)


# A stand-in for the worker speaking its protocol: claims a build (the real claim), writes its
# page, logs, ends each build with BUILT; may fail one build or die in one.
_WORKER = r"""
import json, os, sys
from pathlib import Path
from carebridge.site.languages import claim
args = sys.argv[1:]
if args[:1] == ["--library"]:
    args = args[2:]
for settings in args:
    if not claim(Path(settings)):
        continue
    site = Path(json.loads(Path(settings).read_text())["site_dir"])
    name = site.name.split("-")[2]
    sys.stderr.write(f"{STARTED}{settings}\n")
    (site / "index.html").write_text(name, encoding="utf-8")
    with open(LEDGER, "a") as ledger:
        ledger.write(f"{name} {os.getpid()}\n")
    sys.stderr.write(f"{LEVEL}30:warning from {name}\n")
    if name == DIE:
        sys.exit(3)
    sys.stderr.write(f"{BUILT}{1 if name == FAIL else 0}\n")
"""


def _fake_worker(monkeypatch: pytest.MonkeyPatch, ledger: Path, die: str = "", fail: str = "") -> None:
    real = subprocess.Popen
    code = (_WORKER.replace("LEVEL", repr(languages.LEVEL_PREFIX)).replace("STARTED", repr(languages.STARTED))
            .replace("BUILT", repr(languages.BUILT)).replace("LEDGER", repr(str(ledger)))
            .replace("DIE", repr(die)).replace("FAIL", repr(fail)))

    def popen(argv: list[str], **kwargs: Any) -> Any:
        return real([argv[0], "-c", code, *argv[4:]], **kwargs)  # after: python -m module mkdocs.yml

    monkeypatch.setattr(subprocess, "Popen", popen)


def _built(ledger: Path) -> list[str]:
    return sorted(line.split()[0] for line in ledger.read_text(encoding="utf-8").splitlines())


def test_processes_build_every_site_once_reported_in_order_and_moved_outer_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_worker(monkeypatch, tmp_path / "ledger")
    site = tmp_path / "site"
    edition = site / "editions" / "a"
    # The edition's Chinese site lives inside its English one, and comes first here.
    running = languages.start("mkdocs.yml", [[("zh", {}, site / "zh"), ("edzh", {}, edition / "zh")],
                                             [("ed", {}, edition), ("edb", {}, site / "editions" / "b")]],
                              site, b"parsed library")
    results = languages.finish(running)
    assert results == [(name, True, [(30, f"warning from {name}")]) for name in ("zh", "edzh", "ed", "edb")]
    assert _built(tmp_path / "ledger") == ["ed", "edb", "edzh", "zh"]  # each once, whoever took it
    assert (edition / "index.html").read_text() == "ed" and (edition / "zh" / "index.html").read_text() == "edzh"
    assert sorted(p.name for p in site.iterdir()) == ["editions", "zh"]  # no staging, settings, claims or logs


def test_moved_sites_are_readable_by_a_web_server_running_as_another_user(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_worker(monkeypatch, tmp_path / "ledger")
    site = tmp_path / "site"
    old = os.umask(0o022)
    try:
        running = languages.start("mkdocs.yml", [[("zh", {}, site / "zh"), ("ed", {}, site / "editions" / "a")]], site)
        languages.finish(running)
    finally:
        os.umask(old)
    # Each was staged in a mkdtemp folder (0o700): /zh/ and the edition would answer 403.
    assert (site / "zh").stat().st_mode & 0o777 == 0o755
    assert (site / "editions" / "a").stat().st_mode & 0o777 == 0o755


def test_a_failed_build_is_not_moved_and_the_next_one_still_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_worker(monkeypatch, tmp_path / "ledger", fail="zh")
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", [[("zh", {}, site / "zh"), ("ed", {}, site / "editions" / "a")]], site)
    results = languages.finish(running)
    assert [(name, ok) for name, ok, _ in results] == [("zh", False), ("ed", True)]
    assert not (site / "zh").exists() and (site / "editions" / "a" / "index.html").is_file()


def test_a_process_that_dies_fails_its_build_and_leaves_the_rest_unbuilt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_worker(monkeypatch, tmp_path / "ledger", die="eda")
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", [[("zh", {}, site / "zh"), ("eda", {}, site / "editions" / "a"),
                                              ("edb", {}, site / "editions" / "b")]], site)
    results = languages.finish(running)
    assert results == [("zh", True, [(30, "warning from zh")]),
                       ("eda", False, [(30, "warning from eda"), (40, "the build process ended (exit code 3)")]),
                       ("edb", False, [(40, "the build process ended before it")])]
    assert sorted(p.name for p in site.iterdir()) == ["zh"]


def test_when_one_process_dies_another_takes_the_builds_it_left(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_worker(monkeypatch, tmp_path / "ledger", die="eda")
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", [[("eda", {}, site / "editions" / "a"), ("edb", {}, site / "editions" / "b")],
                                             [("zh", {}, site / "zh")]], site)
    results = languages.finish(running)
    assert [(name, ok) for name, ok, _ in results] == [("eda", False), ("edb", True), ("zh", True)]
    assert (site / "editions" / "b" / "index.html").is_file()


def test_staging_of_a_dead_build_is_cleaned_and_a_live_ones_kept(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above Linux's largest pid (2**22): no process has it
    (tmp_path / f"{languages.STAGING}{dead}-edition-a-00-x").mkdir()
    (tmp_path / f"{languages.STAGING}{dead}-edition-a-00-x.json").write_text("{}", encoding="utf-8")
    live = tmp_path / f"{languages.STAGING}1-zh_CN-y"  # pid 1 is always running
    live.mkdir()
    languages.clean_stale(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [live.name]


def _plan(tmp_path: Path, **options: Any) -> list[tuple[str, tuple[str, dict[str, Any], Path]]]:
    from mkdocs.config import load_config

    from carebridge.site.siblings import plan

    from .conftest import REPO

    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    opts = config.plugins["carebridge"].config
    for key, value in options.items():
        opts[key] = value
    return plan(config, opts, opts.languages, list(opts.editions), lambda locale: "")


def _carebridge(overrides: dict[str, Any]) -> dict[str, Any]:
    return next(entry["carebridge"] for entry in overrides["plugins"] if "carebridge" in entry)


def test_the_base_build_plans_each_language_and_each_edition_in_each_language(tmp_path: Path) -> None:
    builds = _plan(tmp_path, editions=["qingshan-county", "riverside-international"])
    site = tmp_path / "site"
    assert [(group, name, target) for group, (name, _, target) in builds] == [
        ("zh_CN", "zh_CN", site / "zh"),
        ("en", "edition qingshan-county", site / "editions" / "qingshan-county"),
        ("zh_CN", "edition qingshan-county zh_CN", site / "editions" / "qingshan-county" / "zh"),
        ("en", "edition riverside-international", site / "editions" / "riverside-international"),
        ("zh_CN", "edition riverside-international zh_CN", site / "editions" / "riverside-international" / "zh")]
    base_zh, first, other = (overrides for _, (_, overrides, _) in builds[:3])
    assert _carebridge(base_zh)["editions"] == ["qingshan-county", "riverside-international"]
    assert _carebridge(base_zh)["edition"] == "" and _carebridge(base_zh)["build_language"] == "zh_CN"
    # The edition's first language starts no builds of its own: the base build planned its others.
    assert _carebridge(first)["edition"] == "qingshan-county" and _carebridge(first)["nested"] is True
    assert _carebridge(first)["editions"] == []
    assert _carebridge(other)["edition"] == "qingshan-county" and _carebridge(other)["build_language"] == "zh_CN"
    assert other["site_dir"] == str(site / "editions" / "qingshan-county" / "zh")
    assert other["theme"]["language"] == "zh"
    # an edition links the search files of the base site in its language (built in the same build)
    assert _carebridge(base_zh)["shared_site"] == ""
    assert _carebridge(first)["shared_site"] == str(site) and _carebridge(other)["shared_site"] == str(site / "zh")


def test_one_editions_build_plans_only_its_other_languages(tmp_path: Path) -> None:
    builds = _plan(tmp_path, edition="qingshan-county", editions=[])
    assert [(group, name) for group, (name, _, _) in builds] == [("zh_CN", "zh_CN")]
    assert _carebridge(builds[0][1][1])["edition"] == "qingshan-county"
    assert _carebridge(builds[0][1][1])["shared_site"] == ""  # no base site is built beside it
