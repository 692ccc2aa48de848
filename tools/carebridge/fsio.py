"""File I/O that never leaves a file half-written, and text decoding with positions.

Several files are written as one change: each is first written in full to a temporary name
beside its target (``stage``), then all are renamed into place (``commit``). A full disk or a
folder one may not write stops the change before any target is replaced.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .problems import Problem, ProblemsFound, error

# ".<target>.<pid>-<8 hex>.tmp"; older versions wrote ".<target>.<8 of [a-z0-9_]>.tmp" (mkstemp).
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?:(?P<pid>\d+)-[0-9a-f]{8}|[a-z0-9_]{8})\.tmp$")


@dataclass(frozen=True)
class Staged:
    """A file written in full under a temporary name beside ``target``, waiting to be renamed."""

    target: Path
    temp: Path
    digest: bytes | None = None  # ``content_digest`` of the bytes written (what ``content_key`` of it gives)
    previous: bytes | None = None  # what ``target`` held (None: it is new), put back if a later rename fails


def stage(path: Path, data: str | bytes) -> Staged | None:
    """Write ``data`` beside ``path`` under a temporary name; None if ``path`` already holds it.

    Raises OSError. The temporary file has the mode the target has (or the umask's, if new). It is
    not flushed to the disk here: ``commit`` makes every staged file durable at once, before the first
    rename (``make_durable``).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    previous = None
    try:
        previous = path.read_bytes()
        if previous == raw:
            return None  # unchanged: keeping the mtime keeps MkDocs serve from rebuilding
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Staged(path, temp, content_digest(raw), previous)


def discard(staged: Iterable[Staged]) -> None:
    """Remove temporary files (already renamed ones are simply gone)."""
    for item in staged:
        with contextlib.suppress(OSError):
            item.temp.unlink(missing_ok=True)


def make_durable(paths: Iterable[Path]) -> None:
    """Flush the files' bytes to the disk, so that a crash after a rename onto one of them leaves the
    new file, never an empty one. Many files on one filesystem take one ``syncfs``, not one
    ``fsync`` each, each a wait for the disk of its own (an update of 1,000 catalogs spent half a
    second of its workers' time there). Raises OSError."""
    by_device: dict[int, list[Path]] = {}
    for path in paths:
        by_device.setdefault(os.stat(path).st_dev, []).append(path)
    syncfs = _syncfs()
    for files in by_device.values():
        if syncfs is not None and len(files) > 1:
            _flush(files[0], syncfs)  # the whole filesystem, these files with it
        else:
            for path in files:
                _flush(path, os.fsync)


def _flush(path: Path, sync: Callable[[int], object]) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        if sync(fd) not in (None, 0):  # syncfs reports failure as -1 and errno; fsync raises
            number = ctypes.get_errno()
            raise OSError(number, os.strerror(number), str(path))
    finally:
        os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's ``syncfs(2)`` (Python has no wrapper for it), or None where the C library lacks it."""
    try:
        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    return function


def commit(staged: list[Staged], display: Callable[[Path], str] = str) -> list[Path]:
    """Make every staged file durable, then rename each onto its target; return the targets in order.

    All or none: if a rename fails (or the command is stopped between two), the files already
    replaced get their old bytes back and new ones are removed. Raises ProblemsFound if a rename
    fails (after removing the temporary files left).
    """
    done: list[Path] = []
    try:
        make_durable(item.temp for item in staged)
        for item in staged:
            os.replace(item.temp, item.target)
            done.append(item.target)
    except BaseException as exc:
        discard(staged)
        lost = roll_back(staged[:len(done)])
        if not isinstance(exc, OSError):
            raise
        target = staged[len(done)].target
        hint = ("no file was changed: the files already replaced were put back; fix the cause and run the command "
                "again") if not lost else (f"could not put back {', '.join(display(p) for p in lost)} (its new text "
                                           "is in place); fix the cause and run the command again")
        raise ProblemsFound([error(display(target), None, None, f"cannot replace the file: {_reason(exc)}",
                                   code="write", hint=hint)]) from exc
    return done


def roll_back(replaced: list[Staged]) -> list[Path]:
    """Put back what each replaced target held (remove a new one), last first; return those that could not be."""
    lost = []
    for item in reversed(replaced):
        try:
            if item.previous is None:
                item.target.unlink(missing_ok=True)
            else:
                write_atomic(item.target, item.previous)
        except OSError:
            lost.append(item.target)
    return lost


def write_problem(display: str, exc: OSError) -> Problem:
    """A failed write as a Problem: what happened, and what the user can do about it."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "the disk is full: free some space and run the command again; no file was changed"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "you may not write in this folder: fix its permissions and run the command again; no file was changed"
    else:
        hint = "fix the cause and run the command again; no file was changed"
    return error(display, None, None, f"cannot write the file: {_reason(exc)}", code="write", hint=hint)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def write_all_atomic(files: dict[Path, str | bytes], display: Callable[[Path], str] = str) -> list[Path]:
    """Write several files, all or none; return those that changed.

    Raises ProblemsFound (nothing replaced) when a file cannot be written.
    """
    staged: list[Staged] = []
    try:
        for path, data in sorted(files.items()):
            try:
                item = stage(path, data)
            except OSError as exc:
                raise ProblemsFound([write_problem(display(path), exc)]) from exc
            if item is not None:
                staged.append(item)
        return commit(staged, display)
    finally:
        discard(staged)


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write one file via a temp file + rename; return False if unchanged. Raises OSError."""
    item = stage(path, data)
    if item is None:
        return False
    try:
        make_durable([item.temp])
        os.replace(item.temp, item.target)
    finally:
        discard([item])
    return True


def files_in(folder: Path, suffix: str) -> list[Path]:
    """The files of ``folder`` (not below it) whose names end in ``suffix``, sorted; none when there
    is no such folder. Unlike ``Path.glob``, a folder this user may not read raises PermissionError
    instead of holding nothing: "0 catalogs checked: no problems" would pass a CI gate.
    """
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(Path(entry.path) for entry in entries if entry.name.endswith(suffix))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files that a killed run left in ``folder`` (not those of a running one)."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        match = _TEMP_NAME.match(path.name)
        if match is None or (match.group("pid") and process_running(int(match.group("pid")))):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def folder_mode() -> int:
    """The mode a new folder gets from the umask (0o755 under the usual 022). A folder made by
    ``tempfile.mkdtemp`` is 0o700, so a web server running as another user could not read it."""
    current = os.umask(0)
    os.umask(current)
    return 0o777 & ~current


def process_running(pid: int) -> bool:
    """Whether another process with ``pid`` is alive (this process counts as not: it cleans up its own)."""
    if pid == os.getpid():
        return False  # not ours: this process has not staged anything yet when it cleans up
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


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


CONTENT_KEY_LIMIT = 256 * 1024 * 1024  # bytes; a larger "file" is not a library file


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """An open file's bytes, at most ``limit + 1`` of them (one more than allowed tells a caller the
    file is too large). ``handle.read(n)`` sets aside ``n`` bytes before reading: with a limit of
    1 MB, a 13 KB protocol took 37 µs to read instead of 15 µs. So the read is sized by the file,
    and goes on only for a file larger than it said (grown since, or one that gives no size)."""
    size = os.fstat(handle.fileno()).st_size
    data = handle.read(min(size, limit) + 1)
    if size < len(data) <= limit:
        data += handle.read(limit + 1 - len(data))
    return data


def content_key(path: Path) -> bytes | None:
    """A digest of the file's bytes (None when it cannot be read, is no regular file or is huge):
    what caches are keyed by, so an edit is seen however quickly it follows the last one (mtimes
    are as coarse as the kernel tick)."""
    raw = keyed_bytes(path)
    return None if raw is None else content_digest(raw)


def keyed_bytes(path: Path) -> bytes | None:
    """The bytes ``content_key`` digests (None when it cannot be read, is no regular file or is huge)."""
    if not_a_file(path, str(path)) is not None:
        return None
    try:
        with path.open("rb") as handle:
            raw = read_at_most(handle, CONTENT_KEY_LIMIT)
    except OSError:
        return None
    return raw if len(raw) <= CONTENT_KEY_LIMIT else None


def content_digest(raw: bytes) -> bytes:
    """The digest ``content_key`` gives a file holding ``raw``."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def inside(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies in it (both as given: pass real paths to see through links)."""
    return path == folder or folder in path.parents


def source_paths(root: Path, protocols: Path, locales: Path, schema: Path, docs: Iterable[Path] = (),
                 overrides: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """What a command that writes output (a site, a review packet) must never write into, named for
    the message: ``(what, path)``."""
    found = [("the protocols folder", protocols), ("the catalogs folder", locales), ("the schema", schema),
             ("the editions folder", root / "editions"), ("the git repository", root / ".git"),
             ("the configuration", root / "mkdocs.yml")]
    found += [("a documentation folder", path) for path in docs]
    found += [("the template overrides", path) for path in overrides]
    return found


def linked_outside(path: Path, folder: Path) -> str | None:
    """Where ``path`` really is, when a link takes it out of ``folder`` (None when it stays inside)."""
    real, inside = os.path.realpath(path), os.path.realpath(folder)
    return None if real.startswith(inside.rstrip(os.sep) + os.sep) else real


def not_a_file(path: Path, display: str) -> Problem | None:
    """Why ``path`` cannot be read as a file, checked before opening it: a FIFO would block the
    open, /dev/zero would fill memory, a link loop or a broken link names nothing."""
    try:
        mode = path.stat().st_mode  # follows links: what a read would meet
    except (OSError, RuntimeError) as exc:  # RuntimeError: a link loop, as pathlib reports it
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return error(display, None, None, f"cannot read file: {reason}", code="io",
                     hint="check that the file exists, that a link in its path leads to a file, and that you may "
                          "read it")
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else (
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else
            "not a regular file")
        return error(display, None, None, f"is {kind}, not a file", code="io",
                     hint="rename it or move it out of the library: only regular files are read")
    return None
