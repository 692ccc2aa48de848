"""The project layout (where protocols, catalogs and the schema live) and loading all protocols."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from ..fsio import content_key, linked_outside, not_a_file
from ..problems import Problem, error
from .loader import Document, load_file
from .model import Protocol, build_protocol
from .schema import DEFAULT_SCHEMA, validator
from .validate import validate_document

SITE_DOMAIN = "site"


@dataclass(frozen=True)
class Project:
    """Paths of one CareBridge library; everything else derives from the root."""

    root: Path
    protocols_dir: Path
    locales_dir: Path
    schema_path: Path = DEFAULT_SCHEMA

    @classmethod
    def at(cls, root: Path | str, protocols: str = "protocols", locales: str = "locales",
           schema: str = "") -> Project:
        """A project at ``root``; ``schema`` names the project's own schema, "" the packaged one."""
        base = Path(root).resolve()
        return cls(base, base / protocols, base / locales, base / schema if schema else DEFAULT_SCHEMA)

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def rel(self, path: Path) -> str:
        try:
            return Path(os.path.realpath(path)).relative_to(self.root).as_posix()  # a link loop does not raise
        except ValueError:
            return str(path)

    def template_path(self, domain: str) -> Path:
        return self.templates_dir / f"{domain}.pot"

    def catalog_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def glossary_path(self, locale: str) -> Path:
        return self.locales_dir / locale / "glossary.yaml"

    def locales(self) -> list[str]:
        if not self.locales_dir.is_dir():
            return []
        return sorted(p.name for p in self.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir())

    def protocol_files(self, paths: list[Path] | None = None) -> tuple[list[Path], list[Problem]]:
        """Protocol files under ``paths`` (files or folders), default all of ``protocols/``."""
        problems: list[Problem] = []
        found: list[Path] = []
        for target in paths or [self.protocols_dir]:
            if target.is_dir() and paths and target.name.lower().endswith((".yaml", ".yml")):
                problems.append(error(str(target), None, None, "is a folder named like a protocol file, not a file",
                                      hint="give a protocol file, or rename the folder", code="file-name"))
            elif target.is_dir():
                reported = len(problems)
                walked = self._walk(target, problems)
                if paths and not walked and len(problems) == reported:  # `validate some-folder` checked nothing: say so
                    problems.append(error(str(target), None, None, "no protocol files (*.yaml) in this folder",
                                          hint="give a protocol file or a folder of them, e.g. protocols/<specialty>/",
                                          code="io"))
                found += walked
            elif target.is_file():
                found.append(target)
            elif (not_file := not_a_file(target, str(target)) if target.exists() else None) is not None:
                problems.append(not_file)  # /dev/zero, a FIFO: there, but no file to read
            else:
                problems.append(error(str(target), None, None, "no such file or folder", code="io",
                                      hint="give a protocol file or a folder of them"))
        # One entry per real file, under its own name rather than a link's (links are checked, not followed blindly).
        unique: dict[Path, Path] = {}
        for path in sorted(found, key=lambda p: (p.is_symlink(), p)):
            # realpath, not resolve: a link loop is reported when the file is read, not raised here
            unique.setdefault(Path(os.path.realpath(path)), Path(os.path.abspath(path)))
        return sorted(unique.values()), problems

    def _walk(self, folder: Path, problems: list[Problem]) -> list[Path]:
        """The .yaml files under ``folder``; a linked folder leading outside protocols/ is a problem
        (its protocols would otherwise vanish from the library without a word)."""
        found: list[Path] = []
        real_protocols = self.protocols_dir.resolve()

        def unreadable(exc: OSError) -> None:  # os.walk skips a folder it cannot list, and its protocols with it
            problems.append(error(self.rel(Path(exc.filename)) if isinstance(exc.filename, str) else self.rel(folder),
                                  None, None, f"cannot list the folder: {exc.strerror or exc}", code="io",
                                  hint="give the user running carebridge permission to read it, e.g. chmod a+rx"))

        for where, folders, names in os.walk(folder, onerror=unreadable):
            for name in folders:
                link = Path(where, name)
                real = Path(os.path.realpath(link))
                if link.is_symlink() and real != real_protocols and real_protocols not in real.parents:
                    problems.append(error(self.rel(link.parent) + f"/{name}", None, None,
                                          f"links to the folder {real}, outside {self.rel(self.protocols_dir)}/",
                                          hint="copy the protocols into the library, where they are reviewed and "
                                               "versioned with the others", code="symlink"))
                if name.lower().endswith((".yaml", ".yml")):
                    problems.append(error(self.rel(link), None, None, "a folder is named like a protocol file",
                                          hint="rename the folder, or move the protocol file out of it",
                                          code="file-name"))
            for name in names:
                if name.endswith(".yaml"):
                    found.append(Path(where, name))
                elif name.lower().endswith((".yaml", ".yml")):
                    stem, case = name[:name.rfind(".")], " (lower case)" if name.lower().endswith(".yaml") else ""
                    problems.append(error(self.rel(Path(where, name)), None, None, f"protocol files must end in "
                                          f".yaml{case}", hint=f"rename to {stem}.yaml", code="file-name"))
        return found


