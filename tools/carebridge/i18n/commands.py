"""The translators' workflow over a whole library: extract, init, update, stats.

Each function computes and stages every output first (``store``) and only then renames them all
into place, so a bad file anywhere leaves every catalog as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..fsio import Staged, discard, write_problem
from ..problems import Problem, ProblemsFound, Severity, error, warning
from ..source.edition import LibraryFacts, ProtocolFacts, edition_files
from ..source.library import SITE_DOMAIN, Loaded, Project, duplicate_ids, load_library, load_protocol, parallel_map
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
from .msgfmt import Msgfmt
from .provenance import Provenance, load_provenance
from .reviews import ReviewState, review_state
from .sitewords import site_template, site_words
from .store import clean_catalog_folders, commit_all, stage_catalog, write_files
from .updatememo import Files, Memo


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
    clean_catalog_folders(project.templates_dir, project.locales_dir)
    written = write_files({project.template_path(d): c for d, c in found.items()}, project.rel)
    return written + _remove_stale_templates(project, set(found)), found


def stale_templates(project: Project) -> tuple[int, list[Problem]]:
    """What ``extract`` would change, as problems (nothing is written): for CI and pre-commit."""
    found = templates(project)
    problems: list[Problem] = []
    for domain, catalog in found.items():
        path = project.template_path(domain)
        current = path.read_bytes() if path.is_file() else None
        if current != render_catalog(catalog).encode("utf-8"):  # what the catalog writer would write
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
        parsed = babel.Locale.parse(locale)
    except (ValueError, babel.UnknownLocaleError) as exc:
        why = "" if locale in str(exc) else f": {exc}"  # Babel's own message names it again
        raise ProblemsFound([error("<command line>", None, None, f"unknown locale '{locale}'{why}",
                                   hint="use a gettext locale such as zh_CN or zh_TW", code="usage")]) from exc
    if parsed.language == "en":
        raise ProblemsFound([error("<command line>", None, None, f"'{locale}' is the language the protocols are "
                                   "written in: it has no catalogs", code="usage",
                                   hint="name the language to translate into, such as zh_CN or zh_Hant")])


def require_locales(project: Project, locales: list[str], *, exist: bool = True) -> None:
    """Usage problems with ``--locale`` values: not a locale (``../x``, ``zh-CN``: a path, never a
    folder name) or, with ``exist``, one with no catalogs yet, where a command would check or read
    nothing and say all is well."""
    for locale in locales:
        _check_locale(project, locale)
        if exist and not (project.locales_dir / locale / "LC_MESSAGES").is_dir():
            raise ProblemsFound([error("<command line>", None, None, f"locale {locale} does not exist yet",
                                       hint=f"start it with `carebridge i18n init --locale {locale}`", code="usage")])


def _catalog_stages(template: Catalog, domain: str, project: Project, locales: list[str], fuzzy: bool,
                    create: bool) -> tuple[list[Staged], list[Problem]]:
    """The template of one domain and its merged catalog in each locale, staged beside their targets."""
    jobs: list[tuple[Path, Catalog]] = [(project.template_path(domain), template)]
    problems: list[Problem] = []
    for locale in locales:
        path = project.catalog_path(locale, domain)
        if not path.exists():
            if create or path.parent.is_dir():
                jobs.append((path, new_catalog(template, locale, domain)))
            continue
        catalog, read_problems = read_catalog(path, project.rel(path), locale)
        problems += read_problems
        if catalog is not None:
            jobs.append((path, merge(catalog, template, fuzzy=fuzzy)))
    staged: list[Staged] = []
    if any(p.severity is Severity.ERROR for p in problems):
        return staged, problems  # nothing of this domain will be written; do not stage it
    for path, catalog in jobs:
        item, found = stage_catalog(path, catalog, project.rel(path))
        problems += found
        if item is not None:
            staged.append(item)
    return staged, problems


Stages = tuple[str | None, list[Staged], list[Problem], ProtocolFacts | None, Files | None]


def _protocol_stages(path: Path, project: Project, locales: list[str], fuzzy: bool, create: bool,
                     facts: bool, hashing: bool) -> Stages:
    # One protocol start to finish in one worker: load, validate, template, merge, render, verify, stage;
    # and with ``facts``, what the editions' templates are checked against (not the whole protocol).
    # With ``hashing``, its files' content keys first, for the update's memo (``Memo.note_found``).
    hashed = Memo.hash_files(project, path, locales) if hashing else None
    item, problems = load_protocol(project, path)
    if item is None:
        return None, [], problems, None, hashed
    staged, found = _catalog_stages(protocol_template(item, project), item.protocol.id, project, locales, fuzzy,
                                    create)
    return item.protocol.id, staged, problems + found, ProtocolFacts.of(item) if facts else None, hashed


def update(project: Project, locales: list[str] | None = None, *, fuzzy: bool = True,
           create: bool = False, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Refresh templates, then merge them into each locale's catalogs (``msgmerge``).

    Every changed file is written in full beside its target (on every core for a large library),
    and all are renamed into place only if no file has an error: a bad protocol or catalog, a full
    disk or a catalog that would not pass msgfmt leaves every file as it was.
    """
    targets = locales or project.locales()
    for locale in targets:  # every usage problem before anything is computed or written
        _check_locale(project, locale)
    if locales and not create:
        require_locales(project, locales)
    clean_catalog_folders(project.templates_dir, project.locales_dir)
    paths, problems = project.protocol_files()
    validator(project.schema_path)
    editions = bool(edition_files(project))
    memo = Memo.open(project, targets, fuzzy=fuzzy, create=create, facts=editions)
    ahead = memo.remembers  # only then can a protocol be skipped: its files are hashed here first
    known = {path: memo.up_to_date(project, path, targets) if ahead else None for path in paths}
    todo = [path for path in paths if known[path] is None]
    if progress:
        unchanged = f"{len(paths) - len(todo)} unchanged since the last update; " if len(todo) < len(paths) else ""
        progress(f"{unchanged}checking {len(todo)} protocol(s) and merging their catalogs for "
                 f"{', '.join(targets) or 'no locale'}…")
    staged: list[Staged] = []
    current_editions: set[str] = set()
    checker = Msgfmt()  # fed each protocol's catalogs at once: msgfmt reads them while this process goes on
    try:
        hashing = memo.path is not None and not ahead  # each worker hashes its protocol's files before it reads them
        ran = iter(parallel_map(_protocol_stages, todo, project, targets, fuzzy, create, editions, hashing))
        results: list[Stages] = []
        for path in paths:
            results.append(next(ran) if (hit := known[path]) is None else (hit[0], [], [], hit[1], None))
            checker.add(results[-1][1])
        _, duplicates = duplicate_ids([(pid, project.rel(path)) for path, (pid, *_) in zip(paths, results, strict=True)
                                       if pid is not None])
        problems += duplicates
        for path, (_, produced, found, _, hashed) in zip(paths, results, strict=True):
            staged += produced
            problems += found
            memo.note_found(path, hashed)
        if not any(p.severity is Severity.ERROR for p in problems) and editions:
            # editions name the protocols' steps, drugs and roles (no duplicate id here: that is an error)
            facts = LibraryFacts.gather([part for _, _, _, part, _ in results if part is not None])
            for domain, template in edition_templates(project, facts).items():
                edition_staged, edition_problems = _catalog_stages(template, domain, project, targets, fuzzy, create)
                staged += edition_staged
                problems += edition_problems
                current_editions.add(domain)
        site = site_template(project.schema_path, memo.site_words(lambda: site_words(project.schema_path)))
        site_staged, site_problems = _catalog_stages(site, SITE_DOMAIN, project, targets, fuzzy, create)
        staged += site_staged
        problems += site_problems
        if progress and staged and not any(p.severity is Severity.ERROR for p in problems):
            progress(f"replacing {len(staged)} file(s) that changed…")
        memo.note_staged(staged)
        written = commit_all(staged, problems, project.rel, checker)
    finally:
        checker.close()
        discard(staged)  # after an error or an interruption, no temporary file stays behind
    for path, (pid, _, found, part, _) in zip(paths, results, strict=True):
        if known[path] is None and pid is not None:
            memo.remember(path, pid, found, part)
    memo.save(paths)
    current = {pid for pid, *_ in results if pid is not None} | {SITE_DOMAIN} | current_editions
    return written + _remove_stale_templates(project, current)


def _remove_stale_templates(project: Project, current: set[str]) -> list[Path]:
    removed = []
    if project.templates_dir.is_dir():
        for stale in sorted(project.templates_dir.glob("*.pot")):
            if stale.stem not in current:
                try:
                    stale.unlink()
                except OSError as exc:
                    raise ProblemsFound([write_problem(project.rel(stale), exc)]) from exc
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
