"""fsio.py: atomic writes that skip unchanged files, and strict UTF-8 decoding with positions."""

from __future__ import annotations

from pathlib import Path

from carebridge.fsio import decode_utf8, write_all_atomic, write_atomic


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
