"""The ``carebridge`` command. The only module that talks to the terminal.

Exit codes: 0 clean, 1 problems found, 2 usage or internal error.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import report
from .i18n import commands as i18n_mod
from .problems import Problem, ProblemsFound, Severity, error
from .source.library import Project, load_library, only_pattern_problem, select, validate_library

F = TypeVar("F", bound=Callable[..., Any])
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default=None,
                      help="Output format; default text (github when GITHUB_ACTIONS=true).")


ONLY = click.option("--only", multiple=True, metavar="ID",
                    help="Only these protocols (id, specialty/id or a glob such as 'obstetrics/*'); repeatable.")


def find_root(start: Path) -> Path:
    """The nearest folder upward holding mkdocs.yml or protocols/."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() or (folder / "protocols").is_dir():
            return folder
    return start


def _format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def emit(problems: list[Problem], fmt: str | None, *, checked: int, what: str = "file",
         extra: dict[str, object] | None = None, quiet_ok: bool = False, summary: bool = True) -> int:
    """Print problems once, in the chosen format; return the exit code they imply."""
    ordered = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.col or 0, p.message))
    chosen = _format(fmt)
    if chosen == "json":
        click.echo(report.as_json(ordered, checked=checked, **(extra or {})))
    elif chosen == "github":
        if ordered:
            click.echo(report.as_github(ordered))
            click.echo(report.as_text(ordered), err=True)
        if summary:
            click.echo(report.summary(ordered, checked, what), err=True)
    else:
        if ordered:
            click.echo(report.as_text(ordered))
        if summary and (ordered or not quiet_ok):
            click.echo(report.summary(ordered, checked, what), err=True)
    return 1 if any(p.severity is Severity.ERROR for p in ordered) else 0


def guarded(func: F) -> F:
    """Turn ProblemsFound into a report + exit 1 and any other failure into exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProblemsFound as exc:
            usage = all(p.code == "usage" for p in exc.problems)
            # A usage mistake checked no file: no "0 files checked" summary for it.
            code = emit(exc.problems, kwargs.get("fmt"), checked=0, quiet_ok=usage, summary=not usage) or 1
            sys.exit(2 if usage else code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `carebridge i18n stats | head`: the reader left; that is not an internal error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence, reported as exit 2
            if os.environ.get("CAREBRIDGE_DEBUG"):
                traceback.print_exc()
            click.echo(f"carebridge: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("  hint: rerun with CAREBRIDGE_DEBUG=1 for a traceback and report it", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Project root (default: nearest folder upward with mkdocs.yml).")
@click.version_option(package_name="carebridge")
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """CareBridge: validate, translate and publish clinical protocols."""
    try:
        ctx.obj = project_at(root or find_root(Path.cwd()))
    except ProblemsFound as exc:
        emit(exc.problems, None, checked=0, summary=False)
        sys.exit(2)


def project_at(root: Path) -> Project:
    """The project at ``root``, with the folders and schema its mkdocs.yml names for the plugin."""
    config = root / "mkdocs.yml"
    if not config.is_file():
        return Project.at(root)
    from .site.languages import carebridge_options, read_config

    options = carebridge_options(read_config(config))
    project = Project.at(root, str(options.get("protocols_dir", "protocols")), str(options.get("locales_dir", "locales")),
                         str(options.get("schema", "")))
    if not project.schema_path.is_file():
        raise ProblemsFound([error(project.rel(config), None, None,
                                   f"the schema {options.get('schema')!r} named in mkdocs.yml does not exist",
                                   hint="fix the path, or remove `schema:` to use the schema shipped with carebridge",
                                   code="usage")])
    return project


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
@click.pass_obj
@guarded
def validate(project: Project, paths: tuple[Path, ...], fmt: str | None) -> None:
    """Check protocols and hospital editions against their schemas and the library's rules (all by default).

    Also warns (exit code unchanged) about sources not checked as current within the maximum
    age, and about English tied to one country's rules that does not say which country."""
    from .source import currency
    from .source.advisories import Advisor
    from .source.edition import EDITIONS_DIR, edition_files, load_editions

    advisor = Advisor(currency.today(), _max_age(project, None))
    editions_dir = (project.root / EDITIONS_DIR).resolve()
    edition_paths = [p for p in paths if p.resolve() == editions_dir or editions_dir in p.resolve().parents]
    protocol_paths = [p for p in paths if p not in edition_paths]
    checked, problems = (validate_library(project, protocol_paths or None, advisor)
                         if protocol_paths or not paths else (0, []))
    if edition_paths or not paths:
        wanted = sorted({f.stem for p in edition_paths for f in ([p] if p.suffix == ".yaml" else edition_files(project))})
        if edition_files(project) or wanted:
            library, _ = load_library(project)  # editions are checked against the protocols they name
            _, found = load_editions(project, library, wanted or None)
            problems += found
            checked += len(wanted) if wanted else len(edition_files(project))
    sys.exit(emit(problems, fmt, checked=checked))


