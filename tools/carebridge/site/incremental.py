"""What a ``serve`` rebuild reuses, keyed by the content of the files it came from.

``carebridge serve`` runs MkDocs' dirty builds: MkDocs renders again only the pages whose source
file is newer than their output. For that to work with generated pages, and for the plugin's
own work to be skipped too, this module keeps, across rebuilds of one process:

- ``Reuse``: each protocol's pages, search text and doses, valid while the protocol's file, its
  catalogs and the library-wide inputs (site words, glossary, provenance, editions, schema,
  templates, mkdocs.yml) have the same bytes;
- ``PageFiles``: generated pages written as real files, rewritten only when their text changes,
  so their mtime tells MkDocs what changed.

A plain ``build`` uses neither: every page is new there. It does share, with the processes that
build its other languages and editions, what it parsed: the library and the catalogs
(``handover``/``receive``), each entry still keyed by its file's bytes.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File

from ..fsio import content_digest, content_key, keyed_bytes, write_atomic
from ..i18n.catalog import read_catalog
from ..i18n.checks import export_verdicts, import_verdicts
from ..problems import Problem
from ..source.edition import edition_domain
from ..source.library import Project, export_loaded, import_loaded, parallel_map
from .keptlog import SiteWords, made, said_again
from .pagecache import Kept, collector_paused

Key = tuple[bytes | None, ...]


def files_key(paths: Iterable[Path]) -> bytes:
    """One digest of many files' bytes and names (a missing file counts as its own state)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(set(paths)):
        digest.update(str(path).encode("utf-8", "surrogateescape"))
        digest.update(content_key(path) or b"-")
    return digest.digest()


def tree_files(*folders: Path, skip: Callable[[str], bool] = lambda name: False) -> list[Path]:
    """Every file under ``folders`` whose name ``skip`` does not refuse (os.walk: a serve lists
    thousands of catalogs on every rebuild)."""
    return [Path(top, name) for folder in folders if folder.is_dir()
            for top, _, names in os.walk(folder) for name in sorted(names) if not skip(name)]


@dataclass
class Reuse:
    """Per-protocol results of the last build, dropped when any of their inputs changed."""

    shared: bytes = b""
    keys: dict[str, Key] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    fresh: bool = True  # the last refresh started over: library-wide checks are worth running again

    def refresh(self, shared: bytes, keys: dict[str, Key]) -> set[str]:
        """Start a build: forget what changed; return the ids whose results are still good."""
        self.fresh = shared != self.shared
        if self.fresh:
            self.results.clear()
        else:
            for pid in [pid for pid in self.results if keys.get(pid) != self.keys.get(pid)]:
                del self.results[pid]
        self.shared, self.keys = shared, keys
        return set(self.results)

    def get(self, pid: str, make: Callable[[], Any], words: SiteWords | None = None) -> Any:
        """The protocol's result from the last build, or ``make()`` now (and kept). As with the
        pages kept on disk, a result from the last build says again what making it logged (a
        translation still blocked) and adds the blocked site words it met to ``words``."""
        if pid not in self.results:
            self.results[pid] = made(make, words)
            return self.results[pid][0]
        return said_again(self.results[pid], words)


@dataclass
class PageFiles:
    """Generated pages as files under ``folder``: written only when their text changed."""

    folder: Path
    texts: dict[str, str] = field(default_factory=dict)  # what each file holds (an unchanged page is the same object)

    def file(self, config: MkDocsConfig, path: str, content: str) -> File:
        target = self.folder / path
        if self.texts.get(path) != content or not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, content.encode("utf-8"))
            self.texts[path] = content
        return File.generated(config, path, abs_src_path=str(target))


def shared_inputs(project: Project, protocol_ids: set[str], templates: Path, config_file: Path | None,
                  editions: list[Path] | None = None) -> list[Path]:
    """The files every page depends on: everything in locales/ but the protocols' own catalogs,
    the editions, the schema, the project's templates and mkdocs.yml. With ``editions``, the
    editions are those files and their catalogs alone: a protocol's pages read no other edition,
    so editing one hospital's edition or its translation leaves the pages of the others kept."""
    own = None if editions is None else {edition_domain(path.stem) for path in editions}

    def skip(name: str) -> bool:
        if not name.endswith((".po", ".pot", ".mo")):
            return False
        domain = name.rsplit(".", 1)[0]
        return domain in protocol_ids or (own is not None and domain.startswith("edition-") and domain not in own)

    inputs = tree_files(project.locales_dir, skip=skip)
    inputs += tree_files(templates) + (tree_files(project.root / "editions") if editions is None else editions)
    return [*inputs, project.schema_path, *([config_file] if config_file is not None else [])]


