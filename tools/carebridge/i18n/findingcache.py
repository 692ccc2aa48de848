"""Stage 5b's memory between runs: what ``check_translation`` found, kept on disk.

``findings`` is the one way the i18n stage runs the safety checks. Each result is stored under a
key made of everything the check reads: a fingerprint of the installed code (every file of the
``carebridge`` package, Python's version and the versions of the libraries the checks use), the
locale, the glossary's terms, the markup flag and both texts. Change any of them and nothing is
reused. Translator comments are no part of it: allowances are applied to the findings after.

The store is SQLite in the user's cache folder (``$CAREBRIDGE_CACHE_DIR``, else
``$XDG_CACHE_HOME/carebridge``, else ``~/.cache/carebridge``; ``off`` or empty switches it off),
never in a project: a pull request must not ship findings that call a wrong dose fine. Whatever
goes wrong with it (a corrupt file, a locked or read-only folder, a full disk, a row that does not
read back) only means that the translation is checked again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..cachedir import cache_folder, code_fingerprint, refusal
from ..safety.equivalence import check_translation
from ..safety.findings import Finding
from ..safety.glossary import Glossary
from ..safety.lexicon import coverage
from ..source.library import PARALLEL_FROM, parallel_map

KEEP_FILES = 3  # the most recently used fingerprints' files kept; older ones are deleted
MAX_ROWS = 300_000  # per file; about 100 bytes a row
BUSY_SECONDS = 2.0  # how long a write waits for another process's; then it is skipped
BATCH = 500  # keys per lookup query (below SQLite's oldest limit of 999 parameters)
_FIELDS = tuple(field.name for field in dataclasses.fields(Finding))

Item = tuple[str, str, bool]  # (English source, translation, markup): what ``check_translation`` reads besides
                              # the locale and the glossary


def findings(items: Sequence[Item], locale: str, glossary: Glossary | None, *,
             parallel: bool = False) -> list[list[Finding]]:
    """``check_translation`` of each item, in order; an item checked before with the same code,
    locale and glossary comes from the cache. All keys are looked up in one batch, the rest are
    checked (on every core with ``parallel``) and stored in one transaction. For example
    ``findings([("Give 1 g IV.", "静脉给药1 mg。", False)], "zh_CN", None)`` is one list holding the
    ``units`` finding, read from the cache the second time.
    """
    store = _open_store()
    keyed = _keys(items, locale, glossary, store.fingerprint) if store else [_plain(item) for item in items]
    known = store.get(sorted(set(keyed))) if store else {}
    todo = {key: item for key, item in zip(keyed, items, strict=True) if key not in known}
    if todo:
        pending = list(todo.values())
        # The first is checked here: what the checks build on first use (about 0.5 s of compiled
        # patterns and tables) is then inherited by every worker instead of built in each.
        checked = [_check(pending[0], locale, glossary)]
        if parallel and len(pending) > PARALLEL_FROM:
            coverage("", "")  # likewise the dictionary of the length check (2.3 s to read), if not read yet
        checked += (parallel_map(_check, pending[1:], locale, glossary) if parallel
                    else [_check(item, locale, glossary) for item in pending[1:]])
        fresh = dict(zip(todo, checked, strict=True))
        if store:
            store.put(fresh)
        known.update(fresh)
    return [list(known[key]) for key in keyed]


def prepare_when_cold() -> None:
    """Read the dictionary of the length check now when this run will check many translations: the
    store is off, or new (no finding in it: a first build, or a new version of the code). A build
    calls it while its library is parsed on every core: the dictionary took 1.4-2.3 s of one core
    at 1,000 protocols, with the other idle, when ``findings`` read it just before checking."""
    store = _open_store()
    if store is not None and not store.empty():
        return
    coverage("", "")


def _check(item: Item, locale: str, glossary: Glossary | None) -> list[Finding]:
    source, translation, markup = item
    return check_translation(source, translation, locale=locale, glossary=glossary, markup=markup)


def _plain(item: Item) -> bytes:
    return json.dumps(item).encode()  # the cache is off: still one check per distinct item


def _keys(items: Sequence[Item], locale: str, glossary: Glossary | None, fingerprint: str) -> list[bytes]:
    terms = "none" if glossary is None else glossary_digest(glossary)
    # A JSON list: no field can run into the next, whatever its text.
    return [hashlib.sha256(json.dumps([fingerprint, locale, terms, markup, source, translation]).encode()).digest()
            for source, translation, markup in items]


def glossary_digest(glossary: Glossary) -> str:
    """What of a glossary the checks read, as a digest that is the same in every process: its locale
    and terms only (not its hash, which Python salts per process: with it no run found the last
    one's findings)."""
    terms = [dataclasses.asdict(term) for term in glossary.terms]
    return _digest(json.dumps([glossary.locale, terms], sort_keys=True))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_name(fingerprint: str) -> str:
    return f"findings-{fingerprint[:16]}.sqlite3"


# --- the store -------------------------------------------------------------------------------------

class _Store:
    """One SQLite file, opened by this process; every failure turns it off, never the check."""

    def __init__(self, path: Path, fingerprint: str, connection: sqlite3.Connection, writable: bool) -> None:
        self.path, self.fingerprint, self.connection, self.writable = path, fingerprint, connection, writable
        self.lock = threading.Lock()  # serve checks from its rebuild thread
        self.broken = False

    def empty(self) -> bool:
        """True when the store holds no finding (or cannot be read: then it holds none for this run)."""
        try:
            with self.lock:
                return self.connection.execute("SELECT 1 FROM findings LIMIT 1").fetchone() is None
        except sqlite3.Error:
            return True

    def get(self, keys: list[bytes]) -> dict[bytes, list[Finding]]:
        found: dict[bytes, list[Finding]] = {}
        try:
            with self.lock:
                for start in range(0, len(keys), BATCH):
                    chunk = keys[start:start + BATCH]
                    rows = self.connection.execute(
                        f"SELECT key, findings, seal FROM findings WHERE key IN ({','.join('?' * len(chunk))})",
                        chunk).fetchall()
                    for key, text, seal in rows:
                        decoded = _decode(key, text, seal)
                        if decoded is not None:  # a row that does not read back is checked again
                            found[key] = decoded
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return found

    def put(self, fresh: dict[bytes, list[Finding]]) -> None:
        if not self.writable or self.broken:
            return
        rows = []
        for key, found in fresh.items():
            text = json.dumps([dataclasses.asdict(f) for f in found], ensure_ascii=False)
            rows.append((key, text, _seal(key, text)))
        try:
            with self.lock:
                self.connection.execute("BEGIN IMMEDIATE")
                try:
                    self.connection.executemany("INSERT OR REPLACE INTO findings (key, findings, seal) VALUES (?, ?, ?)",
                                                rows)
                    # The oldest rows beyond the cap (a replaced row gets a new rowid).
                    self.connection.execute("DELETE FROM findings WHERE rowid <= (SELECT max(rowid) FROM findings) - ?",
                                            (MAX_ROWS,))
                    self.connection.execute("COMMIT")
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        self.connection.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:  # locked after the timeout, full disk, read-only, corrupt: not stored
            self._failed(exc)

    def _failed(self, exc: sqlite3.Error) -> None:
        if not isinstance(exc, sqlite3.OperationalError):  # not a database, malformed: set aside, start anew
            self.broken = True
            _set_aside(self.path, self.connection)


def _seal(key: bytes, text: str) -> bytes:
    return hashlib.sha256(key + text.encode("utf-8", "surrogatepass")).digest()[:16]


def _decode(key: object, text: object, seal: object) -> list[Finding] | None:
    """A stored row's findings, or None unless it reads back exactly as it was written."""
    if not isinstance(key, bytes) or not isinstance(text, str) or not isinstance(seal, bytes):
        return None
    try:
        if seal != _seal(key, text):
            return None
        data = json.loads(text)
    except (ValueError, UnicodeError):
        return None
    if not isinstance(data, list):
        return None
    out = []
    for entry in data:
        if (not isinstance(entry, dict) or tuple(sorted(entry)) != tuple(sorted(_FIELDS))
                or not all(isinstance(value, str) for value in entry.values())
                or entry["severity"] not in ("error", "warning")):
            return None
        out.append(Finding(**entry))
    return out


_OPEN: dict[tuple[int, Path | None], _Store | None] = {}  # by process and folder: a fork opens its own
_INHERITED: list[_Store | None] = []  # a forked child's copy of its parent's: kept, never closed from here


def _open_store() -> _Store | None:
    folder = cache_folder()
    place = (os.getpid(), folder)
    if place not in _OPEN:
        for (pid, _), old in list(_OPEN.items()):
            if pid != os.getpid():
                _INHERITED.append(old)
            elif old is not None:
                with contextlib.suppress(sqlite3.Error):
                    old.connection.close()  # another folder (a test's)
        _OPEN.clear()
        _OPEN[place] = _connect(folder) if folder is not None and not refusal(folder) else None
    store = _OPEN[place]
    return None if store is None or store.broken else store


def _connect(folder: Path) -> _Store | None:
    fingerprint = code_fingerprint()
    path = folder / file_name(fingerprint)
    corrupt = 0
    for attempt in range(8):
        try:
            return _connect_at(path, fingerprint)
        except sqlite3.OperationalError as exc:
            # Another process making the same new file (the switch to WAL does not always wait):
            # try again shortly. Read-only, no such folder: this run goes without the cache.
            if "locked" not in str(exc) and "busy" not in str(exc):
                break
            time.sleep(0.05 * (attempt + 1))
        except sqlite3.DatabaseError:
            corrupt += 1
            if corrupt > 1:
                break
            _set_aside(path, None)  # not a database, or malformed: start a new one
        except (OSError, ValueError):
            break
    return None


def _connect_at(path: Path, fingerprint: str) -> _Store | None:
    folder = path.parent
    writable = True
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        writable = False
    if path.is_symlink() or not path.is_file():
        return None
    if writable and os.access(folder, os.W_OK) and os.access(path, os.W_OK):
        connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS findings "
                               "(key BLOB PRIMARY KEY, findings TEXT NOT NULL, seal BLOB NOT NULL)")
        except sqlite3.Error:
            connection.close()
            raise
        _prune(folder, path)
    else:  # a folder we may only read: use what is there, store nothing
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        writable = False
    try:
        columns = [row[1] for row in connection.execute("PRAGMA table_info(findings)")]
    except sqlite3.Error:
        connection.close()
        raise
    if columns != ["key", "findings", "seal"]:
        connection.close()
        raise sqlite3.DatabaseError(f"{path}: not a findings table: {columns}")
    return _Store(path, fingerprint, connection, writable)