def _max_age(project: Project, flag: int | None) -> int:
    """--max-age, else mkdocs.yml's carebridge option sources_max_age_days, else 365.

    The plugin's config class must declare the option before a project sets it: MkDocs warns
    about unknown plugin options, so ``build --strict`` would stop."""
    from .source.currency import DEFAULT_MAX_AGE_DAYS

    if flag is not None:
        return flag
    config = project.root / "mkdocs.yml"
    if not config.is_file():
        return DEFAULT_MAX_AGE_DAYS
    from .site.languages import carebridge_options, read_config

    value = carebridge_options(read_config(config)).get("sources_max_age_days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ProblemsFound([Problem(Severity.ERROR, project.rel(config), None, None, "plugins.carebridge",
                                     f"sources_max_age_days must be a whole number of days, got {value!r}",
                                     "write e.g. sources_max_age_days: 365", "usage")])
    return value


@main.command("sources")
@click.option("--max-age", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="A check older than this is overdue (default: mkdocs.yml's sources_max_age_days, else 365).")
@click.option("--strict", is_flag=True, help="Exit 1 when any source is unchecked, overdue or superseded.")
@FORMAT
@click.pass_obj
@guarded
def sources_cmd(project: Project, max_age: int | None, strict: bool, fmt: str | None) -> None:
    """List every source with its protocol, checked date and state; warn about sources that are
    unchecked, overdue or superseded. Warnings exit 0 unless --strict (for a scheduled CI job)."""
    from .source import currency

    days = _max_age(project, max_age)
    loaded, problems = load_library(project)
    rows = currency.source_rows(loaded, currency.today(), days)
    problems = problems + currency.currency_problems(rows, days)
    extra = {"sources": [r.as_json() for r in rows], "max_age_days": days}
    if _format(fmt) != "json":
        click.echo("\n".join(currency.table(rows)))
    code = emit(problems, fmt, checked=len(rows), what="source", extra=extra)
    sys.exit(1 if code or (strict and problems) else 0)


@main.group()
def i18n() -> None:
    """Translation catalogs: extract, init, update, stats, check."""


def _written(project: Project, paths: list[Path], verb: str) -> None:
    for path in paths:
        click.echo(f"{verb} {project.rel(path)}", err=True)
    if not paths:
        click.echo("nothing to change", err=True)


@i18n.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a committed template is out of date.")
@FORMAT
@click.pass_obj
@guarded
def extract(project: Project, check: bool, fmt: str | None) -> None:
    """Write locales/templates/<id>.pot for every protocol, plus site.pot."""
    if check:
        checked, problems = i18n_mod.stale_templates(project)
        sys.exit(emit(problems, fmt, checked=checked, what="template"))
    written, found = i18n_mod.extract(project)
    _written(project, written, "wrote")
    click.echo(f"{len(found)} templates, {sum(len(c) for c in found.values())} messages", err=True)


@i18n.command()
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable); default all.")
@click.option("--no-fuzzy", is_flag=True, help="Do not offer fuzzy suggestions for changed strings.")
@click.pass_obj
@guarded
def update(project: Project, locales: tuple[str, ...], no_fuzzy: bool) -> None:
    """Refresh templates and merge them into catalogs, keeping translations and comments."""
    started = time.monotonic()
    written = i18n_mod.update(project, list(locales) or None, fuzzy=not no_fuzzy,
                              progress=_progress if interactive() else None)
    _written(project, written, "updated")
    if interactive():
        click.echo(f"done in {time.monotonic() - started:.1f} s", err=True)


@i18n.command()
@click.option("--locale", required=True, help="gettext locale to start, e.g. zh_TW.")
@click.pass_obj
@guarded
def init(project: Project, locale: str) -> None:
    """Start a new locale with an empty catalog per protocol."""
    _written(project, i18n_mod.init(project, locale), "created")


