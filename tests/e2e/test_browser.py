"""The built site in headless Chromium: languages, search, the language menu, no outside requests,
phones, print, screenshots and axe."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import PROTOCOL, BuiltSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZH_PROTOCOL = "zh/" + PROTOCOL
PHONE = 375
NewPage = Callable[..., Any]


# Material's search meta line shows its "type to start" text once the worker has loaded the index,
# and the count (or "no results") once a query ran; keys typed before that are lost.
_SEARCH_STATE = """(wanted) => {
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta");
  const text = meta ? meta.textContent.trim() : "";
  if (wanted === "ready") return text === words["search.result.placeholder"];
  return text !== words["search.result.placeholder"] &&
    (document.querySelector(".md-search-result__item") !== null || text === words["search.result.none"]);
}"""


def search(page: Any, term: str) -> list[tuple[str, str]]:
    """Type ``term`` in Material's search box; returns (text without \\u200b, href) of each result."""
    opener = page.locator('label.md-header__button[for="__search"]')
    if opener.is_visible():  # narrow screens: the search box opens from the header's search button
        opener.click()
    page.locator("input.md-search__input").click()
    page.wait_for_function(_SEARCH_STATE, arg="ready")
    # Like an IME committing Chinese: the text arrives at once and without key events (so there are
    # no half-typed queries to race with); a key press then makes the search box react.
    page.keyboard.insert_text(term)
    page.keyboard.press("End")
    page.wait_for_function(_SEARCH_STATE, arg="done")
    items = page.locator(".md-search-result__item")
    return [(items.nth(i).inner_text().replace("\u200b", ""),
             items.nth(i).locator("a.md-search-result__link").first.get_attribute("href") or "")
            for i in range(items.count())]


def open_language_menu(page: Any) -> None:
    page.locator(".md-header__option .md-select").first.hover()


# --- languages -------------------------------------------------------------------------------------


def test_chinese_home_declares_chinese(page: Any) -> None:
    page.goto("zh/")
    assert page.evaluate("document.documentElement.lang").startswith("zh")


def test_chinese_protocol_page_shows_chinese(page: Any) -> None:
    page.goto(ZH_PROTOCOL)
    assert page.locator("article h1").inner_text().strip() == "示例上报方案"
    assert page.locator("article h1").is_visible()
    assert page.get_by_text("危险信号：立即处理").is_visible()
    fallback = page.locator('article .cb-fallback[lang="en"]', has_text="Continue monitoring").first
    assert fallback.is_visible()


# --- search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, PHONE])
def test_chinese_search_finds_a_chinese_term(new_page: NewPage, width: int) -> None:
    page = new_page(width=width)
    page.goto("zh/")
    results = search(page, "评估")
    assert any("评估" in text for text, _ in results), results
    assert all("/zh/" in urlsplit(href).path for _, href in results), results


def test_english_search_finds_the_protocol_and_no_chinese_page(page: Any) -> None:
    page.goto("")
    results = search(page, "escalation")
    assert any(urlsplit(href).path == f"/{PROTOCOL}" for _, href in results), results
    assert not [href for _, href in results if "/zh/" in href]
    assert not [text for text, _ in results if re.search(r"[\u4e00-\u9fff]", text)]


def test_english_search_finds_a_drug_in_a_dose_table(page: Any) -> None:
    page.goto("")
    results = search(page, "paracetamol")
    assert any(urlsplit(href).path == f"/{PROTOCOL}" for _, href in results), results


# --- language menu ---------------------------------------------------------------------------------


def test_language_menu_keeps_the_reader_on_the_same_protocol(page: Any, base_url: str) -> None:
    page.goto(PROTOCOL)
    open_language_menu(page)
    to_chinese = page.locator('a.cb-lang-link[hreflang^="zh"]')
    assert to_chinese.get_attribute("lang", timeout=2_000) is not None
    to_chinese.click()
    page.wait_for_url(f"{base_url}/{ZH_PROTOCOL}")
    assert page.evaluate("document.documentElement.lang").startswith("zh")
    open_language_menu(page)
    page.locator('a.cb-lang-link[hreflang="en"]').click()
    page.wait_for_url(f"{base_url}/{PROTOCOL}")
    assert page.locator("article h1").inner_text().strip() == "Example escalation protocol"


# --- network ---------------------------------------------------------------------------------------


def test_no_request_leaves_the_site(page: Any) -> None:
    requests: list[str] = []
    # The context also sees the search worker's requests, which belong to no page.
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("request", lambda request: requests.append(request.url))
    for url, term in (("", "escalation"), (PROTOCOL, "assess"), ("zh/", "评估"), (ZH_PROTOCOL, "对乙酰氨基酚")):
        page.goto(url, wait_until="networkidle")
        search(page, term)
        page.wait_for_load_state("networkidle")
    assert any(u.endswith("/zh/search/search_index.json") for u in requests), "the search index was never loaded"
    outside = sorted({u for u in requests if urlsplit(u).hostname != "127.0.0.1" and not u.startswith("data:")})
    assert not outside, outside


# --- phones and print ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PROTOCOL, ZH_PROTOCOL])
def test_protocol_page_does_not_scroll_sideways_on_a_phone(new_page: NewPage, url: str) -> None:
    page = new_page(width=PHONE, height=812)
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"page is {width}px wide at a {PHONE}px viewport"


