"""A night-shift nurse reading the real PPH protocol in Chromium: At a glance fits one screen, the
phone flowchart is a list, the checklist prints on one A4 sheet, the language menu keeps the step,
the colour scheme follows the device, no console errors, and no unmarked English on Chinese pages."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, BuiltSite, carebridge

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PPH = "protocols/obstetrics/postpartum-haemorrhage/"
CHECKLIST = "checklist/postpartum-haemorrhage/"
NewPage = Callable[..., Any]


@pytest.fixture(scope="session")
def pph(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The repository's own PPH protocol and its zh_CN translation, built as the site builds it."""
    tree = tmp_path_factory.mktemp("pph") / "project"
    tree.mkdir()
    for folder in ("protocols", "locales", "docs", "overrides", "schema"):
        shutil.copytree(REPO / folder, tree / folder)
    # The hospital editions are built and tested in test_editions; here the PPH pages alone.
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (tree / "mkdocs.yml").write_text(re.sub(r"(?m)^ +editions: \[.*\]\n", "", config), encoding="utf-8")
    carebridge(tree, "build", "--only", "obstetrics/postpartum-haemorrhage")
    return BuiltSite(tree, tree / "site")


@pytest.fixture(scope="session")
def pph_url(pph: BuiltSite, serve: Callable[[Path], str]) -> str:
    return serve(pph.site)


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_pph_at_a_glance_fits_one_screen_at_1366x900(new_page: NewPage, pph_url: str, artifacts: Path,
                                                      lang: str) -> None:
    page = new_page(width=1366, height=900, site=pph_url)
    page.goto(lang + PPH)
    glance = page.locator(".cb-glance")
    glance.scroll_into_view_if_needed()
    header = page.locator(".md-header").bounding_box()["height"]
    box = glance.bounding_box()
    assert box["height"] <= 900 - header, f"At a glance is {box['height']:.0f}px tall"
    glance.screenshot(path=str(artifacts / f"glance-{lang.strip('/') or 'en'}-1366.png"))
    # every dose of every step is in it, each linking to its step
    rows = glance.locator(".cb-glance__doses tbody tr")
    assert rows.count() == 4
    assert [rows.nth(i).locator("a").get_attribute("href") for i in range(4)] == [
        "#uterotonic-at-birth", "#uterotonic-at-birth", "#first-response-bundle", "#first-response-bundle"]
    doses = " ".join(glance.locator(".cb-dose").all_inner_texts()).replace("\xa0", " ")
    assert doses == ("10 单位 600 μg 1 g 800 μg" if lang else "10 units 600 mcg 1 g 800 mcg")
    rows.nth(2).locator("a").click()
    assert page.locator("#first-response-bundle").is_visible()


def test_language_menu_keeps_the_step_the_reader_is_on(new_page: NewPage, pph_url: str) -> None:
    page = new_page(site=pph_url)
    page.goto(PPH + "#first-response-bundle")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.cb-lang-link[hreflang^="zh"]').click()
    page.wait_for_url(f"{pph_url}/zh/{PPH}#first-response-bundle")
    page.locator(".md-header__option .md-select").first.hover()
    page.locator('a.cb-lang-link[hreflang="en"]').click()
    page.wait_for_url(f"{pph_url}/{PPH}#first-response-bundle")


@pytest.mark.parametrize("url", ["", PPH, CHECKLIST, "zh/", "zh/" + PPH, "zh/" + CHECKLIST])
def test_no_console_errors_and_no_failed_requests(new_page: NewPage, pph_url: str, url: str) -> None:
    """Material once fetched sitemap.xml beside each hreflang link: two 404s on every page."""
    page = new_page(site=pph_url)
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    assert not failed and not errors, failed + errors


