"""Hospital editions in the site build: each edition's texts in the page's language, the base
site's list of editions, and the nested builds of the editions named in mkdocs.yml.

``carebridge build --edition ID`` builds one edition's bilingual site (``site/editions/<id>/``);
``editions: [...]`` in the plugin's options builds them all after the base site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from babel.messages.catalog import Catalog
from markupsafe import Markup, escape

from ..i18n.checks import SafetyCheck
from ..source.edition import LoadedEdition
from ..source.schema import EDITION_SCHEMA, edition_vocabulary
from .direct import Prepared, markdown_digest
from .edition_view import BANNER_MARK, BASE_ONLY, SITE_NAME_MARK, EditionView
from .localize import Localized, Text, localize_document
from .output import EDITIONS_URL
from .templating import render
from .words import Words


def edition_view(item: LoadedEdition, catalog: Catalog | None, lang: str, check: SafetyCheck | None) -> EditionView:
    """The edition with its texts in ``lang`` (``catalog`` None: the English original)."""
    loc: Localized = localize_document(item.document, item.edition.domain, catalog, lang, check, EDITION_SCHEMA)
    return EditionView(item, loc)


def reference_labels(words: Words) -> dict[str, dict[str, str]]:
    """The roles' and resources' names in the page's language (site words from the edition schema)."""
    return {kind: {key: words.tr(label) for key, label in labels.items()}
            for kind, labels in edition_vocabulary().items()}


@dataclass(frozen=True)
class Listed:
    name: Text
    version: str
    demonstration: bool
    link: str


def editions_page(views: list[EditionView], prefix: str, directory_urls: bool, words: Words,
                  env: jinja2.Environment) -> str:
    """The base site's page listing the editions, linking to each one in the page's language."""
    depth = (1 if directory_urls else 0) + len([p for p in prefix.split("/") if p])
    tail = (prefix.strip("/") + "/" if prefix else "") + ("" if directory_urls else "index.html")
    listed = [Listed(v.name(), v.version, v.demonstration, "../" * depth + f"{EDITIONS_URL}/{v.id}/{tail}")
              for v in views]
    return render(env, "editions.md", editions=listed, tr=words.tr)


def edition_site_name(site_name: str) -> Markup:
    """The name an edition's site is built under, as HTML: the base site's name and a mark that
    ``site_name_text`` replaces once each page is HTML, so Material's template renders a page
    whose content is the same in every hospital's site once (``keptrender``). Material's templates
    insert ``config.site_name`` unescaped (``aria-label``, ``<title>``) and escape it elsewhere
    (``| e`` leaves markup as is), so both parts are escaped here, once.

    >>> str(edition_site_name('A" onmouseover="x')).replace(SITE_NAME_MARK, site_name_text("B<"))
    'A&#34; onmouseover=&#34;x: B&lt;'
    """
    return escape(site_name) + Markup(f": {SITE_NAME_MARK}")


def site_name_text(edition_name: str) -> str:
    """What ``edition_site_name``'s mark stands for: the hospital's name, escaped as HTML."""
    return str(escape(edition_name))


Settled = tuple[list[tuple[str, str]], dict[str, Prepared]]  # (pages, their conversions) as one site shows them
_MARK_LINE = re.compile(re.escape(BANNER_MARK) + "\n\n?")
_BASE_ONLY = re.compile(re.escape(BASE_ONLY[0]) + ".*?" + re.escape(BASE_ONLY[1]), re.DOTALL)


@dataclass(frozen=True)
class SitePages:
    """A protocol's pages, made alike for the base site and every edition (the kept entry is
    shared), as one site shows them: its edition's banner put in where the page marks it
    (``banner``: the partial as this site renders it, "" on the base site) and, in an edition,
    the side-by-side page and the link to it left out. The conversion made with the pages
    (``direct.Prepared``) is settled alike, so it still counts: a raw HTML block passes through
    Markdown as it is (the marks are elements, which ``direct`` reads)."""

    banner: str
    edition: bool
    # A serve's pages settled in its last rebuild, by protocol: kept while they come from the same objects.
    memo: dict[str, tuple[object, SitePages, Settled]] | None = field(default=None, compare=False)

    def pages(self, pages: list[tuple[str, str]], converted: dict[str, Prepared], protocol: str = "",
              source: object = None) -> Settled:
        """``pages`` as this site shows them; with a memo, settled again only when ``source`` (what
        they were made from: ``pages`` itself if None) is another object than last time."""
        if self.memo is None:
            return self._pages(pages, converted)
        source = pages if source is None else source
        found = self.memo.get(protocol)
        if found is None or found[0] is not source or found[1] != self:
            found = self.memo[protocol] = (source, self, self._pages(pages, converted))
        return found[2]

    def _pages(self, pages: list[tuple[str, str]], converted: dict[str, Prepared]) -> Settled:
        shown, prepared = [], {}
        for path, content in pages:
            if self.edition and path.startswith("compare/"):
                continue
            settled = self._settle(content.replace(BANNER_MARK, self.banner))
            shown.append((path, settled))
            before = converted.get(path)
            if before is not None:
                done = before[1]
                if done is not None:
                    done = replace(done, html=self._settle(self._banner_in_html(done.html)))
                prepared[path] = (markdown_digest(settled), done)
        return shown, prepared

    def _banner_in_html(self, html: str) -> str:
        # The mark alone on its line is a raw HTML block: with no banner, it goes with the line
        # break Markdown wrote after it (and a blank line's, if one followed).
        return html.replace(BANNER_MARK, self.banner) if self.banner else _MARK_LINE.sub("", html)

    def _settle(self, text: str) -> str:
        return _BASE_ONLY.sub("", text) if self.edition else text.replace(BASE_ONLY[0], "").replace(BASE_ONLY[1], "")


def site_pages(edition: EditionView | None, words: Words, env: jinja2.Environment,
               memo: dict[str, tuple[object, SitePages, Settled]] | None = None) -> SitePages:
    """How this site (an edition's, or the base site: None) shows the protocols' pages: the banner
    each page included before, rendered once; ``memo``: a serve's, from one rebuild to the next."""
    banner = render(env, "partials/edition-banner.html", edition=edition,
                    word=lambda msgid, **values: Markup(words.html(msgid, **values)))
    return SitePages(banner.rstrip("\n"), edition is not None, memo)  # an include ends without its last line break


def edition_site_dir(site_dir: str | Path, edition: str) -> Path:
    return Path(site_dir) / EDITIONS_URL / edition


def edition_overrides(raw_plugins: list[dict[str, dict[str, Any]]], edition: str, site_dir: Path,
                      strict: bool, previous_site: str = "", shared_site: str = "") -> dict[str, Any]:
    """What the build of one edition's first language changes in mkdocs.yml (the base build
    starts the edition's other languages itself); ``previous_site``: where its last build is;
    ``shared_site``: the base site this build makes beside it."""
    for entry in raw_plugins:
        name, options = next(iter(entry.items()))
        if name == "carebridge":
            options.update(edition=edition, editions=[], nested=True, previous_site=previous_site,
                           shared_site=shared_site)
    return {"plugins": raw_plugins, "site_dir": str(site_dir), "strict": strict}
