"""One protocol page for the base site and every edition: what a page asks of its hospital is
answered alike where the hospital is silent (edition_view.NoEdition), the jurisdiction counts only
for a protocol with a variant for it (page_jurisdiction), and the marks where the sites differ
are settled per site, in the Markdown and in the conversion made ahead alike (editions.SitePages)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from carebridge.site.direct import markdown_digest
from carebridge.site.edition_view import BANNER_MARK, BASE_ONLY, MARK_START, EditionView, NoEdition, page_jurisdiction
from carebridge.site.editions import SitePages, edition_view
from carebridge.site.reading import _digest
from carebridge.source.edition import load_editions
from carebridge.source.library import Project, load_library
from carebridge.source.loader import load_text
from carebridge.source.model import build_protocol

from .test_direct import by_markdown, direct
from .test_editions import CN_VARIANT, GOOD, REPO, with_variant
from .test_step_variants import CN as STEP_CN
from .test_step_variants import with_step_variant


@pytest.fixture(scope="module")
def county() -> EditionView:
    project = Project.at(REPO)
    library, _ = load_library(project)
    editions, _ = load_editions(project, library, ["qingshan-county"])
    return edition_view(editions[0], None, "en", None)


# --- NoEdition --------------------------------------------------------------------------------------


def test_no_edition_answers_as_an_edition_that_says_nothing(county: EditionView) -> None:
    """The same answers (pickled alike: a page's record keys its kept entry) to every question."""
    silent = NoEdition()
    questions: list[tuple[str, tuple[Any, ...]]] = [
        ("missing", ("no-such-resource",)), ("stock", ("no-such-drug",)), ("contact", ("no-such-role",)),
        ("notes", ("no-such-protocol", "")), ("notes", ("stemi-first-90-minutes", "no-such-step")),
    ]
    for name, args in questions:
        assert _digest(getattr(silent, name)(*args)) == _digest(getattr(county, name)(*args)), name
    # and where the hospital does say something, the answers differ: the page is its own
    spoken = [("missing", ("cath-lab-24h",)), ("stock", ("tamsulosin",)), ("contact", ("pci-centre",))]
    for name, args in spoken:
        assert _digest(getattr(silent, name)(*args)) != _digest(getattr(county, name)(*args)), name


def test_no_edition_has_only_questions_an_edition_answers_with_the_same_parameters() -> None:
    mine = {name: member for name, member in inspect.getmembers(NoEdition, inspect.isfunction) if not name.startswith("_")}
    assert set(mine) == {"missing", "stock", "contact", "notes"}
    for name, member in mine.items():
        assert inspect.signature(member) == inspect.signature(getattr(EditionView, name)), name


# --- page_jurisdiction ------------------------------------------------------------------------------


def _protocol(text: str) -> Any:
    doc, problems = load_text(text, "protocols/nursing/example-escalation.yaml")
    assert doc is not None and problems == []
    return build_protocol(doc.data)


def test_the_jurisdiction_counts_only_for_a_protocol_with_a_variant_for_it() -> None:
    source = GOOD.split("sources:\n", 1)[1].split("id: ", 1)[1].split("\n", 1)[0].strip()
    plain = _protocol(GOOD)
    dose = _protocol(with_variant(CN_VARIANT % source))
    step = _protocol(with_step_variant(STEP_CN % source))
    assert page_jurisdiction(plain, "CN") == ""
    for protocol in (dose, step):
        assert page_jurisdiction(protocol, "CN") == "CN"
        assert page_jurisdiction(protocol, "US") == ""  # no US variant: the page is the one without
        assert page_jurisdiction(protocol, "") == ""


# --- SitePages --------------------------------------------------------------------------------------

DEMO = '<div class="cb-banner cb-banner--demo" role="note">Demonstration.</div>\n'
COMPARE = '<dt>Side by side</dt><dd><a href="../../compare/x/">English and Chinese</a></dd>'
EDITION_BANNER = '<div class="cb-banner cb-banner--edition" role="note"><strong>Hospital edition: A &amp; B.</strong></div>'
# What follows the banner's line: another banner, a blank line then a paragraph, a blank line then a heading.
AFTER = [DEMO + '\n<p class="cb-summary">Summary.</p>\n', '\n<p class="cb-summary">Summary.</p>\n', "\n## Scope {#scope}\n"]


def page(banner: str, compare: str, after: str, front: str = "") -> str:
    """A protocol page's Markdown as protocol.md lays it out: ``banner`` on the line after the title."""
    return (f"{front}# Title {{#title}}\n\n{banner}\n{after}\n"
            f'<dl class="cb-meta" data-search-exclude><dt>Status</dt><dd>Draft</dd>{compare}</dl>\n\n'
            "## 1. First step {#first}\n\n<p>Give 1 g.</p>\n")


FRONT = "---\ncb_fallback_anchors: [first]\n---\n\n"


@pytest.mark.parametrize("front", ["", FRONT])
@pytest.mark.parametrize("after", AFTER)
@pytest.mark.parametrize("site", [SitePages("", edition=False), SitePages(EDITION_BANNER, edition=True)])
def test_a_site_shows_the_page_its_templates_made_before_and_keeps_the_conversion(
        site: SitePages, after: str, front: str) -> None:
    marked = page(BANNER_MARK, BASE_ONLY[0] + COMPARE + BASE_ONLY[1], after, front)
    expected = page(site.banner, "" if site.edition else COMPARE, after, front)
    made = [("protocols/nursing/x.md", marked), ("compare/x.md", "# Side by side\n\n<p>x</p>\n")]
    converted = {path: direct().prepare(text) for path, text in made}
    assert all(done is not None for _, done in converted.values())  # the marks leave the page to direct
    shown, prepared = site.pages(made, converted)
    assert dict(shown)["protocols/nursing/x.md"] == expected
    assert ("compare/x.md" in dict(shown)) is not site.edition  # an edition's site has no side-by-side page
    digest, done = prepared["protocols/nursing/x.md"]
    assert digest == markdown_digest(expected)  # so the page takes the conversion (direct.GeneratedPage)
    assert done is not None and MARK_START not in done.html
    markdown_html, toc, title, anchors = by_markdown(expected[len(front):])
    assert (done.html, done.toc_tokens, done.title, done.anchor_ids) == (markdown_html, toc, title, anchors)
    assert converted["protocols/nursing/x.md"][1].html.count(BANNER_MARK) == 1  # the kept entry is left as made


def test_a_conversion_direct_declined_stays_declined_for_the_settled_page() -> None:
    marked = page(BANNER_MARK, "", AFTER[0]) + "\n```\nfenced\n```\n"  # direct leaves fenced code to Markdown
    digest, done = direct().prepare(marked)
    assert done is None
    shown, prepared = SitePages("", edition=False).pages([("p.md", marked)], {"p.md": (digest, None)})
    assert prepared["p.md"] == (markdown_digest(shown[0][1]), None)


def test_a_serve_settles_a_protocols_pages_again_only_when_they_or_the_site_changed() -> None:
    marked = page(BANNER_MARK, BASE_ONLY[0] + COMPARE + BASE_ONLY[1], AFTER[0])
    pages = [("protocols/nursing/x.md", marked)]
    converted = {path: direct().prepare(text) for path, text in pages}
    memo: dict[str, Any] = {}
    base = SitePages("", edition=False, memo=memo)
    first = base.pages(pages, converted, "x")
    assert base.pages(pages, converted, "x") is first  # the same pages: nothing settled again
    assert SitePages("", edition=False, memo=memo).pages(pages, converted, "x") is first  # a rebuild of the same site
    remade = [("protocols/nursing/x.md", marked)]
    assert base.pages(remade, converted, "x") is not first  # the protocol's pages made again
    edition = SitePages(EDITION_BANNER, edition=True, memo=memo).pages(remade, converted, "x")
    assert EDITION_BANNER in edition[0][0][1] and COMPARE not in edition[0][0][1]
