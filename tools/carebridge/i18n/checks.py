"""Stage 5b: clinical safety checks over catalogs (``carebridge i18n check`` and the build).

The per-string rules live in ``equivalence``; this module applies them to every catalog,
honours reviewed exceptions (``# carebridge-allow: <check> — <reason>``) and lists each
exception so a reviewer sees it. Across catalogs it warns when one English term is rendered
two ways (``consistency``), naming both places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..fsio import files_in
from ..problems import Problem, error, warning
from ..safety.consistency import Place, check_consistency
from ..safety.findings import Finding, parse_allowances
from ..safety.glossary import Glossary, load_glossary
from ..source.library import SITE_DOMAIN, Project
from .catalog import read_catalog
from .extract import markup_fields
from .findingcache import Item, findings

# (source, translation, markup, translator comments) -> reasons the translation must not be shown
SafetyCheck = Callable[[str, str, bool, list[str]], list[str]]

ALWAYS = frozenset({"html", "links", "character"})  # unsafe markup or hidden characters: never allowed


def _markup(message: Message, fields: frozenset[str]) -> bool:
    return bool(message.context) and str(message.context).rsplit(".", 1)[-1] in fields


def blocking(findings: list[Finding], allowances: dict[str, str]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (errors that block, errors a reviewed comment allows)."""
    errors = [f for f in findings if f.severity == "error"]
    allowed = [f for f in errors if f.code in allowances and allowances[f.code].strip() and f.code not in ALWAYS]
    return [f for f in errors if f not in allowed], allowed


def glossary_for(project: Project, locale: str) -> tuple[Glossary, list[Problem]]:
    path = project.glossary_path(locale)
    return load_glossary(path, project.rel(path), locale)


def safety_check(project: Project, locale: str) -> SafetyCheck:
    """The check the build runs before showing a translation: reasons it must not be shown.

    One per (project, locale, glossary version) and process: the same string is checked once
    however many pages show it (protocol page, side-by-side page, status page, both builds).
    """
    return _cached_check(project, locale, _glossary_stamp(project, locale))


# (source, translation, markup, translator comments): what a verdict depends on besides the glossary
VerdictKey = tuple[str, str, bool, tuple[str, ...]]
# Each locale's verdicts by its glossary's stamp, then by text, for the life of the process; a
# build hands them to the build processes it starts (``export_verdicts``), so that a string is
# checked once per build, not once per language and edition. Under them, ``findingcache`` keeps
# the findings between runs.
_VERDICTS: dict[tuple[str, tuple[int, int]], dict[VerdictKey, tuple[str, ...]]] = {}


def _glossary_stamp(project: Project, locale: str) -> tuple[int, int]:
    # The glossary's modification time and size: a serve sees an edited glossary at once.
    path = project.glossary_path(locale)
    stat = path.stat() if path.exists() else None
    return (stat.st_mtime_ns, stat.st_size) if stat else (0, 0)


def _verdict(found: list[Finding], comments: tuple[str, ...]) -> tuple[str, ...]:
    blocked, _ = blocking(found, parse_allowances(list(comments)))
    return tuple(f"[{f.code}] {f.message}" for f in blocked)


@lru_cache(maxsize=8)
def _cached_check(project: Project, locale: str, glossary_stamp: tuple[int, int]) -> SafetyCheck:
    glossary, _ = glossary_for(project, locale)
    known = _VERDICTS.setdefault((locale, glossary_stamp), {})

    def check(source: str, translation: str, markup: bool, comments: list[str]) -> list[str]:
        key = (source, translation, markup, tuple(comments))
        found = known.get(key)
        if found is None:
            found = known[key] = _verdict(findings([(source, translation, markup)], locale, glossary)[0], key[3])
        return list(found)

    return check


