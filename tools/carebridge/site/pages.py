"""Site pages beyond one protocol: home, translation status and the side-by-side view."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from ..i18n.catalog import Stats
from ..i18n.provenance import Provenance
from ..source.library import Loaded
from .localize import Localized, State
from .render import Renderer, heading_text
from .words import Words, lang_of, specialty_names, status_names


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

    @property
    def title(self) -> str:
        return self.label or self.loc.get(("title",), self.loaded.protocol.title).value


def _names(names: tuple[str, ...]) -> str:
    return "<br>".join(f'<span lang="{lang_of(n)}">{html.escape(n)}</span>' for n in names) or "—"


Link = Callable[[str], str]  # a page's source path -> its URL relative to the page being written


def home(entries: list[Entry], words: Words, link: Link) -> str:
    """Protocols by specialty, and the most recently updated."""
    tr = words.tr
    specialties = specialty_names(tr)
    statuses = status_names(tr)
    out = [f"# {heading_text(tr('CareBridge clinical protocols'))}", "",
           f'<p class="cb-summary">{words.html("Clinical protocols from international hospital partnerships, adapted for Chinese hospitals. Each protocol shows what was adapted for China and why.")}</p>',
           "",
           f'<div class="cb-banner cb-banner--demo" role="note">{words.html("Every protocol here is demonstration content and not for clinical use until its status is Approved.")}</div>',
           ""]
    recent = sorted(entries, key=lambda e: (max(c.date for c in e.loaded.protocol.history), e.loaded.protocol.id),
                    reverse=True)[:5]
    out += [f"## {heading_text(tr('Recently updated'))} {{#recent}}", "", '<ul class="cb-recent">']
    for e in recent:
        p = e.loaded.protocol
        out.append(f'<li><a href="{html.escape(link(e.src))}">{html.escape(e.title)}</a> '
                   f'<span class="cb-badge">v{html.escape(p.version)}</span> '
                   f"<time>{html.escape(max(c.date for c in p.history))}</time></li>")
    out += ["</ul>", ""]
    for key, label in specialties.items():
        group = sorted((e for e in entries if e.loaded.protocol.specialty == key), key=lambda e: e.title)
        if not group:
            continue
        out += [f"## {heading_text(label)} {{#{key}}}", "", '<div class="cb-cards">']
        for e in group:
            p = e.loaded.protocol
            summary = e.loc.get(("summary",), p.summary)
            lang = ' lang="en"' if summary.fallback else ""
            progress = ""
            if e.stats is not None and e.stats.percent < 100:
                progress = (f' <span class="cb-badge cb-badge--incomplete">'
                            f"{words.html('{percent}% translated', percent=f'{e.stats.percent:.0f}')}</span>")
            out.append(f'<a class="cb-card" href="{html.escape(link(e.src))}"><strong class="cb-card__title">'
                       f"{html.escape(e.title)}</strong><span{lang} class=\"cb-card__summary\">"
                       f"{html.escape(summary.value)}</span><span class=\"cb-card__meta\">"
                       f'<span class="cb-badge cb-badge--{p.status}">{html.escape(statuses[p.status])}</span> '
                       f'<span class="cb-badge">v{html.escape(p.version)}</span>{progress}</span></a>')
        out += ["</div>", ""]
    return "\n".join(out)


def status_page(entries: list[Entry], words: Words, locale_name: str, link: Link) -> str:
    """Translation progress per protocol, with provenance."""
    tr = words.tr
    out = [f"# {heading_text(tr('Translation status'))}", "",
           f"<p>{words.html('Progress of the {language} translation. A text that is not translated, awaits review (fuzzy) or fails a safety check is shown in English on the page.', language=locale_name)}</p>",
           "", '<table class="cb-status"><thead><tr>']
    heads = (tr("Protocol"), tr("Progress"), tr("Translated"), tr("Fuzzy"), tr("Untranslated"), tr("Blocked"),
             tr("Source version"), tr("Translated from"), tr("Translators"), tr("Reviewers"), tr("Method"))
    out.append("".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads) + "</tr></thead><tbody>")
    for e in sorted(entries, key=lambda e: e.loaded.protocol.id):
        counts = e.loc.counts()
        total = max(len(e.loc.texts), 1)
        done = counts[State.TRANSLATED]
        percent = 100.0 * done / total
        prov = e.provenance
        stale = prov is not None and prov.stale(e.loaded.protocol.version)
        cells = [
            f'<a href="{html.escape(link(e.src))}">{html.escape(e.title)}</a>',
            f'<progress max="100" value="{percent:.0f}" aria-label="{html.escape(e.title)}"></progress> {percent:.0f}%',
            str(done), str(counts[State.FUZZY]), str(counts[State.UNTRANSLATED]), str(counts[State.BLOCKED]),
            f"v{html.escape(e.loaded.protocol.version)}",
            (f'<span class="cb-stale">v{html.escape(prov.translated_from)}</span>' if prov and stale
             else html.escape(f"v{prov.translated_from}" if prov else "—")),
            _names(prov.translators if prov else ()), _names(prov.reviewers if prov else ()),
            html.escape(", ".join(prov.method)) if prov and prov.method else "—",
        ]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody></table>", ""]
    return "\n".join(out)


def compare_page(loaded: Loaded, english: Renderer, other: Renderer, words: Words, back_url: str,
                 page_lang: str) -> str:
    """English and the translation aligned step by step, for bilingual staff and reviewers."""
    p, tr = loaded.protocol, words.tr
    title = (english if page_lang == "en" else other).text(("title",), p.title).value
    # The protocol page is already indexed; a second copy would double the search index.
    out = ["---", "search:", "  exclude: true", "---", "",
           f"# {heading_text(title)} — {heading_text(tr('side by side'))}", "",
           f'<p><a href="{html.escape(back_url)}">{words.html("Back to the protocol")}</a></p>', "",
           '<div class="cb-compare">',
           '<div class="cb-compare__row cb-compare__head"><div lang="en">English</div><div lang="zh-Hans">简体中文</div></div>']

    def row(path: tuple[str | int, ...], source: str, block: bool = False) -> str:
        left = english.block(path, source) if block else english.inline(path, source)
        right = other.block(path, source) if block else other.inline(path, source)
        return (f'<div class="cb-compare__row"><div lang="en">{left}</div>'
                f'<div lang="{other.ctx.lang}">{right}</div></div>')

    out.append(row(("summary",), p.summary))
    for i, step in enumerate(p.steps):
        out.append(f'<h2 class="cb-compare__step" id="{step.id}">{i + 1}. {html.escape(english.text(("steps", i, "title"), step.title).value)}'
                   f' / <span lang="{other.ctx.lang}">{html.escape(other.text(("steps", i, "title"), step.title).value)}</span></h2>')
        out.append(row(("steps", i, "instructions"), step.instructions, block=True))
        for f, flag in enumerate(step.red_flags):
            out.append(row(("steps", i, "red_flags", f), flag))
        for m, med in enumerate(step.medications):
            out.append(row(("steps", i, "medications", m, "drug"), med.drug))
            out.append(row(("steps", i, "medications", m, "frequency"), med.frequency))
        if step.decision:
            out.append(row(("steps", i, "decision", "question"), step.decision.question))
    for a, adaptation in enumerate(p.adaptations):
        out.append(row(("adaptations", a, "note"), adaptation.note))
    out += ["</div>", ""]
    return "\n".join(out)
