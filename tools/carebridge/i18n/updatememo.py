"""What ``i18n update`` found already up to date, remembered between runs.

An update reads, validates, templates, merges, renders and compares every protocol, though an
editor has usually changed one: 3 s for 200 protocols, about 15 s for 1,000. But an update run on
its own output changes nothing (``tests/test_updatememo.py`` pins this), so a protocol whose YAML,
template and catalogs hold exactly the bytes the last successful update of this code left, under
the same schema and settings, needs no work: the memo gives back its id and the facts the editions
are checked against, and the protocol is not read. The site's own words, found by parsing every
page template, are remembered the same way (they depend only on the code and the schema).

Only a state the update saw whole is remembered. Each protocol's files are hashed before any is
read; after the rename, a protocol is remembered only if every one of its files holds what was
hashed then or what this update wrote (a file saved meanwhile is simply read again next time).
A protocol with any problem is never remembered, so its problems are always reported.

The memo is a JSON file in the user's cache folder (``cachedir``; never inside a project), one per
project and code fingerprint. Whatever goes wrong with it (no folder, unreadable, a torn write)
only means every protocol is read, as without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cachedir import cache_folder, code_fingerprint, refusal
from ..fsio import Staged, content_key
from ..problems import Problem
from ..source.edition import ProtocolFacts
from ..source.library import Project

VERSION = 1
Files = dict[str, str]  # each file of a protocol (path) → its content key (hex), "-" when absent


def _hex(path: Path) -> str | None:
    """The file's content key; "-" when there is no file; None when it is there but not a plain,
    readable file (a link, a folder): such a protocol is always read, so its problem is reported."""
    if not path.exists() and not path.is_symlink():
        return "-"
    key = content_key(path)
    return key.hex() if key is not None else None


def facts_json(facts: ProtocolFacts | None) -> dict[str, Any] | None:
    if facts is None:
        return None
    return {"id": facts.id, "file": facts.file, "steps": sorted(facts.steps), "drugs": sorted(facts.drugs),
            "roles": [list(role) for role in facts.roles]}


def facts_from(data: Any) -> ProtocolFacts | None:
    if data is None:
        return None
    return ProtocolFacts(str(data["id"]), str(data["file"]), frozenset(map(str, data["steps"])),
                         frozenset(map(str, data["drugs"])),
                         tuple((str(r[0]), str(r[1]), r[2], r[3]) for r in data["roles"]))


@dataclass
class Memo:
    """The memo of one update: what was remembered, and the files as this update found them."""

    path: Path | None  # the memo file; None: nothing is remembered (cache off or refused)
    settings: str
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # protocol file → {files, id, facts}
    words: list[tuple[str, str]] | None = None  # the site words (``sitewords``): this code's, this schema's
    found: dict[str, Files] = field(default_factory=dict)  # protocol file → its files when this update began
    written: dict[str, str] = field(default_factory=dict)  # file → content key of what this update wrote

    @classmethod
    def open(cls, project: Project, locales: list[str], *, fuzzy: bool, create: bool, facts: bool) -> Memo:
        settings = json.dumps([VERSION, str(project.root), str(project.protocols_dir), str(project.locales_dir),
                               sorted(locales), fuzzy, create, facts, _hex(project.schema_path)])
        folder = cache_folder()
        if folder is None or refusal(folder):
            return cls(None, settings)
        project_key = hashlib.blake2b(str(project.root).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
        memo = cls(folder / f"update-{project_key}-{code_fingerprint()[:16]}.json", settings)
        with contextlib.suppress(OSError, ValueError, TypeError, AttributeError):
            data = json.loads(memo.path.read_text(encoding="utf-8")) if memo.path else None
            if isinstance(data, dict) and data.get("settings") == settings and isinstance(data.get("entries"), dict):
                memo.entries = data["entries"]
                memo.words = [(str(where), str(msgid)) for where, msgid in data.get("words") or []] or None
        return memo

    def site_words(self, find: Callable[[], list[tuple[str, str]]]) -> list[tuple[str, str]]:
        """The site words as remembered, else ``find()`` (parsing every page template: half a second)."""
        if self.words is None:
            self.words = find()
        return self.words

    @staticmethod
    def files(project: Project, path: Path, locales: list[str]) -> list[Path]:
        """Every file an update of the protocol at ``path`` reads or writes (its id is its file name)."""
        return [path, project.template_path(path.stem), *(project.catalog_path(loc, path.stem) for loc in locales)]

    def up_to_date(self, project: Project, path: Path, locales: list[str]) -> tuple[str, ProtocolFacts | None] | None:
        """The protocol's id and facts if its files are as the last update left them; None: read it."""
        if self.path is None:
            return None
        files = self.hash_files(project, path, locales)
        if files is None:
            return None
        self.found[str(path)] = files
        entry = self.entries.get(str(path))
        if not isinstance(entry, dict) or entry.get("files") != files:
            return None
        with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
            return str(entry["id"]), facts_from(entry["facts"])
        return None

    @property
    def remembers(self) -> bool:
        """Whether any protocol can be up to date: else each protocol's files are hashed where it is
        read (``hash_files`` in the worker, ``note_found`` here), on every core, not all here first."""
        return self.path is not None and bool(self.entries)

    @classmethod
    def hash_files(cls, project: Project, path: Path, locales: list[str]) -> Files | None:
        """The content keys of the protocol's files as they are now; None if one cannot be read as a file."""
        files: Files = {}
        for file in cls.files(project, path, locales):
            key = _hex(file)
            if key is None:
                return None
            files[str(file)] = key
        return files

    def note_found(self, path: Path, files: Files | None) -> None:
        """The protocol's files as a worker hashed them before reading any (``hash_files``)."""
        if self.path is not None and files is not None:
            self.found[str(path)] = files

    def note_staged(self, staged: list[Staged]) -> None:
        """What this update is about to put in place (read before the rename)."""
        if self.path is None:
            return
        for item in staged:  # the digest of what was written, made where it was written (on every core)
            key = item.digest.hex() if item.digest is not None else _hex(item.temp)
            if key is not None:
                self.written[str(item.target)] = key

    def remember(self, path: Path, pid: str, problems: list[Problem], facts: ProtocolFacts | None) -> None:
        """After the rename: keep the protocol if it had no problem and its files hold what this
        update found or wrote."""
        before = self.found.get(str(path))
        if self.path is None or before is None or problems or pid != path.stem:
            self.entries.pop(str(path), None)
            return
        expected = {file: self.written.get(file, key) for file, key in before.items()}
        now = {file: _hex(Path(file)) for file in before}
        if now != expected:
            self.entries.pop(str(path), None)
            return
        self.entries[str(path)] = {"files": now, "id": pid, "facts": facts_json(facts)}

    def save(self, current: list[Path]) -> None:
        """Write the memo (only the protocols still in the library), whole or not at all."""
        if self.path is None:
            return
        keep = {str(p) for p in current}
        data = {"settings": self.settings, "entries": {k: v for k, v in sorted(self.entries.items()) if k in keep},
                "words": self.words}
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".update-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
                os.replace(temp, self.path)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temp)
            for other in self.path.parent.glob(self.path.name.rsplit("-", 1)[0] + "-*.json"):
                if other != self.path:  # this project's memo of other code: never read again
                    with contextlib.suppress(OSError):
                        other.unlink()


def memo_state() -> tuple[int, int]:
    """Memo files in the cache folder and their bytes (``carebridge cache``)."""
    folder = cache_folder()
    if folder is None or not folder.is_dir():
        return 0, 0
    sizes = [path.stat().st_size for path in folder.glob("update-*.json") if path.is_file() and not path.is_symlink()]
    return len(sizes), sum(sizes)


def clear_memos() -> list[Path]:
    """Delete every update memo (``carebridge cache --clear``); returns those removed."""
    folder = cache_folder()
    removed: list[Path] = []
    if folder is None or not folder.is_dir():
        return removed
    for path in sorted(folder.glob("update-*.json")):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
