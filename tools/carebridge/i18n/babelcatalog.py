"""Babel's ``Catalog`` and ``read_po``, with each locale looked up once per process.

Babel parses the locale identifier anew for every catalog it makes and again for every header it
reads (``Locale.parse`` reads the locale data folder, ~0.5 ms each); an update reads, merges and
verifies some hundreds of catalogs of one or two locales. Everything else is Babel's own code.
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


def read_po(text: str, locale: str | None, domain: str | None) -> LocaleCatalog:
    """Babel's ``read_po(..., abort_invalid=True)`` of ``text``, into a ``LocaleCatalog``."""
    catalog = LocaleCatalog(locale=locale, domain=domain)
    PoFileParser(catalog, ignore_obsolete=False, abort_invalid=True).parse(io.StringIO(text))
    return catalog
