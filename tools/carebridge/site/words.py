"""The site's own words (labels, notices), translated through ``locales/<locale>/LC_MESSAGES/site.po``.

Every label is a literal ``tr("...")`` call so Babel extracts it into ``site.pot``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from babel.messages.catalog import Catalog

from .. import markup
from ..i18n.checks import SafetyCheck

Tr = Callable[[str], str]
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def lang_of(text: str) -> str:
    """The language a citation or name is written in: CJK script means Chinese."""
    return "zh-Hans" if _CJK.search(text) else "en"


class Words:
    """Looks up site words for one language; an English fallback is marked ``lang="en"``."""

    def __init__(self, catalog: Catalog | None, lang: str, check: SafetyCheck | None = None):
        self.catalog = catalog
        self.lang = lang
        self.check = check
        self.missing: set[str] = set()
        self.blocked: dict[str, list[str]] = {}
        self._found: dict[str, str | None] = {}

    def _find(self, msgid: str) -> str | None:
        if self.catalog is None:
            return msgid
        if msgid not in self._found:
            self._found[msgid] = self._lookup(msgid)
        return self._found[msgid]

    def _lookup(self, msgid: str) -> str | None:
        assert self.catalog is not None
        entry = self.catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy or not isinstance(entry.string, str):
            self.missing.add(msgid)
            return None
        # Site words reach titles and navigation too: the same safety check as protocol text.
        reasons = self.check(msgid, entry.string, False, list(entry.user_comments)) if self.check else []
        if markup.raw_html(entry.string):
            reasons = [*reasons, "[html] raw HTML in the translation"]
        if reasons:
            self.blocked[msgid] = reasons
            return None
        return entry.string

    def tr(self, msgid: str) -> str:
        """Plain text (for attributes and titles): the translation or the English."""
        found = self._find(msgid)
        return msgid if found is None else found

    def html(self, msgid: str, **values: str) -> str:
        """Escaped HTML; ``values`` fill ``{name}`` placeholders and are escaped too."""
        found = self._find(msgid)
        text = html.escape(msgid if found is None else found)
        for key, value in values.items():
            text = text.replace("{" + key + "}", html.escape(value))
        return text if found is not None or self.catalog is None else f'<span lang="en">{text}</span>'


def specialty_names(tr: Tr) -> dict[str, str]:
    return {
        "obstetrics": tr("Obstetrics"), "reproductive": tr("Reproductive medicine"),
        "paediatrics": tr("Paediatrics"), "cardiology": tr("Cardiology"), "urology": tr("Urology"),
        "oncology": tr("Oncology"), "infection-prevention": tr("Infection prevention"), "nursing": tr("Nursing"),
        "operations": tr("Hospital operations"), "international-patients": tr("International patients"),
        "governance": tr("Clinical governance"), "patient-education": tr("Patient education"),
    }


def status_names(tr: Tr) -> dict[str, str]:
    return {"draft": tr("Draft"), "review": tr("In review"), "approved": tr("Approved")}


def category_names(tr: Tr) -> dict[str, str]:
    return {
        "cultural": tr("Cultural"), "family-role": tr("Family role"), "regulatory": tr("Regulatory"),
        "drug-availability": tr("Drug availability"), "resources": tr("Resources"), "workflow": tr("Workflow"),
        "language": tr("Language"), "diet-and-tradition": tr("Diet and tradition"), "units": tr("Units"),
        "data-protection": tr("Data protection"), "communication": tr("Communication"),
    }


def route_names(tr: Tr) -> dict[str, str]:
    return {
        "IV": tr("IV (intravenous)"), "IM": tr("IM (intramuscular)"), "PO": tr("PO (by mouth)"),
        "SC": tr("SC (subcutaneous)"), "SL": tr("SL (sublingual)"), "PR": tr("PR (rectal)"),
        "inhaled": tr("inhaled"), "topical": tr("topical"), "intranasal": tr("intranasal"),
        "IO": tr("IO (intraosseous)"), "IV infusion": tr("IV infusion"), "nebulised": tr("nebulised"),
    }


def unit_names(tr: Tr) -> dict[str, str]:
    # Symbols (mg, mL, IU) are written the same in Chinese clinical text; only words are translated.
    return {"units": tr("units"), "tablet": tr("tablet"), "puff": tr("puff"), "units/kg": tr("units/kg")}


def kind_names(tr: Tr) -> dict[str, str]:
    return {"protocol": tr("Clinical protocol"), "patient-leaflet": tr("Patient leaflet")}
