"""Each protocol's pages as the last build made them, kept on disk between builds.

A build of 1,000 protocols spends about a third of each language's time making the protocols' own
pages (the page, the checklist, the side-by-side view, search text, doses). ``Kept`` stores each
protocol's result in the user's cache folder (the findings cache's: never inside a project) under
a key of everything the making read (the same store keeps the theme's output, ``keptrender``, and
the parsed library and catalogs, ``incremental.keep_parsed``):

- the code fingerprint (every file of the package, Python and the checks' libraries) and the
  versions of the libraries pages are made with (Jinja2, Markdown, MkDocs, Material...);
- the inputs every page shares (``incremental.shared_inputs``: site words, glossary, provenance,
  the schema, the project's templates, mkdocs.yml) and the build's settings;
- the protocol's own file and its catalog in every language;
- in a hospital edition's build, not the edition's file and catalog but what the pages asked of
  the edition and its answers (``remember_reading``, ``reading``): an edited contact makes again
  only the pages that name the role.

What the making said (a blocked translation, a stale review) and the site words it found blocked
are kept with it and said again on a hit, so ``--strict`` fails on a kept page exactly as on a new
one. Anything that goes wrong with the store (no such folder, read-only, full disk, a file that
does not read back whole) only means the page is made again.

An entry is one file: a 16-byte seal (sha256 of the rest), then a zstd-compressed pickle (a warm
1,000-protocol build reads about 1 GB of them: zlib spent most of its reading time inflating; zstd
inflates five times faster, and compresses three times faster into a quarter less). Unpickling runs
code, so the folder must be the user's own: it is made 0700, refused inside a project (a pull
request must not ship pages), and a symlinked entry is never read, the same trust as the
findings cache and the hand-over file between a build's processes.
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import gc
import hashlib
import io
import os
import pickle
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import zstandard

from ..cachedir import cache_folder, code_fingerprint, library_versions, refusal
from ..fsio import content_key
from .keptlog import SiteWords, made, said_again
from .reading import Reading, answers, questions, record_key

T = TypeVar("T")
PAGE_LIBRARIES = ("mkdocs", "mkdocs-material", "Jinja2", "MarkupSafe", "Markdown", "pymdown-extensions", "nh3",
                  "zstandard")
MAX_BYTES = 2 * 1024 * 1024 * 1024  # the folder's cap (a 1,000-protocol library with five editions keeps about 850 MB)
KEEP_FOLDERS = 2  # other code versions' folders kept (for a while: see ``prune``)
_SEAL = 16
QUESTION_LISTS = 8  # the question lists kept for one protocol's edition pages (see remember_reading)
# zstd's default level. Level 1 compresses a page's entry a quarter faster but 5 % larger, and in
# the two bench runs made with it five editions built in 93-98 s against 82 s at this level (not
# explained). One (de)compressor per thread, kept: making one costs a fifth of compressing a page
# (a serve rebuilds in its own thread).
_LEVEL = 3
_ZSTD = threading.local()


def _codec() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    """This thread's compressor and decompressor."""
    codec: tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor] | None = getattr(_ZSTD, "codec", None)
    if codec is None:
        codec = _ZSTD.codec = (zstandard.ZstdCompressor(level=_LEVEL), zstandard.ZstdDecompressor())
    return codec


def folder_name(fingerprint: str) -> str:
    return f"pages-{fingerprint[:16]}"


def inputs_key(paths: Iterable[Path], settings: str) -> bytes | None:
    """One digest of many files' names and bytes and the build's settings; None when a file cannot
    be read (its content unknown, nothing may be reused on its account)."""
    digest = hashlib.blake2b(digest_size=32)
    for path in sorted(set(paths)):
        key = content_key(path) if path.exists() else b"absent"
        if key is None:
            return None
        name = str(path).encode("utf-8", "surrogateescape")
        digest.update(len(name).to_bytes(8, "big") + name + key)
    digest.update(settings.encode("utf-8", "surrogateescape"))
    return digest.digest()


