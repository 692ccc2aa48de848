"""A build's translations: each language's catalogs, provenance and glossary, and every protocol
localized through them (each string safety-checked once, shared by all the pages that show it)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from mkdocs.exceptions import PluginError

from .. import report
from ..i18n.checks import SafetyCheck, glossary_for, precheck, safety_check
from ..i18n.extract import FieldSpec, field_specs, markup_fields, protocol_messages
from ..i18n.provenance import Provenance, load_provenance
from ..i18n.reviews import review_state
from ..problems import Problem
from ..source.library import SITE_DOMAIN, Loaded, Project
from ..source.loader import format_path
from .incremental import CatalogCache
from .localize import Localized, State, localize
from .review_notice import ReviewNotice, notice

log = logging.getLogger("mkdocs.plugins.carebridge")
# Kept for the process, by the identity of their inputs (``retain`` drops documents the library
# no longer has; the bound is a backstop): each protocol localized per catalog and language, and
# its (msgctxt, msgid) list, which every language's review asks for, on every site a process builds.
_STRINGS: dict[int, tuple[Any, tuple[FieldSpec, ...], list[tuple[str, str]]]] = {}
_STRINGS_MAX = 8192
_LOCALIZED: dict[tuple[int, int, str], tuple[Any, Catalog | None, SafetyCheck | None, Localized]] = {}


def _localized(item: Loaded, catalog: Catalog | None, lang: str, check: SafetyCheck | None) -> Localized:
    """``localize``, kept while its inputs are the same objects: the library's and catalog cache's
    entries are replaced when their file's bytes change, and ``safety_check`` when the glossary does;
    so the next site a process builds (an edition) localizes nothing again."""
    key = (id(item.document), id(catalog), lang)
    known = _LOCALIZED.get(key)
    if known is not None and known[0] is item.document and known[1] is catalog and known[2] is check:
        return known[3]
    if len(_LOCALIZED) >= _STRINGS_MAX:
        _LOCALIZED.clear()
    result = localize(item, catalog, lang, check)
    _LOCALIZED[key] = (item.document, catalog, check, result)
    return result


def retain(library: list[Loaded]) -> None:
    """Forget what was kept for documents no longer in the library (a serve's edited protocols)."""
    live = {id(item.document) for item in library}
    for key in [key for key in _LOCALIZED if key[0] not in live]:
        del _LOCALIZED[key]
    for doc in [doc for doc in _STRINGS if doc not in live]:
        del _STRINGS[doc]


@functools.lru_cache(maxsize=16)
def _empty(locale: str) -> Catalog:
    """A language's catalog for a protocol that has none (every text falls back to English)."""
    return Catalog(locale=locale)


def _strings(item: Loaded, schema_path: Path) -> list[tuple[str, str]]:
    specs = field_specs(schema_path)
    known = _STRINGS.get(id(item.document))
    if known is not None and known[0] is item.document and known[1] is specs:
        return known[2]
    if len(_STRINGS) >= _STRINGS_MAX:
        _STRINGS.clear()
    strings = [(m.context, m.msgid) for m in protocol_messages(item.document, schema_path)]
    _STRINGS[id(item.document)] = (item.document, specs, strings)
    return strings


@dataclass
class Translations:
    project: Project
    current: str  # the locale this build writes: its blocked translations are build warnings
    cache: CatalogCache  # catalogs whose bytes did not change are not parsed again
    catalogs: dict[tuple[str, str], Catalog] = field(default_factory=dict)
    provenance: dict[str, dict[str, Provenance]] = field(default_factory=dict)
    localized_before: dict[tuple[str, str | None], Localized] = field(default_factory=dict)

    def load(self, locale: str, domains: list[str]) -> None:
        """The locale's catalogs for ``domains``, its provenance and glossary; PluginError on bad ones."""
        problems: list[Problem] = []
        requests = [(path, self.project.rel(path), locale)
                    for path in (self.project.catalog_path(locale, domain) for domain in domains)]
        for domain, (catalog, found) in zip(domains, self.cache.read_many(requests), strict=True):
            problems += found
            if catalog is not None:
                self.catalogs[(locale, domain)] = catalog
        errors = [p for p in problems if p.severity.value == "error" and p.code != "po-missing"]
        if errors:
            raise PluginError("carebridge: catalogs have problems:\n" + report.as_text(errors))
        for p in problems:
            if p.code == "po-missing" and locale == self.current:
                log.info("%s (the page falls back to English)", p)
        path = self.project.locales_dir / locale / "provenance.yaml"
        records, found = load_provenance(path, self.project.rel(path))
        if found:
            raise PluginError("carebridge: provenance has problems:\n" + report.as_text(found))
        self.provenance[locale] = records
        # Without its glossary the safety check would pass every translation on glossary terms.
        _, found = glossary_for(self.project, locale)
        if found:
            raise PluginError("carebridge: the glossary has problems:\n" + report.as_text(found))

    def site_catalog(self, locale: str) -> Catalog | None:
        return self.catalogs.get((locale, SITE_DOMAIN))

    def check(self, locale: str) -> SafetyCheck:
        return safety_check(self.project, locale)

    def precheck(self, locales: list[str]) -> None:
        """Check every loaded translation of ``locales`` now, on every core: the build processes
        this build starts then take the verdicts with the library (``incremental.handover``)."""
        fields = markup_fields(self.project.schema_path)
        for locale in locales:
            mine = {domain: catalog for (at, domain), catalog in self.catalogs.items() if at == locale}
            site = mine.pop(SITE_DOMAIN, None)  # site words are plain text (``words``): one batch, every core
            precheck(self.project, locale, mine.values(), fields, [site] if site is not None else [])

    def keep_only(self, protocol_ids: set[str]) -> None:
        """Forget the localizations of protocols whose inputs changed (a serve's rebuild)."""
        self.localized_before = {k: v for k, v in self.localized_before.items() if k[0] in protocol_ids}

    def localized(self, item: Loaded, locale: str | None, lang: str) -> Localized:
        key = (item.protocol.id, locale)
        if key not in self.localized_before:  # pages share them: protocol, side-by-side, status
            self.localized_before[key] = self._localize(item, locale, lang)
        return self.localized_before[key]

    def _localize(self, item: Loaded, locale: str | None, lang: str) -> Localized:
        if locale is None:
            return _localized(item, None, "en", None)
        found = self.catalogs.get((locale, item.protocol.id))
        catalog = found if found is not None else _empty(locale)
        result = _localized(item, catalog, lang, self.check(locale))
        if locale == self.current:  # said in every build that shows the page, however it was localized
            for path, text in result.texts.items():
                if text.state is State.BLOCKED:
                    # A warning makes `mkdocs build --strict` fail; the page shows the English.
                    line, _ = item.document.locate(path)
                    catalog_file = self.project.rel(self.project.catalog_path(locale, item.protocol.id))
                    log.warning("%s: %s:%d: %s: translation not published (English shown): %s", catalog_file,
                                item.protocol.file, line, format_path(path), text.reason)
        return result

    def review(self, item: Loaded, locale: str, loc: Localized, prov: Provenance | None, *,
               strict: bool) -> ReviewNotice:
        """Who reviewed this translation; in the language's own build, a stale review is a warning, and
        with ``strict`` (strict_review) so is an approved protocol whose translation is not fully reviewed."""
        p = item.protocol
        strings = _strings(item, self.project.schema_path)
        state = review_state(strings, self.catalogs.get((locale, p.id)), prov, p.id)
        result = notice(state, p.status, loc)
        if locale == self.current:
            for problem in state.problems:
                log.warning("%s", problem)
            if result.withheld:
                log.log(logging.WARNING if strict else logging.INFO,
                        "%s: approved, but its %s translation is not fully reviewed (%d of %d strings); the page "
                        "says 'translation not yet reviewed'", p.file, locale, result.reviewed, result.total)
        return result
