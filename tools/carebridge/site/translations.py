"""A build's translations: each language's catalogs, provenance and glossary, and every protocol
localized through them (each string safety-checked once, shared by all the pages that show it)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from mkdocs.exceptions import PluginError

from .. import report
from ..i18n.checks import SafetyCheck, glossary_for, safety_check
from ..i18n.extract import protocol_messages
from ..i18n.provenance import Provenance, load_provenance
from ..i18n.reviews import review_state
from ..problems import Problem
from ..source.library import SITE_DOMAIN, Loaded, Project
from ..source.loader import format_path
from .incremental import CatalogCache
from .localize import Localized, State, localize
from .review_notice import ReviewNotice, notice

log = logging.getLogger("mkdocs.plugins.carebridge")


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
            return localize(item, None, "en")
        catalog = self.catalogs.get((locale, item.protocol.id), Catalog(locale=locale))
        result = localize(item, catalog, lang, self.check(locale))
        if locale == self.current:
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
        strings = [(m.context, m.msgid) for m in protocol_messages(item.document, self.project.schema_path)]
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
