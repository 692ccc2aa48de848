"""One protocol's pages in one build's language: the page, its checklist and side-by-side view
(as Markdown and as the HTML ``direct`` makes of it), its search text, doses and home entry (what
``pagecache`` keeps between builds)."""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..source.library import SITE_DOMAIN, Loaded
from .config import LanguageConfig, language_name
from .direct import Direct, Prepared
from .drugs import DoseLink, dose_links
from .pages import Entry, compare_page
from .render import PageContext, Renderer
from .search import SearchPage, protocol_documents
from .translations import Translations
from .words import Labels, Words


class Shared(NamedTuple):
    """What every protocol's pages in one build share."""

    locale: str | None
    other: LanguageConfig | None
    words: Words
    env: Any
    enums: Any
    labels: Labels
    jurisdiction: str
    here: Any
    references: Any
    translations: Translations
    current: LanguageConfig
    languages: list[LanguageConfig]
    strict_review: bool
    urls: bool  # use_directory_urls


class Made(NamedTuple):
    pages: list[tuple[str, str]]  # (source path, Markdown)
    search: SearchPage
    doses: list[DoseLink]
    entry: Entry
    status: Entry | None  # the English build's translation-status row (the other language's counts)
    converted: dict[str, Prepared]  # each page's conversion by ``direct`` (its HTML None: Markdown must)


@functools.lru_cache(maxsize=65536)
def _page_url(src: str, use_directory_urls: bool) -> str:
    return File(src, "", "", use_directory_urls).url


def href(use_directory_urls: bool, page: str, target: str) -> str:
    """A link from one generated page to another that works with and without directory URLs
    (the offline bundle opens pages from disk, where only real file names resolve)."""
    return get_relative_url(_page_url(target, use_directory_urls), _page_url(page, use_directory_urls))


def protocol_pages(item: Loaded, s: Shared, direct: Direct) -> Made:
    """One protocol's pages in this build's language, its search text, doses and home entry (its
    side-by-side page, which only the base site has, is ``compare_pages``)."""
    p, other, locale = item.protocol, s.other, s.locale
    src = f"protocols/{p.specialty}/{p.id}.md"
    # The side-by-side view is the translators': an edition's site leaves out the link (``editions.SitePages``).
    compare = f"compare/{p.id}.md" if other else ""
    loc = s.translations.localized(item, locale, s.current.lang)
    prov = s.translations.provenance.get(other.locale, {}).get(p.id) if other else None
    target = (loc if locale else s.translations.localized(item, other.locale, other.lang)) if other else None
    review = s.translations.review(item, other.locale, target, prov, strict=s.strict_review) if other and target else None
    checklist = f"checklist/{p.id}.md" if p.kind == "protocol" else ""
    ctx = PageContext(s.current.lang, locale, href(s.urls, src, compare) if compare else "",
                      prov.translated_from if prov else "", False, s.env, s.enums,
                      language_name(other.locale, s.current.locale) if other else "", review,
                      s.jurisdiction, s.here, s.references,
                      href(s.urls, src, checklist) if checklist else "")
    page = Renderer(item, loc, s.words, ctx)
    pages = [(src, page.page())]
    if checklist:
        pages.append((checklist, page.checklist(href(s.urls, checklist, src))))
    url = File(src, "", "", s.urls).url
    # the other languages' titles too: a Chinese word typed on the English site finds its page
    others = [s.translations.localized(item, None if lang is s.languages[0] else lang.locale, lang.lang)
              for lang in s.languages if lang is not s.current]
    search = protocol_documents(item, loc, url, s.labels.names("route"), s.labels.names("unit"), others)
    doses = dose_links(item, loc, href(s.urls, "drugs.md", src), s.labels)
    entry = Entry(item, loc, src, compare, provenance=prov, review=review)
    # English lists the other language's progress: its counts, under the English title.
    status = Entry(item, target, src, compare, provenance=prov, label=entry.title, review=review) \
        if not locale and target is not None else None
    # Converted here so that a kept protocol's pages skip the conversion too (a fifth of a build).
    return Made(pages, search, doses, entry, status, {path: direct.prepare(markdown) for path, markdown in pages})


Compared = tuple[list[tuple[str, str]], dict[str, Prepared]]  # (side-by-side pages, their conversions)


def compare_pages(item: Loaded, s: Shared, direct: Direct) -> Compared:
    """The protocol's side-by-side page, with its conversion: only the base site has one, so a
    build keeps it apart from the pages it shares with the hospital editions."""
    p, other = item.protocol, s.other
    if other is None:
        return [], {}
    src, compare = f"protocols/{p.specialty}/{p.id}.md", f"compare/{p.id}.md"
    # the localizations the protocol's pages read (``Translations.localized`` keeps them)
    loc = s.translations.localized(item, s.locale, s.current.lang)
    target = loc if s.locale else s.translations.localized(item, other.locale, other.lang)
    # Each side speaks its own language: labels, units and routes too (not only the page's).
    english = Renderer(item, s.translations.localized(item, None, "en"), Words(None, "en"),
                       PageContext("en", None, env=s.env, enums=s.enums))
    other_words = s.words if s.locale else Words(s.translations.catalogs.get((other.locale, SITE_DOMAIN)), other.lang,
                                                 s.translations.check(other.locale))
    translated = Renderer(item, target, other_words, PageContext(other.lang, other.locale, env=s.env, enums=s.enums))
    pages = [(compare, compare_page(item, english, translated, s.words, href(s.urls, compare, src), s.current.lang,
                                    other.name, s.env))]
    return pages, {path: direct.prepare(markdown) for path, markdown in pages}
