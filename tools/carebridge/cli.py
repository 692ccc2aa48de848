"""The ``carebridge`` command. The only module that talks to the terminal.

Exit codes: 0 clean, 1 problems found, 2 usage or internal error.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import report
from .library import Project, load_library
from .problems import Problem, ProblemsFound, Severity

F = TypeVar("F", bound=Callable[..., Any])
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default=None,
                      help="Output format; default text (github when GITHUB_ACTIONS=true).")


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
         extra: dict[str, object] | None = None, quiet_ok: bool = False) -> int:
    """Print problems once, in the chosen format; return the exit code they imply."""
    ordered = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.col or 0, p.message))
    chosen = _format(fmt)
    if chosen == "json":
        click.echo(report.as_json(ordered, checked=checked, **(extra or {})))
    elif chosen == "github":
        if ordered:
            click.echo(report.as_github(ordered))
            click.echo(report.as_text(ordered), err=True)
        click.echo(report.summary(ordered, checked, what), err=True)
    else:
        if ordered:
            click.echo(report.as_text(ordered))
        if ordered or not quiet_ok:
            click.echo(report.summary(ordered, checked, what), err=True)
    return 1 if any(p.severity is Severity.ERROR for p in ordered) else 0


def guarded(func: F) -> F:
    """Turn ProblemsFound into a report + exit 1 and any other failure into exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ProblemsFound as exc:
            sys.exit(emit(exc.problems, kwargs.get("fmt"), checked=0) or 1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
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
    ctx.obj = Project.at(root or find_root(Path.cwd()))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@FORMAT
@click.pass_obj
@guarded
def validate(project: Project, paths: tuple[Path, ...], fmt: str | None) -> None:
    """Check protocols against the schema and the library's rules (all by default)."""
    files, _ = project.protocol_files(list(paths) or None)
    _, problems = load_library(project, list(paths) or None)
    sys.exit(emit(problems, fmt, checked=len(files)))
