"""The other languages' builds, run beside the main one.

Material wants one build per language. The main build starts each other language in its own
process as soon as its configuration is known (``start``), so both cores work, and collects
it at the end (``finish``): the output moves into ``site/<prefix>/`` and the language's
warnings are reported by the main build, so ``--strict`` fails on either language.

    python -m carebridge.site.languages <mkdocs.yml> <overrides.json>    (the worker)
    python -m carebridge.site.languages --serve <mkdocs.yml> '<overrides>' (a serve's worker)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fsio import process_running

LEVEL_PREFIX = "carebridge-log:"


def read_config(config_file: str | Path) -> dict[str, Any]:
    """mkdocs.yml as written (MkDocs' loader, so ``!ENV`` and friends work)."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml_load(handle) or {}
    return raw


def carebridge_options(raw: dict[str, Any]) -> dict[str, Any]:
    """The ``carebridge`` plugin's options as written in mkdocs.yml ({} when it has none)."""
    for entry in raw.get("plugins", []) or []:
        if isinstance(entry, dict) and "carebridge" in entry:
            return dict(entry["carebridge"] or {})
    return {}


def plugin_entries(raw: dict[str, Any], *, offline: bool = False,
                   **carebridge: Any) -> list[dict[str, dict[str, Any]]]:
    """The config's plugins as ``[{name: options}]`` with carebridge's options updated, and
    Material's offline plugin added last for an offline bundle: what ``load_config(plugins=...)`` takes."""
    entries: list[dict[str, dict[str, Any]]] = []
    for entry in raw.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == "carebridge":
            options.update(carebridge, offline=offline)
        entries.append({name: options})
    if offline and not any("offline" in next(iter(e)) for e in entries):
        entries.append({"offline": {}})
    return entries


def nested_overrides(config: Any, lang: Any, root: Path, user_dict: str, **carebridge: Any) -> dict[str, Any]:
    """The settings one other language builds with: its theme language, search languages (and
    jieba dictionary), folder, docs and URL; the carebridge options of the main build."""
    raw = read_config(config.config_file_path)
    plugins = plugin_entries(raw, **carebridge)
    for entry in plugins:
        name, options = next(iter(entry.items()))
        if name in ("search", "material/search"):
            options["lang"] = list(lang.search_lang)
            if user_dict and "jieba_dict_user" not in options:
                options["jieba_dict_user"] = user_dict
    theme = dict(raw.get("theme", {}))
    theme["language"] = lang.theme_language
    overrides: dict[str, Any] = {"plugins": plugins, "theme": theme,
                                 "site_dir": str(Path(config.site_dir) / lang.prefix), "strict": config.strict}
    if lang.docs_dir:
        overrides["docs_dir"] = str(root / lang.docs_dir)
    if config.site_url:
        overrides["site_url"] = config.site_url.rstrip("/") + "/" + lang.prefix.strip("/") + "/"
    return overrides


def alternates(languages: list[Any], current: Any) -> list[dict[str, str]]:
    """The language menu and hreflang links of a page in ``current``: one per language, relative."""
    up = "../" * len([part for part in current.prefix.split("/") if part])
    return [{"name": lang.name, "lang": lang.lang, "link": up + (lang.prefix.strip("/") + "/" if lang.prefix else ""),
             "locale": lang.locale, "current": "true" if lang is current else ""} for lang in languages]


@dataclass
class Running:
    locale: str
    process: subprocess.Popen[str]
    staging: Path
    target: Path
    settings: Path


STAGING = ".carebridge-"  # hidden: MkDocs' clean of the site folder keeps it while the language builds


def start(config_file: str, locale: str, overrides: dict[str, Any], target: Path, site_dir: Path,
          loaded: bytes = b"") -> Running:
    """Start building one language into a staging folder inside the main build's ``site_dir``
    (so a killed build leaves nothing outside it); ``finish`` moves it to ``target``. ``loaded``
    is the main build's parsed library (``library.export_loaded``), which the process starts from."""
    site_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{locale.replace(' ', '-')}-{os.getpid()}-", dir=site_dir))
    settings = staging.with_suffix(".json")
    settings.write_text(json.dumps({**overrides, "site_dir": str(staging)}), encoding="utf-8")
    library = staging.with_suffix(".library")
    if loaded:
        with os.fdopen(os.open(library, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(loaded)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "carebridge.site.languages", config_file, str(settings),
                                *([str(library)] if loaded else [])],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    return Running(locale, process, staging, target, settings)


def finish(running: Running) -> tuple[bool, list[tuple[int, str]]]:
    """Wait for a language's build; move its site into place. Returns (ok, [(level, message)])."""
    _, stderr = running.process.communicate()
    messages: list[tuple[int, str]] = []
    for line in stderr.splitlines():
        if line.startswith(LEVEL_PREFIX):
            level, _, text = line[len(LEVEL_PREFIX):].partition(":")
            messages.append((int(level), text))
        elif line.strip():
            messages.append((logging.ERROR, line))
    ok = running.process.returncode == 0
    try:
        if ok:
            if running.target.exists():
                shutil.rmtree(running.target)
            running.target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(running.staging), running.target)
    finally:
        _remove(running)
    return ok, messages


def clean_stale(site_dir: Path) -> None:
    """Remove staging folders that a killed build left in ``site_dir`` (a plain ``mkdocs build``
    writes there directly); those of builds still running stay."""
    for entry in site_dir.glob(f"{STAGING}*"):
        pid = entry.name.removeprefix(STAGING).split("-")
        owner = next((int(part) for part in pid[1:] if part.isdigit()), None)
        if owner is not None and owner != os.getpid() and not process_running(owner):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def cancel(running: Running) -> None:
    running.process.kill()
    running.process.communicate()  # reaps it and closes its stderr pipe
    _remove(running)


def _remove(running: Running) -> None:
    shutil.rmtree(running.staging, ignore_errors=True)
    running.settings.unlink(missing_ok=True)
    running.staging.with_suffix(".library").unlink(missing_ok=True)


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

    if argv[:1] == ["--serve"]:
        return serve_worker(*argv[1:])
    config_file, settings, *library = argv
    _relay(sys.stderr)
    overrides = json.loads(Path(settings).read_text(encoding="utf-8"))
    if library:
        from .incremental import receive

        receive(Path(library[0]).read_bytes())
    try:
        build(load_config(config_file=config_file, **overrides))
    except (Abort, MkDocsException) as exc:
        logging.getLogger("mkdocs").error("%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
