"""The drugs A–Z page: every drug in a dose table, each linking to the protocol steps that dose it.

Letters come from the English generic name in both languages (the Chinese page shows the
Chinese name first and the English in brackets), so a clinician finds a drug the same way on
either site.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from ..source.library import Loaded
from ..source.model import amount_text
from .localize import Localized
from .templating import environment, render
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


def dose_links(loaded: Loaded, loc: Localized, href: str, labels: Labels) -> list[DoseLink]:
    """The doses of one protocol, as links from the drugs page (``href`` is the protocol page), with
    the route and unit names of the build's schema in the page's language."""
    p = loaded.protocol
    routes, units = labels.names("route"), labels.names("unit")
    title = loc.get(("title",), p.title).value
    out = []
    for i, step in enumerate(p.steps):
        step_title = loc.get(("steps", i, "title"), step.title).value
        for m, med in enumerate(step.medications):
            amount = amount_text(med.amount, med.amount_max)
            dose = f"{amount} {units.get(med.unit, med.unit)}, {routes.get(med.route, med.route)}"
            out.append(DoseLink(loc.get(("steps", i, "medications", m, "drug"), med.drug).value, med.drug,
                                title, step_title, i + 1, f"{href}#{step.id}", dose))
    return out


@dataclass(frozen=True)
class DrugEntry:
    key: str                 # the English name, case-folded: sorting and the anchor
    name: str                # as shown in this language
    english: str             # shown beside a translated name on the Chinese page
    doses: list[DoseLink]

    @property
    def anchor(self) -> str:
        return "drug-" + _slug(self.key)


def drugs_page(links: list[DoseLink], words: Words, chinese: bool, env: jinja2.Environment | None = None) -> str:
    """The page source (``templates/drugs.md``): letters, then drugs, then the steps that dose them."""
    by_drug: dict[str, list[DoseLink]] = {}
    for link in links:
        by_drug.setdefault(link.english.casefold(), []).append(link)
    letters: dict[str, list[DrugEntry]] = {}
    for key in sorted(by_drug):
        group = sorted(by_drug[key], key=lambda d: (d.protocol, d.number, d.href))
        letter = key[:1].upper() if key[:1].isalpha() else "#"
        letters.setdefault(letter, []).append(DrugEntry(key, group[0].drug, group[0].english, group))
    return render(env or environment(), "drugs.md", tr=words.tr,
                  word=lambda msgid, **v: Markup(words.html(msgid, **v)),
                  letters=letters, chinese=chinese)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text).strip("-")