@i18n.command("stats")
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable).")
@FORMAT
@click.pass_obj
@guarded
def stats_cmd(project: Project, locales: tuple[str, ...], fmt: str | None) -> None:
    """Translated / fuzzy / untranslated / reviewed messages per protocol and locale."""
    rows, problems = i18n_mod.library_stats(project, list(locales) or None)

    def origin(r: i18n_mod.CatalogStats) -> tuple[str | None, bool]:
        record = r.provenance
        return (record.translated_from, record.stale(r.source_version)) if record else (None, False)

    if _format(fmt) == "json":
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


def _refuse(problems: list[Problem], fmt: str | None) -> NoReturn:
    """Report why nothing was written: exit 2 for a usage mistake, else 1."""
    if all(p.code == "usage" for p in problems):
        raise ProblemsFound(problems)
    sys.exit(emit(problems, fmt, checked=1, summary=False) or 1)


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
    from .fsio import write_atomic
    from .i18n.packet import render_packet, review_packet

    packet, problems = review_packet(project, protocol_id, locale)
    if packet is None:
        _refuse(problems, fmt)
    target = output.resolve() if output else project.root / "review" / locale / f"{protocol_id}.html"
    write_atomic(target, render_packet(packet))
    counts = {"strings": len(packet.rows), **{s: packet.count(s) for s in
                                              ("reviewed", "changed", "unreviewed", "fuzzy", "untranslated")}}
    if _format(fmt) == "json":
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

    from .i18n.signoff import sign_off

    names = tuple(part for value in patterns for part in value.replace(",", " ").split())
    date = when.date() if when is not None else dt.date.today()
    done, problems = sign_off(project, protocol_id, locale, reviewer=reviewer, role=role, date=date,
                              methods=methods, patterns=names, notes=notes)
    if done is None:
        _refuse(problems, fmt)
    if _format(fmt) == "json":
        sys.exit(emit([], "json", checked=1, extra={"signed": {
            "protocol": done.protocol_id, "locale": done.locale, "file": done.file, "strings": done.strings,
            "skipped": done.skipped, "reviewer": done.reviewer, "date": done.date}}))
    skipped = f"; {done.skipped} not translated or fuzzy left out" if done.skipped else ""
    click.echo(f"{done.file}: {done.reviewer} signed {done.strings} string(s) of {done.protocol_id} "
               f"({done.locale}) on {done.date}{skipped}", err=True)


def interactive() -> bool:
    """Progress is for a person at a terminal; CI logs and pipes stay quiet."""
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("GITHUB_ACTIONS")


def _progress(message: str) -> None:
    click.echo(click.style(message, dim=True), err=True)


def _mkdocs_logging(verbose: bool) -> None:
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_carebridge", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._carebridge = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def _preflight(project: Project, fmt: str | None, only: tuple[str, ...] = (), edition: str = "") -> None:
    """Report protocol (and edition) problems in our own format before MkDocs sees them."""
    selected, _ = select(project.protocols_dir, only) if only else (None, [])
    if only and not selected:
        return  # the plugin says which pattern matched nothing
    files, _ = project.protocol_files(selected)
    library, problems = load_library(project, selected)
    if edition and not any(p.severity is Severity.ERROR for p in problems):
        from .source.edition import load_editions

        problems += load_editions(project, library, [edition], complete=not only)[1]
    if any(p.severity is Severity.ERROR for p in problems):
        sys.exit(emit(problems, fmt, checked=len(files)))


@main.command()
@click.option("--strict", is_flag=True, help="Fail on any warning, including a translation that fails a safety check.")
@click.option("--strict-review", is_flag=True,
              help="With --strict, also fail on an approved protocol whose translation a clinician has not fully reviewed.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site/).")
@click.option("--offline", is_flag=True,
              help="Build a bundle that works opened from disk (USB stick, file://), search included.")
@ONLY
@click.option("--edition", default="", metavar="ID",
              help="Build one hospital edition (editions/ID.yaml) into site/editions/ID/ (or --site-dir).")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress messages.")
