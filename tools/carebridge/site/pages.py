"""Site pages beyond one protocol: home, translation status and the side-by-side view.

The markup is in ``templates/home.md``, ``status.md`` and ``compare.md``; this module chooses
and orders what they show.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from ..i18n.catalog import Stats
from ..i18n.extract import messages_by_path
from ..i18n.provenance import Provenance
from ..source.library import Loaded
from ..source.model import Change
from .edition_view import EditionView
from .glance import latest_change
from .localize import Localized, State
from .render import Renderer, amount
from .review_notice import ReviewNotice
from .templating import environment, render
from .words import Labels, Words, lang_of

Link = Callable[[str], str]  # a page's source path -> its URL relative to the page being written


@dataclass(frozen=True)
class Entry:
    """One protocol as the site lists it, in the page's language."""

    loaded: Loaded
    loc: Localized
    src: str           # the page's source path, e.g. protocols/nursing/x.md
    compare_src: str
    stats: Stats | None = None
    provenance: Provenance | None = None
    label: str = ""    # the title in the page's language, when ``loc`` is another language's
    review: ReviewNotice | None = None  # the clinical review of the translation

    @property
    def title(self) -> str:
        return self.label or self.loc.get(("title",), self.loaded.protocol.title).value

    @property
    def updated(self) -> str:
        return max(c.date for c in self.loaded.protocol.history)

    @property
    def latest(self) -> Change:
        return latest_change(self.loaded.protocol)


@dataclass(frozen=True)
class StatusRow:
    entry: Entry
    percent: float
    translated: int
    fuzzy: int
    untranslated: int
    blocked: int
    stale: bool


def _common(words: Words, link: Link) -> dict[str, object]:
    return {"tr": words.tr, "word": lambda msgid, **v: Markup(words.html(msgid, **v)),
            "label": Labels(words.tr).label, "lang_of": lang_of, "link": link, "translated": words.catalog is not None}


def home(entries: list[Entry], words: Words, link: Link, env: jinja2.Environment | None = None,
         edition: EditionView | None = None) -> str:
    """Protocols by specialty, and the most recently updated (in an edition, under its banner)."""
    recent = sorted(entries, key=lambda e: (e.updated, e.loaded.protocol.id), reverse=True)[:5]
    groups = []
    for key, name in Labels(words.tr).names("specialty").items():
        group = sorted((e for e in entries if e.loaded.protocol.specialty == key), key=lambda e: e.title)
        if group:
            groups.append((key, name, group))
    return render(env or environment(), "home.md", **_common(words, link), recent=recent, specialties=groups,
                  edition=edition)


def status_page(entries: list[Entry], words: Words, locale_name: str, link: Link,
                env: jinja2.Environment | None = None) -> str:
    """Translation progress per protocol, with provenance."""
    rows = []
    for e in sorted(entries, key=lambda e: e.loaded.protocol.id):
        counts = e.loc.counts()
        done = counts[State.TRANSLATED]
        prov = e.provenance
        rows.append(StatusRow(e, 100.0 * done / max(len(e.loc.texts), 1), done, counts[State.FUZZY],
                              counts[State.UNTRANSLATED], counts[State.BLOCKED],
                              prov is not None and prov.stale(e.loaded.protocol.version)))
    return render(env or environment(), "status.md", **_common(words, link), rows=rows, language=locale_name)


def compare_page(loaded: Loaded, english: Renderer, other: Renderer, words: Words, back_url: str,
                 page_lang: str, other_name: str = "简体中文", env: jinja2.Environment | None = None) -> str:
    """English and the translation aligned step by step, for bilingual staff and reviewers."""
    p = loaded.protocol
    title = (english if page_lang == "en" else other).text(("title",), p.title).value
    # Each row names its catalog entry, so a reviewer (and a test) can match the page to the .po file.
    msgctxt = {tuple(path): message.context for path, message in messages_by_path(loaded.document)}
    return render(env or environment(), "compare.md", **_common(words, lambda to: to), protocol=p, english=english,
                  other=other, other_lang=other.ctx.lang, other_name=other_name, title=title, back_url=back_url,
                  msgctxt=msgctxt, amount=amount, step_index={s.id: i for i, s in enumerate(p.steps)})


def _nav_src(entry: str | dict[str, str]) -> str:
    return entry if isinstance(entry, str) else next(iter(entry.values()))


def site_nav(groups: dict[str, list[Any]], translate: Callable[[str], str], enums: dict[str, dict[str, str]],
             has: Callable[[str], bool]) -> list[Any]:
    """The navigation: home, protocols by specialty (schema order), then the site's own pages that
    exist (``has``). Material prints navigation titles as HTML, so they are escaped here."""
    def tr(msgid: str) -> str:  # literal tr("…") calls: i18n extract finds them here
        return html.escape(translate(msgid))

    names = Labels(tr, enums).names("specialty")
    nav: list[Any] = [{tr("Home"): "index.md"}]
    for key in names:
        if key in groups:
            nav.append({names[key]: sorted(groups[key], key=_nav_src)})
    nav.append({tr("Drugs A–Z"): "drugs.md"})
    if has("translation-status.md"):
        nav.append({tr("Translation status"): "translation-status.md"})
    if has("editions.md"):
        nav.append({tr("Hospital editions"): "editions.md"})
    if has("about.md"):
        nav.append({tr("About this library"): "about.md"})
    nav.append({tr("Schema reference"): "schema.md"})
    return nav


def nav_titles(nav: list[Any]) -> dict[str, str]:
    """The title the navigation gives each page (``{title: path}`` entries, sections walked)."""
    titles: dict[str, str] = {}
    for entry in nav:
        if isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, str):
                    titles[value] = title
                elif isinstance(value, list):
                    titles.update(nav_titles(value))
    return titles
