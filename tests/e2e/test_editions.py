"""Hospital editions end to end: `carebridge build --edition` on the repository's STEMI protocol
and the fictional county edition, checked in the HTML and in Chromium in both languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_library

from .conftest import BuiltSite, carebridge

STEMI = "protocols/cardiology/stemi-first-90-minutes/"
COUNTY_EXTENSION = "ext. 8180"  # the county edition's (fictional) transfer desk for the PCI centre


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The county edition of the STEMI protocol, built from a copy of the repository."""
    tree = tmp_path_factory.mktemp("edition")
    copy_library(tree)
    carebridge(tree, "build", "--strict", "--edition", "qingshan-county", "--only", "stemi-first-90-minutes")
    return BuiltSite(tree, tree / "site" / "editions" / "qingshan-county")


def test_county_stemi_page_marks_the_missing_cath_lab_and_fills_the_contact(county: BuiltSite) -> None:
    en = county.page(STEMI)
    zh = county.page("zh/" + STEMI)
    for html, missing in ((en, "Not available at this hospital: cath lab 24/7."), (zh, "本院没有：24/7导管室。")):
        assert missing in html
        assert 'class="cb-goto" href="#fibrinolysis"' in html.split("cb-requires", 1)[1]
        assert COUNTY_EXTENSION in html
        assert "{contact:" not in html
        assert "cb-banner--edition" in html and "cb-local-note" in html
    assert "Qingshan County People&#39;s Hospital (fictional)" in en
    assert "青山县人民医院（虚构）" in zh
    # The site's name (header, <title>) carries the hospital's name in the page's language.
    assert "<title>Suspected STEMI: the first 90 minutes - CareBridge: Qingshan County People&#39;s Hospital" in en
    assert "- CareBridge: 青山县人民医院（虚构）</title>" in zh
    assert 'aria-label="CareBridge: 青山县人民医院（虚构）"' in zh


def test_the_edition_home_page_carries_its_banner_and_the_base_home_does_not(county: BuiltSite) -> None:
    for prefix, name in (("", "Hospital edition: Qingshan County People"), ("zh/", "青山县人民医院（虚构）")):
        home = county.page(prefix)
        banner = home.split("cb-banner--edition", 1)[1].split("</div>", 1)[0]
        assert name in banner and "0.1.0" in banner
    base = county.tree / "base-site"  # not site/: the other tests read the edition built there
    carebridge(county.tree, "build", "--only", "stemi-first-90-minutes", "--site-dir", str(base))
    assert "cb-banner--edition" not in (base / "index.html").read_text(encoding="utf-8")
    assert "cb-banner--edition" in (base / "editions" / "qingshan-county" / "index.html").read_text(encoding="utf-8")


def test_the_translators_side_by_side_stays_on_the_base_site(county: BuiltSite) -> None:
    assert not (county.site / "compare").exists() and not (county.site / "zh" / "compare").exists()
    assert "compare/" not in county.page(STEMI) and "compare/" not in county.page("zh/" + STEMI)
    assert (county.site / "translation-status" / "index.html").is_file()  # the about page links it
    base = county.tree / "base-site-2"
    carebridge(county.tree, "build", "--only", "stemi-first-90-minutes", "--site-dir", str(base))
    assert (base / "compare" / "stemi-first-90-minutes" / "index.html").is_file()


def test_an_unknown_edition_is_a_usage_error_naming_the_known_ones(county: BuiltSite) -> None:
    result = carebridge(county.tree, "build", "--edition", "qingshan", "--only", "stemi-first-90-minutes", check=False)
    assert result.returncode == 1
    assert "no edition 'qingshan'" in result.stderr + result.stdout
    assert "did you mean 'qingshan-county'?" in result.stderr + result.stdout


def test_browser_county_stemi_page_in_both_languages(county: BuiltSite, browser: Any,
                                                     serve: Callable[[Path], str]) -> None:
    url = serve(county.site)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=url + "/")
    try:
        page = context.new_page()
        for prefix, missing in (("", "Not available at this hospital"), ("zh/", "本院没有")):
            page.goto(prefix + STEMI)
            marker = page.locator(".cb-requires").first
            assert marker.is_visible()
            assert missing in marker.inner_text()
            assert marker.locator("a.cb-goto").get_attribute("href") == "#fibrinolysis"
            step = page.locator("#step-fibrinolysis-body")
            assert COUNTY_EXTENSION in step.inner_text()
            assert page.locator(".cb-banner--edition").is_visible()
            marker.locator("a.cb-goto").click()
            assert page.url.endswith("#fibrinolysis")
    finally:
        context.close()


def test_the_base_build_with_editions_fails_strict_on_a_dose_changed_in_any_of_its_sites(
        tmp_path: Path) -> None:
    """The base site and both editions build in shared processes; a number changed in the Chinese
    catalog is reported by every site that shows the page (each with its name), and --strict
    leaves the site built before it as it was."""
    tree = tmp_path / "project"
    copy_library(tree)
    only = ("--only", "stemi-first-90-minutes")
    carebridge(tree, "build", "--strict", *only)
    site = tree / "site"
    for edition in ("qingshan-county", "riverside-international"):
        for prefix in ("", "zh/"):
            assert (site / "editions" / edition / prefix / STEMI / "index.html").is_file()
    before = (site / "editions" / "qingshan-county" / "zh" / STEMI / "index.html").read_bytes()
    catalog = tree / "locales" / "zh_CN" / "LC_MESSAGES" / "stemi-first-90-minutes.po"
    text = catalog.read_text(encoding="utf-8")
    wrong = "预计从STEMI诊断到PCI的时间是否不超过90分钟？"
    catalog.write_text(text.replace("预计从STEMI诊断到PCI的时间是否不超过120分钟？", wrong, 1), encoding="utf-8")
    run = carebridge(tree, "build", "--strict", *only, check=False)
    assert run.returncode == 1
    reported = [line for line in run.stderr.splitlines() if "translation not published" in line]
    for name in ("[zh_CN]", "[edition qingshan-county zh_CN]", "[edition riverside-international zh_CN]"):
        assert any(line.startswith("WARNING") and name in line and "120" in line for line in reported), (name, reported)
    assert (site / "editions" / "qingshan-county" / "zh" / STEMI / "index.html").read_bytes() == before
    assert not list(site.parent.glob(".site.carebridge-*")) and not list(site.glob(".carebridge-*"))
