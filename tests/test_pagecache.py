"""Protocol pages kept on disk between builds (site/pagecache.py): a kept result comes back whole,
with what its making said, bound to this build's objects; anything damaged, unknown or
unsafe to trust is made again."""

from __future__ import annotations

import gc
import json
import logging
import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from carebridge.site import pagecache
from carebridge.site.pagecache import Kept, inputs_key


class Thing:
    """Stands for the protocol as loaded: kept results refer to it, never copy it."""

    def __init__(self, name: str) -> None:
        self.name = name


@pytest.fixture
def kept(_cache: Path) -> Kept:
    store = Kept.open(list, "settings")
    assert store.folder is not None and store.folder.parent == _cache
    return store


def _make(calls: list[str], value: object, *, say: str = "", words: SimpleNamespace | None = None):  # type: ignore[no-untyped-def]
    def make() -> object:
        calls.append("made")
        if say:
            logging.getLogger("mkdocs.plugins.carebridge").warning("%s", say)
        if words is not None:  # as Words does: the word looked up, and found blocked
            words.seen.add("Call the doctor")
            words.blocked["Call the doctor"] = ["[number] 1 is not in the translation"]
        return value
    return make


def test_a_kept_result_is_reused_and_refers_to_this_builds_objects(kept: Kept) -> None:
    first, second = Thing("a"), Thing("a")
    calls: list[str] = []
    key = kept.key("p", (b"digest",))
    made = kept.remember(key, _make(calls, {"item": first, "pages": ["x"]}), {"loaded": first})
    again = kept.remember(key, _make(calls, None), {"loaded": second})
    assert calls == ["made"]
    assert again == {"item": second, "pages": ["x"]} and again["item"] is second
    assert made["item"] is first
    assert (kept.hits, kept.made) == (1, 1)


def test_other_objects_of_an_anchors_class_are_kept_as_copies(kept: Kept) -> None:
    first, second, other = Thing("a"), Thing("a"), Thing("b")
    key = kept.key("p", (b"classes",))
    kept.remember(key, _make([], {"item": first, "other": other, "again": [first, other]}), {"loaded": first})
    again = kept.remember(key, _make([], None), {"loaded": second})
    assert again["item"] is second and again["again"][0] is second
    assert again["other"] is not other and again["other"].name == "b" and again["again"][1] is again["other"]


def test_an_anchor_of_a_built_in_type_is_still_this_builds_own(kept: Kept) -> None:
    first, second = {"id": "pph"}, {"id": "pph"}
    key = kept.key("p", (b"built-in",))
    kept.remember(key, _make([], {"item": first, "copy": {"id": "pph"}}), {"loaded": first})
    again = kept.remember(key, _make([], None), {"loaded": second})
    assert again["item"] is second and again["copy"] == {"id": "pph"} and again["copy"] is not second


def test_what_the_making_said_is_said_again_and_blocked_words_return(
        kept: Kept, caplog: pytest.LogCaptureFixture) -> None:
    key = kept.key("p", (b"digest",))
    words = SimpleNamespace(blocked={}, seen=set())
    blocked = words.blocked
    with caplog.at_level(logging.INFO):
        kept.remember(key, _make([], 1, say="x.po: translation not published", words=words), words=words)
        assert blocked and caplog.messages == ["x.po: translation not published"]
        caplog.clear()
        later: dict[str, list[str]] = {}
        assert kept.remember(key, _make([], 2), words=SimpleNamespace(blocked=later, seen=set())) == 1
    assert caplog.messages == ["x.po: translation not published"]
    assert caplog.records[0].levelno == logging.WARNING
    assert caplog.records[0].name == "mkdocs.plugins.carebridge"
    assert later == blocked


def test_another_key_is_another_entry(kept: Kept) -> None:
    calls: list[str] = []
    for parts in (("p", (b"1",)), ("p", (b"2",)), ("q", (b"1",))):
        kept.remember(kept.key(*parts), _make(calls, parts))
    kept.remember(Kept(kept.folder, b"other").key("p", (b"1",)), _make(calls, 0))
    assert calls == ["made"] * 4


