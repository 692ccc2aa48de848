"""The ``carebridge`` command: its groups, options and the one way problems reach the terminal.

The cli package is the only code that talks to the terminal. Exit codes: 0 clean, 1 problems
found, 2 usage or internal error.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from .. import batch, report
from ..problems import Problem, ProblemsFound, Severity, error
from ..source.library import Project, linked_out_folders

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


def output_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def emit(problems: list[Problem], fmt: str | None, *, checked: int, what: str = "file",
         extra: dict[str, object] | None = None, quiet_ok: bool = False, summary: bool = True) -> int:
    """Print problems once, in the chosen format; return the exit code they imply."""
    ordered = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.col or 0, p.message))
    chosen = output_format(fmt)
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
            if args and isinstance(args[0], Exception):  # the project could not be read (``main``)
                raise args[0]
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
        except PermissionError as exc:
            # A file or folder this user may not read or write: the machine's set-up, not a bug. Every
            # file is written by temp file and rename, so nothing was left half-written.
            where = os.path.relpath(exc.filename) if isinstance(exc.filename, str) else "<unknown file>"
            problem = error(where, None, None, "permission denied: this user may not read or write it", code="io",
                            hint="give the user running carebridge permission to read it and its folder (to "
                                 "write, the folder too), e.g. chmod u+rwX")
            sys.exit(emit([problem], kwargs.get("fmt"), checked=0, summary=False) or 1)
        except Exception as exc:  # noqa: BLE001 - the last line of defence, reported as exit 2
            if os.environ.get("CAREBRIDGE_DEBUG"):
                traceback.print_exc()
            message = f"internal error: {type(exc).__name__}: {exc}"
            if output_format(kwargs.get("fmt")) == "json":  # a machine reading stdout gets JSON still
                click.echo(report.as_json([], internal_error=message))
            click.echo(f"carebridge: {message}", err=True)
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
    # A CI timeout or `kill` stops a command as Ctrl-C does: its clean-up runs (a build's half-written
    # site beside the old one is removed, staged catalogs are discarded) instead of the process vanishing.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    batch.for_batch()
    try:
        ctx.obj = project_at(root or find_root(Path.cwd()))
    except Exception as exc:  # noqa: BLE001 - a broken mkdocs.yml is bad input (exit 1), any other failure exit 2:
        ctx.obj = exc  # reported by the command (every one is `guarded`) in the --format only it has read


def project_at(root: Path) -> Project:
    """The project at ``root``, with the folders and schema its mkdocs.yml names for the plugin."""
    project = _configured(root)
    linked = linked_out_folders(project)
    if linked:  # before any command reads or writes there
        raise ProblemsFound(linked)
    return project


def _configured(root: Path) -> Project:
    config = root / "mkdocs.yml"
    if not config.is_file():
        if config.exists() or config.is_symlink():  # a folder, or a link to nothing: MkDocs would fail on it
            raise ProblemsFound([error("mkdocs.yml", None, None, "mkdocs.yml is not a file", code="config",
                                       hint="make mkdocs.yml the site's settings file (`carebridge new` and the "
                                            "README show one), or remove it")])
        return Project.at(root)
    from ..site.config import carebridge_options, read_config

    try:
        options = carebridge_options(read_config(config))
    except Exception as exc:  # MkDocs wraps the YAML error in its ConfigurationError; both say where
        mark = getattr(exc, "problem_mark", None) or getattr(exc.__cause__ or exc.__context__, "problem_mark", None)
        if mark is None:  # YAML, but not the shape of settings (a list, `plugins: 5`): said at its line
            from ..site.configcheck import config_problems

            shape = [p for p in config_problems(config, Project.at(root).rel(config)) if p.severity is Severity.ERROR]
            if shape:
                raise ProblemsFound(shape) from exc
        reason = getattr(exc.__cause__ or exc.__context__ or exc, "problem", None) or str(exc).splitlines()[0]
        raise ProblemsFound([error(Project.at(root).rel(config), mark.line + 1 if mark else None,
                                   mark.column + 1 if mark else None, f"mkdocs.yml cannot be read: {reason}",
                                   hint="fix the YAML at that place (indentation, a missing colon or quote); "
                                        "`carebridge new` and the README show a working mkdocs.yml", code="config")]) from exc
    from ..site.configcheck import folder_problems

    outside = folder_problems(config, Project.at(root).rel(config))
    if outside:  # before any command reads or writes there
        raise ProblemsFound(outside)
    project = Project.at(root, str(options.get("protocols_dir", "protocols")), str(options.get("locales_dir", "locales")),
                         str(options.get("schema", "")))
    if not project.schema_path.is_file():  # a mistake in mkdocs.yml, at its line: exit 1, like any other there
        from ..site.configcheck import plugin_option_at

        line, col = plugin_option_at(config, "schema")
        what = "is a folder, not a file" if project.schema_path.is_dir() else "does not exist"
        raise ProblemsFound([error(project.rel(config), line, col, f"the schema {options.get('schema')!r} named in "
                                   f"mkdocs.yml {what}", path="plugins.carebridge.schema", code="config",
                                   hint="fix the path, or remove `schema:` to use the schema shipped with carebridge")])
    return project


@main.group()
def i18n() -> None:
    """Translation catalogs: extract, init, update, stats, check."""


def report_written(project: Project, paths: list[Path], verb: str, fmt: str | None = None) -> None:
    """The files a command wrote: a line each on stderr, or for ``--format json`` one object on stdout
    (``{"problems": [], "errors": 0, "warnings": 0, "<verb>": [paths]}``, as a refusal's JSON)."""
    if output_format(fmt) == "json":
        click.echo(report.as_json([], **{verb: [project.rel(path) for path in paths]}))
        return
    for path in paths:
        click.echo(f"{verb} {project.rel(path)}", err=True)
    if not paths:
        click.echo("nothing to change", err=True)


def max_age_days(project: Project, flag: int | None) -> int:
    """--max-age, else mkdocs.yml's carebridge option sources_max_age_days, else 365.

    The plugin's config class must declare the option before a project sets it: MkDocs warns
    about unknown plugin options, so ``build --strict`` would stop."""
    from ..source.currency import DEFAULT_MAX_AGE_DAYS

    if flag is not None:
        return flag
    config = project.root / "mkdocs.yml"
    if not config.is_file():
        return DEFAULT_MAX_AGE_DAYS
    from ..site.config import carebridge_options, read_config

    value = carebridge_options(read_config(config)).get("sources_max_age_days", DEFAULT_MAX_AGE_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        from ..site.configcheck import plugin_option_at

        line, col = plugin_option_at(config, "sources_max_age_days")  # a mistake in a file: exit 1, at its place
        raise ProblemsFound([Problem(Severity.ERROR, project.rel(config), line, col,
                                     "plugins.carebridge.sources_max_age_days",
                                     f"sources_max_age_days must be a whole number of days, got {value!r}",
                                     "write e.g. sources_max_age_days: 365", "config")])
    return value


def refuse(problems: list[Problem], fmt: str | None) -> NoReturn:
    """Report why nothing was written: exit 2 for a usage mistake, else 1."""
    if all(p.code == "usage" for p in problems):
        raise ProblemsFound(problems)
    sys.exit(emit(problems, fmt, checked=1, summary=False) or 1)


def interactive() -> bool:
    """Progress is for a person at a terminal; CI logs and pipes stay quiet."""
    return sys.stderr.isatty() and not os.environ.get("CI") and not os.environ.get("GITHUB_ACTIONS")


def progress(message: str) -> None:
    click.echo(click.style(message, dim=True), err=True)


