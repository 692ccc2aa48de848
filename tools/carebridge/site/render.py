"""Stage 7: a localized protocol as a MkDocs page (Markdown headings + sanitized HTML blocks).

Headings stay Markdown so MkDocs builds the table of contents and search sections; everything
else is HTML built here from escaped text. Author and translator Markdown goes through
python-markdown and then nh3, so no script, style or unsafe URL from content reaches a page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import markdown as md
import nh3

from ..source.library import Loaded
from ..source.model import Citation, Medication, Protocol, Step
from .flowchart import Node, edges_for, render_flowchart
from .localize import Localized, Text
from .words import Words, category_names, kind_names, lang_of, route_names, status_names, unit_names

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "code", "a", "br"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")  # Python-Markdown's escapes (no ~)


@dataclass(frozen=True)
class PageContext:
    """What a page needs to know about the build it is part of."""

    lang: str              # BCP 47 of the page, e.g. "en" or "zh-Hans"
    locale: str | None     # catalog locale (None on the English build)
    compare_url: str = ""  # relative link to the side-by-side page, if any
    translated_from: str = ""  # English version the translation was made from, if recorded
    search_instructions: bool = False  # index the steps' full text too (a larger, slower index)


def sanitize(fragment: str) -> str:
    """Keep only the Markdown subset's tags; links only to https/http or in-page anchors."""
    return nh3.clean(fragment, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https", "http"},
                     link_rel="noopener noreferrer", strip_comments=True)


@lru_cache(maxsize=16384)
def markdown_html(text: str) -> str:
    """The Markdown subset of ``instructions`` as sanitized HTML."""
    return sanitize(md.markdown(text, extensions=["sane_lists"], output_format="html"))


