"""A real build with protocol pages kept between builds (site/pagecache.py): the same bytes as
a build that made every page, nothing stale after an edit, and every warning said again."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.conftest import edit

from .conftest import PROTOCOL, SITE_CATALOG, ZH_CATALOG, carebridge, translate, translated_tree


def _site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _counts(output: str, what: str = "protocol") -> list[tuple[int, int]]:
    """(reused, made) of the main build's protocol or theme pages (-v; the other languages'
    processes report warnings only)."""
    pattern = (r"protocol pages: (\d+) reused from the cache, (\d+) made" if what == "protocol"
               else r"theme pages: (\d+) reused, (\d+) made")
    return [(int(a), int(b)) for a, b in re.findall(pattern, output)]


def test_a_second_build_reuses_every_page_and_writes_the_same_bytes(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project")
    first = carebridge(tree, "build", "-v", "--site-dir", str(tmp_path / "one"))
    made = _counts(first.stdout + first.stderr)
    assert len(made) == 1 and made[0][0] == 0 and made[0][1] > 0, made
    second = carebridge(tree, "build", "-v", "--site-dir", str(tmp_path / "two"))
    reused = _counts(second.stdout + second.stderr)
    assert reused == [(made[0][1], 0)], reused
    themed = _counts(first.stderr, "theme")
    assert themed[0][0] == 0 and themed[0][1] > made[0][1], themed  # every page, not only the protocols'
    assert _counts(second.stderr, "theme") == [(themed[0][1], 0)]
    assert _site_bytes(tmp_path / "one") == _site_bytes(tmp_path / "two")
    # ...and the same as a build with the cache switched off.
    off = carebridge(tree, "build", "-v", "--site-dir", str(tmp_path / "off"),
                     env_extra={"CAREBRIDGE_CACHE_DIR": "off"})
    assert _counts(off.stdout + off.stderr) == []
    assert _site_bytes(tmp_path / "one") == _site_bytes(tmp_path / "off")


def test_a_wrong_dose_translated_after_the_pages_were_kept_is_never_shown(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project", protocol={"4 g in 24 hours": "24小时内最多4 g"}, site={})
    carebridge(tree, "build", "--strict")
    page = (tree / "site" / "zh" / PROTOCOL / "index.html").read_text(encoding="utf-8")
    assert "24小时内最多4 g" in page
    translate(tree / ZH_CATALOG, {"4 g in 24 hours": "24小时内最多4 mg"})
    result = carebridge(tree, "build", "--strict", check=False)
    assert result.returncode != 0 and "not published" in result.stderr, result.stderr
    carebridge(tree, "build")
    page = (tree / "site" / "zh" / PROTOCOL / "index.html").read_text(encoding="utf-8")
    assert "4 mg" not in page and "24小时内最多4 g" not in page and "4 g in 24 hours" in page


def test_a_blocked_translation_fails_strict_on_every_build_not_only_the_one_that_found_it(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project", protocol={"4 g in 24 hours": "24小时内最多8 g"}, site={})
    first = carebridge(tree, "build", "-v")
    assert "not published" in first.stderr and "0 reused" in first.stderr
    for _ in range(2):
        result = carebridge(tree, "build", "--strict", "-v", check=False)
        assert result.returncode != 0, result.stderr
        assert "max_dose" in result.stderr and "not published" in result.stderr, result.stderr
        assert all(made == 0 for _, made in _counts(result.stderr)), result.stderr


def test_an_edit_to_a_shared_input_makes_every_page_again(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project")
    carebridge(tree, "build")
    catalog = tree / SITE_CATALOG
    catalog.write_bytes(catalog.read_bytes() + b"\n")  # the same messages, other bytes
    result = carebridge(tree, "build", "-v")
    assert all(reused == 0 for reused, _ in _counts(result.stderr)), result.stderr
    again = carebridge(tree, "build", "-v")
    assert all(made == 0 for _, made in _counts(again.stderr)), again.stderr


def test_the_cache_lives_outside_the_project(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project")
    inside = tree / ".cache"
    result = carebridge(tree, "build", "-v", env_extra={"CAREBRIDGE_CACHE_DIR": str(inside)})
    assert _counts(result.stderr) == [] and not inside.exists()
    assert os.environ["CAREBRIDGE_CACHE_DIR"]  # the test's own folder, never the user's


@pytest.fixture(autouse=True)
def _own_cache(_cache: Path) -> Path:
    return _cache


def test_a_title_edit_renders_every_theme_page_again_and_a_text_edit_only_its_own(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project")
    first = carebridge(tree, "build", "-v")
    pages = _counts(first.stderr, "theme")[0][1]
    protocol = next((tree / "protocols").rglob("*.yaml"))
    text = protocol.read_text(encoding="utf-8")
    edit(protocol, "\ntitle: ", "\ntitle: Edited ")  # in every page's navigation
    titled = carebridge(tree, "build", "-v")
    assert _counts(titled.stderr, "theme") == [(0, pages)], titled.stderr
    assert "Edited " in (tree / "site" / "index.html").read_text(encoding="utf-8")
    protocol.write_text(text, encoding="utf-8")
    carebridge(tree, "build", "-v")
    edit(protocol, "summary: A fixture", "summary: Edited. A fixture")  # on its own pages and the home page
    again = carebridge(tree, "build", "-v")
    reused, made = _counts(again.stderr, "theme")[0]
    assert 0 < made < pages and reused + made == pages, again.stderr


def _index(site: Path) -> dict[str, tuple[int, bytes]]:
    """Each search index file of both languages: (inode, bytes)."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.read_bytes())
            for folder in ("search/cb", "zh/search/cb") for p in sorted((site / folder).rglob("*")) if p.is_file()}


def test_a_rebuild_links_the_search_files_it_would_write_again_from_the_site_it_replaces(tmp_path: Path) -> None:
    """Most of a search index is the same from one build to the next: the new site's copy is a link
    to the replaced site's file (same inode), never a changed one, and the bytes are a fresh build's."""
    tree = translated_tree(tmp_path / "project")
    carebridge(tree, "build")
    first = _index(tree / "site")
    assert len(first) > 20
    carebridge(tree, "build")  # nothing changed: every file linked
    again = _index(tree / "site")
    assert again == first
    edit(tree / "protocols" / "nursing" / "example-escalation.yaml", "title: Continue monitoring",
         "title: Continue monitoring hourly")
    carebridge(tree, "build")
    edited = _index(tree / "site")
    changed = [name for name in edited if name not in again or edited[name][1] != again[name][1]]
    linked = [name for name in edited if name in again and edited[name][0] == again[name][0]]
    assert changed and linked, (changed, linked)
    assert not set(changed) & set(linked)  # a file whose bytes changed is never the old inode
    assert all(edited[name][1] == again[name][1] for name in linked)
    # the same bytes as a build into an empty folder, nothing to link from
    carebridge(tree, "build", "--site-dir", str(tmp_path / "fresh"))
    fresh = _index(tmp_path / "fresh")
    assert {name: data for name, (_, data) in fresh.items()} == {name: data for name, (_, data) in edited.items()}
    assert not {ino for ino, _ in fresh.values()} & {ino for ino, _ in edited.values()}
