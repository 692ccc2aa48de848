"""The translators' workflow over a whole library: extract, init, update, stats.

Each function computes every output first and only then writes (atomically), so a bad
file anywhere leaves every catalog as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..fsio import write_all_atomic
from ..problems import Problem, ProblemsFound, error, warning
from ..source.library import SITE_DOMAIN, Loaded, Project, load_library, load_protocol, parallel_map, unique_ids
from ..source.schema import validator
from .catalog import (
    Stats,
    merge,
    new_catalog,
    protocol_template,
    read_catalog,
    render_catalog,
    stats,
)
from .editions import edition_templates
from .provenance import Provenance, load_provenance
from .reviews import ReviewState, review_state
from .sitewords import site_template


def _library(project: Project) -> list[Loaded]:
    loaded, problems = load_library(project)
    if any(p.severity.value == "error" for p in problems):
        raise ProblemsFound(problems)
    return loaded


def templates(project: Project) -> dict[str, Catalog]:
    """Every template by domain: one per protocol, one per hospital edition, plus ``site``."""
    library = _library(project)
    out = {item.protocol.id: protocol_template(item, project) for item in library}
    out.update(edition_templates(project, library))
    out[SITE_DOMAIN] = site_template(project.schema_path)
    return out


def extract(project: Project) -> tuple[list[Path], dict[str, Catalog]]:
    """Write ``locales/templates/<domain>.pot``; remove templates of deleted protocols."""
    found = templates(project)
    files: dict[Path, str | bytes] = {project.template_path(d): render_catalog(c) for d, c in found.items()}
    return write_all_atomic(files) + _remove_stale_templates(project, set(found)), found


def stale_templates(project: Project) -> tuple[int, list[Problem]]:
    """What ``extract`` would change, as problems (nothing is written): for CI and pre-commit."""
    found = templates(project)
    problems: list[Problem] = []
    for domain, catalog in found.items():
        path = project.template_path(domain)
        current = path.read_bytes() if path.is_file() else None
        rendered = render_catalog(catalog)
        if current != (rendered.encode("utf-8") if isinstance(rendered, str) else rendered):
            problems.append(error(project.rel(path), None, None,
                                  "template is missing" if current is None else "template is out of date",
                                  hint="run `carebridge i18n extract` and `carebridge i18n update`, then commit",
                                  code="stale-template"))
    for path in sorted(project.templates_dir.glob("*.pot")) if project.templates_dir.is_dir() else []:
        if path.stem not in found:
            problems.append(error(project.rel(path), None, None, "template of a protocol that no longer exists",
                                  hint="run `carebridge i18n extract` to remove it", code="stale-template"))
    return len(found), problems


def _check_locale(project: Project, locale: str) -> None:
    import babel

    try:
        babel.Locale.parse(locale)
    except (ValueError, babel.UnknownLocaleError) as exc:
        raise ProblemsFound([error("<command line>", None, None, f"unknown locale '{locale}': {exc}",
                                   hint="use a gettext locale such as zh_CN or zh_TW", code="usage")]) from exc


def _catalog_files(template: Catalog, domain: str, project: Project, locales: list[str], fuzzy: bool,
                   create: bool) -> tuple[dict[Path, str | bytes], list[Problem]]:
    """The template of one domain and its merged catalog in each locale, rendered, not written."""
    files: dict[Path, str | bytes] = {project.template_path(domain): render_catalog(template)}
    problems: list[Problem] = []
    for locale in locales:
        path = project.catalog_path(locale, domain)
        if not path.exists():
            if create or path.parent.is_dir():
                files[path] = render_catalog(new_catalog(template, locale, domain))
            continue
        catalog, read_problems = read_catalog(path, project.rel(path), locale)
        problems += read_problems
        if catalog is not None:
            files[path] = render_catalog(merge(catalog, template, fuzzy=fuzzy))
    return files, problems


def _protocol_files(path: Path, project: Project, locales: list[str], fuzzy: bool,
                    create: bool) -> tuple[Loaded | None, dict[Path, str | bytes], list[Problem]]:
    # One protocol start to finish in one worker: load, validate, template, merge, render.
    item, problems = load_protocol(project, path)
    if item is None:
        return None, {}, problems
    files, found = _catalog_files(protocol_template(item, project), item.protocol.id, project, locales, fuzzy, create)
    return item, files, problems + found


def update(project: Project, locales: list[str] | None = None, *, fuzzy: bool = True,
           create: bool = False, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Refresh templates, then merge them into each locale's catalogs (``msgmerge``).

    Everything is computed first (on every core for a large library) and written only if no
    file has an error, so a bad protocol or catalog leaves every file as it was.
    """
    targets = locales or project.locales()
    for locale in targets:  # every usage problem before anything is computed or written
        _check_locale(project, locale)
        if locales and not create and not (project.locales_dir / locale / "LC_MESSAGES").is_dir():
            raise ProblemsFound([error("<command line>", None, None, f"locale {locale} does not exist yet",
                                       hint=f"start it with `carebridge i18n init --locale {locale}`", code="usage")])
    paths, problems = project.protocol_files()
    validator(project.schema_path)
    if progress:
        progress(f"checking {len(paths)} protocol(s) and merging their catalogs for {', '.join(targets) or 'no locale'}…")
    results = parallel_map(_protocol_files, paths, project, targets, fuzzy, create)
    files: dict[Path, str | bytes] = {}
    _, duplicates = unique_ids([item for item, _, _ in results if item is not None])
    problems += duplicates
    for _, produced, found in results:
        files.update(produced)
        problems += found
    loaded = [item for item, _, _ in results if item is not None]
    for domain, template in (edition_templates(project, loaded) if not problems else {}).items():
        edition_files, edition_problems = _catalog_files(template, domain, project, targets, fuzzy, create)
        files.update(edition_files)
        problems += edition_problems
    site_files, site_problems = _catalog_files(site_template(project.schema_path), SITE_DOMAIN, project, targets, fuzzy, create)
    files.update(site_files)
    problems += site_problems
    if any(p.severity.value == "error" for p in problems):
        raise ProblemsFound(problems)
    if progress:
        progress(f"writing the files that changed (of {len(files)})…")
    written = write_all_atomic(files)
    return written + _remove_stale_templates(project, {p.stem for p in files if p.suffix == ".pot"})


