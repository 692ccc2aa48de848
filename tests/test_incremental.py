"""What builds reuse (site/incremental.py): catalogs read once per file content, and handed from
the main build to the processes of its other languages and editions."""

from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pytest

from carebridge.i18n import checks
from carebridge.site import incremental
from carebridge.site.incremental import CatalogCache, handover, receive
from carebridge.source import library

from .conftest import REPO, edit

LOCALE = "zh_CN"


def _requests(tree: Path, names: list[str]) -> list[tuple[Path, str, str]]:
    return [(tree / "locales" / LOCALE / "LC_MESSAGES" / f"{n}.po", f"{n}.po", LOCALE) for n in names]


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    (tmp_path / "locales" / LOCALE / "LC_MESSAGES").mkdir(parents=True)
    for name in ("site", "postpartum-haemorrhage"):
        path = REPO / "locales" / LOCALE / "LC_MESSAGES" / f"{name}.po"
        (tmp_path / "locales" / LOCALE / "LC_MESSAGES" / f"{name}.po").write_bytes(path.read_bytes())
    return tmp_path


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = incremental.read_catalog

    def counted(path: Path, display: str, locale: str | None = None):  # type: ignore[no-untyped-def]
        parsed.append(display)
        return real(path, display, locale)

    monkeypatch.setattr(incremental, "read_catalog", counted)
    return parsed


