"""fsio.py: atomic writes that skip unchanged files, keep modes and replace all files or none, and strict
UTF-8 decoding with positions."""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import subprocess
from pathlib import Path

import pytest

from carebridge import fsio
from carebridge.fsio import (
    content_key,
    decode_utf8,
    make_durable,
    read_at_most,
    remove_stale_temps,
    stage,
    write_all_atomic,
    write_atomic,
)
from carebridge.problems import ProblemsFound


def test_write_atomic_creates_folders_and_skips_identical_content(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "x.po"
    assert write_atomic(path, "译文\n") is True
    assert path.read_bytes() == "译文\n".encode()
    mtime = path.stat().st_mtime_ns
    assert write_atomic(path, "译文\n".encode()) is False
    assert path.stat().st_mtime_ns == mtime
    assert write_atomic(path, "changed\n") is True and path.read_text(encoding="utf-8") == "changed\n"
    assert [p.name for p in path.parent.iterdir()] == ["x.po"]  # no temp files left behind


def test_write_all_atomic_returns_only_changed_files(tmp_path: Path) -> None:
    same, new = tmp_path / "same.txt", tmp_path / "new.txt"
    same.write_text("a", encoding="utf-8")
    assert write_all_atomic({same: "a", new: "b"}) == [new]


def test_decode_utf8_strips_bom_and_reports_bad_bytes() -> None:
    assert decode_utf8(b"\xef\xbb\xbfid: x\n", "f") == ("id: x\n", None)
    text, problem = decode_utf8(b"a\nbc\xffd\n", "f.yaml")
    assert text is None and problem is not None
    assert (problem.file, problem.line, problem.col, problem.code) == ("f.yaml", 2, 3, "encoding")
    assert "0xff" in problem.message


def test_rewritten_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path: Path) -> None:
    shared = tmp_path / "shared.po"
    shared.write_text("a", encoding="utf-8")
    shared.chmod(0o664)
    assert write_all_atomic({shared: "b", tmp_path / "new.po": "c"}) == [tmp_path / "new.po", shared]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert stat.S_IMODE((tmp_path / "new.po").stat().st_mode) == 0o666 & ~umask