# The plugin's options no kept page reads: the base site's list of editions makes its editions page
# (keyed by its content) and the navigation's entry for it (keyed with the navigation, keptrender).
PAGE_BLIND_OPTIONS = ("editions",)


def config_key(config_file: Path, blind: Iterable[str] = PAGE_BLIND_OPTIONS) -> bytes | None:
    """A digest of mkdocs.yml as kept pages read it: its bytes without the carebridge plugin's
    ``blind`` options, so listing one more hospital edition keeps every page of the base site and
    of the other editions. Any edit elsewhere in the file, even a comment, still makes a new key;
    a file YAML cannot read counts with all its bytes; None: the file cannot be read.

    >>> config_key(Path("/nonexistent/mkdocs.yml")) is None
    True
    """
    raw = keyed_bytes(config_file)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: no tag is run
        spans = sorted(_whole_lines(start, end, text) for start, end in _option_spans(root, set(blind)))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return content_digest(raw)
    for start, end in reversed(spans):
        text = text[:start] + text[end:]
    return content_digest(b"masked\0" + text.encode("utf-8"))


def _option_spans(root: yaml.Node | None, blind: set[str]) -> Iterable[tuple[int, int]]:
    """Where each ``blind`` option of the carebridge plugin is written (key to end of value), in
    either of MkDocs' forms: ``plugins: [{carebridge: {...}}]`` or ``plugins: {carebridge: {...}}``."""
    plugins = _value(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for entry in entries:
        options = _value(entry, "carebridge")
        if isinstance(options, yaml.MappingNode):
            for key, value in options.value:
                if isinstance(key, yaml.ScalarNode) and key.value in blind:
                    yield key.start_mark.index, value.end_mark.index


def _whole_lines(start: int, end: int, text: str) -> tuple[int, int]:
    """``start``-``end`` widened to whole lines when the option has its lines to itself (a block
    list ends where the next line's text starts, a flow list where it closes: both cut alike)."""
    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip():
        return start, end
    last = len(text[:end].rstrip())
    newline = text.find("\n", last)
    return line, len(text) if newline < 0 else newline + 1


def _value(node: yaml.Node | None, name: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    found = [value for key, value in node.value if isinstance(key, yaml.ScalarNode) and key.value == name]
    return found[0] if len(found) == 1 else None  # a repeated key: leave the file whole


def page_store(project: Project, protocol_ids: set[str], templates: Path, config_file: Path,
               settings: tuple[object, ...]) -> Kept:
    """A plain build's store of kept pages, keyed by the files every page reads, ``mkdocs.yml`` as
    pages read it (``config_key``: another edition listed keeps every page) and ``settings``. No
    edition's file or catalog: an edition's pages are kept by what they read of it (``reading``)."""
    mkdocs_yml = config_key(config_file)
    return Kept.open(functools.partial(shared_inputs, project, protocol_ids, templates,
                                       config_file if mkdocs_yml is None else None, []),  # unreadable: nothing kept
                     repr((*settings, mkdocs_yml)))


def shared_key(project: Project, protocol_ids: set[str], templates: Path, config_file: Path, settings: str) -> bytes:
    """``shared_inputs``' bytes and the build's settings, as one key."""
    return files_key(shared_inputs(project, protocol_ids, templates, config_file)) + settings.encode("utf-8")


CatalogEntry = tuple[bytes | None, Catalog | None, list[Problem]]  # (file digest, catalog, problems)
# The catalogs the build that started this process had read (``receive``).
_HANDED: dict[Path, CatalogEntry] = {}


def handover(catalogs: dict[Path, CatalogEntry], project: Project | None = None) -> bytes:
    """What this build parsed (library and catalogs) and the safety verdicts it reached, for the
    build processes it starts, which read it back with ``receive`` from a file only the user can
    read (it is unpickled). With ``project``, the parse is kept on disk for the next build now
    (``keep_parsed``) and the processes read it from there: a build that parsed nothing new since
    the last one then writes nothing out."""
    kept = keep_parsed(project, catalogs) if project is not None else None
    parsed = {"kept": kept} if kept is not None else {"library": export_loaded(), "catalogs": catalogs}
    return pickle.dumps({**parsed, "verdicts": export_verdicts()}, protocol=pickle.HIGHEST_PROTOCOL)


def receive(data: bytes) -> None:
    """Start this process from its parent build's ``handover`` (never from input: see there)."""
    with collector_paused():
        found = pickle.loads(data)  # our parent process's own data
    if "kept" in found:
        folder, key = found["kept"]
        store, restored = Kept(Path(folder)), _FROM.get((folder, key))
        if restored is None or restored != store.stamp(key):  # else restored while it waited (site.ready)
            _adopt(store.load(key))  # gone or replaced since: files are parsed as they are
    else:
        _adopt(found)
    import_verdicts(found["verdicts"])


def _adopt(found: Any) -> bool:
    if not isinstance(found, dict) or not {"library", "catalogs"} <= set(found):
        return False
    import_loaded(found["library"])
    for path, entry in found["catalogs"].items():
        _HANDED.setdefault(path, entry)
    return True


def _parsed_key(project: Project) -> tuple[Kept, bytes | None]:
    kept = Kept.open(list, repr(("parsed", project.root, project.protocols_dir, project.locales_dir,
                                 project.schema_path)))
    return kept, kept.key("parsed")


def _digests(library: dict[Path, Any], catalogs: dict[Path, CatalogEntry]) -> tuple[object, ...]:
    return (sorted((str(path), entry[0]) for path, entry in library.items()),
            sorted((str(path), entry[0]) for path, entry in catalogs.items()))


_RESTORED: dict[Path, tuple[object, ...]] = {}  # by project root: the digests of what was restored
_FROM: dict[tuple[str, bytes], tuple[int, int, int] | None] = {}  # (folder, key) restored: its file as it was


def restore_parsed(project: Project) -> None:
    """Start this process from what the last build of this project parsed (the library and the
    catalogs, kept on disk by ``keep_parsed``): each entry still counts only for a file whose bytes
    (and settings) are those it was parsed from, so only files saved since are parsed again."""
    if project.root in _RESTORED:
        return
    kept, key = _parsed_key(project)
    if kept.folder is not None and key is not None:
        _FROM[(str(kept.folder), key)] = kept.stamp(key)  # before reading: a file replaced meanwhile differs
    found = kept.load(key)
    _RESTORED[project.root] = ()
    if found is not None and _adopt(found):
        _RESTORED[project.root] = _digests(found["library"], found["catalogs"])


def keep_parsed(project: Project, catalogs: dict[Path, CatalogEntry]) -> tuple[str, bytes] | None:
    """Keep what this build parsed for the next (``restore_parsed``), unless it is what was restored.
    Returns where it is kept (folder, key), or None when it is not (the cache off, a failed write)."""
    library = export_loaded()
    digests = _digests(library, catalogs)
    kept, key = _parsed_key(project)
    if kept.folder is None or key is None:
        return None
    if _RESTORED.get(project.root) != digests:
        if not kept.store(key, {"library": library, "catalogs": catalogs}):
            return None
        _RESTORED[project.root] = digests  # what is on disk now
    return str(kept.folder), key


def _read(request: tuple[Path, str, str]) -> tuple[Catalog | None, list[Problem]]:
    return read_catalog(*request)


@dataclass
class CatalogCache:
    """Catalogs as read, by file: one whose bytes are unchanged is not parsed again."""

    read_before: dict[Path, CatalogEntry] = field(default_factory=lambda: dict(_HANDED))

    def read_many(self, requests: list[tuple[Path, str, str]]) -> list[tuple[Catalog | None, list[Problem]]]:
        """Each catalog of ``requests`` (path, display, locale), parsing only those not read before with
        the same bytes, on every core for a large library."""
        keys = {path: content_key(path) for path, _, _ in requests}
        todo = [r for r in requests if (c := self.read_before.get(r[0])) is None or c[0] != keys[r[0]]]
        for request, (catalog, problems) in zip(todo, parallel_map(_read, todo), strict=True):
            self.read_before[request[0]] = (keys[request[0]], catalog, problems)
        return [self.read_before[path][1:] for path, _, _ in requests]

    def adopt(self) -> None:
        """Take catalogs restored or handed over since this cache was made."""
        for path, entry in _HANDED.items():
            self.read_before.setdefault(path, entry)

    def read(self, path: Path, display: str, locale: str) -> tuple[Catalog | None, list[Problem]]:
        return self.read_many([(path, display, locale)])[0]

    def digest(self, path: Path) -> bytes | None:
        """The digest ``path`` was last read with (read now if it never was)."""
        cached = self.read_before.get(path)
        return cached[0] if cached is not None else content_key(path)