def _set_aside(path: Path, connection: sqlite3.Connection | None) -> None:
    """Move a broken file out of the way (kept once, as ``.corrupt``, for a look)."""
    if connection is not None:
        with contextlib.suppress(sqlite3.Error):
            connection.close()
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".corrupt"))
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _prune(folder: Path, current: Path) -> None:
    """Mark ``current`` used; delete the files of older fingerprints beyond the few kept."""
    with contextlib.suppress(OSError):
        os.utime(current)
    try:
        others = sorted((path.stat().st_mtime, path) for path in folder.glob("findings-*.sqlite3") if path != current)
    except OSError:
        return
    hour_ago = time.time() - 3600  # a file used within the hour may be another version's running build
    for mtime, path in others[:max(0, len(others) - (KEEP_FILES - 1))]:
        if mtime < hour_ago:
            for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + ".corrupt"):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()


# --- what `carebridge cache` shows and clears ------------------------------------------------------

@dataclass(frozen=True)
class CacheState:
    """Where the cache is and what it holds (``carebridge cache``)."""

    folder: Path | None  # None: switched off with CAREBRIDGE_CACHE_DIR
    refused: str  # why the folder is not used ("" if it is)
    current: str  # the file of this code's fingerprint
    files: tuple[tuple[str, int], ...]  # every findings file there, with its bytes (its -wal and -shm included)
    rows: int | None  # findings kept for this code (None: no file, or it cannot be read)