_ONLY_PART = re.compile(r"[A-Za-z0-9_.*?\[\]!-]+")


def only_pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Why ``pattern`` cannot name protocols inside protocols/, as (message, hint); None if it can.

    >>> only_pattern_problem("obstetrics/*") is None, only_pattern_problem("pph") is None
    (True, True)
    >>> [only_pattern_problem(p) is None for p in ("/etc/passwd", "**", "../x/y", "a/b/c", "")]
    [False, False, False, False, False]
    """
    parts = pattern.removesuffix(".yaml").split("/")
    if len(parts) <= 2 and all(_ONLY_PART.fullmatch(p) and p not in (".", "..") and "**" not in p for p in parts):
        return None
    return (f"'{pattern}' is not a protocol id, specialty/id or a glob of them",
            "name protocols inside protocols/, e.g. --only postpartum-haemorrhage or --only 'obstetrics/*'")


def select(protocols_dir: Path, patterns: list[str] | tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """Protocol files matching ids, ``specialty/id`` or globs; and the patterns that matched nothing
    (a pattern that ``only_pattern_problem`` refuses matches nothing).

    >>> select(Path("/nonexistent"), ["pph", "/etc/passwd"])
    ([], ['pph', '/etc/passwd'])
    """
    found: set[Path] = set()
    unmatched: list[str] = []
    for pattern in patterns:
        stem = pattern.removesuffix(".yaml")
        if only_pattern_problem(pattern) is not None:
            unmatched.append(pattern)
            continue
        matches = sorted(protocols_dir.glob((stem if "/" in stem else f"*/{stem}") + ".yaml"))
        if not matches:
            unmatched.append(pattern)
        found.update(matches)
    return sorted(found), unmatched


def linked_out_folders(project: Project, editions: str = "editions") -> list[Problem]:
    """The project's folders that a link takes out of the project (``locales/zh_CN/LC_MESSAGES ->
    /elsewhere``): commands read and write in them, so a command stops before it reads or writes.

    >>> linked_out_folders(Project.at("."))
    []
    """
    root = os.path.realpath(project.root)
    folders = [project.protocols_dir, project.root / editions, project.locales_dir, project.templates_dir]
    if project.locales_dir.is_dir() and not linked_outside(project.locales_dir, project.root):
        for locale in sorted(project.locales_dir.iterdir()):
            folders += [locale, locale / "LC_MESSAGES"]
    problems: list[Problem] = []
    for folder in folders:
        real = os.path.realpath(folder) if folder.is_symlink() and folder.is_dir() else None
        if real is not None and real != root and linked_outside(folder, project.root) is not None:
            shown = Path(os.path.abspath(folder)).relative_to(project.root).as_posix()
            problems.append(error(shown, None, None, f"links to the folder {real}, outside the project", code="symlink",
                                  hint="put the folder itself in the project (commands read and write there, and git "
                                       "versions only the link)"))
    return problems


@dataclass(frozen=True)
class Loaded:
    protocol: Protocol
    document: Document
    digest: bytes | None = None  # of the file's bytes, as loaded (what caches of it are keyed by)


def _place(project: Project, path: Path) -> tuple[str, str | None, list[Problem]]:
    """How to name ``path``, the folder under protocols/ that holds it (None for a file outside
    protocols/, checked on its own), and a problem when it links to a file outside protocols/."""
    absolute = Path(os.path.abspath(path))
    protocols = Path(os.path.abspath(project.protocols_dir))
    try:
        inside = absolute.relative_to(protocols)
    except ValueError:
        return project.rel(path), None, []
    try:
        display = absolute.relative_to(project.root).as_posix()
    except ValueError:
        display = str(absolute)
    real = linked_outside(absolute, protocols)
    if real is not None:
        return display, None, [error(display, None, None, f"links to {real}, outside {project.rel(protocols)}/",
                                     hint="copy the file into the library, where it is reviewed and versioned "
                                          "with the other protocols", code="symlink")]
    return display, inside.parent.as_posix(), []


def load_protocol(project: Project, path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Load and validate one protocol file."""
    display, folder, problems = _place(project, path)
    if problems:
        return None, problems
    doc, problems = load_file(path, display)
    if doc is None:
        return None, problems
    problems += validate_document(doc, expected_id=path.stem, specialty_dir=folder, schema_path=project.schema_path)
    if problems:
        return None, problems
    return Loaded(build_protocol(doc.data, display), doc), []


PARALLEL_FROM = 200  # items; below this, starting worker processes costs more than it saves
T = TypeVar("T")
R = TypeVar("R")


def _run_chunk(func: Callable[..., R], items: list[T], args: tuple[Any, ...]) -> list[R]:
    return [func(item, *args) for item in items]


