"""The built site as files: determinism, languages, fallbacks, hreflang, no third-party assets,
unsafe translations neutralised, and ``build --strict`` stopping on a changed dose."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from . import conftest as e2e_conftest
from .conftest import PROTOCOL, SITE_CATALOG, ZH_CATALOG, BuiltSite, carebridge, translated_tree

pytestmark = pytest.mark.slow

ZH_PROTOCOL = "zh/" + PROTOCOL
# Hosts that must never serve a byte of the site: blocked or slow in mainland China, and wards go offline.
FORBIDDEN_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com",
                   "ajax.googleapis.com", "code.jquery.com", "use.fontawesome.com", "stackpath.bootstrapcdn.com")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ABSOLUTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", re.IGNORECASE)
_JS_ATTR_URL = re.compile(r"""\b(?:src|href)\s*[=:]\s*["'`]((?:https?:)?//[^"'`]+)""", re.IGNORECASE)


def html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def parse(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


def gzip_mtime(path: Path) -> int:
    """MTIME field of a gzip header (bytes 4-8, little endian)."""
    return int.from_bytes(path.read_bytes()[4:8], "little")


# --- determinism -----------------------------------------------------------------------------------


def test_build_is_deterministic(built: BuiltSite, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    carebridge(built.tree, "build", "--site-dir", str(first))
    carebridge(built.tree, "build", "--site-dir", str(second))
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert "zh/search/search_index.json" in files
    # MkDocs stamps sitemap.xml.gz with midnight (UTC) of the build day, so only builds on either
    # side of midnight differ there; then compare what the archive holds.
    stamps = {gzip_mtime(first / "sitemap.xml.gz"), gzip_mtime(second / "sitemap.xml.gz")}
    assert all(stamp % 86_400 == 0 for stamp in stamps), "gzip mtime is no longer the build day"
    different = []
    for name in files:
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if name.endswith("sitemap.xml.gz") and len(stamps) > 1:
            a, b = gzip.decompress(a), gzip.decompress(b)
        if a != b:
            different.append(name)
    assert not different, f"files differ between two builds of the same tree: {different}"


# --- languages -------------------------------------------------------------------------------------


def test_chinese_site_is_built_under_zh(built: BuiltSite) -> None:
    assert (built.site / "zh" / "index.html").is_file()
    assert (built.site / ZH_PROTOCOL / "index.html").is_file()
    assert (built.site / "zh" / "search" / "search_index.json").is_file()


def test_every_page_declares_its_language(built: BuiltSite) -> None:
    wrong = []
    for path in html_files(built.site):
        rel = path.relative_to(built.site).as_posix()
        lang = parse(path.read_text(encoding="utf-8")).get("lang", "")
        ok = lang.startswith("zh") if rel.startswith("zh/") else lang == "en"
        if not ok:
            wrong.append(f"{rel}: lang={lang!r}")
    assert not wrong
    assert '<html lang="zh' in built.page("zh/")
    assert '<html lang="en"' in built.page(PROTOCOL)


def test_chinese_protocol_page_shows_translations(built: BuiltSite) -> None:
    text = parse(built.page(ZH_PROTOCOL)).text_content()
    for translated in ("示例上报方案", "评估患者", "收缩压低于90 mmHg", "对乙酰氨基酚", "危险信号：立即处理", "步骤"):
        assert translated in text


def test_fuzzy_translation_is_never_published(built: BuiltSite) -> None:
    for path in built.site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml"}:
            assert "继续监测" not in path.read_text(encoding="utf-8"), path.relative_to(built.site)
    doc = parse(built.page(ZH_PROTOCOL))
    holders = doc.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " cb-fallback ")]'
                        '[@lang="en"][contains(., "Continue monitoring")]')
    assert holders, "the English fallback is not marked class=cb-fallback lang=en"
    unmarked = _unmarked_english(doc.xpath('//article')[0], "Continue monitoring")
    assert not unmarked, f"English fallback not marked in the content: {unmarked}"


def _unmarked_english(root: lxml.html.HtmlElement, english: str) -> list[str]:
    """Elements under ``root`` showing ``english`` outside any ``cb-fallback`` ``lang="en"`` element."""
    found = []
    for node in root.xpath(f'.//text()[contains(., "{english}")]'):
        parent = node.getparent()
        if not any("cb-fallback" in (e.get("class") or "") and e.get("lang") == "en"
                   for e in [parent, *parent.iterancestors()]):
            found.append(" ".join(lxml.html.tostring(parent, encoding="unicode").split()))
    return found