def test_read_many_parses_each_file_once_and_again_only_when_its_bytes_change(
        catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _counting(monkeypatch)
    cache = CatalogCache()
    requests = _requests(catalogs, ["site", "postpartum-haemorrhage"])
    cache.read_many(requests)
    cache.read_many(requests)
    assert sorted(parsed) == ["postpartum-haemorrhage.po", "site.po"]
    catalog, problems = cache.read(*requests[1])
    assert problems == [] and catalog is not None and len(catalog) > 10
    edit(requests[0][0], "Last-Translator: CareBridge translators", "Last-Translator: Edited")
    cache.read_many(requests)
    assert sorted(parsed) == ["postpartum-haemorrhage.po", "site.po", "site.po"]


def test_a_started_process_reads_only_the_catalogs_changed_since_its_parent_read_them(
        catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    requests = _requests(catalogs, ["site", "postpartum-haemorrhage"])
    parent = CatalogCache()
    parent.read_many(requests)
    data = handover(parent.read_before)
    edit(requests[0][0], "Last-Translator: CareBridge translators", "Last-Translator: Edited")  # saved after the parent read it

    monkeypatch.setattr(incremental, "_HANDED", {})  # the new process
    monkeypatch.setattr(library, "_LOADED", {})
    parsed = _counting(monkeypatch)
    receive(data)
    child = CatalogCache()
    for request in requests:
        catalog, problems = child.read(*request)
        assert catalog is not None and problems == []
    assert parsed == ["site.po"]
    assert child.read(*requests[0])[0].last_translator.startswith("Edited")  # the file as it is now


def _project_with_catalogs(project_tree: Path) -> tuple[library.Project, list[tuple[Path, str, str]]]:
    """The test project with two of the real catalogs, and the requests that read them."""
    locales = project_tree / "locales" / LOCALE / "LC_MESSAGES"
    locales.mkdir(parents=True, exist_ok=True)
    for name in ("site", "postpartum-haemorrhage"):
        (locales / f"{name}.po").write_bytes((REPO / "locales" / LOCALE / "LC_MESSAGES" / f"{name}.po").read_bytes())
    return library.Project.at(project_tree, "protocols", "locales", ""), _requests(project_tree, ["site", "postpartum-haemorrhage"])


def test_the_next_build_starts_from_what_this_one_parsed_and_parses_only_files_saved_since(
        project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, requests = _project_with_catalogs(project_tree)
    first = CatalogCache()
    first.read_many(requests)
    built, _ = library.load_library(project)
    assert built
    incremental.keep_parsed(project, first.read_before)

    def new_process() -> tuple[list[str], list[Path]]:
        monkeypatch.setattr(incremental, "_HANDED", {})
        monkeypatch.setattr(incremental, "_RESTORED", {})
        monkeypatch.setattr(library, "_LOADED", {})
        loaded: list[Path] = []
        real = library._load_one
        monkeypatch.setattr(library, "_load_one", lambda path, p: loaded.append(path) or real(path, p))
        return _counting(monkeypatch), loaded

    parsed, loaded = new_process()
    incremental.restore_parsed(project)
    cache = CatalogCache()
    assert [c is not None for c, _ in cache.read_many(requests)] == [True, True]
    again, _ = library.load_library(project)
    assert parsed == [] and loaded == []
    assert [item.protocol.id for item in again] == [item.protocol.id for item in built]

    # A catalog and a protocol saved since: those two are parsed again, and read as they are now.
    edit(requests[0][0], "Last-Translator: CareBridge translators", "Last-Translator: Edited")
    protocol = project_tree / built[0].protocol.file
    edit(protocol, "\ntitle: ", "\ntitle: Edited ")
    parsed, loaded = new_process()
    incremental.restore_parsed(project)
    cache = CatalogCache()
    assert cache.read(*requests[0])[0].last_translator.startswith("Edited")  # type: ignore[union-attr]
    cache.read(*requests[1])
    now, _ = library.load_library(project)
    assert parsed == ["site.po"] and loaded == [protocol]
    assert now[0].protocol.title.startswith("Edited ")


def test_a_build_hands_its_processes_the_parse_it_kept_on_disk_and_not_the_parse_itself(
        project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, requests = _project_with_catalogs(project_tree)
    monkeypatch.setattr(incremental, "_RESTORED", {})
    parent = CatalogCache()
    parent.read_many(requests)
    built, _ = library.load_library(project)
    monkeypatch.setattr(checks, "_VERDICTS", {})  # this process's verdicts (other tests') travel too
    data = handover(parent.read_before, project)
    whole = handover(parent.read_before)  # as a process with the cache off hands it over
    sent = pickle.loads(data)
    assert set(sent) == {"kept", "verdicts"} and set(pickle.loads(whole)) == {"library", "catalogs", "verdicts"}
    assert len(data) * 20 < len(whole)  # where the parse is kept, not the parse
    assert handover(parent.read_before, project) == data  # kept already: not written again

    monkeypatch.setattr(incremental, "_HANDED", {})  # the new process
    monkeypatch.setattr(library, "_LOADED", {})
    parsed = _counting(monkeypatch)
    loaded: list[Path] = []
    real = library._load_one
    monkeypatch.setattr(library, "_load_one", lambda path, p: loaded.append(path) or real(path, p))
    receive(data)
    child = CatalogCache()
    assert [c is not None for c, _ in child.read_many(requests)] == [True, True]
    again, _ = library.load_library(project)
    assert parsed == [] and loaded == []  # nothing parsed again
    assert [item.protocol.id for item in again] == [item.protocol.id for item in built]


def test_with_the_cache_off_a_build_hands_over_the_parse_itself(
        project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", "off")
    monkeypatch.setattr(incremental, "_RESTORED", {})
    project = library.Project.at(project_tree, "protocols", "locales", "")
    library.load_library(project)
    data = handover({}, project)
    monkeypatch.setattr(library, "_LOADED", {})
    receive(data)
    assert library._LOADED  # the library came with it


class _Words:
    """A build's site words as ``pagecache.SiteWords``: a fresh one each rebuild, as a serve makes."""

    def __init__(self) -> None:
        self.blocked: dict[str, list[str]] = {}
        self.seen: set[str] = set()


def test_a_serve_rebuild_that_reuses_a_protocol_says_again_what_making_it_said(
        caplog: pytest.LogCaptureFixture) -> None:
    reuse = incremental.Reuse()
    makings: list[str] = []

    def make(words: _Words) -> str:
        makings.append("pph")
        words.seen.add("Call for help")
        words.blocked["Call for help"] = ["number 2 in the source is 3 in the translation"]
        logging.getLogger("mkdocs.plugins.carebridge").warning("pph.po: translation not published")
        return "<page>"

    for rebuild in range(2):
        words = _Words()
        caplog.clear()
        assert reuse.refresh(b"shared", {"pph": ("a",)}) == (set() if rebuild == 0 else {"pph"})
        assert reuse.get("pph", lambda w=words: make(w), words) == "<page>"
        # the second rebuild reuses the page, and the log and the blocked site word come back with it
        assert [r.getMessage() for r in caplog.records] == ["pph.po: translation not published"]
        assert words.blocked == {"Call for help": ["number 2 in the source is 3 in the translation"]}
    assert makings == ["pph"]
    reuse.refresh(b"shared", {"pph": ("b",)})  # the protocol changed: made again
    reuse.get("pph", lambda: make(_Words()))
    assert makings == ["pph", "pph"]


def test_an_editions_pages_depend_on_its_own_file_and_catalogs_not_on_other_editions(tmp_path: Path) -> None:
    project = library.Project.at(tmp_path)
    messages = tmp_path / "locales" / LOCALE / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (tmp_path / "editions").mkdir()
    for name in ("site", "pph", "edition-county", "edition-city"):
        (messages / f"{name}.po").write_text("", encoding="utf-8")
    for name in ("county", "city"):
        (tmp_path / "editions" / f"{name}.yaml").write_text("", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"

    def names(editions: list[Path] | None) -> set[str]:
        found = incremental.shared_inputs(project, {"pph"}, tmp_path / "overrides", config, editions)
        return {p.name for p in found if p.parent in (messages, tmp_path / "editions")}

    county = tmp_path / "editions" / "county.yaml"
    assert names([county]) == {"site.po", "edition-county.po", "county.yaml"}
    assert names([]) == {"site.po"}  # the base site's protocol pages read no edition
    assert names(None) == {"site.po", "edition-county.po", "edition-city.po", "county.yaml", "city.yaml"}


def test_a_process_that_restored_the_kept_parse_while_it_waited_does_not_read_it_again(
        project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """site.ready: the waiting process restores what the last build kept; the handover naming that
    very entry is then not read again, unless the main build stored it anew in between."""
    from carebridge.site.pagecache import Kept

    project, requests = _project_with_catalogs(project_tree)
    parent = CatalogCache()
    parent.read_many(requests)
    library.load_library(project)
    monkeypatch.setattr(incremental, "_RESTORED", {})
    incremental.keep_parsed(project, parent.read_before)
    monkeypatch.setattr(incremental, "_RESTORED", {})
    data = handover(parent.read_before, project)  # kept already: names the entry on disk
    reads: list[bytes | None] = []
    real = Kept.load
    monkeypatch.setattr(Kept, "load", lambda self, key: reads.append(key) or real(self, key))

    def child() -> None:  # a new process, restoring while it waits, then handed ``data``
        monkeypatch.setattr(incremental, "_HANDED", {})
        monkeypatch.setattr(incremental, "_RESTORED", {})
        monkeypatch.setattr(incremental, "_FROM", {})
        monkeypatch.setattr(library, "_LOADED", {})
        incremental.restore_parsed(project)
        reads.clear()
        receive(data)

    child()
    assert reads == []
    assert library._LOADED and incremental._HANDED  # the restored parse serves the build
    child()
    folder, key = pickle.loads(data)["kept"]
    entry = Kept(Path(folder))
    entry.store(key, entry.load(key))  # the main build kept a new parse after the child restored
    monkeypatch.setattr(incremental, "_HANDED", {})
    monkeypatch.setattr(library, "_LOADED", {})
    reads.clear()
    receive(data)
    assert reads == [key] and library._LOADED


_CONFIG = """site_name: CareBridge  # the base name
theme:
  name: material
plugins:
  - search
  - carebridge:
      offline: false
      editions: {editions}
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
"""


@pytest.mark.parametrize("editions", ["[a, b, c]", "[]", "\n        - a\n        - b", "[b, a]"])
def test_mkdocs_yml_is_keyed_for_pages_without_its_list_of_editions(tmp_path: Path, editions: str) -> None:
    """Listing one more hospital edition (or none, or in another form) is no edit of any kept page."""
    from carebridge.site.incremental import config_key

    one, two = tmp_path / "one.yml", tmp_path / "two.yml"
    one.write_text(_CONFIG.format(editions="[a]"), encoding="utf-8")
    two.write_text(_CONFIG.format(editions=editions), encoding="utf-8")
    assert config_key(one) == config_key(two) is not None


@pytest.mark.parametrize("edit", [
    ("offline: false", "offline: true"),            # another option of the plugin
    ("# the base name", "# the base name!"),        # even a comment: the file's own bytes count
    ("site_name: CareBridge", "site_name: CareBridge2"),
    ("  - search\n", ""),
    ("twemoji", "to_svg"),                          # a tag's value, though no tag is run
])
def test_any_other_edit_of_mkdocs_yml_is_a_new_key(tmp_path: Path, edit: tuple[str, str]) -> None:
    from carebridge.site.incremental import config_key

    one, two = tmp_path / "one.yml", tmp_path / "two.yml"
    one.write_text(_CONFIG.format(editions="[a]"), encoding="utf-8")
    two.write_text(_CONFIG.format(editions="[a]").replace(*edit), encoding="utf-8")
    assert config_key(one) != config_key(two)


def test_an_editions_key_outside_the_plugin_or_a_file_yaml_cannot_read_counts_whole(tmp_path: Path) -> None:
    from carebridge.site.incremental import config_key

    def key(text: str) -> bytes | None:
        path = tmp_path / "mkdocs.yml"
        path.write_text(text, encoding="utf-8")
        return config_key(path)

    # another plugin's option of the same name, and the key at the top level, are not the list
    assert key("plugins:\n  - other:\n      editions: [a]\n") != key("plugins:\n  - other:\n      editions: [b]\n")
    assert key("editions: [a]\nplugins: [carebridge]\n") != key("editions: [b]\nplugins: [carebridge]\n")
    # MkDocs' other form of the plugins, a mapping, is read too
    assert key("plugins:\n  carebridge:\n    editions: [a]\n") == key("plugins:\n  carebridge:\n    editions: [b]\n")
    # a key written twice in one mapping: which one is read is not this key's to guess
    twice = "plugins:\n  carebridge: {{editions: [{0}]}}\n  carebridge: {{editions: [a]}}\n"
    assert key(twice.format("a")) != key(twice.format("b"))
    broken = "plugins:\n  - carebridge:\n      editions: [a\n"
    assert key(broken) is not None and key(broken) != key(broken.replace("[a", "[b"))
    assert config_key(tmp_path / "missing.yml") is None
    (tmp_path / "folder.yml").mkdir()
    assert config_key(tmp_path / "folder.yml") is None
