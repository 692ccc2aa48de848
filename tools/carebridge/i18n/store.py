"""The one way a PO or POT file is written.

Each catalog is rendered by ``pofile``, read back with PO's grammar and compared with
what was meant (every text, translation, flag, comment and ``#|``), written in full beside its
target, checked there by ``msgfmt -c --check-format`` when GNU gettext is installed, and only then
renamed into place, together with every other file of the same command or not at all. A file
that fails any step is a Problem (exit 1) and nothing is replaced.

msgfmt costs a process per file (~8 ms of CPU, most of an update of unchanged translations), so all
staged catalogs go through one process first, each as a domain of its own; only if that process
refuses something is each file checked alone, to name the file and line as before.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from babel.messages.catalog import Catalog, Message

from ..fsio import Staged, commit, discard, remove_stale_temps, stage, write_problem
from ..problems import Problem, ProblemsFound, Severity, error
from .catalog import render_catalog
from .pofile import previous_context
from .pogrammar import Entry, Scan, header_fields, scan_po

CATALOG_SUFFIXES = (".po", ".pot")
SPLIT_FROM = 100  # staged catalogs a msgfmt process takes at least before a second one starts
T = TypeVar("T")
_MSGFMT_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<message>.*)$")
_DOMAIN = re.compile(rb"^[ \t]*domain\b", re.MULTILINE)
_NPLURALS = re.compile(r"(?:^|;)\s*nplurals\s*=\s*(\d+)")
_UTF8_HEADER = re.compile(rb'"Content-Type: text/plain; charset=utf-?8\\n"', re.IGNORECASE)
_BUG_HINT = "nothing was written; this is a CareBridge bug: please report it with the protocol you changed"
_MSGFMT_HINT = ("nothing was written; if the message is about a translation, fix it in the catalog (`carebridge i18n "
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


def _words(lines: list[str]) -> str:
    """Comments as paragraphs: lines are re-wrapped, not changed, and an empty ``#`` line parts them."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        else:
            paragraphs.append([])
    return "\n".join(" ".join(" ".join(part).split()) for part in paragraphs)