@contextlib.contextmanager
def collector_paused(freeze: bool = True) -> Any:
    """Unpickling a large entry (the parsed library: a million small objects) wakes the cyclic
    garbage collector again and again over objects that are all alive; paused, it reads 3× faster.

    With ``freeze``, what was read is then frozen (``gc.freeze``) with everything alive before it:
    the library, the catalogs, the pages kept so far live until the site is written, and left to
    the collector they were walked again and again as each page's objects came and went (a third
    of a warm edition build). ``thaw`` gives them back when the next site's build starts (the
    plugin's ``on_config``), so a process building several sites frees one's garbage cycles in the
    next; after the last, the process ends without walking them once more.

    A kept page is read without ``freeze``: freezing there froze too the garbage cycles each page
    the theme had rendered so far left (its template contexts), so they lived until the site was
    written. The plugin freezes once instead, when the theme's rendering starts (``on_env``)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            if freeze:
                hold()
            gc.enable()


def hold() -> None:
    """What this build process holds now (the parse, the pages made so far) stays until its site is
    written: frozen, the collector stops walking it each time a page's objects come and go (a cold
    build of 1,000 protocols: about a tenth faster, 60 MB more at its peak). ``thaw`` gives it back."""
    gc.freeze()


def thaw() -> None:
    """What ``hold`` (and ``collector_paused``) froze is the collector's again."""
    gc.unfreeze()