def test_fallback_step_titles_are_marked_english_in_the_table_of_contents(built: BuiltSite) -> None:
    doc = parse(built.page(ZH_PROTOCOL))
    toc = doc.xpath('//nav[contains(@class, "md-nav--secondary")]')
    assert toc, "no table of contents"
    assert not _unmarked_english(toc[0], "Continue monitoring")


def test_incomplete_translation_is_announced(built: BuiltSite) -> None:
    doc = parse(built.page(ZH_PROTOCOL))
    notice = doc.xpath('//*[contains(@class, "cb-banner--incomplete")]')
    assert notice, "no 'translation incomplete' notice on a partly translated page"
    assert "Translation incomplete" in notice[0].text_content()
    assert not parse(built.page(PROTOCOL)).xpath('//*[contains(@class, "cb-banner--incomplete")]')


def _index_file(path: Path) -> list[Any]:
    """The arguments of one search index script, ``cbShard("he",{...});`` -> ["he", {...}]."""
    match = re.fullmatch(r"cb\w+\((.*)\);\n", path.read_text(encoding="utf-8"), re.S)
    assert match, path
    return list(json.loads(f"[{match.group(1)}]"))


def _search_pages(built: BuiltSite, prefix: str = "") -> list[dict[str, Any]]:
    return [_index_file(p)[1] for p in sorted((built.site / prefix / "search" / "cb" / "f").glob("*.js"))]


