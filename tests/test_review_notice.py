"""review_notice.py: a translated page says who reviewed it and when, or that no clinician has;
an approved protocol is approved in a language only when every text of it is reviewed."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carebridge.i18n.provenance import Provenance
from carebridge.i18n.reviews import Review, ReviewedStrings, ReviewState, fingerprint, review_state
from carebridge.site.localize import Localized, State, Text, localize
from carebridge.site.pages import Entry, home, status_page
from carebridge.site.render import PageContext, render_protocol
from carebridge.site.review_notice import ReviewNotice, badge, banner, notice, status_cells
from carebridge.site.words import Words
from carebridge.source.library import Project, load_library

STRINGS = [("x:title", "Hand hygiene"), ("x:red_flags", "Fever")]


def translated(*texts: str) -> Catalog:
    catalog = Catalog(locale="zh_CN")
    for (context, msgid), text in zip(STRINGS, texts, strict=True):
        catalog.add(msgid, text, context=context)
    return catalog


def signed(name: str, role: str, date: str, catalog: Catalog, *contexts: str) -> Review:
    groups = []
    for context, msgid in STRINGS:
        entry = catalog.get(msgid, context)
        if context in contexts and entry is not None:
            groups.append(ReviewedStrings(context, (fingerprint(context, msgid, str(entry.string)),)))
    return Review(name, role, date, ("review",), tuple(groups))


def state_of(catalog: Catalog, *reviews: Review) -> ReviewState:
    return review_state(STRINGS, catalog, Provenance("x", "1.0.0", reviews=reviews), "x")


LOC = Localized("x", "zh-Hans", {("title",): Text("手卫生", "zh-Hans", State.TRANSLATED)})
FALLBACK = Localized("x", "zh-Hans", {("title",): Text("Hand hygiene", "en", State.BLOCKED)})
EN_WORDS = Words(None, "en")


def test_no_review_says_so_plainly() -> None:
    n = notice(state_of(translated("手卫生", "发热")), "draft", LOC)
    assert (n.reviewed, n.total, n.changed, n.withheld) == (0, 2, 0, False)
    out = banner(n, EN_WORDS)
    assert out == ('<p class="cb-review-note" role="note" data-search-exclude>'
                   "No clinician has reviewed this translation yet.</p>")


def test_full_review_names_reviewers_and_dates_escaped() -> None:
    catalog = translated("手卫生", "发热")
    n = notice(state_of(catalog, signed("李医生", "产科<b>", "2026-12-01", catalog, "x:title", "x:red_flags")),
               "approved", LOC)
    assert n.complete and not n.withheld
    out = banner(n, EN_WORDS)
    assert "Translation reviewed by" in out and "cb-banner--unreviewed" not in out
    assert '<span lang="zh-Hans">李医生</span> (<span lang="zh-Hans">产科&lt;b&gt;</span>, <time>2026-12-01</time>)' in out
    assert badge(n, EN_WORDS) == "" and status_cells(n, EN_WORDS) == ("2", "0")


def test_an_approved_protocol_with_a_partial_review_is_not_approved_in_this_language() -> None:
    catalog = translated("手卫生", "发热")
    review = signed("Dr Smith", "nurse", "2026-12-02", catalog, "x:title")
    n = notice(state_of(catalog, review), "approved", LOC)
    assert n.withheld
    out = banner(n, EN_WORDS)
    assert out.startswith('<div class="cb-banner cb-banner--unreviewed" role="status" data-search-exclude>'
                          "<strong>Translation not yet reviewed.</strong>")
    assert ("1 of 2 texts of this translation were reviewed by <span lang=\"en\">Dr Smith</span> "
            "(<span lang=\"en\">nurse</span>, <time>2026-12-02</time>); the others have not been reviewed") in out
    assert badge(n, EN_WORDS) == '<span class="cb-badge cb-badge--unreviewed">Translation not yet reviewed</span>'
    # A draft is never called approved anyway: no withheld banner, only the review line.
    assert "cb-banner--unreviewed" not in banner(notice(state_of(catalog, review), "draft", LOC), EN_WORDS)


def test_a_complete_review_with_a_blocked_text_on_the_page_is_not_approved() -> None:
    catalog = translated("手卫生", "发热")
    n = notice(state_of(catalog, signed("a", "b", "2026-12-01", catalog, "x:title", "x:red_flags")), "approved",
               FALLBACK)
    assert n.withheld


def test_a_changed_string_is_counted_and_said() -> None:
    catalog = translated("手卫生", "发热")
    review = signed("a", "b", "2026-12-01", catalog, "x:title", "x:red_flags")
    n = notice(state_of(translated("手卫生", "发烧"), review), "approved", LOC)
    assert (n.reviewed, n.changed, n.withheld) == (1, 1, True)
    assert "1 text(s) changed after review; their review no longer counts." in banner(n, EN_WORDS)
    assert status_cells(n, EN_WORDS) == ('1 <span class="cb-stale">1 changed since review</span>', "1")


def test_words_go_through_the_site_catalog() -> None:
    site = Catalog(locale="zh_CN")
    site.add("No clinician has reviewed this translation yet.", "尚无临床医生审校本译文。")
    site.add("Translation reviewed by {people}.", "本译文已由{people}审校。")
    words = Words(site, "zh-Hans")
    n = notice(state_of(translated("手卫生", "发热")), "draft", LOC)
    assert "尚无临床医生审校本译文。" in banner(n, words)
    catalog = translated("手卫生", "发热")
    full = notice(state_of(catalog, signed("李医生", "产科", "2026-12-01", catalog, "x:title", "x:red_flags")),
                  "draft", LOC)
    assert "本译文已由<span lang=\"zh-Hans\">李医生</span>" in banner(full, words)


def test_no_notice_renders_nothing() -> None:
    assert banner(None, EN_WORDS) == "" and badge(None, EN_WORDS) == ""
    assert status_cells(None, EN_WORDS) == ("—", "—")


@pytest.fixture
def page_parts(project_tree: Path):  # type: ignore[no-untyped-def]
    loaded, problems = load_library(Project.at(project_tree))
    assert problems == []
    item = loaded[0]
    loc = localize(item, Catalog(locale="zh_CN"), "zh-Hans")
    return item, loc, ReviewNotice(0, 1, 0, (), True, False)


def test_translated_page_status_page_and_home_show_the_review(page_parts) -> None:  # type: ignore[no-untyped-def]
    item, loc, withheld = page_parts
    zh = Words(Catalog(locale="zh_CN"), "zh-Hans")
    page = render_protocol(item, loc, zh, PageContext("zh-Hans", "zh_CN", review=withheld))
    assert "Translation not yet reviewed." in page and "No clinician has reviewed this translation yet." in page
    assert 'cb-badge cb-badge--unreviewed' in page
    english = render_protocol(item, localize(item, None, "en"), EN_WORDS, PageContext("en", None, review=withheld))
    assert "reviewed this translation" not in english and "cb-badge--unreviewed" not in english
    entry = Entry(item, loc, "protocols/nursing/x.md", "", review=withheld)
    status = status_page([entry], zh, "Chinese", lambda to: to)
    assert '<th scope="col">Reviewed / Not reviewed</th>' in status
    assert ('data-count="reviewed"><span class="cb-status__k">Reviewed</span> <span class="cb-status__v">0</span>'
            in status)
    assert ('data-count="not-reviewed"><span class="cb-status__k">Not reviewed</span> <span class="cb-status__v">1</span>'
            in status)
    assert "cb-badge--unreviewed" in home([entry], zh, lambda to: to)
    assert "cb-badge--unreviewed" not in home([entry], EN_WORDS, lambda to: to)
