"""What a page needs from a hospital edition, and from jurisdiction variants, in one language.

Protocol text names roles and resources (``{contact:pci-centre}``); ``References.fill`` puts
the role's name there, and in a hospital edition the team and number that answer it. A dose
cell shows the values of the page's jurisdiction first (``DoseView``) and the others beside it.

The base site's pages ask the same questions of ``NoEdition``, which answers as an edition that
says nothing: so a protocol page that reads nothing of its hospital is one kept page for the base
site and every edition (``Kept.remember_reading``), and a hospital's first edition starts from the
base site's pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .. import markup
from ..source.edition import Edition, FormularyItem, LoadedEdition
from ..source.loader import JsonPath
from ..source.model import Citation, Medication, Protocol, amount_text
from .localize import Localized, Text

TextAt = Callable[[JsonPath, str], Text]

# The edition's version and name as its banner on every page is made: put in by the plugin once the
# page is HTML (``on_post_page``), so a new version makes no page again, and a page that reads
# nothing else of the edition is the same page in every hospital's site (``reading``).
VERSION_MARK = "\ue000carebridge:edition-version\ue001"
NAME_MARK = "\ue000carebridge:edition-name\ue001"
# The same name where Material's templates put the site's name (header, <title>), so the theme's
# page around the same content is one kept render in every hospital's site (``editions.edition_site_name``).
SITE_NAME_MARK = "\ue000carebridge:edition-site-name\ue001"
MARK_START = "\ue000carebridge:"  # what no page may keep once its marks are put in
# A protocol page's Markdown is made alike for the base site and the editions; these marks are where
# they differ, settled per site before MkDocs reads it (``editions.SitePages``): the edition's banner,
# and the link to the side-by-side page, which only the base site has.
# Empty elements, not comments: a comment would send the page through Python-Markdown (``direct``).
BANNER_MARK = '<div data-cb-mark="\ue000carebridge:edition-banner\ue001"></div>'
BASE_ONLY = ('<b data-cb-mark="\ue000carebridge:base-only\ue001"></b>', '<b data-cb-mark="\ue000carebridge:/base-only\ue001"></b>')


@dataclass
class EditionView:
    """One hospital edition with its texts in the page's language."""

    loaded: LoadedEdition
    loc: Localized

    @property
    def edition(self) -> Edition:
        return self.loaded.edition

    @property
    def id(self) -> str:
        return self.edition.id

    @property
    def version(self) -> str:
        return self.edition.version

    @property
    def banner_version(self) -> str:
        return VERSION_MARK

    @property
    def banner_name(self) -> str:
        return NAME_MARK

    @property
    def demonstration(self) -> bool:
        return self.edition.demonstration

    def text(self, path: JsonPath, source: str) -> Text:
        return self.loc.get(path, source)

    def name(self) -> Text:
        return self.text(("name",), self.edition.name)

    def contact(self, role: str) -> tuple[Text, str] | None:
        """The team that answers ``role`` here and its number."""
        found = self.edition.contact(role)
        if found is None:
            return None
        return self.text(("contacts", role, "name"), found.name), found.phone

    def missing(self, resource: str) -> bool:
        """True only when the edition says the resource is not available (not when it is silent)."""
        found = self.edition.resource(resource)
        return found is not None and not found.available

    def stock(self, drug: str) -> FormularyItem | None:
        return self.edition.stock(drug)

    def local_dose(self, item: FormularyItem) -> Text | None:
        if item.local_dose is None:
            return None
        index = self.edition.formulary.index(item)
        return self.text(("formulary", index, "local_dose", "text"), item.local_dose.text)

    def cite(self, citation: Citation) -> str:
        source = self.edition.source(citation.ref)
        return f"{source.publisher} {source.year}, {citation.section}"

    def notes(self, protocol_id: str, step_id: str = "") -> list[tuple[Text, Citation | None]]:
        """Local notes for one step of a protocol ("" for the notes on the whole page)."""
        return [(self.text(("notes", i, "note"), n.note), n.source) for i, n in enumerate(self.edition.notes)
                if n.protocol == protocol_id and n.step == step_id]


