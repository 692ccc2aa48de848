"""Stage 7: a localized protocol as a MkDocs page (Markdown headings + HTML from templates).

Headings stay Markdown so MkDocs builds the table of contents and search sections; the markup
lives in ``site/templates/`` (``protocol.md`` and its partials), autoescaped and overridable
from a project's ``overrides/carebridge/``. This module prepares what the templates need: the
localized texts, labels for schema enums, dose columns and the flowchart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import jinja2
from markupsafe import Markup

from ..source.currency import sources_checked_on
from ..source.library import Loaded
from ..source.model import Citation, Medication, Protocol, amount_text
from .edition_view import BANNER_MARK, BASE_ONLY, DoseView, EditionView, NoEdition, References, dose_view
from .flowchart import Node, edges_for, render_flowchart
from .glance import dose_rows, excerpt, latest_change
from .localize import Localized, Text
from .review_notice import ReviewNotice
from .templating import environment, render
from .words import Labels, Words, lang_of

__all__ = ["PageContext", "Renderer", "render_protocol"]

@dataclass(frozen=True)
class PageContext:
    """What a page needs to know about the build it is part of."""

    lang: str              # BCP 47 of the page, e.g. "en" or "zh-Hans"
    locale: str | None     # catalog locale (None on the English build)
    compare_url: str = ""  # relative link to the side-by-side page, if any
    translated_from: str = ""  # English version the translation was made from, if recorded
    search_instructions: bool = False  # index the steps' full text too (a larger, slower index)
    env: jinja2.Environment | None = field(default=None, compare=False)  # the project's templates
    enums: dict[str, dict[str, str]] | None = field(default=None, compare=False)  # the schema's enum labels
    other_name: str = ""  # the compared language's name, in the page's language
    review: ReviewNotice | None = None  # the clinical review of this page's translation (translated pages)
    jurisdiction: str = ""  # whose medication variants come first (e.g. CN on the Chinese page or a China edition)
    edition: EditionView | NoEdition | None = field(default=None, compare=False)  # the hospital edition, or none
    references: dict[str, dict[str, str]] | None = field(default=None, compare=False)  # role/resource labels
    checklist_url: str = ""  # relative link to the printable one-page checklist, if any


@dataclass(frozen=True)
class Column:
    key: str
    label: str


class Renderer:
    """Builds one protocol page; every text passes through the ``text`` macros of the templates."""

    def __init__(self, loaded: Loaded, loc: Localized, words: Words, ctx: PageContext):
        self.p: Protocol = loaded.protocol
        self.loc = loc
        self.w = words
        self.ctx = ctx
        self.env = ctx.env or environment()
        self.labels = Labels(words.tr, ctx.enums)
        self._macros: Any = None
        self.refs = References(ctx.references or {}, ctx.edition)

    def text(self, path: tuple[str | int, ...], source: str) -> Text:
        return self.refs.fill(self.loc.get(path, source))

    # --- the context every template of this page sees -----------------------------------------
    def context(self) -> dict[str, Any]:
        p = self.p
        return {
            "protocol": p, "text": self.text, "tr": self.w.tr, "word": self.word, "label": self.labels.label,
            "lang_of": lang_of, "locale": self.ctx.locale, "lang": self.ctx.lang,
            "search_instructions": self.ctx.search_instructions, "compare_url": self.ctx.compare_url,
            "translated_from": self.ctx.translated_from, "fallbacks": self.loc.fallbacks,
            "other_name": self.ctx.other_name, "review": self.ctx.review,
            "step_index": {s.id: i for i, s in enumerate(p.steps)},
            "adaptation_index": {a.id: i for i, a in enumerate(p.adaptations)},
            "dose_columns": self.dose_columns, "amount": amount, "unit_label": self.labels.unit,
            "route_label": self.labels.route, "sources_checked": sources_checked_on(p),
            "unchecked_sources": sum(1 for s in p.sources if not s.checked),
            "edition": self.ctx.edition, "dose_view": self.dose_view, "alternative": self.alternative,
            "local_notes": self.local_notes, "resource_label": self.resource_label,
            "first_actions": self.first_actions, "dose_rows": dose_rows(p),
            "latest_change": latest_change(p), "glance": p.kind == "protocol",
            "checklist_url": self.ctx.checklist_url, "steps_url": "", "jurisdiction": self.ctx.jurisdiction,
            # settled per site (``editions.SitePages``): the page is made alike for every site
            "edition_banner": Markup(BANNER_MARK), "base_only": (Markup(BASE_ONLY[0]), Markup(BASE_ONLY[1])),
        }

    # --- jurisdiction variants and the hospital edition -----------------------------------------
    def dose_view(self, med: Medication, base: tuple[str | int, ...]) -> DoseView:
        return dose_view(med, base, self.ctx.jurisdiction, self.text, self.labels.unit)

    def alternative(self, med: Medication) -> Text | None:
        """The drug the protocol names for when ``med`` is not available, in the page's language."""
        for i, step in enumerate(self.p.steps):
            for m, other in enumerate(step.medications):
                if other.id == med.alternative:
                    return self.text(("steps", i, "medications", m, "drug"), other.drug)
        return None

    def local_notes(self, step_id: str = "") -> list[tuple[Text, Citation | None]]:
        if self.ctx.edition is None:
            return []
        return [(self.refs.fill(note), source) for note, source in self.ctx.edition.notes(self.p.id, step_id)]

    def resource_label(self, resource: str) -> str:
        return (self.ctx.references or {}).get("resource", {}).get(resource, resource)

    def word(self, msgid: str, **values: str) -> Markup:
        """A site word with ``{name}`` values filled in, escaped; English fallbacks marked."""
        return Markup(self.w.html(msgid, **values))

    def page(self) -> str:
        p = self.p
        # Front matter: anchors of headings still in English, so the table of contents can mark them.
        fallback = [s.id for i, s in enumerate(p.steps) if self.text(("steps", i, "title"), s.title).fallback]
        chart = Markup(self.flowchart()) if p.kind == "protocol" and any(s.decision for s in p.steps) else ""
        return render(self.env, "protocol.md", **self.context(), fallback_anchors=fallback, flowchart=chart)

    def checklist(self, protocol_url: str) -> str:
        """The printable one-page checklist; its links lead to the steps on the protocol page."""
        return render(self.env, "checklist.md", **{**self.context(), "steps_url": protocol_url})

    # --- pieces other pages reuse (the side-by-side view) -------------------------------------
    def _text_macros(self) -> Any:
        if self._macros is None:
            self._macros = self.env.get_template("partials/text.html").make_module(self.context())
        return self._macros

    def inline(self, path: tuple[str | int, ...], source: str, *, heading: bool = False) -> Markup:
        return Markup(self._text_macros().inline(self.text(path, source), heading=heading))

    def block(self, path: tuple[str | int, ...], source: str) -> Markup:
        return Markup(self._text_macros().block(self.text(path, source)))

    # --- data for the templates ---------------------------------------------------------------
    def dose_columns(self, meds: tuple[Medication, ...]) -> list[Column]:
        """Columns with nothing in them are left out, so the ones that matter get the width; each
        medication's notes and citation go on a full-width row under it (partials/doses.html)."""
        tr = self.w.tr
        columns = [Column("drug", tr("Drug")), Column("dose", tr("Dose")), Column("route", tr("Route")),
                   Column("frequency", tr("How often"))]
        if any(m.max_dose for m in meds):
            columns.append(Column("max_dose", tr("Maximum")))
        return columns

    def first_actions(self) -> tuple[Text, int]:
        """The first step's lead and first list items, in the page's language (its state kept, so a
        fallback stays marked), and how many items were left for the step itself."""
        whole = self.text(("steps", 0, "instructions"), self.p.steps[0].instructions)
        part = excerpt(whole.value)
        return replace(whole, value=part.markdown), part.more

    def flowchart(self) -> str:
        """The steps as a picture; the SVG's text is localized here and escaped by its template."""
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
        title = f"{self.w.tr('Flowchart')}: {self.text(('title',), self.p.title).value}"
        return render_flowchart(nodes, edges, title, self.ctx.lang, self.env)


def amount(med: Medication) -> str:
    """A dose amount as written on the page, a range with an en dash.

    >>> from carebridge.source.model import Citation
    >>> amount(Medication("m", "misoprostol", 400, "mcg", "SL", "once", Citation("who", "3"), amount_max=800))
    '400–800'
    """
    return amount_text(med.amount, med.amount_max)


def render_protocol(loaded: Loaded, loc: Localized, words: Words, ctx: PageContext) -> str:
    """The page source (Markdown with HTML blocks) of one protocol in one language."""
    return Renderer(loaded, loc, words, ctx).page()
