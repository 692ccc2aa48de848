"""The drugs A–Z page: every drug in a dose table, each linking to the protocol steps that dose it.

Letters come from the English generic name in both languages (the Chinese page shows the
Chinese name first and the English in brackets), so a clinician finds a drug the same way on
either site.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..source.library import Loaded
from .localize import Localized
from .render import heading_text
from .words import Labels, Words


@dataclass(frozen=True)
class DoseLink:
    drug: str          # as shown in this language
    english: str       # the source name: sorting and letters
    protocol: str      # the protocol's title in this language
    step: str          # the step's title in this language
    number: int        # the step's number
    href: str          # link to the step
    dose: str          # amount, unit and route


def dose_links(loaded: Loaded, loc: Localized, href: str, words: Words) -> list[DoseLink]:
    """The doses of one protocol, as links from the drugs page (``href`` is the protocol page)."""
    p = loaded.protocol
    labels = Labels(words.tr)
    routes, units = labels.names("route"), labels.names("unit")
    title = loc.get(("title",), p.title).value
    out = []
    for i, step in enumerate(p.steps):
        step_title = loc.get(("steps", i, "title"), step.title).value
        for m, med in enumerate(step.medications):
            amount = f"{med.amount:g}" + (f"–{med.amount_max:g}" if med.amount_max is not None else "")
            dose = f"{amount} {units.get(med.unit, med.unit)}, {routes.get(med.route, med.route)}"
            out.append(DoseLink(loc.get(("steps", i, "medications", m, "drug"), med.drug).value, med.drug,
                                title, step_title, i + 1, f"{href}#{step.id}", dose))
    return out


def drugs_page(links: list[DoseLink], words: Words, chinese: bool) -> str:
    """Markdown (headings) with escaped HTML lists: letters, then drugs, then the steps that dose them."""
    tr = words.tr
    by_drug: dict[str, list[DoseLink]] = {}
    for link in links:
        by_drug.setdefault(link.english.casefold(), []).append(link)
    letters: dict[str, list[str]] = {}
    for key in sorted(by_drug):
        letter = key[:1].upper() if key[:1].isalpha() else "#"
        letters.setdefault(letter, []).append(key)
    out = [f"# {heading_text(tr('Drugs A–Z'))}", "",
           f'<p class="cb-summary">{words.html("Drugs named in dose tables, with the protocol steps that dose them.")}</p>',
           ""]
    if letters:
        jump = " ".join(f'<a href="#letter-{letter.lower()}">{html.escape(letter)}</a>' for letter in letters)
        out += [f'<nav class="cb-az" aria-label="{html.escape(tr("Drugs A–Z"))}">{jump}</nav>', ""]
    for letter, keys in letters.items():
        out += [f"## {heading_text(letter)} {{#letter-{letter.lower()}}}", "", '<dl class="cb-drugs">']
        for key in keys:
            group = sorted(by_drug[key], key=lambda d: (d.protocol, d.number, d.href))
            name = group[0].drug
            label = html.escape(name)
            if chinese and name.casefold() != group[0].english.casefold():
                label += f' <span lang="en">({html.escape(group[0].english)})</span>'
            out.append(f'<dt id="drug-{_slug(key)}">{label}</dt>')
            for d in group:
                step = html.escape(tr("Step {number}").replace("{number}", str(d.number)))
                out.append(f'<dd><a href="{html.escape(d.href)}">{html.escape(d.protocol)} — {step}: '
                           f'{html.escape(d.step)}</a> <span class="cb-dose">{html.escape(d.dose)}</span></dd>')
        out += ["</dl>", ""]
    return "\n".join(out)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")