def precheck(project: Project, locale: str, catalogs: Iterable[Catalog], fields: frozenset[str],
             plain: Iterable[Catalog] = ()) -> int:
    """Check now, on every core, each translation of ``catalogs`` a page would show (not fuzzy, not
    empty); returns how many were checked. A build calls it before it starts its other languages'
    and editions' processes, which then start from these verdicts instead of each checking every
    string again. A string asked for later with other arguments is simply checked then. Findings
    kept from an earlier run (``findingcache``) are looked up in one batch and not checked again.
    ``plain``: catalogs of plain text (the site's words), checked in the same batch."""
    stamp = _glossary_stamp(project, locale)
    known = _VERDICTS.setdefault((locale, stamp), {})
    wanted = {(m.id, m.string, markup and _markup(m, fields), tuple(m.user_comments))
              for group, markup in ((catalogs, True), (plain, False)) for catalog in group for m in catalog
              if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string.strip() and not m.fuzzy}
    todo = sorted(wanted - known.keys())
    if todo:
        glossary, _ = glossary_for(project, locale)
        found = findings([(source, translation, markup) for source, translation, markup, _ in todo], locale, glossary,
                         parallel=True)
        known.update((key, _verdict(f, key[3])) for key, f in zip(todo, found, strict=True))
    return len(todo)


def export_verdicts() -> dict[tuple[str, tuple[int, int]], dict[VerdictKey, tuple[str, ...]]]:
    """This process's verdicts, for the build processes it starts (``import_verdicts``)."""
    return {key: dict(found) for key, found in _VERDICTS.items()}


def import_verdicts(entries: dict[tuple[str, tuple[int, int]], dict[VerdictKey, tuple[str, ...]]]) -> None:
    """Take the verdicts of the build that started this process. They count only under the same
    locale and glossary stamp: a glossary saved in between is checked against anew."""
    for key, found in entries.items():
        _VERDICTS.setdefault(key, {}).update(found)


def _translated(catalog: Catalog, fields: frozenset[str]) -> list[tuple[Message, Item]]:
    """The entries of a catalog that have a translation to check (fuzzy ones too), with what is checked."""
    return [(m, (m.id, m.string, _markup(m, fields))) for m in catalog
            if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string.strip()]


def check_catalog(catalog: Catalog, display: str, locale: str, glossary: Glossary,
                  fields: frozenset[str], found: dict[Item, list[Finding]] | None = None) -> list[Problem]:
    """Every problem of one catalog: blocking errors, warnings, and each reviewed exception.
    ``found``: the findings of its translations, when the caller checked them already."""
    problems: list[Problem] = []
    entries = _translated(catalog, fields)
    if found is None:
        found = dict(zip([item for _, item in entries], findings([item for _, item in entries], locale, glossary),
                         strict=True))
    for message in catalog:
        if isinstance(message.id, (list, tuple)) and not message.fuzzy:
            # No template has plural forms: such an entry is never shown, and its text is never checked
            # (a dose changed in it would pass unseen), so it is refused where it is.
            problems.append(error(display, message.lineno or None, 1 if message.lineno else None,
                                  f"plural entry (msgid_plural) the template does not have: {message.id[0][:60]!r}",
                                  path=str(message.context or ""), code="po-plural",
                                  hint='write the entry as in the template: one msgid and one msgstr "…"'))
    for message in catalog:
        ignored = parse_allowances(list(message.user_comments)).get("") if message.id else None
        if ignored:  # a reviewer meant to allow something and nothing is allowed: say so
            problems.append(warning(display, message.lineno or None, 1 if message.lineno else None,
                                    f"carebridge-allow comment ignored: {ignored}", path=str(message.context or ""),
                                    code="allow-ignored", hint="write '# carebridge-allow: <check>[, <check>] — "
                                    "<why this translation is right>' with the codes the check printed"))
    for message, item in entries:
        line = message.lineno or None
        col = 1 if line else None  # the entry starts there (its msgid line); the finding is about its msgstr
        reported = found[item]
        if message.fuzzy:
            # A fuzzy entry is never shown, but unsafe markup in it is still reported.
            reported = [f for f in reported if f.code in ALWAYS]
        blocked, allowed = blocking(reported, parse_allowances(list(message.user_comments)))
        where = str(message.context or "")
        for f in blocked:
            # the code is printed once, by the problem itself ("error: [numbers] …")
            problems.append(error(display, line, col, f.message, path=where, code=f.code,
                                  hint=f.hint or "fix the translation so it says exactly what the English says"))
        for f in allowed:
            problems.append(warning(display, line, col, f"[{f.code}] allowed by reviewer: {f.message}", path=where,
                                    code="allowed", hint="reviewed exception (carebridge-allow comment)"))
        for f in reported:
            if f.severity == "warning":
                problems.append(warning(display, line, col, f.message, path=where, code=f.code,
                                        hint=f.hint))
    return problems


