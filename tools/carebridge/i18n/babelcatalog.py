"""Babel's ``Catalog`` and ``read_po``, with each locale looked up once per process and each
catalog's header made once while its fields stay as they are.

Babel parses the locale identifier anew for every catalog it makes and again for every header it
reads (``Locale.parse`` reads the locale data folder, ~0.5 ms each); an update reads, merges and
verifies some hundreds of catalogs of one or two locales. And every pass over a catalog's messages
makes its header again, formatting two dates (22 µs): an update of one protocol went over its
catalogs fifteen times. Everything else is Babel's own code.
"""

from __future__ import annotations

import functools
import io

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileParser


@functools.lru_cache(maxsize=64)
def _known_locale(identifier: str) -> Locale | None:
    try:
        return Locale.parse(identifier)
    except (UnknownLocaleError, ValueError):  # ValueError: no identifier at all ("../../etc"), which the header check names
        return None  # as Babel's Catalog keeps it: the identifier without locale data


class LocaleCatalog(Catalog):  # type: ignore[misc]  # Babel is untyped
    """A Babel ``Catalog`` whose locale comes from a per-process cache; the same catalog otherwise.

    >>> LocaleCatalog(locale="zh_CN").locale is LocaleCatalog(locale="zh_CN").locale
    True
    """

    def _set_locale(self, locale: Locale | str | None) -> None:
        if isinstance(locale, str):  # Babel's own branch for a string, with the lookup cached
            self._locale_identifier = str(locale)
            self._locale = _known_locale(locale)
            return
        super()._set_locale(locale)

    locale = property(Catalog._get_locale, _set_locale)  # the header's Language: goes through it too

    def __setattr__(self, name: str, value: object) -> None:
        # The header is made of the catalog's attributes (its messages are not among them): setting
        # any of them, directly or through a property, makes it anew.
        self.__dict__["_made_headers"] = None
        super().__setattr__(name, value)

    def _get_mime_headers(self) -> list[tuple[str, str]]:
        made: list[tuple[str, str]] | None = self.__dict__.get("_made_headers")
        if made is None:
            made = super()._get_mime_headers()
            self.__dict__["_made_headers"] = made
        return list(made)

    mime_headers = property(_get_mime_headers, Catalog._set_mime_headers)


def read_po(text: str, locale: str | None, domain: str | None) -> LocaleCatalog:
    """Babel's ``read_po(..., abort_invalid=True)`` of ``text``, into a ``LocaleCatalog``."""
    catalog = LocaleCatalog(locale=locale, domain=domain)
    PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True).parse(io.StringIO(text))
    return catalog
