"""The other languages' builds (and the hospital editions'), run beside the main one.

Material wants one build per language. The main build starts the others in their own
processes as soon as its configuration is known (``start``), so every core works, and collects
them at the end (``finish``): each site moves into place (``site/<prefix>/``, an edition's
``site/editions/<id>/``) and its warnings are reported by the main build, so ``--strict`` fails
on any of them. A process builds several sites in turn, keeping what it read for the next, and
takes builds left by the others when its own are done (``claim``).

    python -m carebridge.site.languages <mkdocs.yml> [--library FILE] <overrides.json>...  (the worker)
    python -m carebridge.site.languages --serve <mkdocs.yml> '<overrides>'              (a serve's worker)
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import batch
from ..fsio import folder_mode, process_running
from . import ready

LEVEL_PREFIX = "carebridge-log:"


def alternates(languages: list[Any], current: Any) -> list[dict[str, str]]:
    """The language menu and hreflang links of a page in ``current``: one per language, relative."""
    up = "../" * len([part for part in current.prefix.split("/") if part])
    return [{"name": lang.name, "lang": lang.lang, "link": up + (lang.prefix.strip("/") + "/" if lang.prefix else ""),
             "locale": lang.locale, "current": "true" if lang is current else ""} for lang in languages]


@dataclass
class Part:
    """One build: its name, its settings, the staging folder it writes and the one it ends in."""

    name: str
    staging: Path
    target: Path
    settings: Path


@dataclass
class Running:
    """Processes sharing ``parts``: each takes the next part no other has taken (``claim``)."""

    parts: list[Part]
    processes: list[subprocess.Popen[bytes]]
    logs: list[Path]  # each process's log lines (a file: a pipe left unread would stall it)
    library: Path | None


STAGING = ".carebridge-"  # hidden: MkDocs' clean of the site folder keeps it while the language builds
STARTED = "carebridge-started:"  # the worker's line before each build: <settings file>
BUILT = "carebridge-built:"  # and after it: <exit code>


def start(config_file: str, chains: list[list[tuple[str, dict[str, Any], Path]]], site_dir: Path,
          loaded: bytes = b"") -> Running:
    """Start one process per chain of builds (name, MkDocs overrides, target). Each builds its
    own chain in order, then takes what is left of the others' from their ends, so the processes
    end together; one process building several sites keeps what it read and parsed for one for
    the next. Each build writes a staging folder inside the main build's ``site_dir`` (a killed
    build leaves nothing outside it); ``finish`` moves them to their targets. ``loaded`` is the
    main build's parsed library (``library.export_loaded``), which the processes start from."""
    site_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(site_dir)
    parts: list[list[Part]] = []
    for chain in chains:
        parts.append([])
        for name, _, target in chain:
            slug = re.sub(r"[^A-Za-z0-9_]+", "-", name)
            staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-{slug}-", dir=site_dir))
            parts[-1].append(Part(name, staging, target, staging.with_suffix(".json")))
    # a site another build shares files from (an edition's base site in its language) is still in staging
    staged = {str(part.target): str(part.staging) for chain_parts in parts for part in chain_parts}
    for chain, chain_parts in zip(chains, parts, strict=True):
        for (_, overrides, _), part in zip(chain, chain_parts, strict=True):
            part.settings.write_text(json.dumps({**_sharing_staged(overrides, staged), "site_dir": str(part.staging)}),
                                     encoding="utf-8")
    every = [part for chain_parts in parts for part in chain_parts]
    library = every[0].staging.with_suffix(".library") if loaded and every else None
    if library is not None:
        with os.fdopen(os.open(library, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(loaded)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    processes, logs = [], []
    for index, own in enumerate(parts):
        others = [part for j, chain_parts in enumerate(parts) if j != index for part in reversed(chain_parts)]
        logs.append(own[0].staging.with_suffix(".log") if own else site_dir / f"{STAGING}{os.getpid()}-{index}.log")
        argv = [config_file, *(["--library", str(library)] if library else []), *(str(p.settings) for p in own + others)]
        with open(logs[-1], "wb") as log_file:
            process = ready.take(argv, logs[-1])  # started early, its imports done (site.ready)
            processes.append(process or subprocess.Popen([sys.executable, "-m", "carebridge.site.languages", *argv],
                                                         stdout=subprocess.DEVNULL, stderr=log_file, env=env))
    return Running(every, processes, logs, library)


def _sharing_staged(overrides: dict[str, Any], staged: dict[str, str]) -> dict[str, Any]:
    """``overrides`` with carebridge's ``shared_site`` pointed at that site's staging folder, where
    it is while this build runs, if another build of this start makes it."""
    plugins = []
    for entry in overrides.get("plugins", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        if name == "carebridge" and isinstance(options, dict) and options.get("shared_site") in staged:
            entry = {name: {**options, "shared_site": staged[options["shared_site"]]}}
        plugins.append(entry)
    return {**overrides, "plugins": plugins} if "plugins" in overrides else overrides


def claim(settings: Path) -> bool:
    """Take a build for this process: True once, for the first process to ask."""
    try:
        os.close(os.open(settings.with_suffix(".claim"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


Result = tuple[str, bool, list[tuple[int, str]]]  # (build name, ok, [(log level, message)])


def finish(running: Running | None) -> list[Result]:
    """Wait for the processes; move each finished site into place (a folder before the ones
    inside it, so an edition's site never replaces its own other languages). Results come in
    the order the builds were given, whichever process built them."""
    if running is None:
        return []
    try:
        outcomes: dict[Path, tuple[bool, list[tuple[int, str]]]] = {}
        for process, log_file in zip(running.processes, running.logs, strict=True):
            process.wait()
            outcomes.update(_outcomes(log_file.read_text(encoding="utf-8", errors="replace"), process.returncode))
        results: list[Result] = []
        for part in running.parts:
            ok, messages = outcomes.get(part.settings, (False, [(logging.ERROR, "the build process ended before it")]))
            results.append((part.name, ok, messages))
        for part in sorted((p for p, (_, ok, _) in zip(running.parts, results, strict=True) if ok), key=lambda p: len(p.target.parts)):
            if part.target.exists():
                shutil.rmtree(part.target)
            part.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(part.staging), part.target)
            os.chmod(part.target, folder_mode())  # made by mkdtemp: 0o700 would hide /zh/ from a web server
    finally:
        _remove(running)
    return results


def _outcomes(log_text: str, returncode: int) -> dict[Path, tuple[bool, list[tuple[int, str]]]]:
    """Each build a process started: (ok, its messages), from the STARTED and BUILT lines around
    them; one it did not end failed with the process."""
    outcomes: dict[Path, tuple[bool, list[tuple[int, str]]]] = {}
    current: Path | None = None
    messages: list[tuple[int, str]] = []
    for line in log_text.splitlines():
        if line.startswith(STARTED):
            current, messages = Path(line[len(STARTED):]), []
        elif line.startswith(BUILT) and current is not None:
            outcomes[current] = (line[len(BUILT):].strip() == "0", messages)
            current = None
        elif line.startswith(LEVEL_PREFIX):
            level, _, text = line[len(LEVEL_PREFIX):].partition(":")
            messages.append((int(level), text))
        elif line.strip():
            messages.append((logging.ERROR, line))
    if current is not None:
        outcomes[current] = (False, messages + [(logging.ERROR, f"the build process ended (exit code {returncode})")])
    return outcomes


def clean_stale(site_dir: Path) -> None:
    """Remove staging folders that a killed build left in ``site_dir`` (a plain ``mkdocs build``
    writes there directly); those of builds still running stay."""
    for entry in site_dir.glob(f"{STAGING}*"):
        owner = entry.name.removeprefix(STAGING).split("-")[0]
        if owner.isdigit() and int(owner) != os.getpid() and not process_running(int(owner)):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def cancel(running: Running | None) -> None:
    if running is None:
        return
    for process in running.processes:
        process.kill()
        process.wait()
    _remove(running)


def _remove(running: Running) -> None:
    for part in running.parts:
        shutil.rmtree(part.staging, ignore_errors=True)
        for suffix in (".json", ".claim", ".log"):
            part.staging.with_suffix(suffix).unlink(missing_ok=True)
    for log_file in running.logs:
        log_file.unlink(missing_ok=True)
    if running.library is not None:
        running.library.unlink(missing_ok=True)


DONE = "carebridge-done:"


@dataclass
class Worker:
    """A language's (or an edition's) build process that stays up for a ``serve``: each rebuild
    asks it for a dirty build straight into ``target``, so it redoes only what changed."""

    locale: str
    process: subprocess.Popen[str]
    settings: str  # the overrides it was started with: other overrides need a new worker


def worker_settings(overrides: dict[str, Any], target: Path) -> str:
    return json.dumps({**overrides, "site_dir": str(target)}, sort_keys=True)


def start_worker(config_file: str, locale: str, overrides: dict[str, Any], target: Path) -> Worker:
    settings = worker_settings(overrides, target)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "carebridge.site.languages", "--serve", config_file, settings],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    return Worker(locale, process, settings)


def request(worker: Worker) -> None:
    assert worker.process.stdin is not None
    worker.process.stdin.write("build\n")
    worker.process.stdin.flush()


def collect(worker: Worker) -> tuple[bool, list[tuple[int, str]]]:
    """Wait for the build ``request`` asked for. Returns (ok, [(level, message)])."""
    assert worker.process.stdout is not None
    messages: list[tuple[int, str]] = []
    for line in worker.process.stdout:
        if line.startswith(DONE):
            return line[len(DONE):].strip() == "0", messages
        if line.startswith(LEVEL_PREFIX):
            level, _, text = line[len(LEVEL_PREFIX):].rstrip("\n").partition(":")
            messages.append((int(level), text))
    return False, messages + [(logging.ERROR, f"the {worker.locale} build process ended "
                                              f"(exit code {worker.process.wait()})")]


def stop(worker: Worker) -> None:
    """Let the worker finish: it ends when its input closes."""
    if worker.process.stdin is not None:
        worker.process.stdin.close()
    try:
        worker.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()


class _Relay(logging.Handler):
    """Pass the worker's log records to the main build, level included."""

    def __init__(self, stream: Any) -> None:
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record).replace("\n", " ")
        self.stream.write(f"{LEVEL_PREFIX}{record.levelno}:{text}\n")
        self.stream.flush()


def _relay(stream: Any) -> None:
    handler = _Relay(stream)
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


def quiet_dirty(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning on every dirty build: CareBridge gives the navigation its titles."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def serve_worker(config_file: str, settings: str) -> int:
    """A ``Worker``: one dirty build per ``build`` line on stdin, each ended by a DONE line."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    # Ctrl-C at the terminal reaches this process too: the serve closes our input when it stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _relay(sys.stdout)
    logging.getLogger("mkdocs.commands.build").addFilter(quiet_dirty)
    started = False
    config: Any = None
    for line in sys.stdin:
        if line.strip() != "build":
            continue
        code = 0
        try:
            config = load_config(config_file=config_file, **json.loads(settings))  # MkDocs changes what it is given
            if not started:  # as MkDocs' serve does: the plugins keep their caches from here on
                config.plugins.on_startup(command="serve", dirty=True)
                started = True
            build(config, dirty=True)
        except (Abort, MkDocsException) as exc:
            logging.getLogger("mkdocs").error("%s", exc)
            code = 1
        except Exception as exc:  # noqa: BLE001 (a serve must keep running: report it as the build's error)
            logging.getLogger("mkdocs").error("internal error: %s: %s", type(exc).__name__, exc)
            code = 2
        sys.stdout.write(f"{DONE}{code}\n")
        sys.stdout.flush()
    if started and config is not None:
        config.plugins.on_shutdown()  # the plugins' temporary files go with the worker
    return 0


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    batch.for_batch()
    if argv[:1] == ["--serve"]:
        return serve_worker(*argv[1:])
    if argv[:1] == [ready.READY]:
        order = ready.prepare(argv[1:])
        if order is None:
            return 0  # no build took this process
        argv, log = order
        sys.stderr.flush()  # what waiting said went nowhere; none of it may reach the build's log
        fd = os.open(log, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 2)  # from here on, as if started with its log as standard error
        os.close(fd)
    config_file, *settings = argv
    _relay(sys.stderr)
    if settings[:1] == ["--library"]:
        from .incremental import receive

        receive(Path(settings[1]).read_bytes())
        settings = settings[2:]
    failed = 0
    for path in settings:
        if not claim(Path(path)):
            continue
        sys.stderr.write(f"{STARTED}{path}\n")
        sys.stderr.flush()
        code = 0
        try:
            build(load_config(config_file=config_file, **json.loads(Path(path).read_text(encoding="utf-8"))))
        except (Abort, MkDocsException) as exc:
            logging.getLogger("mkdocs").error("%s", exc)
            code = failed = 1
        sys.stderr.write(f"{BUILT}{code}\n")
        sys.stderr.flush()
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
