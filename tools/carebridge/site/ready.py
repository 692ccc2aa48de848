"""Build processes started before they are needed, for the other languages' builds.

A sibling build (``languages.start``) begins once the main build has checked the library and
loaded its configuration, about two seconds in at 1,000 protocols. Its own first second is
Python importing MkDocs, Material and CareBridge, reading what the last build parsed and, for
Chinese, jieba's dictionary, while the second core has nothing to do. ``spawn`` starts such a
process at the beginning of ``carebridge build``: it does all that (``prepare``, run by
``languages.main`` with ``READY``), then waits for its command line, which ``take`` hands it.
``drop`` ends one never used: at the end of its input it exits, having built and written nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..source.library import Project

READY = "--ready"
_WAITING: list[subprocess.Popen[bytes]] = []


def spawn(config_file: Path, chinese: bool, project: Project | None = None) -> None:
    """Start one process that prepares to build a site of ``config_file``: reading what the last
    build of ``project`` parsed, and jieba's dictionary when ``chinese``. Nothing when one is
    waiting already or it cannot start."""
    if _WAITING:
        return
    where = json.dumps([str(project.root), str(project.protocols_dir), str(project.locales_dir),
                        str(project.schema_path)]) if project is not None else ""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with contextlib.suppress(OSError):
        _WAITING.append(subprocess.Popen(
            [sys.executable, "-m", "carebridge.site.languages", READY, str(config_file), "zh" if chinese else "",
             where], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))


def take(argv: list[str], log: Path) -> subprocess.Popen[bytes] | None:
    """A waiting process, now running ``languages.main(argv)`` with its errors written to ``log``
    (an existing file); None when none waits (or the one that did has ended)."""
    while _WAITING:
        process = _WAITING.pop(0)
        if process.stdin is None:
            continue
        try:
            if process.poll() is not None:
                raise BrokenPipeError
            process.stdin.write(json.dumps({"argv": argv, "log": str(log)}).encode("utf-8") + b"\n")
            process.stdin.close()
        except OSError:  # it ended (before or while it was told)
            with contextlib.suppress(OSError):
                process.stdin.close()
            process.wait()
            continue
        return process
    return None


def drop() -> None:
    """End the processes no build took (each exits at the end of its input)."""
    while _WAITING:
        process = _WAITING.pop()
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def prepare(hints: list[str]) -> tuple[list[str], str] | None:
    """In a process started early (``spawn``): do what every build does first (import MkDocs,
    Material and the plugins by loading the configuration, restore the last build's parse, read
    jieba's dictionary for Chinese), then wait for the build. Nothing here is written anywhere: a
    failure is met again, and reported, by the build itself."""
    from mkdocs.config import load_config

    config_file, language, where = (hints + ["", "", ""])[:3]
    with contextlib.suppress(Exception):  # the build itself meets and reports whatever this does
        load_config(config_file=config_file)
        if where:  # what the last build parsed, which the main build restores too (incremental.receive)
            from ..source.library import Project
            from .incremental import restore_parsed

            root, protocols, locales, schema = json.loads(where)
            restore_parsed(Project(Path(root), Path(protocols), Path(locales), Path(schema)))
        if language == "zh":
            from .search import jieba_default

            jieba_default()
    return await_order(sys.stdin)


def await_order(stream: TextIO) -> tuple[list[str], str] | None:
    """In the waiting process: the command line and log file ``take`` sent, or None at the end of input."""
    line = stream.readline()
    if not line.strip():
        return None
    try:
        order = json.loads(line)
        argv, log = order["argv"], order["log"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv) or not isinstance(log, str):
        return None
    return argv, log
