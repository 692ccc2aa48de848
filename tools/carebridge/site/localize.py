"""Stage 6: pick, for every text of a protocol, what a page may show in one language.

A translation is shown only when it is present, not fuzzy, and passes the clinical
equivalence checks; anything else falls back to the English source, marked as such.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from ..i18n.checks import SafetyCheck
from ..i18n.extract import message_text, messages_by_path
from ..source.library import Loaded
from ..source.loader import Document, JsonPath
from ..source.schema import DEFAULT_SCHEMA

SOURCE_LANG = "en"


class State(enum.StrEnum):
    SOURCE = "source"              # the English page: the text is the original
    TRANSLATED = "translated"
    UNTRANSLATED = "untranslated"  # fallback: no translation yet
    FUZZY = "fuzzy"                # fallback: a translator must confirm it
    BLOCKED = "blocked"            # fallback: the translation failed a safety check


@dataclass(frozen=True)
class Text:
    """A text as shown on a page, with the language it is really in."""

    value: str
    lang: str
    state: State
    reason: str = ""

    @property
    def fallback(self) -> bool:
        return self.state in (State.UNTRANSLATED, State.FUZZY, State.BLOCKED)


@dataclass
class Localized:
    """Every text of one protocol in one language, looked up by its JSON path."""

    protocol_id: str
    lang: str
    texts: dict[JsonPath, Text] = field(default_factory=dict)
    unknown: set[JsonPath] = field(default_factory=set)  # paths asked for that have no message

    def get(self, path: JsonPath, source: str) -> Text:
        """The text at ``path``. A path with no message (a renderer asking for the wrong place) is
        never passed off as a translation: on a translated page it is English, marked as such."""
        found = self.texts.get(tuple(path))
        if found is not None:
            return found
        if self.lang == SOURCE_LANG:
            return Text(message_text(source), SOURCE_LANG, State.SOURCE)
        self.unknown.add(tuple(path))
        return Text(message_text(source), SOURCE_LANG, State.UNTRANSLATED, "no message at this path")

    def counts(self) -> Counter[State]:
        return Counter(text.state for text in self.texts.values())

    @property
    def fallbacks(self) -> int:
        return sum(1 for text in self.texts.values() if text.fallback)


def localize(loaded: Loaded, catalog: Catalog | None, lang: str, check: SafetyCheck | None = None) -> Localized:
    """Choose each text for ``lang``; ``catalog`` None means the English original."""
    return localize_document(loaded.document, loaded.protocol.id, catalog, lang, check)


def localize_document(document: Document, domain: str, catalog: Catalog | None, lang: str,
                      check: SafetyCheck | None = None, schema_path: Path = DEFAULT_SCHEMA) -> Localized:
    """``localize`` for any document whose schema marks ``x-translatable`` fields (a hospital edition)."""
    result = Localized(domain, lang)
    for path, message in messages_by_path(document, schema_path, domain if schema_path != DEFAULT_SCHEMA else ""):
        if catalog is None:
            result.texts[path] = Text(message.msgid, SOURCE_LANG, State.SOURCE)
            continue
        entry = catalog.get(message.msgid, message.context)
        translation = entry.string if entry is not None and isinstance(entry.string, str) else ""
        if not translation.strip():
            result.texts[path] = Text(message.msgid, SOURCE_LANG, State.UNTRANSLATED, "not yet translated")
        elif entry is not None and entry.fuzzy:
            result.texts[path] = Text(message.msgid, SOURCE_LANG, State.FUZZY, "translation awaits review (fuzzy)")
        else:
            reasons = check(message.msgid, translation, message.markup, list(entry.user_comments) if entry else []) \
                if check else []
            if reasons:
                result.texts[path] = Text(message.msgid, SOURCE_LANG, State.BLOCKED, "; ".join(reasons))
            else:
                result.texts[path] = Text(translation, lang, State.TRANSLATED)
    return result
