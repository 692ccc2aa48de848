"""Build processes started early (site/ready.py): each waits with its imports done, builds what it
is handed (its errors in the log it is given), and a process no build takes ends, writing nothing."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import snapshot

from carebridge.site import ready


@pytest.fixture
def waiting(project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(project_tree)
    monkeypatch.setattr(ready, "_WAITING", [])
    ready.spawn(project_tree / "mkdocs.yml", chinese=False)
    assert len(ready._WAITING) == 1
    yield project_tree
    ready.drop()


def test_a_process_no_build_takes_ends_at_once_and_writes_nothing(waiting: Path) -> None:
    before = snapshot(waiting)
    process = ready._WAITING[0]
    time.sleep(0.5)
    assert process.poll() is None  # it waits for its command line
    ready.drop()
    assert process.returncode == 0 and ready._WAITING == []
    assert snapshot(waiting) == before


def test_a_taken_process_runs_the_build_it_is_handed_with_its_errors_in_the_log(waiting: Path,
                                                                               tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_bytes(b"")
    missing = tmp_path / "no-such.library"
    process = ready.take([str(waiting / "mkdocs.yml"), "--library", str(missing)], log)
    assert process is not None and ready._WAITING == []
    assert process.wait(timeout=60) != 0
    assert "no-such.library" in log.read_text(encoding="utf-8")  # its standard error is the log
    assert ready.take([str(waiting / "mkdocs.yml")], log) is None  # one process, taken once


def test_a_process_that_ended_while_it_waited_is_not_taken(waiting: Path, tmp_path: Path) -> None:
    process = ready._WAITING[0]
    process.kill()
    process.wait()
    assert ready.take([str(waiting / "mkdocs.yml")], tmp_path / "log") is None  # the build starts its own
    assert ready._WAITING == []


@pytest.mark.parametrize(("line", "expected"), [
    ('{"argv": ["mkdocs.yml", "a.json"], "log": "x.log"}\n', (["mkdocs.yml", "a.json"], "x.log")),
    ("", None),  # the build ended without it
    ("\n", None),
    ("not json\n", None),
    ('{"argv": "mkdocs.yml", "log": "x.log"}\n', None),
    ('{"argv": ["mkdocs.yml", 3], "log": "x.log"}\n', None),
    ('{"argv": []}\n', None),
    ("[1, 2]\n", None),
])
def test_the_order_a_waiting_process_reads(line: str, expected: object) -> None:
    assert ready.await_order(io.StringIO(line)) == expected


def test_spawn_starts_one_process_however_often_it_is_asked(waiting: Path) -> None:
    ready.spawn(waiting / "mkdocs.yml", chinese=True)
    assert len(ready._WAITING) == 1


def test_a_taken_process_with_nothing_to_build_ends_well(waiting: Path, tmp_path: Path) -> None:
    log = tmp_path / "log"
    log.write_bytes(b"")
    process = ready.take([str(waiting / "mkdocs.yml")], log)  # nothing to build: it ends well
    assert process is not None and process.wait(timeout=60) == 0
