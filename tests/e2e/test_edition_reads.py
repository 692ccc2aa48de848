"""A hospital edition's pages kept between builds by what they read of the edition (site/reading.py):
an edited contact, formulary entry or translation makes again only the pages that show it, every
page shows the edit, and the site is byte for byte the one a build without the cache makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import copy_library, edit

from .conftest import carebridge
from .test_pagecache_build import _counts, _site_bytes

EDITION = "qingshan-county"
ONLY = ("--only", "stemi-first-90-minutes", "--only", "acute-urinary-retention", "--only", "postpartum-haemorrhage")
STEMI = "protocols/cardiology/stemi-first-90-minutes/index.html"
URINARY = "protocols/urology/acute-urinary-retention/index.html"
MARK = "\ue000"  # edition_view.VERSION_MARK's first character


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "project")


def _build(tree: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[list[tuple[int, int]], str]:
    result = carebridge(tree, "build", "-v", "--edition", EDITION, *ONLY, *extra, env_extra=env)
    return _counts(result.stderr), result.stderr


def _page(tree: Path, url: str) -> str:
    return (tree / "site" / "editions" / EDITION / url).read_text(encoding="utf-8")


def test_an_edited_contact_and_version_make_again_only_the_page_that_names_the_role(tree: Path, tmp_path: Path) -> None:
    first, _ = _build(tree)
    assert first == [(0, 3)], first
    edition = tree / "editions" / f"{EDITION}.yaml"
    edit(edition, "phone: ext. 8180", "phone: ext. 8188")  # the PCI centre: named by the STEMI protocol only
    edit(edition, "\nversion: 0.1.0\n", "\nversion: 0.1.1\n")  # in the banner of every page
    edit(edition, "\nhistory:\n", "\nhistory:\n  - version: 0.1.1\n    date: 2026-12-03\n    summary: New transfer desk line.\n")
    again, log = _build(tree)
    assert again == [(2, 1)], log
    for prefix in ("", "zh/"):
        stemi = _page(tree, prefix + STEMI)
        assert "ext. 8188" in stemi and "ext. 8180" not in stemi
        for url in (STEMI, URINARY, ""):
            page = _page(tree, prefix + (url or "index.html"))
            banner = page.split("cb-banner--edition", 1)[1].split("</div>", 1)[0]
            assert "0.1.1" in banner and "0.1.0" not in banner, (prefix, url)
    site = tree / "site" / "editions" / EDITION
    assert not any(MARK in p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json", ".js"))
    kept = _site_bytes(site)
    _build(tree, "--site-dir", str(tmp_path / "off"), env={"CAREBRIDGE_CACHE_DIR": "off"})
    assert kept == _site_bytes(tmp_path / "off")


def test_a_formulary_edit_and_a_translated_contact_reach_their_pages(tree: Path) -> None:
    _build(tree)
    assert all("cb-stock--missing" not in _page(tree, prefix + URINARY) for prefix in ("", "zh/"))
    edit(tree / "editions" / f"{EDITION}.yaml", "    available: true\n    local_name: 盐酸坦索罗辛缓释胶囊",
         "    available: false")
    again, log = _build(tree)
    assert again == [(2, 1)], log
    assert all("cb-stock--missing" in _page(tree, prefix + URINARY) for prefix in ("", "zh/"))
    assert "Not stocked at this hospital" in _page(tree, URINARY)
    catalog = tree / "locales" / "zh_CN" / "LC_MESSAGES" / f"edition-{EDITION}.po"
    assert "网络PCI中心转运联络台（虚构）" in _page(tree, "zh/" + STEMI)
    edit(catalog, 'msgstr "网络PCI中心转运联络台（虚构）"', 'msgstr "网络PCI中心转诊联络台（虚构）"')
    _build(tree)
    zh = _page(tree, "zh/" + STEMI)
    assert "网络PCI中心转诊联络台（虚构）" in zh and "转运联络台" not in zh


def test_a_plain_build_after_an_edition_built_alone_takes_the_site_folder(tree: Path) -> None:
    _build(tree)
    carebridge(tree, "build", *ONLY)
    assert (tree / "site" / "index.html").is_file()
    assert "cb-banner--edition" in _page(tree, STEMI)  # the editions mkdocs.yml lists are built with it


def test_an_edition_built_with_the_base_site_is_kept_for_the_same_edition_built_alone(tree: Path, _cache: Path) -> None:
    """The bench's edition rebuild: `build` (the base site and every listed edition), then
    `build --edition X` with nothing changed reuses what the first build kept for X: no page,
    theme page or search index is made (and so kept) again. Neither build is -v: the other
    processes of a build log warnings only, and what a making logged is part of its key."""
    carebridge(tree, "build", *ONLY)
    entries = sorted(p.name for p in _cache.glob("pages-*/*.bin"))
    assert len(entries) > 20
    carebridge(tree, "build", "--edition", EDITION, *ONLY)
    assert sorted(p.name for p in _cache.glob("pages-*/*.bin")) == entries


def test_editions_built_with_the_base_site_link_their_search_files_from_their_last_build(tree: Path) -> None:
    """The base build hands each edition (and each of its languages) the place of its own last
    build: a rebuild with nothing changed links every search file from there (the same inodes)."""
    from .test_pagecache_build import _index

    carebridge(tree, "build", *ONLY)
    sites = [tree / "site", *(tree / "site" / "editions" / name for name in (EDITION, "riverside-international"))]
    first = [{name: ino for name, (ino, _) in _index(site).items()} for site in sites]
    assert all(len(index) > 10 for index in first)
    carebridge(tree, "build", *ONLY)
    assert [{name: ino for name, (ino, _) in _index(site).items()} for site in sites] == first


def test_a_first_build_links_editions_search_files_from_their_base_site_and_only_the_same_bytes(tree: Path) -> None:
    """An edition's index is mostly its base site's (same words, same pages): in a first build, with
    no earlier site to link from, a file the base site in the same language already holds byte for
    byte is a link to it (same inode). Best effort: an edition built while its base site's index is
    not yet written writes its own. A link never joins two different files."""
    from .test_pagecache_build import _index

    carebridge(tree, "build", *ONLY)
    base = _index(tree / "site")
    inodes = {ino: data for ino, data in base.values()}
    linked = 0
    for name in (EDITION, "riverside-international"):
        for file, (ino, data) in _index(tree / "site" / "editions" / name).items():
            if ino in inodes:
                assert inodes[ino] == data and base[file][0] == ino, file  # the same file of the same language
                linked += 1
    assert linked > 10


def test_a_second_hospital_answering_the_same_reuses_the_first_ones_pages(tree: Path, tmp_path: Path) -> None:
    """An edition's name is put in after the page is HTML, and its id is no part of a page's key: a
    second hospital whose answers are the same (the same contacts, stock and resources) reuses the
    first one's pages, each showing its own name; a page it answers otherwise is made for it."""
    source = (tree / "editions" / f"{EDITION}.yaml").read_text(encoding="utf-8")
    other = source.replace(f"id: {EDITION}\n", "id: hilltown-county\n").replace(
        "name: Qingshan County People's Hospital (fictional)", "name: Hilltown & District Women's Hospital (fictional)")
    (tree / "editions" / "hilltown-county.yaml").write_text(other, encoding="utf-8")
    first, _ = _build(tree)
    assert first == [(0, 3)], first
    result = carebridge(tree, "build", "-v", "--edition", "hilltown-county", *ONLY)
    assert _counts(result.stderr) == [(3, 0)], result.stderr  # the English pages: all three reused
    # and Material's page around each: the site's name in the header and <title> is put in later too
    (theme,) = _counts(result.stderr, "theme")
    assert theme[0] > 3 and theme[1] == 0, result.stderr
    page = (tree / "site" / "editions" / "hilltown-county" / STEMI).read_text(encoding="utf-8")
    banner = page.split("cb-banner--edition", 1)[1].split("</div>", 1)[0]
    assert "Hilltown &amp; District Women&#x27;s Hospital" in banner and "Qingshan" not in page
    assert "<title>Suspected STEMI: the first 90 minutes - CareBridge: Hilltown &amp; District Women&#39;s" in page
    assert "Qingshan" in _page(tree, STEMI)
    site = tree / "site" / "editions" / "hilltown-county"
    assert not any(MARK in p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json", ".js"))
    kept = _site_bytes(site)
    carebridge(tree, "build", "--edition", "hilltown-county", *ONLY, "--site-dir", str(tmp_path / "off"),
               env_extra={"CAREBRIDGE_CACHE_DIR": "off"})
    assert kept == _site_bytes(tmp_path / "off")


def test_listing_one_more_edition_makes_no_page_of_the_base_site_again(tree: Path, tmp_path: Path) -> None:
    """mkdocs.yml's list of editions makes only the base site's editions page and its entry in the
    navigation: the protocols' pages are kept (config_key). Material's pages around them carry the
    navigation, so they are made again only when the editions page comes or goes."""
    config = tree / "mkdocs.yml"
    edit(config, "editions: [qingshan-county, riverside-international]", "editions: [qingshan-county]")
    first = carebridge(tree, "build", "-v", *ONLY)
    assert _counts(first.stderr) == [(0, 3)], first.stderr
    edit(config, "editions: [qingshan-county]", "editions:\n        - riverside-international\n        - qingshan-county")
    again = carebridge(tree, "build", "-v", *ONLY)
    assert _counts(again.stderr) == [(3, 0)], again.stderr
    (theme,) = _counts(again.stderr, "theme")
    assert theme[1] == 1, again.stderr  # the editions page alone: it lists one more hospital
    listed = (tree / "site" / "editions" / "index.html").read_text(encoding="utf-8")
    assert "Riverside" in listed and (tree / "site" / "editions" / "riverside-international" / STEMI).is_file()
    # the same site, byte for byte, as a build that keeps nothing makes
    carebridge(tree, "build", *ONLY, "--site-dir", str(tmp_path / "off"), env_extra={"CAREBRIDGE_CACHE_DIR": "off"})
    assert _site_bytes(tree / "site") == _site_bytes(tmp_path / "off")
    edit(config, "\nextra:\n", "\nextra:\n  note: any other edit of mkdocs.yml counts\n")
    assert _counts(carebridge(tree, "build", "-v", *ONLY).stderr) == [(0, 3)]


def test_a_first_edition_reuses_the_base_sites_pages_that_read_nothing_its_hospital_says(tree: Path,
                                                                                           tmp_path: Path) -> None:
    """The base site asks its pages' questions of ``NoEdition``, which answers as a hospital that
    says nothing: a protocol whose pages name no role, drug or resource the hospital speaks of, and
    no variant for its country, is one kept page for the base site and the hospital's edition (the
    edition's banner and the side-by-side link are settled per site). Both ways round."""
    only = ("--only", "stemi-first-90-minutes", "--only", "patient-identification", "--only",
            "inpatient-falls-prevention")
    edit(tree / "mkdocs.yml", "editions: [qingshan-county, riverside-international]", "editions: []")
    base = carebridge(tree, "build", "-v", *only)
    assert _counts(base.stderr) == [(0, 3)], base.stderr
    assert "side-by-side pages: 0 reused, 3 made" in base.stderr  # kept apart: an edition has none
    edition = carebridge(tree, "build", "-v", "--edition", EDITION, *only)
    assert _counts(edition.stderr) == [(2, 1)], edition.stderr  # STEMI names the PCI centre: made for the hospital
    assert "side-by-side pages: 0 reused, 0 made" in edition.stderr
    site = tree / "site" / "editions" / EDITION
    falls = (site / "protocols/nursing/inpatient-falls-prevention/index.html").read_text(encoding="utf-8")
    assert "cb-banner--edition" in falls and "compare/" not in falls and not (site / "compare").exists()
    base_falls = (tree / "site/protocols/nursing/inpatient-falls-prevention/index.html").read_text(encoding="utf-8")
    assert "cb-banner--edition" not in base_falls and "compare/inpatient-falls-prevention/" in base_falls
    def base_site(folder: Path) -> dict[str, bytes]:
        return {name: data for name, data in _site_bytes(folder).items() if not name.startswith("editions/")}

    kept = _site_bytes(site), base_site(tree / "site")
    carebridge(tree, "build", "--edition", EDITION, *only, "--site-dir", str(tmp_path / "edition"),
               env_extra={"CAREBRIDGE_CACHE_DIR": "off"})
    carebridge(tree, "build", *only, "--site-dir", str(tmp_path / "base"), env_extra={"CAREBRIDGE_CACHE_DIR": "off"})
    assert kept == (_site_bytes(tmp_path / "edition"), base_site(tmp_path / "base"))
    # and the other way: a base site built after the edition reuses the pages the edition made
    edit(tree / "mkdocs.yml", "\nextra:\n", "\nextra:\n  note: a new key for every page\n")
    assert _counts(carebridge(tree, "build", "-v", "--edition", EDITION, *only).stderr) == [(0, 3)]
    again = carebridge(tree, "build", "-v", *only).stderr
    assert _counts(again) == [(2, 1)] and "side-by-side pages: 0 reused, 3 made" in again  # (-v: a making's log is in its key)
    assert "side-by-side pages: 3 reused, 0 made" in carebridge(tree, "build", "-v", *only).stderr