def test_a_file_that_cannot_be_written_stops_all_and_replaces_none(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    first.write_text("old a", encoding="utf-8")
    real_open = os.open

    def no_permission(path: str, flags: int, mode: int = 0o777) -> int:
        if Path(path).name.startswith(".b.po."):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", no_permission)
    with pytest.raises(ProblemsFound) as raised:
        write_all_atomic({first: "new a", second: "new b"}, display=lambda p: p.name)
    (problem,) = raised.value.problems
    assert (problem.file, problem.code, problem.message) == ("b.po", "write", "cannot write the file: Permission denied")
    assert "you may not write in this folder" in problem.hint
    assert first.read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_stale_temporary_files_are_removed_but_not_a_running_writers(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        names = [f".x.po.{dead.pid}-0123abcd.tmp", ".x.po.ab_9xyz1.tmp", f".x.po.{alive.pid}-0123abcd.tmp",
                 ".hidden.tmp", "x.po"]
        for name in names:
            (tmp_path / name).write_text("", encoding="utf-8")
        removed = remove_stale_temps(tmp_path)
    finally:
        alive.kill()
        alive.wait()
    assert sorted(p.name for p in removed) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


@pytest.mark.parametrize(("size", "limit", "expected"), [(0, 10, 0), (10, 10, 10), (11, 10, 11), (5000, 10, 11),
                                                          (5000, 10**6, 5000)])
def test_read_at_most_reads_the_whole_file_or_one_byte_past_the_limit(tmp_path: Path, size: int, limit: int,
                                                                      expected: int) -> None:
    path = tmp_path / "f"
    path.write_bytes(bytes(range(256)) * (size // 256) + bytes(size % 256))
    with path.open("rb") as handle:
        data = read_at_most(handle, limit)
    assert data == path.read_bytes()[:expected]


def test_read_at_most_reads_on_past_the_size_a_file_reports() -> None:
    # /proc files say they hold 0 bytes: a read sized by the stat alone would stop at one byte
    with open("/proc/self/status", "rb") as handle:
        data = read_at_most(handle, 10**6)
    assert os.stat("/proc/self/status").st_size == 0
    assert data.startswith(b"Name:") and b"\nPid:" in data


def test_read_at_most_stops_one_byte_past_the_limit_of_a_file_with_no_size() -> None:
    with open("/proc/self/status", "rb") as handle:
        assert len(read_at_most(handle, 20)) == 21


class _Calls:
    """What reached the disk-flushing system calls (they still run: the files are real)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, has_syncfs: bool = True) -> None:
        self.fsync: list[int] = []
        self.syncfs: list[int] = []
        real_fsync = os.fsync
        real_syncfs = fsio._syncfs()

        def fsync(fd: int) -> None:
            self.fsync.append(fd)
            real_fsync(fd)

        def syncfs(fd: int) -> int:
            self.syncfs.append(fd)
            return real_syncfs(fd) if real_syncfs is not None else 0

        monkeypatch.setattr(os, "fsync", fsync)
        monkeypatch.setattr(fsio, "_syncfs", lambda: syncfs if has_syncfs else None)


def test_many_staged_files_are_made_durable_by_one_syncfs_before_any_rename(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _Calls(monkeypatch)
    files: dict[Path, str | bytes] = {tmp_path / f"{n}.po": f"msgid {n}\n" for n in range(20)}
    assert write_all_atomic(files) == sorted(files)
    assert len(calls.syncfs) == 1 and calls.fsync == []
    assert all(path.read_text(encoding="utf-8") == text for path, text in files.items())


def test_one_file_is_flushed_by_its_own_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _Calls(monkeypatch)
    assert write_atomic(tmp_path / "x.po", "a") is True
    assert len(calls.fsync) == 1 and calls.syncfs == []


def test_without_syncfs_each_file_is_flushed_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _Calls(monkeypatch, has_syncfs=False)
    paths = [tmp_path / f"{n}" for n in range(5)]
    for path in paths:
        path.write_text("x", encoding="utf-8")
    make_durable(paths)
    assert len(calls.fsync) == 5 and calls.syncfs == []


def test_a_flush_that_fails_replaces_no_file_and_leaves_no_temporary_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "a.po"
    first.write_text("old a", encoding="utf-8")
    monkeypatch.setattr(fsio, "_syncfs", lambda: lambda fd: -1)
    monkeypatch.setattr(ctypes, "get_errno", lambda: errno.EIO)
    with pytest.raises(ProblemsFound) as raised:
        write_all_atomic({first: "new a", tmp_path / "b.po": "new b"}, display=lambda p: p.name)
    (problem,) = raised.value.problems
    assert problem.code == "write" and "Input/output error" in problem.message
    assert first.read_text(encoding="utf-8") == "old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_a_staged_file_carries_the_content_key_of_what_was_written(tmp_path: Path) -> None:
    item = stage(tmp_path / "x.po", "译文\n")
    assert item is not None
    try:
        assert item.digest is not None and item.digest == content_key(item.temp)
    finally:
        item.temp.unlink()


def _failing_second_rename(monkeypatch: pytest.MonkeyPatch, failure: BaseException) -> None:
    real, calls = os.replace, []

    def replace(src: object, dst: object) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise failure
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(fsio.os, "replace", replace)


def test_a_rename_that_fails_puts_back_the_files_already_replaced(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # i18n update: the second catalog could not be replaced (immutable, a full disk) and the first
    # stayed rewritten, so the catalogs no longer came from one run.
    (tmp_path / "a.po").write_text("old a\n", encoding="utf-8")
    (tmp_path / "c.po").write_text("old c\n", encoding="utf-8")
    _failing_second_rename(monkeypatch, OSError(errno.EPERM, "Operation not permitted"))
    with pytest.raises(ProblemsFound) as raised:
        write_all_atomic({tmp_path / "a.po": "new a\n", tmp_path / "b.po": "new b\n", tmp_path / "c.po": "new c\n"})
    monkeypatch.undo()
    assert (tmp_path / "a.po").read_text(encoding="utf-8") == "old a\n"
    assert (tmp_path / "c.po").read_text(encoding="utf-8") == "old c\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po", "c.po"]  # b.po was never placed; no temp file left
    [problem] = raised.value.problems
    assert problem.file.endswith("b.po") and "Operation not permitted" in problem.message
    assert problem.hint.startswith("no file was changed: the files already replaced were put back")


def test_a_new_file_already_placed_is_removed_and_a_stop_between_renames_rolls_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "b.po").write_text("old b\n", encoding="utf-8")
    _failing_second_rename(monkeypatch, KeyboardInterrupt())  # Ctrl-C or a CI timeout's SIGTERM
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({tmp_path / "a.po": "new a\n", tmp_path / "b.po": "new b\n"})
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.po"]
    assert (tmp_path / "b.po").read_text(encoding="utf-8") == "old b\n"