@pytest.mark.parametrize("url", [PROTOCOL, ZH_PROTOCOL])
def test_every_dose_column_is_in_view_on_a_desktop(page: Any, url: str) -> None:
    page.goto(url)
    hidden = page.evaluate("""() => [...document.querySelectorAll(".cb-doses th")].filter(th => {
        const box = th.getBoundingClientRect(), article = document.querySelector("article").getBoundingClientRect();
        return box.right > article.right + 1; }).map(th => th.textContent)""")
    assert not hidden, f"dose columns scrolled out of view at 1280 px: {hidden}"


def test_printed_protocol_keeps_red_flags_doses_and_sources(page: Any, artifacts: Path) -> None:
    from pypdf import PdfReader

    page.goto(PROTOCOL)
    pdf = page.pdf(format="A4")
    (artifacts / "protocol-en.pdf").write_bytes(pdf)
    # NFKC undoes the PDF's ligatures ("ﬁ") and no-break spaces.
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    text = " ".join(text.split())
    assert "Systolic blood pressure below 90 mmHg" in text
    assert "1 g" in text
    assert "A fixture source document" in text


# --- screenshots and accessibility -----------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, PHONE])
def test_screenshots(new_page: NewPage, artifacts: Path, width: int) -> None:
    page = new_page(width=width, height=900 if width > PHONE else 812)
    for name, url in (("home-en", ""), ("protocol-en", PROTOCOL), ("home-zh", "zh/"), ("protocol-zh", ZH_PROTOCOL)):
        page.goto(url)
        target = artifacts / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000, target


def settle(page: Any) -> None:
    """Wait out running CSS transitions: a scheme switch fades some 60 colours, and axe-core measuring
    halfway (dark text on the new dark background) reported contrast the reader never sees."""
    page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")


AXE_PAGES = {"home-en": "", "protocol-en": PROTOCOL, "home-zh": "zh/", "protocol-zh": ZH_PROTOCOL,
             "compare-zh": "zh/compare/example-escalation/", "status-en": "translation-status/",
             "status-zh": "zh/translation-status/", "drugs-zh": "zh/drugs/"}


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", AXE_PAGES)
def test_no_serious_accessibility_violations(page: Any, artifacts: Path, name: str, scheme: str) -> None:
    """Both colour schemes: the dark one is for night shifts (it once washed out the red flags)."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(AXE_PAGES[name])
    page.evaluate("(scheme) => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
    settle(page)
    violations = Axe().run(page).response["violations"]
    # Scrolled to the end, the table of contents dims the links already passed: a state of its own.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    if page.locator(".md-nav--secondary .md-nav__link").count() > 1:
        page.wait_for_selector(".md-nav__link--passed", state="attached")
    settle(page)
    violations += Axe().run(page).response["violations"]
    serious = [v for v in violations if v.get("impact") in ("serious", "critical")]
    (artifacts / f"axe-{name}-{scheme}.json").write_text(json.dumps(serious, indent=1, ensure_ascii=False),
                                                         encoding="utf-8")
    summary = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in serious]
    assert not serious, "\n".join(summary)


# --- hostile translations --------------------------------------------------------------------------


def test_translated_markup_never_runs(new_page: NewPage, hostile: BuiltSite, serve: Callable[[Path], str]) -> None:
    page = new_page(site=serve(hostile.site))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in ("zh/", ZH_PROTOCOL, "zh/compare/example-escalation/", "zh/translation-status/"):
        page.goto(url, wait_until="load")
    page.wait_for_timeout(200)
    assert not dialogs, f"translated markup ran: alert({dialogs})"


# --- side by side and flowchart --------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, PHONE])
def test_side_by_side_view_aligns_english_and_chinese(new_page: NewPage, base_url: str, width: int) -> None:
    page = new_page(width=width)
    page.goto(ZH_PROTOCOL)
    page.locator('a[href*="compare/example-escalation"]').first.click()
    page.wait_for_url(f"{base_url}/zh/compare/example-escalation/")
    rows = page.locator(".cb-compare__row")
    assert rows.count() > 5
    for i in range(rows.count()):
        cells = rows.nth(i).locator(":scope > div")
        assert cells.count() == 2
        assert cells.nth(0).get_attribute("lang") == "en"
        assert (cells.nth(1).get_attribute("lang") or "").startswith("zh")
    # the translated side shows the translation, English where there is none yet, marked as such
    assert "评估患者" in page.locator(".cb-compare").inner_text()
    assert page.locator('.cb-compare__row > div[lang^="zh"] .cb-fallback[lang="en"]').count() > 0
    if width == PHONE:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    else:  # the two columns sit side by side on a desktop
        first = rows.nth(1).locator(":scope > div")
        assert first.nth(0).bounding_box()["y"] == first.nth(1).bounding_box()["y"]


def test_flowchart_nodes_lead_to_their_steps(page: Any, base_url: str) -> None:
    page.goto(ZH_PROTOCOL)
    chart = page.locator("svg.cb-flowchart")
    assert chart.is_visible()
    labels = chart.locator("text.cb-flow-label").all_text_contents()
    assert any("评估患者" in label for label in labels)  # the chart speaks the page's language
    chart.locator('a[href="#escalate"]').click()
    page.wait_for_url(f"{base_url}/{ZH_PROTOCOL}#escalate")
    assert page.locator("#escalate").is_visible()