def _remove_stale_templates(project: Project, current: set[str]) -> list[Path]:
    removed = []
    if project.templates_dir.is_dir():
        for stale in sorted(project.templates_dir.glob("*.pot")):
            if stale.stem not in current:
                stale.unlink()
                removed.append(stale)
    return removed


def init(project: Project, locale: str) -> list[Path]:
    """Start a new locale: an empty catalog per protocol plus ``site``; refuses to overwrite."""
    _check_locale(project, locale)
    existing = project.locales_dir / locale / "LC_MESSAGES"
    if existing.is_dir() and any(existing.glob("*.po")):
        raise ProblemsFound([error(project.rel(existing), None, None, f"locale {locale} already exists",
                                   hint=f"use `carebridge i18n update --locale {locale}` to refresh it", code="usage")])
    return update(project, [locale], create=True)


@dataclass(frozen=True)
class CatalogStats:
    locale: str
    domain: str
    file: str
    stats: Stats
    source_version: str = ""  # the English version the template was made from ("" for site words)
    provenance: Provenance | None = None  # who translated it, how, and the clinicians' reviews
    review: ReviewState | None = None     # which strings a clinician has reviewed (None for site words)


def library_stats(project: Project, locales: list[str] | None = None) -> tuple[list[CatalogStats], list[Problem]]:
    """Translated / fuzzy / untranslated / reviewed per protocol and locale, against the current templates."""
    found = templates(project)
    rows: list[CatalogStats] = []
    problems: list[Problem] = []
    for locale in locales or project.locales():
        provenance_path = project.locales_dir / locale / "provenance.yaml"
        records, provenance_problems = load_provenance(provenance_path, project.rel(provenance_path))
        problems += provenance_problems
        for domain, template in sorted(found.items()):
            path = project.catalog_path(locale, domain)
            catalog, read_problems = read_catalog(path, project.rel(path), locale)
            problems += read_problems
            if catalog is None:
                continue
            current = {(m.id, m.context) for m in template if m.id}
            matched = [m for m in catalog if m.id and (m.id, m.context) in current]
            missing = len(current) - len(matched)
            base = stats(catalog)
            translated = sum(1 for m in matched if m.string and not m.fuzzy)
            fuzzy = sum(1 for m in matched if m.string and m.fuzzy)
            record = records.get(domain)
            review = None
            if domain != SITE_DOMAIN:
                review = review_state([(str(m.context), str(m.id)) for m in template if m.id], catalog, record, domain)
                problems += review.problems
            rows.append(CatalogStats(locale, domain, project.rel(path),
                                     Stats(len(current), translated, fuzzy, len(current) - translated - fuzzy,
                                           base.obsolete), "" if domain == SITE_DOMAIN else str(template.version),
                                     record, review))
            if missing:
                problems.append(warning(project.rel(path), None, None,
                                        f"{missing} message(s) of the template are not in the catalog",
                                      hint=f"run `carebridge i18n update --locale {locale}`", code="po-stale"))
    return rows, problems
