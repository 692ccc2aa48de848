"""msgfmt.py: GNU msgfmt checks every staged catalog in a few processes fed as the files come, and
only a refusing process's files one by one, to name the file and line."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from tests.test_store import needs_msgfmt, zh_catalog

from carebridge.fsio import Staged
from carebridge.i18n import msgfmt
from carebridge.i18n.catalog import render_catalog
from carebridge.problems import Problem


def staged_files(tmp_path: Path, texts: dict[str, str]) -> list[Staged]:
    out = []
    for name, text in texts.items():
        temp = tmp_path / f".{name}.tmp"
        temp.write_text(text, encoding="utf-8")
        out.append(Staged(tmp_path / name, temp))
    return out


def counted_processes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The msgfmt processes started (their arguments), counted as they start."""
    runs: list[list[str]] = []
    real_popen = subprocess.Popen

    def counted(args: list[str], **kwargs: Any) -> Any:
        runs.append(args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(msgfmt.subprocess, "Popen", counted)
    return runs


def test_msgfmt_checks_all_staged_catalogs_in_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_msgfmt()
    text = render_catalog(zh_catalog())
    staged = staged_files(tmp_path, {f"f{i}.po": text for i in range(5)} | {"notes.txt": "not a catalog\n"})
    runs = counted_processes(monkeypatch)
    assert msgfmt.msgfmt_staged(staged, str) == []
    assert len(runs) == 1 and runs[0][-1] == "-"
    assert not list(Path(msgfmt.scratch_folder() or tempfile.gettempdir()).glob("carebridge-msgfmt-*"))  # .mo files gone


def test_a_large_update_is_checked_by_one_msgfmt_a_core_and_only_a_refusing_one_file_by_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_msgfmt()
    good = render_catalog(zh_catalog())
    bad = good.replace('msgstr "给予1 g"', 'msgstr "给予1 g\\n"')
    names = [f"f{i}.po" for i in range(8)]
    staged = staged_files(tmp_path, {name: bad if name == "f6.po" else good for name in names})
    monkeypatch.setattr(msgfmt, "SPLIT_FROM", 2)
    monkeypatch.setattr(msgfmt.os, "cpu_count", lambda: 2)
    batches = counted_processes(monkeypatch)
    alone: list[str] = []
    real_alone = msgfmt.msgfmt_problems

    def checked_alone(temp: Path, display: str) -> list[Problem]:
        alone.append(display)
        return real_alone(temp, display)

    monkeypatch.setattr(msgfmt, "msgfmt_problems", checked_alone)
    (problem,) = msgfmt.msgfmt_staged(staged, lambda p: p.name)
    assert problem.file == "f6.po" and "end with" in problem.message
    assert len([run for run in batches if run[-1] == "-"]) == 2  # a second once the first holds SPLIT_FROM files
    # then each file to the process fed the fewest bytes: f0 f1 f4 f6 and f2 f3 f5 f7, side by side;
    # only the refusing process's files are read again, one by one
    assert alone == ["f0.po", "f1.po", "f4.po", "f6.po"]
    assert not list(Path(msgfmt.scratch_folder() or tempfile.gettempdir()).glob("carebridge-msgfmt-*"))


def test_a_batch_writes_its_mo_files_in_the_scratch_folder_and_removes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # msgfmt writes one .mo file a domain; on a memory file system (/dev/shm) they cost no disk inode
    needs_msgfmt()
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(msgfmt, "scratch_folder", lambda: str(scratch))
    runs: list[str] = []
    real = msgfmt.subprocess.Popen

    def seen(*args: Any, **kwargs: Any) -> Any:
        runs.append(str(kwargs.get("cwd")))
        return real(*args, **kwargs)

    monkeypatch.setattr(msgfmt.subprocess, "Popen", seen)
    text = render_catalog(zh_catalog())
    out = tmp_path / "out"
    out.mkdir()
    assert msgfmt.msgfmt_staged(staged_files(out, {"a.po": text, "b.po": text}), str) == []
    assert len(runs) == 1 and Path(runs[0]).parent == scratch
    assert list(scratch.iterdir()) == []


def test_the_scratch_folder_is_one_a_process_may_write_or_none() -> None:
    folder = msgfmt.scratch_folder()
    assert folder is None or (Path(folder).is_dir() and os.access(folder, os.W_OK))


def test_msgfmt_names_the_refused_file_of_a_batch_and_its_line(tmp_path: Path) -> None:
    needs_msgfmt()
    good = render_catalog(zh_catalog())
    bad = good.replace('msgstr "给予1 g"', 'msgstr "给予1 g\\n"')  # msgfmt -c: msgid and msgstr end alike
    staged = staged_files(tmp_path, {"a.po": good, "b.po": bad, "c.po": good})
    (problem,) = msgfmt.msgfmt_staged(staged, lambda p: f"locales/{p.name}")
    assert problem.file == "locales/b.po" and problem.line == bad.splitlines().index('msgstr "给予1 g\\n"') + 1
    assert "end with" in problem.message


def test_msgfmt_checks_alone_a_catalog_a_batch_could_read_otherwise(tmp_path: Path) -> None:
    # msgfmt's reader keeps the charset of the file before: a file without a header, refused alone
    # (its Chinese cannot be read without a charset), would pass after one that sets UTF-8.
    needs_msgfmt()
    good = render_catalog(zh_catalog())
    headerless = good.split("\n\n", 1)[1]
    assert msgfmt.msgfmt_problems(staged_files(tmp_path, {"x.po": headerless})[0].temp, "x.po")
    staged = staged_files(tmp_path, {"a.po": good, "b.po": headerless})
    assert [p.file for p in msgfmt.msgfmt_staged(staged, lambda p: p.name)] == ["b.po"]


def test_what_a_batch_may_hold() -> None:
    good = render_catalog(zh_catalog()).encode("utf-8")
    assert msgfmt.batchable(good)
    assert not msgfmt.batchable(good.split(b"\n\n", 1)[1])  # no header
    assert not msgfmt.batchable(good.replace(b"charset=utf-8", b"charset=ISO-8859-1"))
    assert not msgfmt.batchable(good + b'\ndomain "other"\nmsgid "x"\nmsgstr "y"\n')


def test_files_fed_in_several_calls_are_checked_once_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # an update feeds each protocol's catalogs as they come, then the whole list again before renaming
    needs_msgfmt()
    good = render_catalog(zh_catalog())
    bad = good.replace('msgstr "给予1 g"', 'msgstr "给予1 g\\n"')
    staged = staged_files(tmp_path, {"a.po": good, "b.pot": good, "c.po": bad, "notes.txt": "x\n"})
    runs = counted_processes(monkeypatch)
    with msgfmt.Msgfmt() as checker:
        checker.add(staged[:1])
        checker.add(staged[1:3])
        checker.add(staged)  # the same files again: not fed twice
        problems = checker.problems(lambda p: p.name)
    assert [(p.file, p.code) for p in problems] == [("c.po", "po-write")]
    assert len([run for run in runs if run[-1] == "-"]) == 1
    assert [run[-1] for run in runs if run[-1] != "-"] == [str(s.temp) for s in staged[:3]]  # then one by one


def test_a_checker_closed_before_its_verdict_stops_msgfmt_and_leaves_nothing(tmp_path: Path) -> None:
    # an update that finds an error in a protocol never asks msgfmt: its processes must not outlive it
    needs_msgfmt()
    checker = msgfmt.Msgfmt()
    checker.add(staged_files(tmp_path, {f"f{i}.po": render_catalog(zh_catalog()) for i in range(3)}))
    processes = [batch._process for batch in checker._batches]
    checker.close()
    assert processes and all(p is not None and p.poll() is not None for p in processes)
    assert not list(Path(msgfmt.scratch_folder() or tempfile.gettempdir()).glob("carebridge-msgfmt-*"))


def test_a_msgfmt_that_cannot_start_has_each_file_checked_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_msgfmt()
    real = subprocess.Popen

    def batch_fails(args: list[str], **kwargs: Any) -> Any:
        if args[-1] == "-":
            raise OSError("no more processes")
        return real(args, **kwargs)

    monkeypatch.setattr(msgfmt.subprocess, "Popen", batch_fails)
    good = render_catalog(zh_catalog())
    bad = good.replace('msgstr "给予1 g"', 'msgstr "给予1 g\\n"')
    staged = staged_files(tmp_path, {"a.po": good, "b.po": bad})
    assert [p.file for p in msgfmt.msgfmt_staged(staged, lambda p: p.name)] == ["b.po"]


def test_without_msgfmt_nothing_is_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(msgfmt, "msgfmt_path", lambda: None)
    runs = counted_processes(monkeypatch)
    good = render_catalog(zh_catalog())
    assert msgfmt.msgfmt_staged(staged_files(tmp_path, {"a.po": good.replace("msgid", "msgid msgid")}), str) == []
    assert runs == []