def heading_text(text: str) -> str:
    """Escape text so it stays literal inside a Markdown heading."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


class Renderer:
    """Builds one protocol page; all text passes through ``inline``, ``block`` or ``Words``."""

    def __init__(self, loaded: Loaded, loc: Localized, words: Words, ctx: PageContext):
        self.p: Protocol = loaded.protocol
        self.loc = loc
        self.w = words
        self.ctx = ctx
        self.fallback_marker = "" if ctx.locale is None else (
            f' <mark class="cb-fallback__tag" data-search-exclude>{words.html("English: not yet translated")}</mark>')

    # --- text ---------------------------------------------------------------------------------
    def text(self, path: tuple[str | int, ...], source: str) -> Text:
        return self.loc.get(path, source)

    def inline(self, path: tuple[str | int, ...], source: str, *, heading: bool = False) -> str:
        t = self.text(path, source)
        body = heading_text(t.value) if heading else html.escape(t.value)
        if not t.fallback:
            return body
        # In headings the tag would leak into the table of contents; the highlight says it there.
        marker = "" if heading else self.fallback_marker
        return f'<span class="cb-fallback" lang="en" title="{self.why(t)}">{body}</span>{marker}'


    def why(self, t: Text) -> str:
        # The reason's details (the rejected text) stay in the build log, never on the page.
        reasons = {"untranslated": "Not yet translated", "fuzzy": "Translation awaits review",
                   "blocked": "Translation failed a safety check"}
        return html.escape(self.w.tr(reasons.get(t.state.value, "Not yet translated")))

    def block(self, path: tuple[str | int, ...], source: str) -> str:
        t = self.text(path, source)
        body = markdown_html(t.value)
        # The search index holds what clinicians search: titles, summaries, drugs, red flags,
        # decisions. Step text stays out unless asked for: at 1,000 protocols it doubles the index.
        exclude = "" if self.ctx.search_instructions else " data-search-exclude"
        if not t.fallback:
            return f'<div class="cb-text"{exclude}>{body}</div>'
        return (f'<div class="cb-text cb-fallback" lang="en" title="{self.why(t)}"{exclude}>{body}'
                f"<p>{self.fallback_marker.strip()}</p></div>")

    # --- page ---------------------------------------------------------------------------------
    def page(self) -> str:
        p, tr = self.p, self.w.tr
        # Front matter: anchors of headings still in English, so the table of contents can mark them.
        fallback = [step.id for i, step in enumerate(p.steps) if self.text(("steps", i, "title"), step.title).fallback]
        front = ["---", f"cb_fallback_anchors: [{', '.join(fallback)}]", "---", ""] if fallback else []
        parts = [*front, f"# {self.inline(('title',), p.title, heading=True)}", "", self.banners(), ""]
        # Red flags come before anything else a reader must scroll past, phones included.
        if p.red_flags:
            parts += [self.red_flags(("red_flags",), p.red_flags, tr("Red flags: act now"), top=True), ""]
        parts += [f'<p class="cb-summary">{self.inline(("summary",), p.summary)}</p>', "", self.meta(), ""]
        parts += [f"## {heading_text(tr('Scope'))} {{#scope data-search-exclude}}", "", self.scope(), ""]
        steps_title = tr("Sections") if p.kind == "patient-leaflet" else tr("Steps")
        parts += [f"## {heading_text(steps_title)} {{#steps data-search-exclude}}", ""]
        if p.kind == "protocol" and any(step.decision for step in p.steps):
            parts += [self.flowchart(), ""]
        for index, step in enumerate(p.steps):
            parts += self.step(index, step)
        general = [(i, a) for i, a in enumerate(p.adaptations) if not a.step]
        if p.adaptations:
            parts += [f"## {heading_text(tr('Adaptations for China'))} {{#adaptations data-search-exclude}}", ""]
            parts += [self.adaptations_intro(), ""]
            parts += [self.adaptation(i) for i, _ in general]
            parts += [self.adaptation_index(), ""]
        parts += [f"## {heading_text(tr('Sources'))} {{#sources data-search-exclude}}", "", self.sources(), ""]
        parts += [f"## {heading_text(tr('Version history'))} {{#history data-search-exclude}}", "", self.history(), ""]
        return "\n".join(parts)

    def banners(self) -> str:
        out = []
        if self.p.demonstration:
            out.append(f'<div class="cb-banner cb-banner--demo" role="note" data-search-exclude><strong>'
                       f'{self.w.html("Demonstration — not for clinical use.")}</strong> '
                       f'{self.w.html("This content shows how CareBridge works; it has not been clinically reviewed.")}'
                       f"</div>")
        elif self.p.status != "approved":
            out.append(f'<div class="cb-banner cb-banner--draft" role="note" data-search-exclude><strong>'
                       f'{self.w.html("Not approved for clinical use.")}</strong> '
                       f'{self.w.html("This protocol has not completed clinical review.")}</div>')
        if self.ctx.locale is not None and self.ctx.translated_from and self.ctx.translated_from != self.p.version:
            out.append(f'<div class="cb-banner cb-banner--incomplete" role="status" data-search-exclude><strong>'
                       f'{self.w.html("Translation out of date:")}</strong> '
                       f'{self.w.html("translated from version {old}; the English is now version {new}.", old=self.ctx.translated_from, new=self.p.version)}'
                       f"</div>")
        fallbacks = self.loc.fallbacks
        if self.ctx.locale is not None and fallbacks:
            out.append(f'<div class="cb-banner cb-banner--incomplete" role="status" data-search-exclude><strong>'
                       f'{self.w.html("Translation incomplete:")}</strong> '
                       f'{self.w.html("{count} text(s) on this page are shown in English, marked in yellow.", count=str(fallbacks))}'
                       f"</div>")
        return "\n".join(out)

    def meta(self) -> str:
        p, tr = self.p, self.w.tr
        status = status_names(tr)[p.status]
        rows = [
            (tr("Status"), f'<span class="cb-badge cb-badge--{p.status}">{html.escape(status)}</span>'),
            (tr("Version"), f'<span class="cb-badge">v{html.escape(p.version)}</span>'),
            (tr("Type"), html.escape(kind_names(tr)[p.kind])),
            (tr("Last reviewed"), f"<time>{html.escape(p.last_reviewed)}</time>"),
            (tr("Next review"), f"<time>{html.escape(p.next_review)}</time>"),
            (tr("Owners"), ", ".join(self.person(o.name, o.role) for o in p.owners)),
            (tr("Reviewers"), ", ".join(self.person(r.name, r.role, r.date) for r in p.reviewers)
             or html.escape(tr("none yet"))),
        ]
        if p.partnership:
            rows.append((tr("Partnership"), self.inline(("partnership",), p.partnership)))
        if self.ctx.compare_url:
            rows.append((tr("Side by side"), f'<a href="{html.escape(self.ctx.compare_url)}">'
                                             f'{html.escape(tr("English and Chinese, step by step"))}</a>'))
        cells = "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
        return f'<dl class="cb-meta" data-search-exclude>{cells}</dl>'

    @staticmethod
    def person(name: str, role: str, date: str = "") -> str:
        when = f", {html.escape(date)}" if date else ""
        return f'<span lang="{lang_of(name)}">{html.escape(name)}</span> ({html.escape(role)}{when})'

    def scope(self) -> str:
        p, tr = self.p, self.w.tr
        rows = [(tr("Population"), self.inline(("scope", "population"), p.scope.population)),
                (tr("Setting"), self.inline(("scope", "setting"), p.scope.setting))]
        if p.scope.exclusions:
            items = "".join(f"<li>{self.inline(('scope', 'exclusions', i), e)}</li>"
                            for i, e in enumerate(p.scope.exclusions))
            rows.append((tr("Not covered"), f"<ul>{items}</ul>"))
        cells = "".join(f"<dt>{html.escape(k)}</dt><dd>{v}</dd>" for k, v in rows)
        return f'<dl class="cb-scope" data-search-exclude>{cells}</dl>'

    def red_flags(self, base: tuple[str | int, ...], flags: tuple[str, ...], title: str, top: bool = False) -> str:
        items = "".join(f"<li>{self.inline(base + (i,), flag)}</li>" for i, flag in enumerate(flags))
        extra = " cb-redflags--top" if top else ""
        return (f'<div class="admonition danger cb-redflags{extra}" role="alert"><p class="admonition-title">'
                f"{html.escape(title)}</p><ul>{items}</ul></div>")

    def step(self, index: int, step: Step) -> list[str]:
        tr = self.w.tr
        base: tuple[str | int, ...] = ("steps", index)
        number = f"{index + 1}. " if self.p.kind == "protocol" else ""
        out = [f"### {number}{self.inline(base + ('title',), step.title, heading=True)} {{#{step.id}}}", ""]
        body = [self.block(base + ("instructions",), step.instructions)]
        if step.red_flags:
            body.append(self.red_flags(base + ("red_flags",), step.red_flags, tr("Red flags")))
        if step.medications:
            body.append(self.doses(index, step.medications))
        if step.decision:
            body.append(self.decision(index, step))
        body += [self.adaptation(i) for i, a in enumerate(self.p.adaptations) if a.step == step.id]
        if step.source:
            body.append(f'<p class="cb-cite" data-search-exclude>{html.escape(tr("Source:"))} {self.cite(step.source)}</p>')
        out += [f'<section class="cb-step" id="step-{step.id}-body">' + "".join(body) + "</section>", ""]
        return out

    def doses(self, index: int, meds: tuple[Medication, ...]) -> str:
        tr = self.w.tr
        routes, units = route_names(tr), unit_names(tr)
        # Columns with nothing in them are left out, so the ones that matter get the width.
        columns = [("drug", tr("Drug"), 15), ("dose", tr("Dose"), 11), ("route", tr("Route"), 12),
                   ("frequency", tr("How often"), 18)]
        if any(m.max_dose for m in meds):
            columns.append(("max_dose", tr("Maximum"), 14))
        if any(m.notes for m in meds):
            columns.append(("notes", tr("Notes"), 18))
        columns.append(("source", tr("Source"), 16))
        total = sum(width for _, _, width in columns)
        cols = "".join(f'<col style="width:{100 * width / total:.0f}%">' for _, _, width in columns)
        head = "\n".join(f'<th scope="col">{html.escape(label)}</th>' for _, label, _ in columns)
        rows = []
        for m, med in enumerate(meds):
            base: tuple[str | int, ...] = ("steps", index, "medications", m)
            amount = f"{med.amount:g}" + (f"–{med.amount_max:g}" if med.amount_max is not None else "")
            cells = {
                "drug": f"<strong>{self.inline(base + ('drug',), med.drug)}</strong>",
                "dose": f'<span class="cb-dose">{html.escape(amount)}&nbsp;{html.escape(units.get(med.unit, med.unit))}</span>',
                "route": html.escape(routes.get(med.route, med.route)),
                "frequency": self.inline(base + ("frequency",), med.frequency),
                "max_dose": self.inline(base + ("max_dose",), med.max_dose) if med.max_dose else "—",
                "notes": self.inline(base + ("notes",), med.notes) if med.notes else "—",
                "source": f'<span class="cb-cite" data-search-exclude>{self.cite(med.source)}</span>',
            }
            # Newlines between cells keep search words apart ("paracetamol", not "Sourceparacetamol1").
            rows.append("<tr>\n" + "\n".join(f'<td data-label="{html.escape(label)}">{cells[key]}</td>'
                                              for key, label, _ in columns) + "\n</tr>")
        caption = html.escape(tr("Doses"))
        return (f'<div class="cb-doses"><table class="cb-dose-table"><caption>{caption}</caption>'
                f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
                f"<tbody>{chr(10).join(rows)}</tbody></table></div>")

    def decision(self, index: int, step: Step) -> str:
        assert step.decision is not None
        tr = self.w.tr
        base: tuple[str | int, ...] = ("steps", index, "decision")
        items = []
        for b, branch in enumerate(step.decision.branches):
            target_index = next(i for i, s in enumerate(self.p.steps) if s.id == branch.goto)
            target = self.p.steps[target_index]
            label = html.escape(tr("Go to step {number}").replace("{number}", str(target_index + 1)))
            title = self.inline(("steps", target_index, "title"), target.title)
            items.append(f"<li><strong>{self.inline(base + ('branches', b, 'when'), branch.when)}</strong> → "
                         f'<a class="cb-goto" href="#{branch.goto}">{label}: {title}</a></li>')
        return (f'<div class="cb-decision" role="group"><p class="cb-decision__q"><span class="cb-decision__label">'
                f"{html.escape(tr('Decision'))}</span> {self.inline(base + ('question',), step.decision.question)}"
                f"</p><ul>{''.join(items)}</ul></div>")

    def flowchart(self) -> str:
        """The steps as a picture; the SVG's text is localized and escaped in ``flowchart``."""
        nodes, decisions = [], {}
        for i, step in enumerate(self.p.steps):
            step_title = self.text(("steps", i, "title"), step.title)
            question = self.text(("steps", i, "decision", "question"), step.decision.question) if step.decision else None
            nodes.append(Node(step.id, step_title.value, step_title.lang if step_title.fallback else self.ctx.lang,
                              question.value if question else ""))
            if step.decision:
                branches = []
                for b, branch in enumerate(step.decision.branches):
                    when = self.text(("steps", i, "decision", "branches", b, "when"), branch.when)
                    branches.append((branch.goto, when.value, when.lang if when.fallback else self.ctx.lang))
                decisions[i] = branches
        edges = edges_for([s.id for s in self.p.steps], decisions)
        title = self.w.tr("Flowchart")
        svg = render_flowchart(nodes, edges, f"{title}: {self.text(('title',), self.p.title).value}", self.ctx.lang)
        return (f'<details class="cb-flow" open data-search-exclude><summary>{html.escape(title)}</summary>'
                f'<div class="cb-flow__scroll">{svg}</div></details>')

    def adaptations_intro(self) -> str:
        return (f'<p class="cb-note" data-search-exclude>'
                f'{self.w.html("What changes when this protocol is used in Chinese hospitals, and why.")}</p>')

    def adaptation(self, index: int) -> str:
        a, tr = self.p.adaptations[index], self.w.tr
        base: tuple[str | int, ...] = ("adaptations", index)
        category = category_names(tr)[a.category]
        cite = f'<p class="cb-cite">{html.escape(tr("Source:"))} {self.cite(a.source)}</p>' if a.source else ""
        return (f'<div class="admonition info cb-adaptation" id="adaptation-{a.id}" data-search-exclude>'
                f'<p class="admonition-title">'
                f"{html.escape(tr('Adapted for China'))} · {html.escape(category)}</p>"
                f"<p>{self.inline(base + ('note',), a.note)}</p>"
                f'<p class="cb-rationale"><strong>{html.escape(tr("Why:"))}</strong> '
                f"{self.inline(base + ('rationale',), a.rationale)}</p>{cite}</div>")

    def adaptation_index(self) -> str:
        tied = [a for a in self.p.adaptations if a.step]
        if not tied:
            return ""
        tr = self.w.tr
        items = "".join(f'<li><a href="#adaptation-{a.id}">{html.escape(category_names(tr)[a.category])}</a> — '
                        f"{html.escape(tr('at step'))} <a href=\"#{a.step}\">"
                        f"{next(i for i, s in enumerate(self.p.steps) if s.id == a.step) + 1}</a></li>" for a in tied)
        return (f'<div data-search-exclude><p class="cb-note">{html.escape(tr("Adaptations shown at their steps:"))}</p>'
                f"<ul>{items}</ul></div>")

    def cite(self, citation: Citation) -> str:
        source = self.p.source(citation.ref)
        return (f'<a href="#source-{source.id}"><span lang="{lang_of(source.publisher)}">'
                f"{html.escape(source.publisher)}</span> {source.year}</a>, "
                f'<span lang="{lang_of(citation.section)}">{html.escape(citation.section)}</span>')

    def sources(self) -> str:
        items = []
        for s in self.p.sources:
            section = f', <span lang="{lang_of(s.section)}">{html.escape(s.section)}</span>' if s.section else ""
            items.append(f'<li id="source-{s.id}"><a href="{html.escape(s.url)}" rel="noopener noreferrer">'
                         f'<cite lang="{lang_of(s.title)}">{html.escape(s.title)}</cite></a>. '
                         f'<span lang="{lang_of(s.publisher)}">{html.escape(s.publisher)}</span>, {s.year}{section}.'
                         "</li>")
        return f'<ol class="cb-sources" data-search-exclude>{"".join(items)}</ol>'

    def history(self) -> str:
        rows = "".join(f"<tr><td>{html.escape(c.version)}</td><td><time>{html.escape(c.date)}</time></td>"
                       f'<td lang="en">{html.escape(c.summary)}</td></tr>' for c in reversed(self.p.history))
        tr = self.w.tr
        return (f'<table class="cb-history" data-search-exclude><thead><tr><th scope="col">{html.escape(tr("Version"))}'
                f'</th><th scope="col">{html.escape(tr("Date"))}</th><th scope="col">{html.escape(tr("Change"))}'
                f"</th></tr></thead><tbody>{rows}</tbody></table>")


def render_protocol(loaded: Loaded, loc: Localized, words: Words, ctx: PageContext) -> str:
    """The page source (Markdown with HTML blocks) of one protocol in one language."""
    return Renderer(loaded, loc, words, ctx).page()
