"""GNU ``msgfmt -c --check-format`` over the catalogs a command is about to write.

msgfmt costs a process per file (~8 ms of CPU, most of an update of unchanged translations), so the
staged catalogs go through a few processes instead, each file as a domain of its own; only a
process that refuses something has its files checked again one by one, to name the file and line.

The processes are fed while the catalogs are still being made (``Msgfmt.add`` as each protocol's
files arrive from the workers): msgfmt's second of CPU at 1,000 protocols then runs beside the
workers instead of after them. A process starts at the first file; a second starts once the first
holds ``SPLIT_FROM`` files, up to one a core, and each file goes to the one fed the fewest bytes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ..fsio import Staged
from ..problems import Problem, error

CATALOG_SUFFIXES = (".po", ".pot")
SPLIT_FROM = 100  # staged catalogs a msgfmt process takes at least before a second one starts
_MSGFMT_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<message>.*)$")
_DOMAIN = re.compile(rb"^[ \t]*domain\b", re.MULTILINE)
_UTF8_HEADER = re.compile(rb'"Content-Type: text/plain; charset=utf-?8\\n"', re.IGNORECASE)
_HINT = ("nothing was written; if the message is about a translation, fix it in the catalog (`carebridge i18n "
         "check` shows more); otherwise this is a CareBridge bug: please report it")


@functools.cache
def scratch_folder() -> str | None:
    """Where a batch's .mo files (written by msgfmt only to be deleted) go: a memory file system
    when there is one (Linux's /dev/shm), so a thousand of them cost no disk inodes; else the
    system's temporary folder. msgfmt with ``-o`` would write none, but it then ignores ``domain``."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


@functools.cache
def msgfmt_path() -> str | None:
    """GNU msgfmt if installed (CI installs gettext); without it the other checks still run."""
    return shutil.which("msgfmt")


def msgfmt_problems(temp: Path, display: str) -> list[Problem]:
    """What ``msgfmt -c --check-format`` says about the staged file, reported against its target."""
    msgfmt = msgfmt_path()
    if msgfmt is None:
        return []
    try:
        done = subprocess.run([msgfmt, "-c", "--check-format", "-o", os.devnull, str(temp)], capture_output=True,
                              text=True, timeout=120, check=False, env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        return [error(display, None, None, f"msgfmt could not check the catalog: {exc}", code="po-write",
                      hint="nothing was written; reinstall GNU gettext or remove msgfmt from PATH")]
    if done.returncode == 0:
        return []
    for line in done.stderr.splitlines():
        found = _MSGFMT_LINE.match(line)
        if found and "warning:" not in found.group("message"):
            return [error(display, int(found.group("line")), int(found.group("col") or 1),
                          f"msgfmt refuses the catalog about to be written: {found.group('message')}",
                          code="po-write", hint=_HINT)]
    message = done.stderr.strip().replace(str(temp), display).splitlines()
    return [error(display, None, None, f"msgfmt refuses the catalog about to be written: {' '.join(message)[:300]}",
                  code="po-write", hint=_HINT)]


def batchable(raw: bytes) -> bool:
    """Whether msgfmt reads ``raw`` in a batch exactly as alone: its first entry is the header and
    sets UTF-8 (msgfmt's reader keeps the charset from one file to the next), and no line of it is a
    ``domain`` directive (which would end the file's domain early)."""
    head = raw.split(b"\n\n", 1)[0].split(b"\n")
    lines = [line for line in head if not line.startswith(b"#")]
    return (len(lines) > 2 and lines[0] == b'msgid ""' and lines[1] == b'msgstr ""'
            and any(_UTF8_HEADER.fullmatch(line) for line in lines[2:])
            and not (b"domain" in raw and _DOMAIN.search(raw)))  # the word first: the pattern tries every line


class _Batch:
    """One msgfmt process reading files from its standard input, written by a thread of its own (a
    pipe holds 64 KB, the files are megabytes, and the caller must not wait on msgfmt)."""

    def __init__(self, program: str, folder: str) -> None:
        self.items: list[Staged] = []
        self.size = 0
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [program, "-c", "--check-format", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, cwd=folder, env={**os.environ, "LC_ALL": "C"})
        except OSError:
            self._process = None  # each file alone then says what went wrong
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    def put(self, item: Staged, raw: bytes) -> None:
        self._chunks.put(b'domain "f%d"\n' % len(self.items) + raw + b"\n")
        self.items.append(item)
        self.size += len(raw)

    def _write(self) -> None:
        stdin = self._process.stdin if self._process is not None else None
        while (chunk := self._chunks.get()) is not None:
            if stdin is not None:
                try:
                    stdin.write(chunk)
                except OSError:  # msgfmt ended early: its verdict says so
                    stdin = None
        if stdin is not None:
            with contextlib.suppress(OSError):
                stdin.close()

    def passed(self) -> bool:
        """Whether msgfmt accepted every file: the input ends here."""
        self._chunks.put(None)
        self._writer.join()
        if self._process is None:
            return False
        try:
            return self._process.wait(timeout=120 + len(self.items)) == 0
        except subprocess.TimeoutExpired:
            self.stop()
            return False

    def stop(self) -> None:
        self._chunks.put(None)
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._writer.join()


class Msgfmt:
    """msgfmt over staged catalogs, fed as they are made and asked once at the end (``problems``).
    Without GNU gettext it checks nothing. ``close`` (or leaving a ``with`` block) stops what runs."""

    def __init__(self) -> None:
        self.program = msgfmt_path()
        self._batches: list[_Batch] = []
        self._alone: list[Staged] = []
        self._seen: set[Path] = set()
        self._folders = contextlib.ExitStack()

    def __enter__(self) -> Msgfmt:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def add(self, staged: Iterable[Staged]) -> None:
        for item in staged:
            if self.program is None or item.target.suffix not in CATALOG_SUFFIXES or item.temp in self._seen:
                continue
            self._seen.add(item.temp)
            try:
                raw = item.temp.read_bytes()  # what is on disk, as msgfmt would read the file itself
            except OSError:
                self._alone.append(item)
                continue
            if batchable(raw):
                self._batch(self.program).put(item, raw)
            else:
                self._alone.append(item)

    def _batch(self, program: str) -> _Batch:
        if not self._batches or (len(self._batches) < (os.cpu_count() or 1)
                                 and len(self._batches[-1].items) >= SPLIT_FROM):
            folder = self._folders.enter_context(tempfile.TemporaryDirectory(prefix="carebridge-msgfmt-",
                                                                             dir=scratch_folder()))
            self._batches.append(_Batch(program, folder))
        return min(self._batches, key=lambda batch: batch.size)

    def problems(self, display: Callable[[Path], str]) -> list[Problem]:
        """What msgfmt says of every file added: each file of a refusing process, and each file no
        batch could take, is checked alone to say where."""
        alone = list(self._alone)
        try:
            for batch in self._batches:
                if not batch.passed():
                    alone += batch.items
        finally:
            self.close()
        found: list[Problem] = []
        for item in sorted(alone, key=lambda s: s.target):
            found += msgfmt_problems(item.temp, display(item.target))
        return found

    def close(self) -> None:
        for batch in self._batches:
            batch.stop()
        self._batches = []
        self._folders.close()


def msgfmt_staged(staged: list[Staged], display: Callable[[Path], str]) -> list[Problem]:
    """What ``msgfmt -c --check-format`` says about every staged catalog."""
    with Msgfmt() as checker:
        checker.add(staged)
        return checker.problems(display)