def _meaning(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalog says, without layout: the written file must say exactly this."""
    def row(message: Message, obsolete: bool) -> tuple[object, ...]:
        string: object = message.string or ""
        if isinstance(message.id, (list, tuple)):
            forms = [str(f or "") for f in (message.string if isinstance(message.string, (list, tuple))
                                            else [message.string])]
            string = tuple(forms + [""] * (catalog.num_plurals - len(forms)))
        context = previous_context(message)
        return (obsolete, message.context, message.id, string, sorted(message.flags),
                tuple(message.previous_id), context if context != message.context else None,
                _words(message.user_comments),
                "" if obsolete else _words([c for c in message.auto_comments if c.strip()]))  # an empty "#." is not written

    rows: list[tuple[object, ...]] = [(str(catalog.locale_identifier or ""), catalog.num_plurals)]
    rows += [row(m, False) for m in catalog if m.id]
    rows += [row(m, True) for m in catalog.obsolete.values()]
    return rows


def _written_meaning(scan: Scan, num_plurals: int) -> list[tuple[object, ...]]:
    """``_meaning`` of the catalog ``scan`` was read from, from the grammar's entries alone.

    The file was rendered by ``pofile`` (one entry per message, header first, obsolete last), so
    reading it back through PO's grammar is enough to see that it says what was meant; the Babel
    read that a build does on top would take as long again for every catalog an update writes."""
    header = scan.header
    fields = header_fields(header.strings.get(0, "")) if header else {}
    language = fields.get("Language", "")
    counted = _NPLURALS.search(fields.get("Plural-Forms", ""))
    plurals = int(counted.group(1)) if counted else num_plurals

    def row(entry: Entry) -> tuple[object, ...]:
        string: object = entry.strings.get(0, "")
        msgid: object = entry.msgid
        if entry.plural is not None:
            msgid = (entry.msgid, entry.plural)
            forms = [entry.strings[i] for i in sorted(entry.strings)]
            string = tuple(forms + [""] * (plurals - len(forms)))
        previous = entry.previous if "msgid" in entry.previous else {}
        before = [previous["msgid"]] + ([previous["msgid_plural"]] if "msgid_plural" in previous else []) if previous else []
        context = previous.get("msgctxt")
        return (entry.obsolete, entry.context, msgid, string, sorted(entry.flags), tuple(before),
                context if context != entry.context else None, _words(entry.comments),
                "" if entry.obsolete else _words(entry.notes))

    rows: list[tuple[object, ...]] = [(language, plurals)]
    rows += [row(e) for e in scan.entries if not e.obsolete and e.msgid]
    rows += [row(e) for e in scan.entries if e.obsolete]
    return rows


def verify(text: str, catalog: Catalog, display: str) -> list[Problem]:
    """Problems with ``text`` as the rendering of ``catalog``: unreadable, or saying something else."""
    scan = scan_po(text, display)
    if scan.syntax:
        first = scan.syntax[0]
        return [error(display, None, None, f"the catalog about to be written does not read back: {first.message} "
                      f"(line {first.line})", code="po-write", hint=_BUG_HINT)]
    meant, read = _meaning(catalog), _written_meaning(scan, catalog.num_plurals)
    if meant == read:
        return []
    differs = next((m for m, r in zip(meant, read, strict=False) if m != r), meant[-1])
    if len(differs) == 2:  # the first row: the header's language and plural forms
        what = "its header (Language, Plural-Forms)"
    else:
        context, msgid = differs[1], str(differs[2])
        what = f"{context}: {msgid[:80]!r}" if context else repr(msgid[:80])
    return [error(display, None, None, f"the catalog about to be written would not say what was meant about {what}",
                  code="po-write", hint=_BUG_HINT)]


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
                          code="po-write", hint=_MSGFMT_HINT)]
    message = done.stderr.strip().replace(str(temp), display).splitlines()
    return [error(display, None, None, f"msgfmt refuses the catalog about to be written: {' '.join(message)[:300]}",
                  code="po-write", hint=_MSGFMT_HINT)]


def _batchable(raw: bytes) -> bool:
    """Whether msgfmt reads ``raw`` in a batch exactly as alone: its first entry is the header and
    sets UTF-8 (msgfmt's reader keeps the charset from one file to the next), and no line of it is a
    ``domain`` directive (which would end the file's domain early)."""
    head = raw.split(b"\n\n", 1)[0].split(b"\n")
    lines = [line for line in head if not line.startswith(b"#")]
    return (len(lines) > 2 and lines[0] == b'msgid ""' and lines[1] == b'msgstr ""'
            and any(_UTF8_HEADER.fullmatch(line) for line in lines[2:])
            and not (b"domain" in raw and _DOMAIN.search(raw)))  # the word first: the pattern tries every line


def _batch_passes(msgfmt: str, files: list[bytes]) -> bool:
    """True if msgfmt accepts every file, each read as a domain of its own, in one process."""
    return _batches_pass(msgfmt, [files])[0]


def _batches_pass(msgfmt: str, batches: list[list[bytes]]) -> list[bool]:
    """``_batch_passes`` for each batch, the batches' processes running at the same time."""
    with contextlib.ExitStack() as stack:
        running: list[tuple[subprocess.Popen[bytes] | None, bytes, int]] = []
        for files in batches:
            stream = b"".join(b'domain "f%d"\n' % number + raw + b"\n" for number, raw in enumerate(files))
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="carebridge-msgfmt-", dir=scratch_folder()))
            try:
                process: subprocess.Popen[bytes] | None = subprocess.Popen(
                    [msgfmt, "-c", "--check-format", "-"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL, cwd=folder, env={**os.environ, "LC_ALL": "C"})
            except OSError:
                process = None  # each file alone then says what went wrong
            running.append((process, stream, 120 + len(files)))
        # One thread feeds each process: a pipe holds 64 KB and the streams are megabytes.
        with ThreadPoolExecutor(max(len(running), 1)) as pool:
            return list(pool.map(lambda job: _finish(*job), running))


def _finish(process: subprocess.Popen[bytes] | None, stream: bytes, timeout: int) -> bool:
    if process is None:
        return False
    try:
        process.communicate(stream, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        process.kill()
        process.wait()
        return False
    return process.returncode == 0


def _split(items: list[T], parts: int) -> list[list[T]]:
    """``items`` in ``parts`` runs of (nearly) equal length, in order.

    >>> _split([1, 2, 3, 4, 5], 2)
    [[1, 2, 3], [4, 5]]
    """
    size, extra = divmod(len(items), parts)
    bounds = [i * size + min(i, extra) for i in range(parts + 1)]
    return [items[a:b] for a, b in pairwise(bounds) if b > a]


def msgfmt_staged(staged: list[Staged], display: Callable[[Path], str]) -> list[Problem]:
    """What ``msgfmt -c --check-format`` says about every staged catalog: one process for all of
    them (one a core for a large update, side by side), and only for a process that refuses
    something, each of its files alone (``msgfmt_problems``) to say where."""
    msgfmt = msgfmt_path()
    if msgfmt is None:
        return []
    alone: list[Staged] = []
    batch: list[tuple[Staged, bytes]] = []
    for item in staged:
        if item.target.suffix not in CATALOG_SUFFIXES:
            continue
        try:
            raw = item.temp.read_bytes()  # what is on disk, as msgfmt would read the file itself
        except OSError:
            alone.append(item)
            continue
        if _batchable(raw):
            batch.append((item, raw))
        else:
            alone.append(item)
    if len(batch) == 1:
        alone += [item for item, _ in batch]
    elif batch:
        parts = _split(batch, max(1, min(os.cpu_count() or 1, len(batch) // SPLIT_FROM)))
        verdicts = _batches_pass(msgfmt, [[raw for _, raw in part] for part in parts])
        alone += [item for part, passed in zip(parts, verdicts, strict=True) if not passed for item, _ in part]
    problems: list[Problem] = []
    for item in sorted(alone, key=lambda s: s.target):
        problems += msgfmt_problems(item.temp, display(item.target))
    return problems


def stage_catalog(path: Path, catalog: Catalog, display: str) -> tuple[Staged | None, list[Problem]]:
    """Render, verify and stage one catalog; None (nothing left behind) if unchanged or refused.
    msgfmt checks it with the others of the command, before any is renamed (``commit_all``)."""
    text = render_catalog(catalog)
    written = text
    try:
        old = path.read_bytes()
        if old.count(b"\r\n") * 2 > old.count(b"\n"):
            # A catalog kept with Windows line ends (Poedit, Notepad) keeps them: no whole-file diff.
            # A BOM is not kept: msgfmt refuses it ("1:2: syntax error").
            written = text.replace("\n", "\r\n")
        if old == written.encode("utf-8"):
            return None, []
    except FileNotFoundError:
        pass
    except OSError as exc:
        return None, [write_problem(display, exc)]
    problems = verify(text, catalog, display)
    if problems:
        return None, problems
    try:
        staged = stage(path, written)
    except OSError as exc:
        return None, [write_problem(display, exc)]
    return staged, []


def commit_all(staged: list[Staged], problems: list[Problem], display: Callable[[Path], str]) -> list[Path]:
    """Rename every staged file into place once msgfmt accepts the catalogs among them; if any
    problem is an error, remove them all instead."""
    if not any(p.severity is Severity.ERROR for p in problems):
        problems = problems + msgfmt_staged(staged, display)
    if any(p.severity is Severity.ERROR for p in problems):
        discard(staged)
        raise ProblemsFound(problems)
    try:
        return commit(sorted(staged, key=lambda s: s.target), display)
    finally:
        discard(staged)


def write_files(files: Mapping[Path, Catalog | str | bytes], display: Callable[[Path], str]) -> list[Path]:
    """Write catalogs (as Catalog objects) and other files together, all or none; return those that changed."""
    staged: list[Staged] = []
    problems: list[Problem] = []
    try:
        for path, content in files.items():
            if isinstance(content, Catalog):
                item, found = stage_catalog(path, content, display(path))
                problems += found
            elif path.suffix in CATALOG_SUFFIXES:
                raise TypeError(f"{path}: a catalog is written from its Catalog, never from text")
            else:
                try:
                    item = stage(path, content)
                except OSError as exc:
                    item, problems = None, [*problems, write_problem(display(path), exc)]
            if item is not None:
                staged.append(item)
            if problems:
                break  # no need to write the rest only to remove it
    except BaseException:
        discard(staged)
        raise
    return commit_all(staged, problems, display)


def clean_catalog_folders(templates: Path, locales: Path) -> list[Path]:
    """Remove temporary files a killed update left beside the templates and catalogs."""
    removed = remove_stale_temps(templates)
    if locales.is_dir():
        for folder in sorted(locales.iterdir()):
            removed += remove_stale_temps(folder / "LC_MESSAGES")
    return removed
