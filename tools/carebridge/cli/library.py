"""Commands on the protocols themselves: validate, sources, new, check-version, bump."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..problems import Problem, Severity
from ..source.library import Project, load_library
from ..source.librarycheck import validate_library
from .app import FORMAT, emit, guarded, main, max_age_days, output_format, report_written


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
@click.pass_obj
@guarded
def validate(project: Project, paths: tuple[Path, ...], fmt: str | None) -> None:
    """Check protocols and hospital editions against their schemas and the library's rules (all by default).

    Also warns (exit code unchanged) about sources not checked as current within the maximum
    age, and about English tied to one country's rules that does not say which country."""
    from ..site.pagecache import Kept
    from ..source import currency
    from ..source.advisories import Advisor
    from ..source.edition import (
        EDITIONS_DIR,
        LibraryFacts,
        ProtocolFacts,
        edition_files,
        load_editions,
    )
    from ..source.editionlist import listed_problems

    if any(p.resolve() == project.root for p in paths):  # `validate .`: the library, not every YAML file
        paths = ()                                          # (glossaries, editions) read as a protocol
    advisor = Advisor(currency.today(), max_age_days(project, None))
    editions_dir = (project.root / EDITIONS_DIR).resolve()
    edition_paths = [p for p in paths if p.resolve() == editions_dir or editions_dir in p.resolve().parents]
    protocol_paths = [p for p in paths if p not in edition_paths]
    wanted = sorted({f.stem for p in edition_paths for f in ([p] if p.suffix == ".yaml" else edition_files(project))})
    editions_too = bool(edition_paths or not paths) and bool(edition_files(project) or wanted)
    # Editions are checked against the whole library: when it is validated anyway, its workers send
    # back what the editions' checks read of each protocol.
    facts: list[ProtocolFacts] = []
    checked, problems = 0, list[Problem]()
    memo = Kept.open(settings="validate")  # each file's outcome, kept for the next run (librarycheck)
    if protocol_paths or not paths:
        checked, problems, facts = validate_library(project, protocol_paths or None, advisor,
                                                    ProtocolFacts.of if editions_too and not paths else None, memo)
    if editions_too:
        if paths:  # only some files named: the rest of the library is read for the editions
            _, found, facts = validate_library(project, None, None, ProtocolFacts.of, memo)
            problems += found
        # A protocol that does not load takes its steps and drugs with it: what an edition names
        # there cannot be judged (it is not "unknown"); the protocol's own errors say why.
        broken = any(p.severity is Severity.ERROR for p in problems)
        problems += load_editions(project, LibraryFacts.gather(facts), wanted or None, complete=not broken)[1]
        checked += len(wanted) if wanted else len(edition_files(project))
    if not paths and (project.root / "mkdocs.yml").is_file():
        from ..site.configcheck import config_problems

        problems += listed_problems(project, project.root / "mkdocs.yml")
        problems += config_problems(project.root / "mkdocs.yml", "mkdocs.yml")
    if not paths and project.locales_dir.is_dir():
        problems += _locale_files(project, edition_files(project))
    memo.prune()
    sys.exit(emit(problems, fmt, checked=checked))


def _locale_files(project: Project, editions: list[Path]) -> list[Problem]:
    """Each locale's synonyms (a broken file would only warn in build) and provenance (its shape, and
    records for ids the library does not have)."""
    from ..i18n.provenance import load_provenance, unknown_records
    from ..site.synonyms import load_synonyms
    from ..source.edition import edition_domain

    problems: list[Problem] = []
    for synonyms in sorted(project.locales_dir.glob("*/synonyms.yaml")):
        problems += load_synonyms(synonyms, project.rel(synonyms))[1]
    files, _ = project.protocol_files()
    known = {f.stem for f in files} | {edition_domain(f.stem) for f in editions}
    for path in sorted(project.locales_dir.glob("*/provenance.yaml")):
        records, found = load_provenance(path, project.rel(path))
        problems += found + unknown_records(records, known)
    return problems


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
    from ..source import currency

    days = max_age_days(project, max_age)
    loaded, problems = load_library(project)
    rows = currency.source_rows(loaded, currency.today(), days)
    problems = problems + currency.currency_problems(rows, days)
    extra = {"sources": [r.as_json() for r in rows], "max_age_days": days}
    if output_format(fmt) != "json":
        click.echo("\n".join(currency.table(rows)))
    code = emit(problems, fmt, checked=len(rows), what="source", extra=extra)
    sys.exit(1 if code or (strict and problems) else 0)


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
    from ..workflow import scaffold, versioning

    written, problems = scaffold.create(project, target, title=title, kind=kind, today=versioning.today())
    if any(p.severity is Severity.ERROR for p in problems):
        code = emit(problems, fmt, checked=0, quiet_ok=True, summary=False)
        sys.exit(2 if scaffold.refused_by_its_arguments(project, problems) else code)
    if output_format(fmt) == "json":
        sys.exit(emit(problems, fmt, checked=1, extra={"created": [project.rel(path) for path in written]}))
    report_written(project, written, "created")
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
    from ..workflow.versioning import check_versions

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
    from ..workflow import versioning

    part_name: versioning.Part = "major" if part == "major" else "minor" if part == "minor" else "patch"
    done, problems = versioning.bump(project, path, part=part_name, summary=summary, today=versioning.today())
    if done is None:
        sys.exit(emit(problems, fmt, checked=1) or 1)
    status = f", status {done.old_status} → {done.new_status}" if done.old_status != done.new_status else ""
    click.echo(f"{done.file}: version {done.old_version} → {done.new_version}{status}", err=True)
    click.echo("next: run `carebridge i18n update` so the catalogs carry the new version", err=True)


