"""The offline bundle: the site copied to a USB stick and opened from disk (file://), search included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import carebridge, translated_tree
from .test_browser import search
from .test_policy import unexplained

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = translated_tree(tmp_path_factory.mktemp("offline") / "project")
    (tree / "locales" / "zh_CN" / "synonyms.yaml").write_text(
        "terms:\n  - term: 对乙酰氨基酚\n    aliases: [扑热息痛]\n", encoding="utf-8")
    (tree / "locales" / "en").mkdir()
    (tree / "locales" / "en" / "synonyms.yaml").write_text(
        "terms:\n  - term: paracetamol\n    aliases: [acetaminophen]\n", encoding="utf-8")
    out = tree / "usb-stick"
    carebridge(tree, "build", "--offline", "--site-dir", str(out))
    return out


def test_bundle_uses_file_names_and_has_no_remote_script(bundle: Path) -> None:
    page = bundle / "zh" / "protocols" / "nursing" / "example-escalation.html"
    assert page.is_file()
    assert (bundle / "zh" / "search" / "search_index.js").is_file()
    for html in bundle.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "cdn" not in text.lower(), html
        assert 'href="protocols/nursing/example-escalation/"' not in text  # no directory links on disk


def test_bundle_works_from_disk_in_both_languages(browser: Any, bundle: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    remote: list[str] = []
    page.on("request", lambda r: remote.append(r.url) if not r.url.startswith(("file://", "data:", "blob:")) else None)
    page.goto((bundle / "zh" / "protocols" / "nursing" / "example-escalation.html").as_uri())
    assert page.evaluate("document.documentElement.lang").startswith("zh")
    assert "示例上报方案" in page.locator("article h1").inner_text()
    results = search(page, "评估")
    assert any("评估" in text for text, _ in results), results
    english = page.locator('a.cb-lang-link[hreflang="en"]').first.get_attribute("href")
    assert english is not None
    page.goto(english if english.startswith("file:") else page.url.rsplit("/", 1)[0] + "/" + english)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.endswith("/protocols/nursing/example-escalation.html")
    assert remote == []
    page.close()


def test_bundle_runs_from_disk_under_its_content_security_policy(browser: Any, bundle: Path) -> None:
    # The search worker runs in an iframe from file://; its globals come from a file, not an inline script.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script('window.__csp = []; document.addEventListener("securitypolicyviolation", '
                         'e => window.__csp.push(e.effectiveDirective + " " + e.blockedURI))')
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for language in ("", "zh/"):
        page.goto((bundle / f"{language}protocols" / "nursing" / "example-escalation.html").as_uri())
        assert 'http-equiv="Content-Security-Policy"' in page.content()
        assert search(page, "评估" if language else "assess"), language
        assert page.evaluate("window.__csp") == [] and page.evaluate("document.querySelectorAll('iframe').length") == 1
    assert unexplained(errors) == []
    page.close()


@pytest.mark.parametrize(("language", "query", "found"), [
    ("zh", "扑热息痛", "对乙酰氨基酚"),   # a synonym: the manifest, a shard and a page from disk
    ("zh", "扑热息通", "对乙酰氨基酚"),   # the synonym typed with a homophone: the sounds table from disk too
    ("zh", "示例上报方案", "示例上报方案"),
    ("", "acetaminophen", "paracetamol"),
    ("", "respiratory", "Respiratory rate"),  # the steps' full text
])
def test_search_works_from_disk_with_synonyms_and_full_text(browser: Any, bundle: Path, language: str, query: str,
                                                             found: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:", "blob:")) else None)
    page.goto((bundle / language / "index.html").as_uri())
    results = search(page, query)
    assert results and results[0][1].startswith("file://"), results
    assert "example-escalation.html" in results[0][1]
    assert found in results[0][0], results[0]
    assert outside == []
    page.close()
