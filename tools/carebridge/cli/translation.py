"""``carebridge i18n ...``: extract, update, init, stats, check, review, sign-off, pull-reviews; and
``carebridge cache``, the checks' findings kept between runs."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..problems import ProblemsFound, error
from ..source.library import Project
from .app import FORMAT, emit, guarded, i18n, interactive, main, output_format, progress, refuse, report_written

if TYPE_CHECKING:
    from ..i18n.commands import CatalogStats


@i18n.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a committed template is out of date.")
@FORMAT
@click.pass_obj
@guarded
def extract(project: Project, check: bool, fmt: str | None) -> None:
    """Write locales/templates/<id>.pot for every protocol, plus site.pot."""
    from ..i18n import commands as i18n_mod

    if check:
        checked, problems = i18n_mod.stale_templates(project)
        sys.exit(emit(problems, fmt, checked=checked, what="template"))
    written, found = i18n_mod.extract(project)
    report_written(project, written, "wrote", fmt)
    click.echo(f"{len(found)} templates, {sum(len(c) for c in found.values())} messages", err=True)


@i18n.command()
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable); default all.")
@click.option("--no-fuzzy", is_flag=True, help="Do not offer fuzzy suggestions for changed strings.")
@FORMAT
@click.pass_obj
@guarded
def update(project: Project, locales: tuple[str, ...], no_fuzzy: bool, fmt: str | None) -> None:
    """Refresh templates and merge them into catalogs, keeping translations and comments."""
    from ..i18n import commands as i18n_mod

    started = time.monotonic()
    written = i18n_mod.update(project, list(locales) or None, fuzzy=not no_fuzzy,
                              progress=progress if interactive() else None)
    report_written(project, written, "updated", fmt)
    if interactive() and output_format(fmt) != "json":
        click.echo(f"done in {time.monotonic() - started:.1f} s", err=True)


@i18n.command()
@click.option("--locale", required=True, help="gettext locale to start, e.g. zh_TW.")
@FORMAT
@click.pass_obj
@guarded
def init(project: Project, locale: str, fmt: str | None) -> None:
    """Start a new locale with an empty catalog per protocol."""
    from ..i18n import commands as i18n_mod

    report_written(project, i18n_mod.init(project, locale), "created", fmt)


@i18n.command("stats")
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@FORMAT
@click.pass_obj
@guarded
def stats_cmd(project: Project, locales: tuple[str, ...], fmt: str | None) -> None:
    """Translated / fuzzy / untranslated / reviewed messages per protocol and locale."""
    from ..i18n import commands as i18n_mod

    i18n_mod.require_locales(project, list(locales))
    rows, problems = i18n_mod.library_stats(project, list(locales) or None)

    def origin(r: CatalogStats) -> tuple[str | None, bool]:
        record = r.provenance
        return (record.translated_from, record.stale(r.source_version)) if record else (None, False)

    if output_format(fmt) == "json":
        data = [{"locale": r.locale, "domain": r.domain, "file": r.file, "total": r.stats.total,
                 "translated": r.stats.translated, "fuzzy": r.stats.fuzzy, "untranslated": r.stats.untranslated,
                 "obsolete": r.stats.obsolete, "percent": round(r.stats.percent, 1),
                 "source_version": r.source_version or None, "translated_from": origin(r)[0], "stale": origin(r)[1],
                 "review": _review_json(r.review)}
                for r in rows]
        sys.exit(emit(problems, "json", checked=len(rows), extra={"catalogs": data}))
    width = max([len(r.domain) for r in rows] + [8])
    click.echo(f"{'locale':<8} {'catalog':<{width}} {'done':>6} {'transl.':>7} {'fuzzy':>5} {'untr.':>5} {'obsol.':>6}"
               f" {'reviewed':>8}  translated from")
    for r in rows:
        s = r.stats
        made_from, stale = origin(r)
        note = (f"v{made_from}" + (f" (English is v{r.source_version})" if stale else "")) if made_from else ""
        reviewed = f"{r.review.reviewed}/{r.review.total}" if r.review else "-"
        click.echo(f"{r.locale:<8} {r.domain:<{width}} {s.percent:>5.0f}% {s.translated:>7} {s.fuzzy:>5} "
                   f"{s.untranslated:>5} {s.obsolete:>6} {reviewed:>8}  {note}".rstrip())
    sys.exit(emit(problems, fmt, checked=len(rows), what="catalog", quiet_ok=True))


def _review_json(review: Any) -> dict[str, Any] | None:
    """Reviewed / changed / unreviewed / untranslated counts and who reviewed (None for site words)."""
    if review is None:
        return None
    return {**review.as_json(), "complete": review.complete,
            "reviewers": [{"name": r.name, "role": r.role, "date": r.date, "strings": r.strings}
                          for r in review.reviewers]}


@i18n.command("review")
@click.argument("protocol_id", metavar="ID")
@click.option("--locale", required=True, help="The translation to review, e.g. zh_CN.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the packet (default: review/<locale>/<id>.html).")
@FORMAT
@click.pass_obj
@guarded
def review_cmd(project: Project, protocol_id: str, locale: str, output: Path | None, fmt: str | None) -> None:
    """Write a printable review packet: English and translation side by side per string, what the
    checks found, a column for the reviewer's back-translation or comment, and each string's fingerprint."""
    from ..fsio import write_atomic
    from ..i18n import commands as i18n_mod
    from ..i18n.packet import packet_target_problems, render_packet, review_packet

    i18n_mod.require_locales(project, [locale], exist=False)  # a missing catalog is reported with its path
    if output is not None and (unsafe := packet_target_problems(project, output)):
        refuse(unsafe, fmt)
    packet, problems = review_packet(project, protocol_id, locale)
    if packet is None:
        refuse(problems, fmt)
    target = output.resolve() if output else project.root / "review" / locale / f"{protocol_id}.html"
    write_atomic(target, render_packet(packet))
    counts = {"strings": len(packet.rows), **{s: packet.count(s) for s in
                                              ("reviewed", "changed", "unreviewed", "fuzzy", "untranslated")}}
    if output_format(fmt) == "json":
        sys.exit(emit([], "json", checked=1, extra={"packet": project.rel(target), **counts}))
    click.echo(f"wrote {project.rel(target)}: {counts['strings']} strings ({counts['reviewed']} reviewed, "
               f"{counts['changed']} changed since review, {counts['unreviewed']} to review, "
               f"{counts['fuzzy'] + counts['untranslated']} not translated or fuzzy)", err=True)


@i18n.command("sign-off")
@click.argument("protocol_id", metavar="ID")
@click.option("--locale", required=True, help="The translation reviewed, e.g. zh_CN.")
@click.option("--reviewer", required=True, help="The bilingual clinician's name.")
@click.option("--role", required=True, help="Their clinical role, e.g. obstetrician.")
@click.option("--method", "methods", multiple=True, default=("review",), show_default=True,
              type=click.Choice(["review", "back-translation", "reconciliation"]),
              help="How the strings were reviewed (repeatable).")
@click.option("--strings", "patterns", multiple=True, metavar="MSGCTXT",
              help="Only these strings: msgctxt values or globs, repeatable or comma-separated "
                   "(default: every translated string).")
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The date of the review (default: today).")
@click.option("--notes", default="", help="A note kept with the review.")
@FORMAT
@click.pass_obj
@guarded
def sign_off_cmd(project: Project, protocol_id: str, locale: str, reviewer: str, role: str,
                 methods: tuple[str, ...], patterns: tuple[str, ...], when: Any, notes: str, fmt: str | None) -> None:
    """Record in provenance.yaml that a clinician reviewed these strings (with each one's fingerprint).

    Refuses, writing nothing, to sign a string that is fuzzy, untranslated or fails a safety check."""
    import datetime as dt

    from ..i18n import commands as i18n_mod
    from ..i18n.signoff import sign_off

    i18n_mod.require_locales(project, [locale], exist=False)  # a missing catalog is reported with its path
    names = tuple(part for value in patterns for part in value.replace(",", " ").split())
    date = when.date() if when is not None else dt.date.today()
    done, problems = sign_off(project, protocol_id, locale, reviewer=reviewer, role=role, date=date,
                              methods=methods, patterns=names, notes=notes)
    if done is None:
        refuse(problems, fmt)
    if output_format(fmt) == "json":
        sys.exit(emit([], "json", checked=1, extra={"signed": {
            "protocol": done.protocol_id, "locale": done.locale, "file": done.file, "strings": done.strings,
            "skipped": done.skipped, "reviewer": done.reviewer, "date": done.date}}))
    skipped = f"; {done.skipped} not translated or fuzzy left out" if done.skipped else ""
    click.echo(f"{done.file}: {done.reviewer} signed {done.strings} string(s) of {done.protocol_id} "
               f"({done.locale}) on {done.date}{skipped}", err=True)


@i18n.command("check")
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable); default all.")
@FORMAT
@click.pass_obj
@guarded
def check_cmd(project: Project, locales: tuple[str, ...], fmt: str | None) -> None:
    """Clinical safety checks on every translation: numbers, units, routes, frequencies,
    comparisons, links, markup and the glossary. Exit 1 on any error."""
    from ..i18n import commands as i18n_mod
    from ..i18n.checks import check_library

    i18n_mod.require_locales(project, list(locales))
    problems, count = check_library(project, list(locales) or None)
    sys.exit(emit(problems, fmt, checked=count, what="catalog"))


@i18n.command("pull-reviews")
@click.option("--url", required=True, help="Weblate's address, as opened in a browser (https://weblate.example).")
@click.option("--project", "slug", required=True, help="The Weblate project's slug, e.g. carebridge.")
@click.option("--locale", default=None, help="Only this locale, e.g. zh_CN (default: every language).")
@click.option("--token-env", default="WEBLATE_TOKEN", show_default=True, metavar="NAME",
              help="The environment variable holding your Weblate API key (the key itself is never an option).")
@click.option("--role", default="Weblate reviewer", show_default=True,
              help="The role recorded for each reviewer (unless --reviewers names it).")
@click.option("--reviewers", "reviewers_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML file mapping Weblate usernames to {name: ..., role: ...}; only users listed count.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Only strings last approved on or after this day (UTC).")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; write nothing.")
@FORMAT
@click.pass_obj
@guarded
def pull_reviews_cmd(project: Project, url: str, slug: str, locale: str | None, token_env: str, role: str,
                     reviewers_file: Path | None, since: Any, dry_run: bool, fmt: str | None) -> None:
    """Record strings approved in Weblate as reviews in provenance.yaml: per reviewer and day, only
    where the catalog holds exactly the approved text and sign-off could sign it."""
    from ..i18n.pullreviews import load_clinicians, pull_reviews
    from ..i18n.signoff import hidden_characters
    from ..i18n.weblate_api import WeblateFailure, approved_units, connect

    client, problems = connect(url, token_env, dict(os.environ))
    role = " ".join(role.split())
    if not role:
        problems.append(error("<command line>", None, None, "--role must not be empty", hint='--role "obstetrician"',
                              code="usage"))
    if client is None or problems:
        raise ProblemsFound(problems)
    problems = hidden_characters({"role": role})
    if problems:
        refuse(problems, fmt)
    clinicians = None
    if reviewers_file is not None:
        clinicians, problems = load_clinicians(reviewers_file, project.rel(reviewers_file.resolve()))
        if problems:
            refuse(problems, fmt)
    try:
        units = approved_units(client, slug, locale=locale, since=since.date() if since else None)
    except WeblateFailure as exc:
        refuse([exc.problem], fmt)
    done, problems = pull_reviews(project, units, role=role, clinicians=clinicians, dry_run=dry_run)
    if done is None:
        refuse(problems, fmt)
    if output_format(fmt) == "json":
        sys.exit(emit(problems, "json", checked=done.approved, extra={"dry_run": dry_run, **done.as_json()}))
    for r in done.reviews:
        line = (f"{r.file}: {r.review.reviewer} ({r.review.role}) reviewed {r.strings} string(s) of {r.protocol_id} "
                f"({r.locale}) on {r.review.date}")
        click.echo(f"would record {line}" if dry_run else line, err=not dry_run)
    click.echo(f"{done.approved} approved in Weblate: {done.recorded} recorded"
               f"{' (dry run: nothing written)' if dry_run else ''}, {done.already} already recorded, "
               f"{done.skipped} skipped, {done.not_protocols} site words or glossary terms", err=True)
    sys.exit(emit(problems, fmt, checked=done.approved, summary=False))


@main.command("cache")
@click.option("--clear", is_flag=True,
              help="Delete the cache's files (every translation is checked and every page made again).")
@FORMAT
@guarded
def cache_cmd(clear: bool, fmt: str | None) -> None:
    """Where the safety checks' findings, the protocols' pages and the update memos are kept, and how much.

    The folder is $CAREBRIDGE_CACHE_DIR, else $XDG_CACHE_HOME/carebridge, else ~/.cache/carebridge;
    CAREBRIDGE_CACHE_DIR=off switches the cache off. It is never inside a project."""
    from ..cachedir import ENV
    from ..i18n.findingcache import cache_state, clear_cache
    from ..i18n.updatememo import clear_memos, memo_state
    from ..site.pagecache import clear_pages, page_state

    removed, failed = clear_cache() if clear else ([], [])
    removed += (clear_pages() + clear_memos()) if clear else []
    state = cache_state()
    pages, page_bytes = page_state()
    memos, memo_bytes = memo_state()
    problems = [error(str(path), None, None, f"cannot delete: {exc.strerror or exc}", code="io",
                      hint="check the folder's permissions, or delete the file by hand") for path, exc in failed]
    if output_format(fmt) == "json":
        sys.exit(emit(problems, "json", checked=len(state.files), extra={"cache": {
            "folder": str(state.folder) if state.folder else None, "enabled": bool(state.folder and not state.refused),
            "refused": state.refused, "current": state.current, "rows": state.rows,
            "files": [{"name": name, "bytes": size} for name, size in state.files],
            "pages": {"entries": pages, "bytes": page_bytes}, "updates": {"files": memos, "bytes": memo_bytes},
            "removed": [str(path) for path in removed]}}))
    if state.folder is None:
        click.echo(f"cache: off ({ENV}={os.environ.get(ENV, '')!r})")
    else:
        click.echo(f"cache: {state.folder}" + (f" (not used: {state.refused})" if state.refused else ""))
        for name, size in state.files:
            mine = f", this code's: {state.rows if state.rows is not None else 'unreadable'} findings" \
                if name == state.current else ""
            click.echo(f"  {name}  {size / 1024:.0f} KiB{mine}")
        if pages:
            click.echo(f"  protocol pages: {pages} kept, {page_bytes / 1024 / 1024:.1f} MiB")
        if memos:
            click.echo(f"  update memos (what `i18n update` found up to date): {memos} project(s), "
                       f"{memo_bytes / 1024:.0f} KiB")
        if not state.files and not pages and not memos:
            click.echo("  (empty)")
    if clear:
        click.echo(f"deleted {len(removed)} file(s) and folder(s)", err=True)
    sys.exit(emit(problems, fmt, checked=len(state.files), summary=False))