def test_an_unknown_input_means_nothing_is_kept(kept: Kept) -> None:
    assert Kept(kept.folder, None).key("p") is None
    assert kept.key("p", None) is None
    calls: list[str] = []
    for _ in range(2):
        kept.remember(None, _make(calls, 1))
    assert calls == ["made", "made"]
    assert kept.folder is not None and not list(kept.folder.glob("*.bin"))


def test_inputs_key_follows_bytes_names_and_settings(tmp_path: Path) -> None:
    a, b = tmp_path / "a.po", tmp_path / "b.po"
    a.write_text("one")
    b.write_text("two")
    first = inputs_key([a, b], "s")
    assert first == inputs_key([b, a], "s")
    assert first != inputs_key([a, b], "t")
    a.write_text("uno")
    assert first != inputs_key([a, b], "s")
    b.unlink()
    assert inputs_key([a, b], "s") not in (None, first)  # an absent file is a state of its own
    b.mkdir()  # not a file: its content is unknown
    assert inputs_key([a, b], "s") is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other-key", "symlink"])
def test_a_damaged_entry_is_made_again(kept: Kept, damage: str) -> None:
    key = kept.key("p", (b"1",))
    assert key is not None and kept.folder is not None
    kept.remember(key, _make([], "good"))
    path = kept.folder / f"{key.hex()}.bin"
    raw = path.read_bytes()
    if damage == "flip":
        path.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    elif damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "other-key":
        other = kept.key("q", (b"1",))
        assert other is not None
        kept.remember(other, _make([], "other"))
        path.write_bytes((kept.folder / f"{other.hex()}.bin").read_bytes())
    else:
        target = kept.folder.parent / "elsewhere.bin"
        target.write_bytes(raw)
        path.unlink()
        path.symlink_to(target)
    calls: list[str] = []
    assert kept.remember(key, _make(calls, "fresh")) == "fresh"
    assert calls == ["made"]


def test_an_entry_naming_an_object_this_build_lacks_is_made_again(kept: Kept) -> None:
    key = kept.key("p", (b"1",))
    thing = Thing("a")
    kept.remember(key, _make([], [thing]), {"loaded": thing})
    calls: list[str] = []
    assert kept.remember(key, _make(calls, "fresh")) == "fresh" and calls == ["made"]


def test_off_and_inside_a_project_keep_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", "off")
    assert Kept.open().folder is None
    (tmp_path / "project" / "protocols").mkdir(parents=True)
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", str(tmp_path / "project" / ".cache"))
    store = Kept.open()
    assert store.folder is None
    calls: list[str] = []
    for _ in range(2):
        store.remember(store.key("p"), _make(calls, 1))
    assert calls == ["made", "made"] and not (tmp_path / "project" / ".cache").exists()