class Kept:
    """The store for one build process; ``folder`` None: nothing is kept (off, refused, no key)."""

    def __init__(self, folder: Path | None, shared: bytes | None = None) -> None:
        self.folder = folder
        self.shared = shared  # the key of the inputs every entry of this build shares
        self.hits = self.made = 0

    @classmethod
    def open(cls, shared_inputs: Callable[[], Iterable[Path]] = list, settings: str = "") -> Kept:
        """The store of this code's version, for a build whose entries all read ``shared_inputs()``
        and ``settings`` (neither is looked at when the cache is off)."""
        base = cache_folder()
        if base is None or refusal(base):
            return cls(None)
        fingerprint = hashlib.sha256(
            (code_fingerprint() + repr(library_versions(PAGE_LIBRARIES))).encode()).hexdigest()
        return cls(base / folder_name(fingerprint), inputs_key(shared_inputs(), settings))

    def key(self, *parts: object) -> bytes | None:
        """An entry's key; None (make it, keep nothing) when any input is unknown."""
        if self.folder is None or self.shared is None or any(part is None for part in parts):
            return None
        return hashlib.blake2b(self.shared + repr(parts).encode("utf-8", "surrogateescape"), digest_size=32).digest()

    def remember(self, key: bytes | None, make: Callable[[], T], anchors: dict[str, object] | None = None,
                 words: SiteWords | None = None) -> T:
        """``make()``'s result as kept under ``key``, or made now (and kept). What making it logged,
        and the blocked site words it looked up in ``words``, are said and added again on a hit
        (``keptlog.made`` / ``keptlog.said_again``). ``anchors`` are objects of this build the result refers to (the
        protocol as loaded): they are stored by name and a hit refers to this build's own."""
        anchors = anchors or {}
        found = self._get(key, anchors)
        if found is not None:
            self.hits += 1
            return said_again(found, words)  # type: ignore[no-any-return]
        entry = made(make, words)
        self.made += 1
        self._put(key, entry, anchors)
        value: T = entry[0]
        return value

    def remember_reading(self, key: bytes | None, source: Any, make: Callable[[Any], T],
                         anchors: dict[str, object] | None = None, words: SiteWords | None = None) -> T:
        """``make(reading)`` as ``remember`` keeps it, where ``reading`` stands in for ``source``
        (``reading.Reading``): the entry's key is ``key`` and what the making asked ``source`` and was
        answered, so it is reused only by a source that gives every answer it gave then. The last
        few question lists asked under ``key`` are kept beside, newest first: several hospitals'
        pages of one protocol are kept together, each under its own answers."""
        asked = self.key(key, "asked")
        known = self.load(asked)
        lists: list[tuple[bytes, ...]] = known if isinstance(known, list) else []
        for questions_then in lists:
            now = answers(source, questions_then)
            found = self._get(self.key(key, record_key(now)), anchors or {}) if now is not None else None
            if found is not None:
                self.hits += 1
                return said_again(found, words)  # type: ignore[no-any-return]
        reading = Reading(source)
        entry = made(lambda: make(reading), words)
        self.made += 1
        record = reading.record()
        if record is not None:
            mine = questions(record)
            if self.store(asked, [mine, *(other for other in lists if other != mine)][:QUESTION_LISTS]):
                self._put(self.key(key, record_key(record)), entry, anchors or {})
        value: T = entry[0]
        return value

    def load(self, key: bytes | None) -> Any | None:
        """What ``store`` kept under ``key`` (None if nothing, or not whole)."""
        found = self._get(key, {})
        return found[0] if found is not None else None

    def store(self, key: bytes | None, value: Any) -> bool:
        """Keep ``value`` under ``key``; whether it was written whole."""
        return self._put(key, (value, [], {}), {})

    def stamp(self, key: bytes | None) -> tuple[int, int, int] | None:
        """The entry's file as it is (device, inode, size): a ``store`` writes a new file, and a
        ``load`` changes only its time, so the stamp says whether it was stored again since."""
        if key is None or self.folder is None:
            return None
        try:
            info = os.stat(self._path(key), follow_symlinks=False)
        except OSError:
            return None
        return info.st_dev, info.st_ino, info.st_size

    def _path(self, key: bytes) -> Path:
        assert self.folder is not None
        return self.folder / f"{key.hex()}.bin"

    def _get(self, key: bytes | None, anchors: dict[str, object]) -> Any | None:
        if key is None:
            return None
        path = self._path(key)
        try:
            if path.is_symlink():
                return None
            raw = path.read_bytes()
        except OSError:
            return None
        body = raw[_SEAL:]
        if len(raw) <= _SEAL or hashlib.sha256(key + body).digest()[:_SEAL] != raw[:_SEAL]:
            return None  # torn, damaged or another key's: made again
        try:
            with collector_paused(freeze=False):
                found = _Reader(io.BytesIO(_codec()[1].decompress(body)), anchors).load()  # the user's own folder (see above)
        except Exception:  # noqa: BLE001 - whatever an unreadable entry raises, it is made again
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return found if isinstance(found, tuple) and len(found) == 3 else None

    def _put(self, key: bytes | None, value: Any, anchors: dict[str, object]) -> bool:
        if key is None or self.folder is None:
            return False
        try:
            if anchors:
                buffer = io.BytesIO()
                _writer(buffer, anchors).dump(value)
                raw = buffer.getvalue()
            else:  # no anchor to name: the plain pickler, not a Python call for every object (a
                raw = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)  # library's parse: 1.3 s -> about 0.6 s)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return False
        body = _codec()[0].compress(raw)
        path = self._path(key)
        temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:  # no fsync: a torn entry fails its seal and is made again
                handle.write(hashlib.sha256(key + body).digest()[:_SEAL] + body)
            os.replace(temp, path)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()
            return False
        return True

    def prune(self, max_bytes: int = MAX_BYTES) -> None:
        """Keep the folder under ``max_bytes`` (least recently used entries go first) and delete
        the folders of other code versions beyond the last few, once unused for an hour."""
        if self.folder is None or not self.folder.is_dir():
            return
        hour_ago = time.time() - 3600
        with contextlib.suppress(OSError):
            others = sorted((p.stat().st_mtime, p) for p in self.folder.parent.glob("pages-*")
                            if p.is_dir() and not p.is_symlink() and p != self.folder)
            for mtime, old in others[:max(0, len(others) - KEEP_FOLDERS)]:
                if mtime < hour_ago:
                    _remove_folder(old)
            os.utime(self.folder)
        entries = []
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if entry.name.endswith(".tmp") and info.st_mtime < hour_ago:
                        os.unlink(entry.path)  # a killed build's
                    elif entry.name.endswith(".bin"):
                        entries.append((info.st_mtime, info.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        if total <= max_bytes:
            return
        for _, size, path in sorted(entries):  # oldest first, down to three quarters of the cap
            if total <= max_bytes * 3 // 4:
                break
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size

# Types the pickler writes itself, never asking ``dispatch_table``: an anchor of one of them is named
# through ``persistent_id`` instead.
_BUILT_IN = (dict, list, tuple, set, frozenset, str, bytes, bytearray, int, float, complex, bool, type(None), type)


def _writer(file: io.BytesIO, anchors: dict[str, object]) -> pickle.Pickler:
    """A pickler that writes each anchor as its name (``_Reader`` gives the build's own back)."""
    if any(isinstance(value, _BUILT_IN) for value in anchors.values()):
        return _ById(file, anchors)
    return _ByClass(file, anchors)


class _ByClass(pickle.Pickler):
    """Finds the anchors through ``dispatch_table``, so only objects of the anchors' classes reach
    Python. (``persistent_id``, once defined, is a Python call for every object of an entry: 1.5 s of
    a first build's 53 s of CPU at 1,000 protocols, profiled.)"""

    def __init__(self, file: io.BytesIO, anchors: dict[str, object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        names = {id(value): name for name, value in anchors.items()}
        table = dict(copyreg.dispatch_table)
        for kind in {type(value) for value in anchors.values()}:
            table[kind] = functools.partial(_named, names, table.get(kind))
        self.dispatch_table = table


class _ById(pickle.Pickler):
    """Asks for every object whether it is an anchor: for an anchor of a type the pickler writes itself."""

    def __init__(self, file: io.BytesIO, anchors: dict[str, object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.names = {id(value): name for name, value in anchors.items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self.names.get(id(obj))


def _named(names: dict[int, str], reduce: Callable[[Any], Any] | None, obj: Any) -> Any:
    """An anchor's reduction: its name, given back by ``_Reader``; any other object of its class as usual."""
    name = names.get(id(obj))
    if name is not None:
        return _anchor, (name,)
    return reduce(obj) if reduce is not None else obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _anchor(name: str) -> object:
    """What an entry names an anchor by; only ``_Reader`` gives it a meaning (its own anchors)."""
    raise pickle.UnpicklingError(f"anchor {name!r} read without its build")


class _Reader(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, anchors: dict[str, object]) -> None:
        super().__init__(file)
        self.anchors = anchors

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == "_anchor":
            return self.persistent_load
        return super().find_class(module, name)

    def persistent_load(self, pid: Any) -> object:
        if pid not in self.anchors:
            raise pickle.UnpicklingError(f"no such anchor: {pid!r}")
        return self.anchors[pid]


def _remove_folder(folder: Path) -> None:
    for entry in os.scandir(folder):
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
    with contextlib.suppress(OSError):
        folder.rmdir()


def page_state() -> tuple[int, int]:
    """Entries and bytes in every page folder of the cache (``carebridge cache``)."""
    base = cache_folder()
    count = size = 0
    if base is None or not base.is_dir():
        return count, size
    for folder in base.glob("pages-*"):
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                if entry.name.endswith(".bin"):
                    count += 1
                    size += entry.stat(follow_symlinks=False).st_size
    return count, size


def clear_pages() -> list[Path]:
    """Delete every page folder of the cache; returns the folders removed."""
    base = cache_folder()
    removed: list[Path] = []
    if base is None or not base.is_dir():
        return removed
    for folder in sorted(base.glob("pages-*")):
        if folder.is_dir() and not folder.is_symlink():
            _remove_folder(folder)
            removed.append(folder)
    return removed
