"""render.py, localize.py, words.py: what reaches a page is escaped or sanitized, and a text
that is not a reviewed translation is shown in English, marked as such."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown as md
import pytest
from babel.messages.catalog import Catalog

from carebridge.markup import clean_html as sanitize
from carebridge.site.localize import State, localize
from carebridge.site.render import PageContext, render_protocol
from carebridge.site.templating import heading_text, markdown_html
from carebridge.site.words import Words, lang_of
from carebridge.source.library import Loaded, Project, load_library

# What MkDocs always enables, plus what mkdocs.yml adds.
SITE_EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list"]
ZH = PageContext(lang="zh-Hans", locale="zh_CN")
EN = PageContext(lang="en", locale=None)
CTX = "example-escalation:"
SUMMARY = "A fixture that exercises every field of the schema. Not clinical content."


def loaded_of(tree: Path) -> Loaded:
    loaded, problems = load_library(Project.at(tree))
    assert problems == []
    return loaded[0]


def zh_catalog(*entries: tuple[str, str, str, bool]) -> Catalog:
    catalog = Catalog(locale="zh_CN", domain="example-escalation")
    for context, msgid, string, fuzzy in entries:
        catalog.add(msgid, string, context=CTX + context, flags={"fuzzy"} if fuzzy else ())
    return catalog


# --- escaping and sanitizing ---------------------------------------------------------------------

@pytest.mark.parametrize("title", [
    "<script>alert(1)</script>", "**not bold**", "Step #1", "Call C#", "snake_case_name", "[x](https://e.org)",
    "Title {#other-id}", "1. Not a list", "& <b>", "`code`", "a\\b", "Yes | No", "- dash", "!important",
    "Fluids over ~30 minutes",
])
def test_heading_text_renders_literally(title: str) -> None:
    out = md.markdown("# " + heading_text(title) + " {#step}", extensions=SITE_EXTENSIONS)
    match = re.fullmatch(r'<h1 id="step">(.*)</h1>', out, re.DOTALL)
    assert match is not None, out
    assert html.unescape(match.group(1)) == title
    assert "<script" not in out and "<strong" not in out and "<a " not in out


@pytest.mark.parametrize(("source", "absent", "present"), [
    ("[x](javascript:alert(1))", ["javascript", "href"], ["<a", ">x</a>"]),
    ("<img src=x onerror=alert(1)> text", ["<img", "onerror"], ["text"]),
    ("<script>alert(1)</script> after", ["<script", "alert(1)</script"], ["after"]),
    ("[d](data:text/html;base64,PHNjcmlwdD4=)", ["data:"], []),
    ('<a href="https://e.org" onclick="x()">ok</a>', ["onclick"], ['href="https://e.org"']),
    ("<style>p{}</style><p style='color:red'>s</p>", ["<style", "style="], [">s</p>"]),
    ("[chart](https://example.org/c) and [step](#assess)",
     [], ['<a href="https://example.org/c" rel="noopener noreferrer">chart</a>', 'href="#assess"']),
    ("**bold** *it* `code`\n\n- one\n- two", [],
     ["<strong>bold</strong>", "<em>it</em>", "<code>code</code>", "<ul>", "<li>one</li>"]),
])
def test_markdown_html_is_sanitized(source: str, absent: list[str], present: list[str]) -> None:
    out = markdown_html(source)
    for text in absent:
        assert text not in out
    for text in present:
        assert text in out


def test_sanitize_keeps_only_the_markdown_subset() -> None:
    assert sanitize("<h1>t</h1><table><tr><td>x</td></tr></table><p>p</p>") == "tx<p>p</p>"
    assert sanitize('<a href="http://e.org">h</a>') == '<a href="http://e.org" rel="noopener noreferrer">h</a>'


# --- localize: what a page may show --------------------------------------------------------------

def test_only_reviewed_translations_are_shown(project_tree: Path) -> None:
    loaded = loaded_of(project_tree)
    catalog = zh_catalog(("title", "Example escalation protocol", "示例升级方案", False),
                         ("summary", SUMMARY, "模糊的译文", True),
                         ("steps.assess.title", "Assess the patient", "", False),
                         ("steps.monitor.title", "Continue monitoring", "   ", False))
    loc = localize(loaded, catalog, "zh-Hans")
    assert loc.get(("title",), "").value == "示例升级方案"
    assert loc.get(("title",), "").state is State.TRANSLATED and loc.get(("title",), "").lang == "zh-Hans"
    for path, english, state in [(("summary",), SUMMARY, State.FUZZY),
                                 (("steps", 0, "title"), "Assess the patient", State.UNTRANSLATED),
                                 (("steps", 2, "title"), "Continue monitoring", State.UNTRANSLATED),
                                 (("steps", 1, "title"), "Escalate to the doctor", State.UNTRANSLATED)]:
        text = loc.get(path, "")
        assert (text.value, text.lang, text.state, text.fallback) == (english, "en", state, True)
    assert loc.fallbacks == len(loc.texts) - 1


def test_english_build_has_no_fallbacks(project_tree: Path) -> None:
    loc = localize(loaded_of(project_tree), None, "en")
    assert loc.fallbacks == 0 and set(loc.counts()) == {State.SOURCE}
    assert loc.get(("steps", 0, "instructions"), "").value.endswith("- Oxygen saturation")  # no trailing newline


def test_a_translation_failing_the_safety_check_is_blocked(project_tree: Path) -> None:
    loaded = loaded_of(project_tree)
    catalog = zh_catalog(("steps.escalate.medications.paracetamol.max_dose", "4 g in 24 hours", "24 小时内 4 mg", False),
                         ("title", "Example escalation protocol", "示例升级方案", False))
    seen: list[tuple[str, str, bool]] = []

    def check(source: str, translation: str, markup: bool, comments: list[str]) -> list[str]:
        seen.append((source, translation, markup))
        return ["[number] 4 g became 4 mg"] if "mg" in translation else []

    loc = localize(loaded, catalog, "zh-Hans", check)
    blocked = loc.get(("steps", 1, "medications", 0, "max_dose"), "")
    assert (blocked.value, blocked.state, blocked.reason) == ("4 g in 24 hours", State.BLOCKED, "[number] 4 g became 4 mg")
    assert loc.get(("title",), "").state is State.TRANSLATED
    assert ("4 g in 24 hours", "24 小时内 4 mg", False) in seen


# --- the page ------------------------------------------------------------------------------------

def test_page_marks_fallbacks_and_never_shows_fuzzy_text(project_tree: Path) -> None:
    loaded = loaded_of(project_tree)
    catalog = zh_catalog(
        ("title", "Example escalation protocol", "示例升级方案", False),
        ("summary", SUMMARY, "模糊的译文", True),
        ("steps.assess.instructions", loaded.protocol.steps[0].instructions.strip(),
         "请在 15 分钟内测量**所有**观察指标。\n\n- 呼吸频率\n- 血氧饱和度", False),
        ("steps.escalate.title", "Escalate to the doctor", "<script>alert(1)</script>上报医生", False),
        ("steps.monitor.instructions", "Repeat observations every 4 hours.",
         "每 4 小时[重复](javascript:alert(1))观察。<img src=x onerror=alert(1)>", False),
    )
    loc = localize(loaded, catalog, "zh-Hans")
    page = render_protocol(loaded, loc, Words(None, "zh-Hans"), ZH)
    assert page.startswith("---\ncb_fallback_anchors: [assess, monitor]\n---\n\n# 示例升级方案\n")
    assert "模糊的译文" not in page
    assert (f'<p class="cb-summary"><span class="cb-fallback" lang="en" title="Translation awaits review">'
            f'{SUMMARY}</span> <mark class="cb-fallback__tag" data-search-exclude>') in page
    # in a heading the marker would leak into the table of contents; the span alone says it
    assert ('### 1. <span class="cb-fallback" lang="en" title="Not yet translated">Assess the patient</span> {#assess}'
            in page)
    assert '<div class="cb-text" data-search-exclude><p>请在 15 分钟内测量<strong>所有</strong>观察指标。</p>' in page
    assert '<div class="cb-text cb-fallback" lang="en" title="Not yet translated" data-search-exclude><p>Call the responsible doctor' in page
    assert "<script" not in page and "&lt;script&gt;alert\\(1\\)&lt;/script&gt;上报医生" in page
    assert "javascript" not in page and "onerror" not in page and "<img" not in page
    assert f"{loc.fallbacks} text(s) on this page are shown in English" in page
    assert loc.fallbacks > 0


def test_english_page_has_no_fallback_marks(project_tree: Path) -> None:
    loaded = loaded_of(project_tree)
    page = render_protocol(loaded, localize(loaded, None, "en"), Words(None, "en"), EN)
    assert page.startswith("# Example escalation protocol\n")
    assert "cb-fallback" not in page and "Translation incomplete" not in page
    assert "Demonstration — not for clinical use." in page


def test_a_translated_page_says_its_change_notes_are_in_english(project_tree: Path) -> None:
    # History summaries are an editor's log, never extracted: a Chinese page must not show them
    # as if they were the page's language.
    from carebridge.site.pages import Entry, home

    loaded = loaded_of(project_tree)
    site = Catalog(locale="zh_CN", domain="site")
    site.add("Change notes are kept in English.", "变更说明以英文记录。")
    site.add("In English", "英文")
    zh = Words(site, "zh-Hans")
    loc = localize(loaded, zh_catalog(), "zh-Hans")
    page = render_protocol(loaded, loc, zh, ZH)
    summary = html.escape(loaded.protocol.history[-1].summary, quote=False)
    latest = re.search(r'<span class="cb-latest__text" lang="en">(.*?)</span> <a href="#history">', page)
    assert latest is not None
    assert latest.group(1).startswith('<span class="cb-lang-tag" lang="zh-Hans"')
    assert ">英文</span>" in latest.group(1)
    assert page.count('<p class="cb-history__note">变更说明以英文记录。</p>') == 1
    assert summary in page.split('cb-history__note')[1]
    english = render_protocol(loaded, localize(loaded, None, "en"), Words(None, "en"), EN)
    assert "cb-lang-tag" not in english and "cb-history__note" not in english
    entry = Entry(loaded, loc, "protocols/x.md", "")
    assert '<p class="cb-history__note">变更说明以英文记录。</p>' in home([entry], zh, lambda to: to)
    assert "cb-history__note" not in home([entry], Words(None, "en"), lambda to: to)


def test_page_dose_table_is_not_translated_text(project_tree: Path) -> None:
    loaded = loaded_of(project_tree)
    page = render_protocol(loaded, localize(loaded, zh_catalog(), "zh-Hans"), Words(None, "zh-Hans"), ZH)
    assert '<span class="cb-dose">1&nbsp;g</span>' in page


# --- site words ----------------------------------------------------------------------------------

def test_words_fall_back_to_marked_english() -> None:
    catalog = Catalog(locale="zh_CN", domain="site")
    catalog.add("Steps", "步骤")
    catalog.add("Sources", "来源", flags={"fuzzy"})
    words = Words(catalog, "zh-Hans")
    assert words.tr("Steps") == "步骤" and words.tr("Sources") == "Sources" and words.tr("Scope") == "Scope"
    assert words.html("Steps") == "步骤"
    assert words.html("Sources") == '<span lang="en">Sources</span>'
    assert words.missing == {"Sources", "Scope"}
    assert Words(None, "en").html("Sources") == "Sources"


def test_words_html_escapes_the_text() -> None:
    catalog = Catalog(locale="zh_CN", domain="site")
    catalog.add("Dose & route", "剂量和途径")
    assert Words(catalog, "zh-Hans").html("Dose & route") == "剂量和途径"
    assert Words(None, "en").html("Dose & route") == "Dose &amp; route"


def test_words_never_publish_a_site_word_with_html() -> None:
    catalog = Catalog(locale="zh_CN", domain="site")
    catalog.add("Dose <b>", "剂量 <b>")
    words = Words(catalog, "zh-Hans")
    assert words.html("Dose <b>") == '<span lang="en">Dose &lt;b&gt;</span>'
    assert "Dose <b>" in words.blocked


def test_words_html_escapes_placeholder_values() -> None:
    assert Words(None, "en").html("{count} texts", count="<b>3</b>") == "&lt;b&gt;3&lt;/b&gt; texts"


@pytest.mark.parametrize(("text", "lang"), [("WHO", "en"), ("国家卫生健康委员会", "zh-Hans"), ("NICE 指南", "zh-Hans")])
def test_lang_of(text: str, lang: str) -> None:
    assert lang_of(text) == lang


def test_step_text_is_indexed_only_when_asked() -> None:
    # Titles, drugs and red flags are always searchable; the steps' full text only on request.
    from carebridge.site.localize import localize
    from carebridge.site.render import PageContext, Renderer
    from carebridge.source.library import Project, load_library

    loaded, _ = load_library(Project.at(Path(__file__).resolve().parent / "examples" / "good"))
    loc = localize(loaded[0], None, "en")
    lean = Renderer(loaded[0], loc, Words(None, "en"), PageContext("en", None)).page()
    full = Renderer(loaded[0], loc, Words(None, "en"), PageContext("en", None, search_instructions=True)).page()
    assert '<div class="cb-text" data-search-exclude><p>Measure' in lean
    assert '<div class="cb-text"><p>Measure' in full
    assert "data-search-exclude" not in lean.split("Red flags: act now")[1].split("</div>")[0]


def test_an_unknown_text_path_is_marked_english_on_a_translated_page() -> None:
    from carebridge.site.localize import Localized, State

    loc = Localized("x", "zh-Hans")
    text = loc.get(("steps", 0, "titel"), "Call for help")
    assert text.fallback and text.lang == "en" and text.state is State.UNTRANSLATED
    assert loc.unknown == {("steps", 0, "titel")}
    english = Localized("x", "en")
    assert not english.get(("steps", 0, "titel"), "Call for help").fallback


def test_rendered_pages_ask_only_for_paths_that_have_messages(project_tree: Path) -> None:
    # Every text a template asks for exists in the catalog's message list: no silent English.
    from carebridge.site.localize import localize
    from carebridge.source.library import Project, load_library

    project = Project.at(project_tree)
    loaded, _ = load_library(project)
    for item in loaded:
        loc = localize(item, Catalog(locale="zh_CN"), "zh-Hans")
        render_protocol(item, loc, Words(Catalog(locale="zh_CN"), "zh-Hans"), PageContext("zh-Hans", "zh_CN"))
        assert loc.unknown == set()


def test_page_says_when_every_source_was_checked_and_when_not(project_tree: Path) -> None:
    from carebridge.source.library import Project, load_library

    protocol = next((project_tree / "protocols").rglob("*.yaml"))
    loaded, _ = load_library(Project.at(project_tree))
    item = loaded[0]
    page = render_protocol(item, localize(item, None, "en"), Words(None, "en"), PageContext("en", None))
    checked = [s.checked for s in item.protocol.sources]
    if all(checked):
        assert f"Every source was checked as the current version on {min(checked)}." in page
    text = protocol.read_text(encoding="utf-8")
    protocol.write_text(text.replace(f"checked: {checked[0]}", "# not checked yet", 1), encoding="utf-8")
    loaded, _ = load_library(Project.at(project_tree))
    item = loaded[0]
    page = render_protocol(item, localize(item, None, "en"), Words(None, "en"), PageContext("en", None))
    assert f"1 of {len(checked)} sources have not yet been checked as the current version." in page
    assert "Every source was checked" not in page


def test_each_source_not_known_to_be_current_is_marked_where_it_is_listed(project_tree: Path) -> None:
    # The count above the list says how many; the mark says which, so a reader knows which numbers to doubt.
    import re

    from carebridge.source.library import Project, load_library

    protocol = next((project_tree / "protocols").rglob("*.yaml"))
    source = load_library(Project.at(project_tree))[0][0].protocol.sources[0]
    original = protocol.read_text(encoding="utf-8")

    def listed(text: str) -> list[str]:
        protocol.write_text(text, encoding="utf-8")
        item = load_library(Project.at(project_tree))[0][0]
        bodies = []
        for lang, catalog in (("en", None), ("zh-Hans", Catalog(locale="zh_CN"))):
            page = render_protocol(item, localize(item, catalog, lang), Words(catalog, lang), PageContext(lang, None))
            bodies.append(dict(re.findall(r'<li id="source-([^"]+)">(.*?)</li>', page, re.S))[source.id])
        return bodies

    assert all("cb-source-status" not in body for body in listed(original))
    unchecked = listed(original.replace(f"checked: {source.checked}", "# not checked yet", 1))
    assert all("Not yet checked as the current version." in body for body in unchecked)
    superseded = listed(original.replace(f"checked: {source.checked}", f"checked: {source.checked}\n"
                                         "    superseded_by: 'Newer guideline \"A & B\" (2026)'", 1))
    for body in superseded:
        assert "A newer version exists:" in body and "Not yet checked" not in body
        assert '<cite lang="en">Newer guideline &#34;A &amp; B&#34; (2026)</cite>' in body  # escaped, as all YAML text


@pytest.mark.parametrize(("amount", "amount_max", "shown"), [
    (0.4, None, "0.4"), (10.0, None, "10"), (2400000, None, "2400000"), (24000000.0, None, "24000000"),
    (0.1234567, None, "0.1234567"), (0.00001, None, "0.00001"), (2, 4.5, "2–4.5"), (1.5, 2.0, "1.5–2"),
])
def test_a_dose_is_shown_with_every_digit_its_author_wrote(amount: float, amount_max: float | None, shown: str) -> None:
    # ":g" kept six digits: 2400000 units read 2.4e+06, 0.1234567 mg read 0.123457
    from carebridge.source.model import amount_text
    assert amount_text(amount, amount_max) == shown