def cache_state() -> CacheState:
    folder = cache_folder()
    current = file_name(code_fingerprint())
    if folder is None:
        return CacheState(None, "", current, (), None)
    files = []
    for path in sorted(folder.glob("findings-*.sqlite3")) if folder.is_dir() else []:
        size = 0
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            with contextlib.suppress(OSError):
                size += (folder / name).stat().st_size
        files.append((path.name, size))
    rows = None
    if (folder / current).is_file():
        try:
            connection = sqlite3.connect(f"{(folder / current).as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
            try:
                rows = int(connection.execute("SELECT count(*) FROM findings").fetchone()[0])
            finally:
                connection.close()
        except sqlite3.Error:
            rows = None
    return CacheState(folder, refusal(folder), current, tuple(files), rows)


def clear_cache() -> tuple[list[Path], list[tuple[Path, OSError]]]:
    """Delete every findings file of the cache folder (nothing else there); returns what was
    deleted and what could not be."""
    folder = cache_folder()
    for store in _OPEN.values():
        if store is not None:
            with contextlib.suppress(sqlite3.Error):
                store.connection.close()
    _OPEN.clear()
    removed: list[Path] = []
    failed: list[tuple[Path, OSError]] = []
    if folder is None or not folder.is_dir():
        return removed, failed
    for path in sorted(folder.glob("findings-*.sqlite3*")):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            failed.append((path, exc))
    return removed, failed