@pytest.mark.parametrize(("device", "scheme"), [("dark", "slate"), ("light", "default")])
def test_colour_scheme_follows_the_device(new_page: NewPage, pph_url: str, device: str, scheme: str) -> None:
    page = new_page(site=pph_url, color_scheme=device)
    page.goto("zh/" + PPH)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    assert toggle.get_attribute("title") in ("切换到深色模式（夜班）", "切换到浅色模式")


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_flowchart_on_a_phone_is_a_top_down_list(new_page: NewPage, pph_url: str, lang: str) -> None:
    page = new_page(width=375, height=812, site=pph_url)
    page.goto(lang + PPH)
    assert not page.locator("svg.cb-flowchart").is_visible()
    steps = page.locator(".cb-flow-list > li")
    assert steps.count() == 6
    body = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cb-step p')).fontSize)")
    for i in range(steps.count()):
        item = steps.nth(i)
        assert item.is_visible()
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        assert item.evaluate("e => e.scrollWidth <= e.clientWidth"), "text clipped"
        size = item.locator("a").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= body
        assert box["y"] > steps.nth(i - 1).bounding_box()["y"] if i else True  # top-down
    steps.nth(1).locator('a[href="#first-response-bundle"]').click()
    assert page.locator("#first-response-bundle").is_visible()
    desktop = new_page(width=1366, height=900, site=pph_url)
    desktop.goto(lang + PPH)
    assert desktop.locator("svg.cb-flowchart").is_visible() and not desktop.locator(".cb-flow-list").is_visible()


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_pph_checklist_prints_on_one_a4_page(new_page: NewPage, pph_url: str, artifacts: Path, lang: str) -> None:
    from pypdf import PdfReader

    page = new_page(site=pph_url)
    page.goto(lang + PPH)
    page.locator(".cb-glance__print").click()
    page.wait_for_url(f"{pph_url}/{lang}{CHECKLIST}")
    pdf = page.pdf(format="A4")
    (artifacts / f"checklist-{lang.strip('/') or 'en'}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(unicodedata.normalize("NFKC", reader.pages[0].extract_text() or "").split())
    for wanted in (["1000 mL", "800 μg", "单位"] if lang else ["1000 mL", "800 mcg", "10 units", "Observe and hand over"]):
        assert wanted in text, wanted
    assert page.locator('meta[name="robots"]').count() == 0  # a real page, just not in search
    index = (pph_url, lang)
    assert CHECKLIST not in page.evaluate("u => fetch(u).then(r => r.text())", f"{index[0]}/{lang}search/search_index.json")


# Text nodes with no CJK and an English word must sit inside lang="en" (screen readers, fonts, search).
_UNMARKED_ENGLISH = """() => {
  const out = [], cjk = /[\\u3400-\\u9fff]/, walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement, text = walker.currentNode.textContent.trim();
    if (!text || cjk.test(text) || !/[A-Za-z]{4,}/.test(text) || text === "CareBridge") continue;
    if (el.closest("script, style")) continue;
    const lang = (el.closest("[lang]") || document.documentElement).getAttribute("lang");
    if (!lang.startsWith("en")) out.push(`${el.tagName}.${el.className}: ${text.slice(0, 60)}`);
  }
  return out;
}"""


@pytest.mark.parametrize("url", ["zh/", "zh/" + PPH, "zh/" + CHECKLIST, "zh/translation-status/",
                                 "zh/compare/postpartum-haemorrhage/"])
def test_no_unmarked_english_on_chinese_pages(new_page: NewPage, pph_url: str, url: str) -> None:
    page = new_page(site=pph_url)
    page.goto(url)
    assert page.evaluate(_UNMARKED_ENGLISH) == []
    labels = page.locator("form[data-md-component=palette] label").evaluate_all("ls => ls.map(l => l.title)")
    assert labels and not [label for label in labels if not any("\u4e00" <= c <= "\u9fff" for c in label)]


# Every Latin word of every dose table cell, with how many lines it is laid out on; and every
# cell's line count (distinct line tops of its text).
_DOSE_CELLS = """() => [...document.querySelectorAll(".cb-dose-table td, .cb-dose-table th, .cb-dose-table caption")]
  .map(cell => {
    const words = [], tops = new Set(), walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, re = /[A-Za-z][A-Za-z'\\u2019-]*[A-Za-z]/g;
      const all = document.createRange(); all.selectNodeContents(node);
      for (const r of all.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      for (let m; (m = re.exec(node.data));) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        words.push([m[0], lines.size]);
      }
    }
    return {tag: cell.tagName, cls: cell.className, text: cell.textContent.trim().slice(0, 50), lines: tops.size, words,
            fits: cell.scrollWidth <= cell.clientWidth + 1};
  })"""


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_dose_tables_never_break_a_word(new_page: NewPage, pph_url: str, artifacts: Path, lang: str,
                                        width: int) -> None:
    """Issue #15: "tranexam|ic acid", "(intramu|scular)", a frequency cell of 8 lines, a source column
    a sixth of the width, and the 剂量 caption one character per line on phones."""
    page = new_page(width=width, height=900 if width > 375 else 812, site=pph_url)
    page.goto(lang + PPH + "#first-response-bundle")
    page.screenshot(path=str(artifacts / f"doses-{lang.strip('/') or 'en'}-{width}.png"))
    cells = page.evaluate(_DOSE_CELLS)
    assert len(cells) > 20
    broken = [(c["text"], word) for c in cells for word, lines in c["words"] if lines > 1]
    assert not broken, f"words broken across lines: {broken}"
    assert all(c["fits"] for c in cells), [c["text"] for c in cells if not c["fits"]]
    for c in cells:
        if c["tag"] == "CAPTION":
            assert c["lines"] == 1, f"caption {c['text']!r} on {c['lines']} lines"
        elif "cb-dose-table__more" not in c["cls"]:  # the short columns (notes and source sit under them)
            assert c["lines"] <= 5, f"{c['text']!r} runs to {c['lines']} lines"
    # the citation is under each dose, not a column of its own
    assert page.locator(".cb-dose-table th").all_inner_texts() and not [
        th for th in page.locator(".cb-dose-table th").all_inner_texts() if th.strip() in ("Source", "依据")]
    assert page.locator(".cb-dose-table__more .cb-cite").count() == page.locator(".cb-dose-table__med").count()
    assert page.evaluate("[...document.querySelectorAll('.cb-doses')].every(d => d.scrollWidth <= d.clientWidth)")
    if width == 375:  # phones: each medication is a card
        assert page.locator(".cb-dose-table__med").first.evaluate("e => getComputedStyle(e).display") == "block"


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_red_flags_in_steps_are_at_least_body_size(new_page: NewPage, pph_url: str, lang: str) -> None:
    page = new_page(width=1366, height=900, site=pph_url)
    page.goto(lang + PPH)
    sizes = page.evaluate("""() => {
      const px = e => parseFloat(getComputedStyle(e).fontSize);
      return {body: px(document.querySelector(".cb-step p, .cb-step li")),
              flags: [...document.querySelectorAll(".cb-step .cb-redflags li, .cb-step .cb-redflags .admonition-title")].map(px),
              weight: Math.min(...[...document.querySelectorAll(".cb-step .cb-redflags li")].map(
                e => parseInt(getComputedStyle(e).fontWeight)))};
    }""")
    assert sizes["flags"] and min(sizes["flags"]) >= sizes["body"], sizes
    assert sizes["weight"] >= 600, sizes


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_side_by_side_page_has_every_text_of_the_protocol(new_page: NewPage, pph: BuiltSite, pph_url: str,
                                                          lang: str) -> None:
    """Issue #15: amounts, routes, maximum doses, red flags, scope, branches, rationale and sources
    were missing. Every msgctxt of the catalog is a row, and both sides of every row have text."""
    from babel.messages.pofile import read_po

    with (pph.tree / "locales/zh_CN/LC_MESSAGES/postpartum-haemorrhage.po").open("rb") as handle:
        contexts = {m.context for m in read_po(handle) if m.id and m.context}
    page = new_page(width=1366, height=900, site=pph_url)
    page.goto(lang + "compare/postpartum-haemorrhage/")
    rows = page.locator(".cb-compare__row[data-msgctxt]")
    shown = set(rows.evaluate_all("rs => rs.map(r => r.dataset.msgctxt)"))
    assert contexts and not contexts - shown, sorted(contexts - shown)
    assert all(text.strip() for text in rows.locator(":scope > div").all_inner_texts())
    english = " ".join(page.locator('.cb-compare__row > div[lang="en"]').all_inner_texts()).replace("\xa0", " ")
    chinese = " ".join(page.locator('.cb-compare__row > div[lang^="zh"]').all_inner_texts()).replace("\xa0", " ")
    for wanted in ("10 units", "IM (intramuscular)", "2 doses in total", "Go to step 5"):
        assert wanted in english, wanted
    for wanted in ("10 单位", "800 μg", "总共2剂"):
        assert wanted in chinese, wanted
    assert page.locator(".cb-sources li").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


@pytest.mark.parametrize("width", [1366, 375])
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_translation_status_titles_keep_their_width(new_page: NewPage, pph_url: str, lang: str, width: int) -> None:
    """Issue #15: thirteen columns squeezed titles to one character per line (5,700 px for 12 rows)."""
    page = new_page(width=width, height=900 if width > 375 else 812, site=pph_url)
    page.goto(lang + "translation-status/")
    m = page.evaluate("""() => {
      const rows = [...document.querySelectorAll('.cb-status tbody tr')];
      return {rows: rows.length, tallest: Math.max(...rows.map(r => r.getBoundingClientRect().height)),
              narrowest: Math.min(...rows.map(r => r.querySelector('.cb-status__title').getBoundingClientRect().width)),
              em: parseFloat(getComputedStyle(document.querySelector('.cb-status tbody td')).fontSize),
              page: document.documentElement.scrollWidth,
              sticky: getComputedStyle(document.querySelector('.cb-status tbody .cb-status__title')).position};
    }""")
    assert m["rows"] >= 1
    assert m["narrowest"] >= 8 * m["em"], m  # never one character per line
    assert m["page"] <= width, m  # the table scrolls inside its own box, not the page
    if width == 1366:
        assert m["tallest"] <= 300, m
    else:
        assert m["sticky"] == "sticky", m