def parallel_map(func: Callable[..., R], items: list[T], *args: Any,
                 meanwhile: Callable[[], object] | None = None) -> list[R]:
    """``[func(item, *args) for item in items]`` on every core for large inputs, in order.

    Forked workers inherit what the parent compiled (schema, regexes); small inputs stay in-process.
    A process with other threads (``serve``: its watcher and server) must not fork, so there the
    workers come from a fork server instead, which costs each worker a fresh import. ``meanwhile``
    runs in this process while the workers work (not at all for a small input): what it makes is
    inherited by workers forked later, not by these.
    """
    workers = min(os.cpu_count() or 1, 8)
    methods = mp.get_all_start_methods()
    method = "fork" if threading.active_count() == 1 else "forkserver"
    if len(items) < PARALLEL_FROM or workers < 2 or method not in methods:
        return _run_chunk(func, items, args)
    chunks = [items[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context(method)) as pool:
        running = pool.map(_run_chunk, [func] * workers, chunks, [args] * workers)
        if meanwhile is not None:
            meanwhile()
        parts = list(running)
    out: list[R | None] = [None] * len(items)
    for start, part in enumerate(parts):
        out[start::workers] = part
    return out  # type: ignore[return-value]


Result = tuple[Loaded | None, list[Problem]]
# What each file loaded to, keyed by its bytes and the project's settings: a build's preflight and
# its plugin, and every rebuild of a `serve`, parse only the files that changed.
_LOADED: dict[Path, tuple[tuple[object, ...], Result]] = {}


def export_loaded() -> dict[Path, tuple[tuple[object, ...], Result]]:
    """What this process has loaded, for the build processes it starts (``import_loaded``)."""
    return dict(_LOADED)


def import_loaded(entries: dict[Path, tuple[tuple[object, ...], Result]]) -> None:
    """Take what the build that started this process loaded, so another language or edition does
    not parse and validate the library again. An entry still counts only for a file whose bytes
    and settings match its key: a file saved in between is loaded anew; what this process loaded
    itself stays."""
    for path, entry in entries.items():
        _LOADED.setdefault(path, entry)


def file_settings(project: Project) -> tuple[Path, Path, Path, bytes | None]:
    """What a loaded file's cache entry depends on besides its bytes."""
    return (project.root, project.protocols_dir, project.schema_path, content_key(project.schema_path))


def _load_all(project: Project, files: list[Path], meanwhile: Callable[[], object] | None = None) -> list[Result]:
    settings = file_settings(project)
    keys = [(content_key(path), *settings) for path in files]
    results: list[Result | None] = []
    for path, key in zip(files, keys, strict=True):
        cached = _LOADED.get(path)
        results.append(cached[1] if cached is not None and cached[0] == key and key[0] is not None else None)
    todo = [i for i, result in enumerate(results) if result is None]
    if todo:
        validator(project.schema_path)  # compiled once, inherited by forked workers
        for i, (item, problems) in zip(todo, parallel_map(_load_one, [files[i] for i in todo], project,
                                                                meanwhile=meanwhile), strict=True):
            result = (replace(item, digest=keys[i][0]) if item is not None else None, problems)
            results[i] = result
            _LOADED[files[i]] = (keys[i], result)
    return results  # type: ignore[return-value]


def _load_one(path: Path, project: Project) -> tuple[Loaded | None, list[Problem]]:
    return load_protocol(project, path)


def duplicate_ids(ids: list[tuple[str, str]]) -> tuple[set[int], list[Problem]]:
    """Given (protocol id, file) in order, the positions of second uses of an id, each reported."""
    seen: dict[str, str] = {}
    repeats: set[int] = set()
    problems: list[Problem] = []
    for position, (protocol_id, file) in enumerate(ids):
        if protocol_id in seen:
            repeats.add(position)
            problems.append(error(file, 1, 1, f"protocol id '{protocol_id}' is also used by {seen[protocol_id]}",
                                  hint="ids are unique across the library; rename one file and its id",
                                  code="duplicate-id"))
        else:
            seen[protocol_id] = file
    return repeats, problems


def unique_ids(loaded: list[Loaded]) -> tuple[list[Loaded], list[Problem]]:
    """Drop (and report) a second protocol that reuses an id."""
    repeats, problems = duplicate_ids([(item.protocol.id, item.protocol.file) for item in loaded])
    return [item for i, item in enumerate(loaded) if i not in repeats], problems


def load_library(project: Project, paths: list[Path] | None = None,
                 meanwhile: Callable[[], object] | None = None) -> tuple[list[Loaded], list[Problem]]:
    """Every protocol under ``paths``, sorted by id; problems of all files together. ``meanwhile``:
    as for ``parallel_map``, while the files are parsed on every core."""
    files, problems = project.protocol_files(paths)
    loaded: list[Loaded] = []
    for item, found in _load_all(project, files, meanwhile):
        problems.extend(found)
        if item is not None:
            loaded.append(item)
    kept, duplicates = unique_ids(loaded)
    return sorted(kept, key=lambda item: item.protocol.id), problems + duplicates
