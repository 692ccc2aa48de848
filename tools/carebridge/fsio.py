"""File I/O that never leaves a file half-written, and text decoding with positions."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .problems import Problem, error


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` via a temp file + rename; return False if unchanged.

    Skipping identical content keeps mtimes stable so MkDocs serve does not rebuild.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_all_atomic(files: dict[Path, str | bytes]) -> list[Path]:
    """Write several files; callers compute every file first so a failure writes none."""
    return [path for path, data in sorted(files.items()) if write_atomic(path, data)]


def decode_utf8(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    """Decode UTF-8 strictly; on failure report the line and column of the bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(before[line_start:].decode("utf-8", errors="replace")) + 1  # characters, as editors count
        return None, error(file, line, col, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                           hint="save the file as UTF-8 (in most editors: Save with Encoding → UTF-8)",
                           code="encoding")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None