def test_a_folder_that_cannot_be_made_only_means_nothing_is_kept(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    store = Kept.open()
    calls: list[str] = []
    for _ in range(2):
        assert store.remember(store.key("p"), _make(calls, 1)) == 1
    assert calls == ["made", "made"]
    store.prune()


def test_prune_removes_the_least_recently_used_beyond_the_cap(kept: Kept) -> None:
    assert kept.folder is not None
    keys = [kept.key(str(n)) for n in range(8)]
    for n, key in enumerate(keys):
        kept.remember(key, _make([], os.urandom(4000)))
        path = kept.folder / f"{key.hex()}.bin"  # type: ignore[union-attr]
        os.utime(path, (time.time() - 1000 + n, time.time() - 1000 + n))
    kept.remember(keys[0], _make([], None))  # used now: kept
    size = sum(p.stat().st_size for p in kept.folder.glob("*.bin"))
    kept.prune(max_bytes=size // 2)
    left = {p.name for p in kept.folder.glob("*.bin")}
    assert f"{keys[0].hex()}.bin" in left  # type: ignore[union-attr]
    assert f"{keys[1].hex()}.bin" not in left  # type: ignore[union-attr]
    assert sum(p.stat().st_size for p in kept.folder.glob("*.bin")) <= size // 2 * 3 // 4 + 4100
    kept.prune(max_bytes=10 * size)
    assert {p.name for p in kept.folder.glob("*.bin")} == left


def test_old_code_versions_folders_go_after_an_hour(kept: Kept) -> None:
    assert kept.folder is not None
    kept.remember(kept.key("p"), _make([], 1))
    base = kept.folder.parent
    old = [base / f"pages-{n:016d}" for n in range(4)]
    for n, folder in enumerate(old):
        folder.mkdir()
        (folder / "x.bin").write_bytes(b"x")
        stamp = time.time() - 7200 - n if n < 3 else time.time()
        os.utime(folder, (stamp, stamp))
    kept.prune()
    assert [folder.exists() for folder in old] == [True, False, False, True]  # the newest kept, the recent one too
    assert kept.folder.exists()


def test_state_and_clear(kept: Kept) -> None:
    kept.remember(kept.key("p"), _make([], "x" * 100))
    count, size = pagecache.page_state()
    assert count == 1 and size > 0
    assert pagecache.clear_pages() == [kept.folder]
    assert pagecache.page_state() == (0, 0)


def test_the_cache_command_counts_and_clears_kept_pages(kept: Kept, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("p", "q"):
        kept.remember(kept.key(name), _make([], name * 1000))
    shown = run_cli(["cache", "--format", "json"], cwd=tmp_path)
    assert shown.code == 0 and json.loads(shown.stdout)["cache"]["pages"]["entries"] == 2, shown.output
    assert "protocol pages: 2 kept" in run_cli(["cache"], cwd=tmp_path).stdout
    cleared = run_cli(["cache", "--clear"], cwd=tmp_path)
    assert cleared.code == 0 and "deleted" in cleared.stderr
    assert kept.folder is not None and not kept.folder.exists()
    assert json.loads(run_cli(["cache", "--format", "json"], cwd=tmp_path).stdout)["cache"]["pages"]["entries"] == 0


def test_shared_inputs_name_every_edition_or_only_those_given(tmp_path: Path) -> None:
    from carebridge.site.incremental import shared_inputs
    from carebridge.source.library import Project

    for name in ("a", "b"):
        (tmp_path / "editions").mkdir(exist_ok=True)
        (tmp_path / "editions" / f"{name}.yaml").write_text(name)
    (tmp_path / "locales" / "zh_CN").mkdir(parents=True)
    (tmp_path / "locales" / "zh_CN" / "site.po").write_text("")
    (tmp_path / "locales" / "zh_CN" / "p1.po").write_text("")
    project = Project.at(tmp_path, "protocols", "locales", "")
    every = shared_inputs(project, {"p1"}, tmp_path / "overrides", tmp_path / "mkdocs.yml")
    names = {path.name for path in every}
    assert {"a.yaml", "b.yaml", "site.po", "mkdocs.yml"} <= names and "p1.po" not in names
    mine = shared_inputs(project, {"p1"}, tmp_path / "overrides", tmp_path / "mkdocs.yml", [tmp_path / "editions" / "a.yaml"])
    assert {path.name for path in mine} == names - {"b.yaml"}
    assert "a.yaml" not in {path.name for path in shared_inputs(project, {"p1"}, tmp_path / "o", tmp_path / "m", [])}


class _Item:
    def __init__(self, title: str, url: str | None = None, children: list[_Item] | None = None) -> None:
        self.title, self.url, self.children = title, url, children or []


class _Page:
    def __init__(self, content: str, title: str = "Page") -> None:
        class _File:
            src_uri = "p.md"

        self.url, self.file, self.title, self.content = "p/", _File(), title, content
        self.toc: list[object] = []
        self.meta: dict[str, object] = {}
        self.canonical_url = self.edit_url = None
        self.is_homepage = False
        self.previous_page = self.next_page = None
        self.ancestors: list[object] = []


def test_the_theme_key_follows_navigation_and_page() -> None:
    from carebridge.site.keptrender import page_key, site_key

    class _Theme(dict):  # type: ignore[type-arg]  # as MkDocs' Theme: a mapping with attributes
        custom_dir = "overrides"

    class _Nav:
        def __init__(self, items: list[_Item]) -> None:
            self.items = items

    config = SimpleNamespace(site_name="CareBridge", site_url=None, site_description=None, site_author=None,
                             copyright=None, repo_url=None, repo_name=None, edit_uri=None, use_directory_urls=True,
                             extra={"alternate": [{"lang": "en"}]}, extra_css=[], extra_javascript=[],
                             theme=_Theme(language="en"), plugins=["carebridge"])
    nav = _Nav([_Item("Nursing", None, [_Item("Escalation", "p/")])])
    first = site_key(nav, config)
    assert first == site_key(_Nav([_Item("Nursing", None, [_Item("Escalation", "p/")])]), config)
    assert first != site_key(_Nav([_Item("Nursing", None, [_Item("Escalation!", "p/")])]), config)
    assert first != site_key(_Nav([_Item("Nursing", None, [_Item("Escalation", "q/")])]), config)
    config.extra = {"alternate": [{"lang": "zh"}]}
    assert first != site_key(nav, config)
    context = {"base_url": ".."}
    assert page_key(_Page("<p>4 g</p>"), context) == page_key(_Page("<p>4 g</p>"), context)
    assert page_key(_Page("<p>4 g</p>"), context) != page_key(_Page("<p>4 mg</p>"), context)
    assert page_key(_Page("<p>4 g</p>"), context) != page_key(_Page("<p>4 g</p>", "Other"), context)
    assert page_key(_Page("<p>4 g</p>"), context) != page_key(_Page("<p>4 g</p>"), {"base_url": "."})


def test_a_blocked_site_word_is_kept_with_every_protocol_that_shows_it(kept: Kept) -> None:
    # Words looks each word up once per build: the second protocol to show a blocked word finds it
    # known. Its kept pages must still bring the word's warning back when the first is gone.
    from babel.messages.catalog import Catalog

    from carebridge.site.words import Words

    catalog = Catalog(locale="zh_CN")
    catalog.add("Maximum 4 g", "最多8 g")
    check = lambda msgid, string, markup, comments: ["[number] 4 is not in the translation"]  # noqa: E731

    def page(words: Words) -> str:
        return words.tr("Maximum 4 g")

    build = Words(catalog, "zh-Hans", check)
    for name in ("first", "second"):
        kept.remember(kept.key(name), lambda: page(build), words=build)
    later = Words(catalog, "zh-Hans", check)  # the next build: the first protocol was deleted
    assert kept.remember(kept.key("second"), lambda: pytest.fail("made again"), words=later) == "Maximum 4 g"
    assert later.blocked == {"Maximum 4 g": ["[number] 4 is not in the translation"]}



class _CollectorState:
    """Unpickles as whether the garbage collector was on while it was read."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        import gc

        return gc.isenabled, ()


def test_the_collector_is_paused_while_an_entry_is_read_and_left_as_it_was(tmp_path: Path) -> None:
    import gc

    kept = pagecache.Kept(tmp_path / "pages", b"shared")
    key = kept.key("one")
    kept.store(key, _CollectorState())
    assert kept.load(key) is False  # read with the collector paused
    assert gc.isenabled()  # and on again after
    gc.disable()
    try:
        assert kept.load(key) is False
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_a_read_entry_is_not_frozen_but_a_paused_read_is_until_thawed(kept: Kept) -> None:
    """The collector walks neither the parse nor the pages while a site is built (collector_paused,
    hold), and has them back when the next build starts (thaw): a long-lived process does not pile
    them up. A kept page read does not freeze: that froze too the garbage cycles the theme's
    renders had left so far, which then lived until the site was written."""
    key = kept.key("p", (b"digest",))
    assert kept.store(key, {"pages": [["x"] * 3 for _ in range(100)]})
    pagecache.thaw()
    assert gc.get_freeze_count() == 0
    assert kept.load(key) == {"pages": [["x"] * 3 for _ in range(100)]}
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    with pagecache.collector_paused():
        read = [["x"] * 3 for _ in range(100)]
        assert not gc.isenabled()
    assert gc.get_freeze_count() > 100 and gc.isenabled() and read
    pagecache.thaw()
    assert gc.get_freeze_count() == 0
