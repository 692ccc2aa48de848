"""A build that is killed half-way, or that the disk refuses, leaves the old site whole."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import carebridge, carebridge_exe, make_tree

pytestmark = pytest.mark.slow


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def old_site(site: Path) -> dict[str, bytes]:
    """A complete site from an earlier build, as far as anyone can tell, with a hidden file MkDocs keeps."""
    (site / "zh").mkdir(parents=True)
    for page in ("index.html", "404.html", "zh/index.html"):
        (site / page).write_text(f"<html>the old site: {page}</html>", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    return files(site)


def staged(tree: Path) -> list[Path]:
    return sorted(tree.glob(".site.carebridge-*"))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "project")


def half_written(tree: Path) -> subprocess.Popen[bytes]:
    """A build, running in its own process group (like a CI job), once the new site is half written:
    some pages there, the build not finished."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.Popen([carebridge_exe(), "build"], cwd=tree, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    try:
        while not any(any(folder.rglob("*.html")) for folder in staged(tree)):
            assert build.poll() is None, "the build ended before it could be stopped"
            assert time.monotonic() < deadline, "no page was written in 90 s"
            time.sleep(0.02)
    except BaseException:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        raise
    return build


def test_a_build_killed_half_way_leaves_the_old_site_whole(tree: Path) -> None:
    site = tree / "site"
    before = old_site(site)
    build = half_written(tree)
    os.killpg(build.pid, signal.SIGKILL)  # the language build in its subprocess too
    build.wait()
    assert staged(tree), "the kill came after the swap: nothing was tested"
    assert files(site) == before  # the old site, every byte
    assert not any((tree / name).exists() for name in os.listdir(tree) if name.startswith(".carebridge-"))

    carebridge(tree, "build")
    # The next build cleans what the killed one left; the site it replaced goes with its detached deleter.
    deadline = time.monotonic() + 30
    while staged(tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert staged(tree) == []
    assert "the old site" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "zh" / "index.html").is_file() and (site / ".nojekyll").is_file()
    assert not list(site.rglob(".carebridge-*"))


def test_a_full_disk_is_a_problem_and_the_old_site_stays(tree: Path, run_cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs import utils

    site = tree / "site"
    before = old_site(site)

    def full(content: bytes, output_path: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)

    monkeypatch.setattr(utils, "write_file", full)
    run = run_cli(["build"], cwd=tree)
    assert run.code == 1, run.output
    assert ": error: [io] cannot write the site: No space left on device" in run.stdout
    assert "  hint: the disk is full" in run.stdout
    assert "internal error" not in run.output and "Traceback" not in run.output
    assert files(site) == before and staged(tree) == []


def test_a_folder_the_build_may_not_write_is_a_problem(tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.site import output

    def refused(site_dir: Path) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(site_dir.parent))

    monkeypatch.setattr(output, "stage", refused)
    run = run_cli(["build", "--site-dir", "/srv/www/site"], cwd=tree)
    assert run.code == 1, run.output
    assert run.stdout.startswith("/srv/www:1:1: error: [io] cannot write the site: Permission denied")
    assert "you may not write there" in run.stdout


def test_a_build_stopped_with_sigterm_cleans_up_as_ctrl_c_does(tree: Path) -> None:
    # A CI job's timeout sends SIGTERM to the command alone (not its process group)
    site = tree / "site"
    before = old_site(site)
    build = half_written(tree)
    try:
        build.send_signal(signal.SIGTERM)
        assert build.wait(timeout=60) != 0
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    deadline = time.monotonic() + 30  # the language build in its subprocess is stopped and removed too
    while staged(tree) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert staged(tree) == [], "the half-written site was left beside the old one"
    assert files(site) == before