class NoEdition:
    """The base site's answers to what a protocol page asks of its hospital: no team for a role, no
    formulary, no resource missing, no local note. Each is what an edition answers where it is
    silent (the same value, so the same record), and no other question may be asked of it."""

    def missing(self, resource: str) -> bool:
        return False

    def stock(self, drug: str) -> FormularyItem | None:
        return None

    def notes(self, protocol_id: str, step_id: str = "") -> list[tuple[Text, Citation | None]]:
        return []

    def contact(self, role: str) -> tuple[Text, str] | None:
        return None


def page_jurisdiction(protocol: Protocol, jurisdiction: str) -> str:
    """The jurisdiction as ``protocol``'s pages read it: "" unless one of its steps or doses has a
    variant for it (``dose_view`` and the step variants show the same page either way)."""
    for step in protocol.steps:
        if step.variant(jurisdiction) or any(med.variant(jurisdiction) for med in step.medications):
            return jurisdiction
    return ""


@dataclass
class References:
    """Fills ``{contact:role}`` / ``{resource:id}`` with the role's (translated) name, and in an
    edition the team and number: "the PCI centre (Transfer desk, ext. 8180)"."""

    labels: dict[str, dict[str, str]]
    edition: EditionView | NoEdition | None = None
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)

    def fill(self, text: Text) -> Text:
        if "{" not in text.value:
            return text
        value = markup.REFERENCE.sub(lambda m: self._one(m.group(1), m.group(2)), text.value)
        return replace(text, value=value) if value != text.value else text

    def _one(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key not in self._cache:
            label = self.labels.get(kind, {}).get(name, name)
            contact = self.edition.contact(name) if self.edition and kind == "contact" else None
            self._cache[key] = f"{label} ({contact[0].value}, {contact[1]})" if contact else label
        return self._cache[key]


@dataclass(frozen=True)
class DoseLine:
    """One set of values for a medication: the protocol's own, or a jurisdiction's variant."""

    label: Text | None        # None for the protocol's own values
    amount: str               # "" when the variant gives no number (see the citation)
    unit: str
    frequency: Text | None
    notes: Text | None
    citation: Citation


@dataclass(frozen=True)
class DoseView:
    primary: DoseLine
    others: tuple[DoseLine, ...]

    @property
    def frequency(self) -> Text | None:
        return self.primary.frequency


def _amount(amount: float | None, amount_max: float | None) -> str:
    if amount is None:
        return ""
    return amount_text(amount, amount_max)


def dose_view(med: Medication, base: JsonPath, jurisdiction: str, text: TextAt,
              unit_label: Callable[[str], str]) -> DoseView:
    """The page's jurisdiction's values first (when the medication has a variant for it)."""
    own = DoseLine(None, _amount(med.amount, med.amount_max), unit_label(med.unit),
                   text(base + ("frequency",), med.frequency), None, med.source)
    lines = []
    for v in med.variants:
        vbase = base + ("variants", v.jurisdiction)
        lines.append((v.jurisdiction, DoseLine(
            text(vbase + ("label",), v.label), _amount(v.amount, v.amount_max), unit_label(v.unit or med.unit),
            text(vbase + ("frequency",), v.frequency) if v.frequency else None,
            text(vbase + ("notes",), v.notes) if v.notes else None, v.source)))
    mine = [line for j, line in lines if j == jurisdiction]
    if mine:
        primary = mine[0]
        if primary.frequency is None and primary.amount:
            primary = replace(primary, frequency=own.frequency)
        return DoseView(primary, (own, *(line for j, line in lines if j != jurisdiction)))
    return DoseView(own, tuple(line for _, line in lines))