def test_search_indexes_are_one_language_each(built: BuiltSite) -> None:
    english = _search_pages(built)
    chinese = _search_pages(built, "zh")
    assert english and not [p["u"] for p in english if p["u"].startswith("zh/")]
    assert any("评估" in section[1] for p in chinese for section in p["s"])
    assert not any("评估" in json.dumps(p, ensure_ascii=False) for p in english if p["u"].startswith("protocols/"))
    # Material's own index is left with its settings only: no page downloads a whole index.
    assert json.loads((built.site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"] == []


def test_search_index_keeps_drug_names_as_words(built: BuiltSite) -> None:
    pages = _search_pages(built)
    page = next(i for i, p in enumerate(pages) if p["u"] == PROTOCOL)
    escalate = next(i for i, section in enumerate(pages[page]["s"]) if section[0] == "escalate")
    key, words = _index_file(built.site / "search" / "cb" / "s" / "pa.js")
    postings = words["paracetamol"]
    at, places = 0, set()
    for i in range(0, len(postings), 3):
        at += postings[i]
        places.add((at, postings[i + 1]))
    assert key == "pa" and (page, escalate) in places


def test_chinese_text_on_english_pages_is_marked_chinese(built: BuiltSite) -> None:
    unmarked = []
    for path in html_files(built.site):
        rel = path.relative_to(built.site).as_posix()
        if rel.startswith("zh/"):
            continue
        for node in parse(path.read_text(encoding="utf-8")).xpath("//body//text()"):
            parent = node.getparent()
            if _CJK.search(node) and not any((e.get("lang") or "").startswith("zh")
                                             for e in [parent, *parent.iterancestors()]):
                unmarked.append(f"{rel}: <{parent.tag}> {node.strip()[:40]}")
    assert not unmarked, "\n".join(unmarked)


# --- hreflang --------------------------------------------------------------------------------------


def _alternates(built: BuiltSite, url: str) -> list[tuple[str, str]]:
    """(hreflang, absolute path) of each <link rel=alternate hreflang> in the head of ``url``."""
    head = parse(built.page(url)).head
    return [(link.get("hreflang"), urlsplit(urljoin(f"http://site/{url}", link.get("href"))).path)
            for link in head.xpath('.//link[contains(concat(" ", normalize-space(@rel), " "), " alternate ")][@hreflang]')]


@pytest.mark.parametrize("url", [PROTOCOL, ZH_PROTOCOL])
def test_head_links_each_language_of_the_same_page(built: BuiltSite, url: str) -> None:
    links = _alternates(built, url)
    assert ("en", f"/{PROTOCOL}") in links
    assert ("zh-Hans", f"/{ZH_PROTOCOL}") in links


@pytest.mark.parametrize("url", [PROTOCOL, ZH_PROTOCOL])
def test_head_has_one_alternate_per_language(built: BuiltSite, url: str) -> None:
    links = _alternates(built, url)
    assert sorted(links) == [("en", f"/{PROTOCOL}"), ("zh-Hans", f"/{ZH_PROTOCOL}")]


# --- no third-party assets -------------------------------------------------------------------------


def _third_party_in_html(path: Path, rel: str) -> list[str]:
    found = []
    doc = parse(path.read_text(encoding="utf-8"))
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("src", "href", "srcset", "poster", "data", "action", "formaction"):
            value = (element.get(attribute) or "").strip()
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
            for url in urls:
                if not _ABSOLUTE.match(url):
                    continue
                citation = element.tag == "a" and element.xpath('ancestor::ol[contains(@class, "cb-sources")]')
                if not citation:
                    found.append(f"{rel}: <{element.tag} {attribute}={url!r}>")
    return found


def test_no_third_party_urls_in_src_or_href(built: BuiltSite) -> None:
    found: list[str] = []
    for path in sorted(built.site.rglob("*")):
        rel = path.relative_to(built.site).as_posix()
        if path.name == "404.html":
            continue  # see test_language_menu_on_404_pages_stays_on_this_site
        if path.suffix == ".html":
            found += _third_party_in_html(path, rel)
        elif path.suffix == ".css":
            found += [f"{rel}: {url}" for url in _CSS_URL.findall(path.read_text(encoding="utf-8"))]
        elif path.suffix == ".js":
            found += [f"{rel}: {url}" for url in _JS_ATTR_URL.findall(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


def test_language_menu_on_404_pages_stays_on_this_site(built: BuiltSite) -> None:
    found = []
    for path in sorted(built.site.rglob("404.html")):
        found += _third_party_in_html(path, path.relative_to(built.site).as_posix())
    assert not found, "\n".join(found)


def test_no_web_fonts_or_cdn_anywhere(built: BuiltSite) -> None:
    # Material's JS bundle names unpkg.com only to lazy-load Mermaid and a ResizeObserver polyfill,
    # neither of which this site uses; the browser tests check that no request leaves 127.0.0.1.
    found = []
    for path in sorted(built.site.rglob("*")):
        if path.suffix in {".html", ".js", ".css"}:
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(built.site)}: {host}" for host in FORBIDDEN_HOSTS if host in text]
    assert not found, found


def test_only_citations_link_to_other_sites(built: BuiltSite) -> None:
    doc = parse(built.page(PROTOCOL))
    external = [a.get("href") for a in doc.xpath("//a[@href]") if _ABSOLUTE.match(a.get("href"))]
    assert external == ["https://example.org/fixture"]


# --- unsafe translations ---------------------------------------------------------------------------


def _zh_pages(site: BuiltSite) -> Iterator[tuple[str, str]]:
    for path in html_files(site.site / "zh"):
        yield path.relative_to(site.site).as_posix(), path.read_text(encoding="utf-8")


def _unsafe_markup(root: lxml.html.HtmlElement) -> list[str]:
    """Scripts with alert, event-handler attributes and javascript: URLs under ``root``."""
    found = [f"<script>{s.text}</script>" for s in root.iter("script") if "alert" in (s.text or "")]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or "javascript:" in value.lower().replace(" ", ""):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def test_unsafe_markup_in_translations_never_reaches_page_content(hostile: BuiltSite) -> None:
    # Inline texts are plain text, so a translated "<a href=javascript:...>" shows escaped: it must
    # never become an element or an attribute.
    for rel, text in _zh_pages(hostile):
        article = parse(text).xpath("//article")
        assert article, rel
        assert not _unsafe_markup(article[0]), rel
        assert "<script>alert" not in lxml.html.tostring(article[0], encoding="unicode"), rel


def test_unsafe_markup_in_translations_never_reaches_any_part_of_a_page(hostile: BuiltSite) -> None:
    found = []
    for rel, text in _zh_pages(hostile):
        found += [f"{rel}: {what}" for what in _unsafe_markup(parse(text))]
        if "<script>alert" in text:  # also inside <title>, where the parser sees text
            found.append(f"{rel}: raw <script>alert")
        if re.search(r"""=\s*["']?\s*javascript:""", text, re.IGNORECASE):
            found.append(f"{rel}: javascript: in an attribute")
    assert not found, "\n".join(found)


def test_unsafe_translations_are_escaped_or_dropped_not_lost(hostile: BuiltSite) -> None:
    # The page still shows something for each text: the escaped translation or the English fallback.
    text = parse(hostile.page(ZH_PROTOCOL)).text_content()
    assert "收缩压低于90 mmHg" in text or "Systolic blood pressure below 90 mmHg" in text
    assert "呼叫医生" in text or "Call the responsible doctor" in text


# --- build --strict --------------------------------------------------------------------------------


def test_strict_build_fails_when_a_translation_changes_a_dose(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project", protocol={"4 g in 24 hours": "24小时内最多4 mg"}, site={})
    result = carebridge(tree, "build", "--strict", check=False)
    assert result.returncode != 0, result.stderr
    assert "4 mg" in result.stdout + result.stderr or "4 g in 24 hours" in result.stdout + result.stderr


def test_strict_build_fails_when_a_translation_changes_a_number(tmp_path: Path) -> None:
    tree = translated_tree(tmp_path / "project", protocol={"4 g in 24 hours": "24小时内最多8 g"}, site={})
    result = carebridge(tree, "build", "--strict", check=False)
    assert result.returncode != 0, result.stderr
    assert "max_dose" in result.stderr and "not published" in result.stderr, result.stderr
    # Without --strict the page is published with the English text in place of the unsafe one.
    carebridge(tree, "build")
    page = (tree / "site" / "zh" / PROTOCOL / "index.html").read_text(encoding="utf-8")
    assert "8 g" not in page and "4 g in 24 hours" in page


def test_strict_build_passes_with_faithful_translations(built: BuiltSite, tmp_path: Path) -> None:
    # The control for the test above: the session's tree (nothing unsafe) builds under --strict.
    carebridge(built.tree, "build", "--strict", "--site-dir", str(tmp_path / "strict"))


@pytest.mark.parametrize(("required", "outcome"), [("", pytest.skip.Exception), ("1", pytest.fail.Exception)])
def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        required: str, outcome: type[BaseException]) -> None:
    monkeypatch.setattr(e2e_conftest, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CAREBRIDGE_REQUIRE_BROWSER", required)
    with pytest.raises(outcome, match="no-chromium"):
        e2e_conftest.require_chromium()


def test_catalogs_were_filled(built: BuiltSite) -> None:
    # Guards the fixtures: a renamed msgid would otherwise make every test above vacuous.
    zh = (built.tree / ZH_CATALOG).read_text(encoding="utf-8")
    assert 'msgstr "示例上报方案"' in zh
    assert re.search(r'#, fuzzy\n(?:#.*\n)*msgctxt "[^"]*monitor\.title"\nmsgid "Continue monitoring"', zh)
    assert 'msgstr "危险信号：立即处理"' in (built.tree / SITE_CATALOG).read_text(encoding="utf-8")



def test_every_internal_link_resolves_to_a_page(built: BuiltSite) -> None:
    """A link checker over the whole built site, both languages (protects the status page's links)."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urlsplit

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                self.hrefs += [v for k, v in attrs if k == "href" and v]

    broken = []
    for page in built.site.rglob("*.html"):
        if page.name == "404.html":
            continue  # served from any depth: its links are absolute on purpose
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "//")) or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(built.site)} -> {href}")
    assert not broken, broken[:10]


def test_only_builds_just_the_previewed_protocols(tmp_path: Path) -> None:
    """An editor's preview of one protocol in a large library (serve --only / build --only)."""
    tree = translated_tree(tmp_path / "project")
    source = tree / "protocols" / "nursing" / "example-escalation.yaml"
    other = tree / "protocols" / "nursing" / "other-protocol.yaml"
    other.write_text(source.read_text(encoding="utf-8").replace("id: example-escalation", "id: other-protocol"),
                     encoding="utf-8")
    carebridge(tree, "build", "--only", "other-protocol")
    site = tree / "site"
    assert (site / "protocols" / "nursing" / "other-protocol" / "index.html").is_file()
    assert (site / "zh" / "protocols" / "nursing" / "other-protocol" / "index.html").is_file()
    assert not (site / "protocols" / "nursing" / "example-escalation").exists()
    failed = carebridge(tree, "build", "--only", "nursing/no-such-protocol", check=False)
    assert failed.returncode == 2  # a mistake in the command, said before MkDocs starts
    assert "--only: error: [usage] 'nursing/no-such-protocol' matches no protocol under protocols/" in failed.stdout
    as_json = carebridge(tree, "build", "--format", "json", "--only", "nursing/no-such-protocol", check=False)
    assert as_json.returncode == 2
    assert json.loads(as_json.stdout)["problems"][0]["message"].endswith("matches no protocol under protocols/")


def test_plain_mkdocs_build_makes_the_same_bilingual_site(built: BuiltSite, tmp_path: Path) -> None:
    """`mkdocs build` with the plugin (no carebridge CLI) builds every language, identically."""
    import os
    import subprocess
    import sys

    out = tmp_path / "mkdocs-site"
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run([str(mkdocs), "build", "-q", "-d", str(out)], cwd=built.tree, check=True, timeout=300,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    for rel in ("index.html", "protocols/nursing/example-escalation/index.html",
                "zh/protocols/nursing/example-escalation/index.html", "zh/search/search_index.json"):
        assert (out / rel).read_bytes() == (built.site / rel).read_bytes(), rel
