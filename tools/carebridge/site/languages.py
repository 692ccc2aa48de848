"""The other languages' builds, run beside the main one.

Material wants one build per language. The main build starts each other language in its own
process as soon as its configuration is known (``start``), so both cores work, and collects
it at the end (``finish``): the output moves into ``site/<prefix>/`` and the language's
warnings are reported by the main build, so ``--strict`` fails on either language.

    python -m carebridge.site.languages <mkdocs.yml> <overrides.json>    (the worker)
"""

from __future__ import annotations

import json
import logging
import os
import shutil
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


@dataclass
class Running:
    locale: str
    process: subprocess.Popen[str]
    staging: Path
    target: Path
    settings: Path


STAGING = ".carebridge-"  # hidden: MkDocs' clean of the site folder keeps it while the language builds


def start(config_file: str, locale: str, overrides: dict[str, Any], target: Path, site_dir: Path) -> Running:
    """Start building one language into a staging folder inside the main build's ``site_dir``
    (so a killed build leaves nothing outside it); ``finish`` moves it to ``target``."""
    site_dir.mkdir(parents=True, exist_ok=True)
    clean_stale(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING}{locale.replace(' ', '-')}-{os.getpid()}-", dir=site_dir))
    settings = staging.with_suffix(".json")
    settings.write_text(json.dumps({**overrides, "site_dir": str(staging)}), encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen([sys.executable, "-m", "carebridge.site.languages", config_file, str(settings)],
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
        shutil.rmtree(running.staging, ignore_errors=True)
        running.settings.unlink(missing_ok=True)
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
    shutil.rmtree(running.staging, ignore_errors=True)
    running.settings.unlink(missing_ok=True)


class _Relay(logging.Handler):
    """Pass the worker's log records to the main build, level included."""

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record).replace("\n", " ")
        sys.stderr.write(f"{LEVEL_PREFIX}{record.levelno}:{text}\n")


def main(argv: list[str]) -> int:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    config_file, settings = argv
    handler = _Relay()
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    overrides = json.loads(Path(settings).read_text(encoding="utf-8"))
    try:
        build(load_config(config_file=config_file, **overrides))
    except (Abort, MkDocsException) as exc:
        logging.getLogger("mkdocs").error("%s", exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
