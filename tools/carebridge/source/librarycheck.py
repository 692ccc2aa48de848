"""``validate`` over a whole library: each file checked on every core, or its outcome as kept.

A file's outcome (its problems, its advice, and the summary a caller asked for) is kept with a
key of everything it was made of: the file's bytes, its path and where the path really leads,
the schema's bytes, the advice and summary asked for (the advice names the day it judges source
ages by), and the versions of the libraries that parse and validate. ``memo`` is the store (the
build's ``site.pagecache.Kept``, in the user's cache folder, never in the project); a pre-commit
hook or an editor running ``validate`` again parses only the files saved since. The outcomes of
a library are one entry, by file (a file not checked in a run keeps its outcome), so a run reads
and writes the store once. Checks across files (repeated ids, editions against the library) are
made each time from the outcomes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..cachedir import library_versions
from ..fsio import content_key
from ..problems import Problem
from .library import Loaded, Project, duplicate_ids, file_settings, load_protocol, parallel_map
from .schema import validator

Advice = Callable[[Loaded], list[Problem]]
S = TypeVar("S")
Outcome = tuple[str, str, list[Problem], Any]  # protocol id ("" if it did not load), file, problems, summary
# What parses and validates a file besides this package (whose own code names the store's folder),
# with the optional libraries jsonschema's format checks use when installed (a project's own schema
# may ask for "uri" or "email").
LIBRARIES = ("PyYAML", "jsonschema", "jsonschema-specifications", "referencing", "regex", "nh3",
             "rfc3339-validator", "rfc3986-validator", "rfc3987", "idna", "fqdn", "jsonpointer", "uri-template",
             "webcolors", "isoduration")


class Memo(Protocol):
    """A store kept between runs: ``key`` is None when a part is unknown (nothing is then kept)."""

    def key(self, *parts: object) -> bytes | None: ...
    def load(self, key: bytes | None) -> Any | None: ...
    def store(self, key: bytes | None, value: Any) -> bool: ...


def _check_one(path: Path, project: Project, advice: Advice | None = None,
               summary: Callable[[Loaded], S] | None = None) -> Outcome:
    item, problems = load_protocol(project, path)
    if item is None:
        return "", "", problems, None
    advised = advice(item) if advice else []
    return item.protocol.id, item.protocol.file, problems + advised, summary(item) if summary else None


def described(function: object) -> str | None:
    """A callable as a key part: a dataclass's repr (its fields: the advice's day), else its name.
    An object whose repr holds its address gives a new key each run: never reused, never wrong."""
    if function is None:
        return None
    name = getattr(function, "__qualname__", None)
    return f"{getattr(function, '__module__', '')}.{name}" if isinstance(name, str) else repr(function)


def _outcome(found: Any) -> bool:
    return (isinstance(found, tuple) and len(found) == 4 and isinstance(found[0], str) and isinstance(found[1], str)
            and isinstance(found[2], list) and all(isinstance(p, Problem) for p in found[2]))


def validate_library(project: Project, paths: list[Path] | None = None, advice: Advice | None = None,
                     summary: Callable[[Loaded], S] | None = None,
                     memo: Memo | None = None) -> tuple[int, list[Problem], list[S]]:
    """Validate without keeping the protocols: workers send back only problems (what `validate` needs).

    ``advice`` adds warnings for each protocol that loads cleanly, and ``summary`` reads what a
    caller needs of it (the editions' checks: a few ids, not the whole protocol, which would cost
    more to send back than to parse); both must pickle, since a worker runs them. With ``memo``,
    a file whose outcome is kept is not read beyond its bytes (see the module's docstring).
    """
    files, problems = project.protocol_files(paths)
    keys: list[bytes | None] = [None] * len(files)
    results: list[Outcome | None] = [None] * len(files)
    kept: dict[str, tuple[bytes, Outcome]] = {}
    where = memo.key("validated", project.root, project.protocols_dir) if memo is not None else None
    if memo is not None and where is not None:
        stored = memo.load(where)
        kept = stored if isinstance(stored, dict) else {}
        # What every file's key shares, digested once (its repr is most of a key's text)
        shared = memo.key((file_settings(project), described(advice), described(summary), library_versions(LIBRARIES)))
        for i, path in enumerate(files):
            keys[i] = memo.key(str(path), os.path.realpath(path), content_key(path), shared)
            entry = kept.get(str(path))
            if keys[i] is not None and isinstance(entry, tuple) and len(entry) == 2 and entry[0] == keys[i]:
                results[i] = entry[1] if _outcome(entry[1]) else None
    todo = [i for i, result in enumerate(results) if result is None]
    if todo:
        validator(project.schema_path)  # compiled once, inherited by forked workers
        fresh = parallel_map(_check_one, [files[i] for i in todo], project, advice, summary)
        for i, outcome in zip(todo, fresh, strict=True):
            results[i] = outcome
            key = keys[i]
            if key is not None:
                kept[str(files[i])] = (key, outcome)
        if memo is not None:  # one entry for the library: one read and one write a run, not one per file
            memo.store(where, kept)
    outcomes: list[Outcome] = [r for r in results if r is not None]
    for _, _, found, _ in outcomes:
        problems.extend(found)
    repeats, duplicates = duplicate_ids([(pid, file) for pid, file, _, _ in outcomes if pid])
    loaded = [(pid, summed) for pid, _, _, summed in outcomes if pid]
    summaries = [summed for i, (_, summed) in enumerate(loaded) if i not in repeats and summed is not None]
    return len(files), problems + duplicates, summaries