def check_library(project: Project, locales: list[str] | None = None,
                  on_catalog: Callable[[str], None] | None = None) -> tuple[list[Problem], int]:
    """Check every catalog of every locale; returns problems and the number of catalogs.

    A locale's catalogs are read first; then the translations not in the cache (``findingcache``)
    are checked together, on every core."""
    problems: list[Problem] = []
    fields = markup_fields(project.schema_path)
    count = 0
    for locale in locales or project.locales():
        glossary, glossary_problems = glossary_for(project, locale)
        problems += glossary_problems
        folder = project.locales_dir / locale / "LC_MESSAGES"
        read: list[tuple[str, Catalog | None, list[Problem], frozenset[str]]] = []
        for path in files_in(folder, ".po"):
            count += 1
            if on_catalog:
                on_catalog(project.rel(path))
            catalog, read_problems = read_catalog(Path(path), project.rel(path), locale)
            read.append((project.rel(path), catalog, read_problems, frozenset() if path.stem == SITE_DOMAIN else fields))
        items = list(dict.fromkeys(item for _, catalog, _, marked in read if catalog is not None
                                   for _, item in _translated(catalog, marked)))
        found = dict(zip(items, findings(items, locale, glossary, parallel=True), strict=True))
        places: list[tuple[Place, str]] = []
        for display, catalog, read_problems, marked in read:
            problems += read_problems
            if catalog is not None:
                problems += check_catalog(catalog, display, locale, glossary, marked, found)
                problems += _unmatched(catalog, display, locale, template_keys(project, Path(display).stem))
                places += _places(catalog, display)
        problems += _consistency(places)
    return problems, count


def template_keys(project: Project, domain: str) -> frozenset[tuple[str, str]] | None:
    """(msgid, msgctxt) of each message of the committed template; None when there is none to read
    (``i18n extract --check`` reports a missing or broken template)."""
    path = project.template_path(domain)
    template, problems = read_catalog(path, project.rel(path)) if path.is_file() else (None, [])
    if template is None or any(p.severity == "error" for p in problems):
        return None
    return frozenset((m.id, str(m.context or "")) for m in template if isinstance(m.id, str) and m.id)


def _unmatched(catalog: Catalog, display: str, locale: str,
               keys: frozenset[tuple[str, str]] | None) -> list[Problem]:
    """Translations the template has no message for, and the template's messages the catalog lacks.

    Neither is unsafe (the page shows the English, marked, for a string it cannot match) but a
    translation that matches nothing is work about to be lost unseen: a msgctxt or msgid edited by
    hand, or a catalog not updated after the English changed."""
    if keys is None:
        return []
    update = f"run `carebridge i18n update --locale {locale}`"
    problems = []
    for message in catalog:
        if (isinstance(message.id, str) and message.id and isinstance(message.string, str) and message.string.strip()
                and (message.id, str(message.context or "")) not in keys):
            line = message.lineno or None
            problems.append(warning(display, line, 1 if line else None,
                                    "the template has no such message (msgctxt and msgid): this translation is "
                                    "never shown, the page shows the English here", path=str(message.context or ""),
                                    code="po-orphan", hint=f"if the English changed, {update} (it keeps the "
                                    "translation, as fuzzy or obsolete); if msgctxt or "
                                    "msgid was edited by hand, copy them back from the template"))
    present = {(m.id, str(m.context or "")) for m in catalog if isinstance(m.id, str)}
    missing = len(keys - present)
    if missing:
        problems.append(warning(display, None, None, f"{missing} message(s) of the template are not in the "
                                "catalog: the page shows them in English", code="po-stale", hint=update))
    return problems


def _places(catalog: Catalog, display: str) -> list[tuple[Place, str]]:
    """The shown translations of one catalog, with where each is, for the cross-catalog check."""
    out = []
    for message in catalog:
        if (isinstance(message.id, str) and message.id and isinstance(message.string, str) and message.string.strip()
                and not message.fuzzy and "consistency" not in parse_allowances(list(message.user_comments))):
            out.append((Place(display, message.lineno or None, message.id, message.string), str(message.context or "")))
    return out


def _consistency(places: list[tuple[Place, str]]) -> list[Problem]:
    where = {id(place): context for place, context in places}
    return [warning(place.file, place.line, 1 if place.line else None, f.message, path=where[id(place)],
                    code="consistency", hint=f.hint)
            for place, f in check_consistency([place for place, _ in places])]
