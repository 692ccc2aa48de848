"""The site's own words (labels, notices), translated through ``locales/<locale>/LC_MESSAGES/site.po``.

Every label is a literal ``tr("...")`` call so Babel extracts it into ``site.pot``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from babel.messages.catalog import Catalog
from markupsafe import Markup, escape

from .. import markup
from ..i18n.checks import SafetyCheck
from ..source.schema import enum_labels, load_schema

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
        self.seen: set[str] = set()  # every word looked up (``pagecache`` clears it per protocol)
        self._found: dict[str, str | None] = {}

    def _find(self, msgid: str) -> str | None:
        self.seen.add(msgid)
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


class Labels:
    """Names of the schema's enum values (specialty, status, route, unit...) in the page's language.

    The English labels come from the schema's ``x-labels``; a value the schema gained without a
    label is shown as written rather than failing the build.
    """

    def __init__(self, tr: Tr, enums: dict[str, dict[str, str]] | None = None):
        self.tr = tr
        self.enums = enums if enums is not None else enum_labels(load_schema())

    def label(self, field: str, value: str) -> str:
        english = self.enums.get(field, {}).get(value, value)
        return self.tr(english)

    def names(self, field: str) -> dict[str, str]:
        """Every value of ``field`` with its label, in schema order."""
        return {value: self.tr(english) for value, english in self.enums.get(field, {}).items()}

    def unit(self, value: str) -> str:
        return self.label("unit", value)

    def route(self, value: str) -> str:
        return self.label("route", value)


def translate_palette(palette: object, tr: Tr) -> None:
    """The colour-scheme toggles of mkdocs.yml say what they switch to in the page's language.

    Names the site knows are translated as site words; a project's own names stay as written. Each
    is escaped: Material prints it into a title and an aria-label attribute as it is, so a quote in a
    translation would end the attribute and start one of its own (onmouseover=…) on every page. An
    escaped name is Markup, which a second call (the next build of a serve) leaves as it is.

    >>> palette = [{"toggle": {"name": "Switch to the light scheme"}}, {"toggle": {"name": 'Dark "x'}}]
    >>> translate_palette(palette, lambda msgid: '浅色" onmouseover="alert(document.domain)')
    >>> [option["toggle"]["name"] for option in palette]
    [Markup('浅色&#34; onmouseover=&#34;alert(document.domain)'), Markup('Dark &#34;x')]
    """
    known = {"Switch to the dark scheme (night shift)": tr("Switch to the dark scheme (night shift)"),
             "Switch to the light scheme": tr("Switch to the light scheme")}
    for option in palette if isinstance(palette, list) else [palette]:
        toggle = option.get("toggle") if isinstance(option, dict) else None
        name = toggle.get("name") if isinstance(toggle, dict) else None
        if isinstance(toggle, dict) and isinstance(name, str):
            toggle["name"] = name if isinstance(name, Markup) else escape(known.get(name, name))