@FORMAT
@click.pass_obj
@guarded
def build(project: Project, strict: bool, strict_review: bool, site_dir: Path | None, offline: bool,
          only: tuple[str, ...], edition: str, verbose: bool, fmt: str | None) -> None:
    """Build the bilingual site (English at /, each other language at /<prefix>/)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from .site import output

    _check_only(only)
    _preflight(project, fmt, only, edition)
    # At a terminal MkDocs' own progress lines show (cleaning, building each language, time taken).
    _mkdocs_logging(verbose or interactive())
    overrides: dict[str, Any] = {"strict": strict}
    if site_dir is None and edition:
        from .site.editions import edition_site_dir

        site_dir = edition_site_dir(project.root / "site", edition)
    if offline or only or strict_review or edition:
        overrides["plugins"] = _plugins(project, offline=offline, only=only, strict_review=strict_review,
                                        edition=edition)
    try:
        config = load_config(config_file=str(project.root / "mkdocs.yml"), **overrides)
    except (Abort, PluginError, ConfigurationError) as exc:
        click.echo(f"carebridge: build failed: {exc}", err=True)
        sys.exit(1)
    target = site_dir.absolute() if site_dir is not None else Path(config.site_dir)
    problems = output.check_site_dir(target, project.root, output.configured_sources(project, config),
                                     "--site-dir" if site_dir is not None else "mkdocs.yml: site_dir")
    if problems:
        raise ProblemsFound(problems)
    staging: Path | None = None
    try:
        output.clean_leftovers(target)
        # Written beside the target and swapped in whole: a killed build leaves the old site as it was.
        staging = output.stage(target)
        config.site_dir = str(staging)
        mkdocs_build(config)
        output.publish(staging, target)
    except (Abort, PluginError, ConfigurationError) as exc:
        click.echo(f"carebridge: build failed: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        raise ProblemsFound([output.os_problem(exc, project.rel(target))]) from None
    finally:
        if staging is not None:
            output.discard(staging)
    click.echo(f"site written to {project.rel(target)}/", err=True)


def _check_only(only: tuple[str, ...]) -> None:
    problems = [error("--only", None, None, message, hint=hint, code="usage")
                for message, hint in filter(None, map(only_pattern_problem, only))]
    if problems:
        raise ProblemsFound(problems)


def _plugins(project: Project, *, offline: bool = False, only: tuple[str, ...] = (),
             strict_review: bool = False, edition: str = "") -> list[Any]:
    """mkdocs.yml's plugins with carebridge's options set (offline adds Material's offline plugin last)."""
    from .site.languages import plugin_entries, read_config

    extra: dict[str, Any] = {"strict_review": True} if strict_review else {}
    if edition:
        extra.update(edition=edition, editions=[])
    return plugin_entries(read_config(project.root / "mkdocs.yml"), offline=offline, only=list(only), **extra)


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@ONLY
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' progress messages.")
@click.pass_obj
@guarded
def serve(project: Project, dev_addr: str, only: tuple[str, ...], verbose: bool) -> None:
    """Build and serve the site, rebuilding when protocols, catalogs or docs change.

    With --only, the site holds just those protocols, so an editor's preview rebuilds in seconds
    however large the library is.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    _check_only(only)
    _preflight(project, None, only)
    _mkdocs_logging(True)
    from .site.languages import carebridge_options, read_config

    languages = carebridge_options(read_config(project.root / "mkdocs.yml")).get("languages") or [{"name": "English"}]
    where = ", ".join(f"http://{dev_addr}/{lang.get('prefix', '').strip('/') + '/' if lang.get('prefix') else ''} "
                      f"({lang.get('name', lang.get('locale', '?'))})" for lang in languages)
    click.echo(f"serving on {where}", err=True)
    extra: dict[str, Any] = {"plugins": _plugins(project, only=only)} if only else {}
    mkdocs_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, **extra,
                 watch=[str(path) for path in (project.protocols_dir, project.locales_dir, project.schema_path,
                                               project.root / "docs", project.root / "overrides") if path.exists()])


@i18n.command("check")
@click.option("--locale", "locales", multiple=True, help="Only this locale (repeatable); default all.")
@FORMAT
@click.pass_obj
@guarded
def check_cmd(project: Project, locales: tuple[str, ...], fmt: str | None) -> None:
    """Clinical safety checks on every translation: numbers, units, routes, frequencies,
    comparisons, links, markup and the glossary. Exit 1 on any error."""
    from .i18n.checks import check_library

    problems, count = check_library(project, list(locales) or None)
    sys.exit(emit(problems, fmt, checked=count, what="catalog"))


@main.command("new")
@click.argument("target", metavar="SPECIALTY/ID")
@click.option("--title", default=None, help="The protocol's title (default: made from the id).")
@click.option("--kind", type=click.Choice(["protocol", "patient-leaflet"]), default="protocol", show_default=True,
              help="A procedure for staff, or plain-language information for patients.")
@FORMAT
@click.pass_obj
@guarded
def new_cmd(project: Project, target: str, title: str | None, kind: str, fmt: str | None) -> None:
    """Start protocols/SPECIALTY/ID.yaml from the schema, with a catalog for every locale.

    The new file validates as it is; replace its TODO placeholders. Nothing is written when
    the file exists, the specialty is unknown or the id is not a slug (a usage error: exit 2).
    """
    from .workflow import scaffold, versioning

    written, problems = scaffold.create(project, target, title=title, kind=kind, today=versioning.today())
    if any(p.severity is Severity.ERROR for p in problems):
        code = emit(problems, fmt, checked=0, quiet_ok=True, summary=False)
        sys.exit(2 if scaffold.refused_by_its_arguments(project, problems) else code)
    if _format(fmt) == "json":
        sys.exit(emit(problems, fmt, checked=1, extra={"created": [project.rel(path) for path in written]}))
    _written(project, written, "created")
    if written:
        click.echo(f"next: replace every TODO in {project.rel(written[0])}, then run `carebridge validate`", err=True)


@main.command("check-version")
@click.option("--base", required=True, metavar="GIT-REF",
              help="Compare with this revision (where the branch left it), e.g. origin/main.")
@FORMAT
@click.pass_obj
@guarded
def check_version_cmd(project: Project, base: str, fmt: str | None) -> None:
    """Every protocol changed since --base: new content needs a higher version, a history
    entry for it, and a return to review if it was approved."""
    from .workflow.versioning import check_versions

    checked, problems = check_versions(project, base)
    sys.exit(emit(problems, fmt, checked=len(checked), what="changed protocol", extra={"base": base, "files": checked}))


@main.command("bump")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--part", type=click.Choice(["major", "minor", "patch"]), default="patch", show_default=True,
              help="major: practice changes; minor: content added or changed; patch: wording fixes.")
@click.option("--summary", required=True, help="What changed, for the history entry.")
@FORMAT
@click.pass_obj
@guarded
def bump_cmd(project: Project, path: Path, part: str, summary: str, fmt: str | None) -> None:
    """Raise a protocol's version, add today's history entry, and return an approved
    protocol to review. Keeps comments and key order."""
    from .workflow import versioning

    part_name: versioning.Part = "major" if part == "major" else "minor" if part == "minor" else "patch"
    done, problems = versioning.bump(project, path, part=part_name, summary=summary, today=versioning.today())
    if done is None:
        sys.exit(emit(problems, fmt, checked=1) or 1)
    status = f", status {done.old_status} → {done.new_status}" if done.old_status != done.new_status else ""
    click.echo(f"{done.file}: version {done.old_version} → {done.new_version}{status}", err=True)
    click.echo("next: run `carebridge i18n update` so the catalogs carry the new version", err=True)


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
    from .i18n.pullreviews import load_clinicians, pull_reviews
    from .i18n.weblate_api import WeblateFailure, approved_units, connect

    client, problems = connect(url, token_env, dict(os.environ))
    role = " ".join(role.split())
    if not role:
        problems.append(error("<command line>", None, None, "--role must not be empty", hint='--role "obstetrician"',
                              code="usage"))
    if client is None or problems:
        raise ProblemsFound(problems)
    clinicians = None
    if reviewers_file is not None:
        clinicians, problems = load_clinicians(reviewers_file, project.rel(reviewers_file.resolve()))
        if problems:
            _refuse(problems, fmt)
    try:
        units = approved_units(client, slug, locale=locale, since=since.date() if since else None)
    except WeblateFailure as exc:
        _refuse([exc.problem], fmt)
    done, problems = pull_reviews(project, units, role=role, clinicians=clinicians, dry_run=dry_run)
    if done is None:
        _refuse(problems, fmt)
    if _format(fmt) == "json":
        sys.exit(emit(problems, "json", checked=done.approved, extra={"dry_run": dry_run, **done.as_json()}))
    for r in done.reviews:
        line = (f"{r.file}: {r.review.reviewer} ({r.review.role}) reviewed {r.strings} string(s) of {r.protocol_id} "
                f"({r.locale}) on {r.review.date}")
        click.echo(f"would record {line}" if dry_run else line, err=not dry_run)
    click.echo(f"{done.approved} approved in Weblate: {done.recorded} recorded"
               f"{' (dry run: nothing written)' if dry_run else ''}, {done.already} already recorded, "
               f"{done.skipped} skipped, {done.not_protocols} site words or glossary terms", err=True)
    sys.exit(emit(problems, fmt, checked=done.approved, summary=False))
