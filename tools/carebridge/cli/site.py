"""Building and serving the site."""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..problems import ProblemsFound, Severity, error
from ..source.library import Project, load_library, only_pattern_problem, select
from .app import FORMAT, ONLY, emit, guarded, interactive, main


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the standard error of the moment: a handler made once per process would otherwise
    keep writing to the stream of the first command run in it (tests run many in one process)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def _mkdocs_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_carebridge", False) for h in logger.handlers):
        handler = _Stderr()
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
    if not only:  # what the last build of the whole library parsed (site.incremental)
        from ..site.incremental import restore_parsed

        restore_parsed(project)
    from ..i18n.findingcache import prepare_when_cold

    # While the library is parsed on every core, this process reads what the translation checks
    # will need next (unless their findings are kept): the checks' workers, forked later, inherit it.
    library, problems = load_library(project, selected, meanwhile=prepare_when_cold if project.locales() else None)
    config = project.root / "mkdocs.yml"
    if config.is_file():  # a language's prefix outside the site would be emptied and built into
        from ..site.configcheck import config_problems

        problems += config_problems(config, project.rel(config))
    if not edition and config.is_file():  # the editions mkdocs.yml lists are built after the base site
        from ..source.editionlist import listed_problems

        problems += listed_problems(project, config)
    wanted = [edition] if edition else _listed_editions(config)
    if wanted and not any(p.severity is Severity.ERROR for p in problems):
        from ..source.edition import load_editions

        problems += load_editions(project, library, wanted, complete=not only)[1]
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
    from ..site import ready

    _check_only(project, only)
    _prepare_siblings(project)
    try:
        _build(project, strict, strict_review, site_dir, offline, only, edition, verbose, fmt)
    finally:
        ready.drop()


def _prepare_siblings(project: Project) -> None:
    """Start the other language's build process now, while this one checks the library (``site.ready``)."""
    from ..site import ready
    from ..site.config import carebridge_options, read_config

    config = project.root / "mkdocs.yml"
    if (os.cpu_count() or 1) < 2 or not config.is_file():
        return
    try:
        langs = carebridge_options(read_config(config)).get("languages") or []
    except Exception:  # noqa: BLE001 - a broken mkdocs.yml is reported by the build, at its line
        return
    locales = [str(lang.get("locale", "")) for lang in langs if isinstance(lang, dict)]
    if len(locales) > 1:
        ready.spawn(config, chinese=any(locale.startswith("zh") for locale in locales[1:]), project=project)


def _build(project: Project, strict: bool, strict_review: bool, site_dir: Path | None, offline: bool,
           only: tuple[str, ...], edition: str, verbose: bool, fmt: str | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from ..site import output

    _preflight(project, fmt, only, edition)
    # At a terminal MkDocs' own progress lines show (cleaning, building each language, time taken).
    _mkdocs_logging(verbose or interactive())
    overrides: dict[str, Any] = {"strict": strict}
    if site_dir is None and edition:
        from ..site.editions import edition_site_dir

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
    if problems and site_dir is None:  # bad input in a file (exit 1), where it is; --site-dir is a usage error
        line = _key_line(project.root / "mkdocs.yml", "site_dir")
        problems = [replace(p, file="mkdocs.yml", line=line, col=1 if line else None, path="site_dir", code="config")
                    for p in problems]
    if problems:
        raise ProblemsFound(problems)
    staging: Path | None = None
    try:
        output.clean_leftovers(target)
        # Written beside the target and swapped in whole: a killed build leaves the old site as it was.
        staging = output.stage(target)
        config.site_dir = str(staging)
        plugin = config.plugins.get("carebridge")
        if plugin is not None:  # the site it replaces: unchanged search files are linked from there
            plugin.config["previous_site"] = str(target)
        mkdocs_build(config)
        output.publish(staging, target, later=True)
    except (Abort, PluginError, ConfigurationError) as exc:
        click.echo(f"carebridge: build failed: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        raise ProblemsFound([output.os_problem(exc, project.rel(target))]) from None
    finally:
        if staging is not None:
            output.discard(staging)
    click.echo(f"site written to {project.rel(target)}/", err=True)


def _key_line(config: Path, key: str) -> int | None:
    """The line of a top-level ``key:`` in a YAML file (None when it is not written there)."""
    try:
        lines = config.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return None
    return next((n for n, text in enumerate(lines, start=1) if re.match(rf"{re.escape(key)}\s*:", text)), None)


def _listed_editions(config: Path) -> list[str]:
    if not config.is_file():
        return []
    from ..site.config import carebridge_options, read_config

    listed = carebridge_options(read_config(config)).get("editions") or []
    return list(dict.fromkeys(map(str, listed))) if isinstance(listed, list) else []


def _check_only(project: Project, only: tuple[str, ...]) -> None:
    """--only patterns that are no protocol id, or that match none: said before MkDocs starts (in
    JSON with --format json), not as a build error half-way."""
    problems = [error("--only", None, None, message, hint=hint, code="usage")
                for message, hint in filter(None, map(only_pattern_problem, only))]
    if not problems and only:
        _, unmatched = select(project.protocols_dir, only)
        problems = [error("--only", None, None, f"'{pattern}' matches no protocol under "
                          f"{project.rel(project.protocols_dir)}/", code="usage",
                          hint="name a protocol by its id (postpartum-haemorrhage), specialty/id or a glob")
                    for pattern in unmatched]
    if problems:
        raise ProblemsFound(problems)


def _plugins(project: Project, *, offline: bool = False, only: tuple[str, ...] = (),
             strict_review: bool = False, edition: str = "") -> list[Any]:
    """mkdocs.yml's plugins with carebridge's options set (offline adds Material's offline plugin last)."""
    from ..site.config import plugin_entries, read_config

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

    _check_only(project, only)
    _preflight(project, None, only)
    _mkdocs_logging(True)
    import logging

    from ..site.config import carebridge_options, read_config
    from ..site.languages import quiet_dirty

    languages = carebridge_options(read_config(project.root / "mkdocs.yml")).get("languages") or [{"name": "English"}]
    where = ", ".join(f"http://{dev_addr}/{lang.get('prefix', '').strip('/') + '/' if lang.get('prefix') else ''} "
                      f"({lang.get('name', lang.get('locale', '?'))})" for lang in languages)
    click.echo(f"serving on {where}", err=True)
    extra: dict[str, Any] = {"plugins": _plugins(project, only=only)} if only else {}
    # Dirty builds: after the first, a rebuild renders only the pages whose input changed.
    logging.getLogger("mkdocs.commands.build").addFilter(quiet_dirty)
    mkdocs_serve(config_file=str(project.root / "mkdocs.yml"), dev_addr=dev_addr, livereload=True, **extra,
                 build_type="dirty",
                 watch=[str(path) for path in (project.protocols_dir, project.locales_dir, project.schema_path,
                                               project.root / "editions", project.root / "docs",
                                               project.root / "overrides") if path.exists()])


