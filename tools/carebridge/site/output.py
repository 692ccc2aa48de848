"""Where a build writes, and how: never into the project's own files, never half a site.

``check_site_dir`` refuses a site folder that is, holds or lies inside a source folder (the
root, protocols, catalogs, docs of every language, template overrides, the schema, .git), and
an existing folder that is not a site built before: MkDocs empties the site folder first.

``stage`` / ``publish``: a build writes into a new folder beside the target and swaps it in at
the end, so a build that is killed (Ctrl-C, CI timeout, power) leaves the old site complete;
``clean_leftovers`` removes what a killed build left, or puts back a site caught mid-swap.
The replaced site can be deleted by a detached process (``publish(later=True)``): on a disk that
wrote it long ago, unlinking an edition's 8,500 files takes 10–40 s, which the build need not wait for.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..fsio import folder_mode, inside, source_paths
from ..problems import Problem, error
from ..source.library import Project

BUILD, OLD = "carebridge-build", "carebridge-old"
# What any MkDocs + Material site has (a build killed half-way may have written only its assets).
EDITIONS_URL = "editions"  # each hospital edition's site, inside the base site's folder
SITE_MARKERS = ("index.html", "404.html", "sitemap.xml", "search/search_index.json", "assets/javascripts")
_LEFTOVER = re.compile(r"\.(?P<site>.+)\.(?P<kind>carebridge-build|carebridge-old)-(?P<pid>[0-9]+)-[^/]+")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def configured_sources(project: Project, config: Any) -> list[tuple[str, Path]]:
    """``source_paths`` of a project as a loaded MkDocs configuration names them."""
    from .config import carebridge_options, read_config

    options = carebridge_options(read_config(project.root / "mkdocs.yml"))
    docs = [Path(config.docs_dir)] + [project.root / str(lang["docs_dir"]) for lang in options.get("languages") or []
                                      if isinstance(lang, dict) and lang.get("docs_dir")]
    custom = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    return source_paths(project.root, project.protocols_dir, project.locales_dir, project.schema_path, docs, custom)


def _looks_like_a_site(folder: Path) -> bool:
    """A site built before: MkDocs' own files, or (after ``build --edition`` alone) nothing but
    editions/ holding editions' sites (and the leftovers of their builds)."""
    if any((folder / name).exists() for name in SITE_MARKERS):
        return True
    editions = folder / EDITIONS_URL
    try:
        if [entry.name for entry in folder.iterdir()] != [EDITIONS_URL] or not editions.is_dir():
            return False
        built = [entry for entry in editions.iterdir() if not _LEFTOVER.fullmatch(entry.name)]
    except OSError:
        return False
    return bool(built) and all(entry.is_dir() and _looks_like_a_site(entry) for entry in built)


def check_site_dir(site_dir: Path, root: Path, sources: list[tuple[str, Path]], given_as: str, *,
                   contents: bool = True) -> list[Problem]:
    """Problems (code ``usage``) that make ``site_dir`` no place for a site; [] when it is safe.

    ``given_as`` says where the folder was named (``--site-dir``, ``mkdocs.yml``), for the message.
    Without ``contents``, only where the folder is counts, not what it holds now (a check of
    mkdocs.yml alone: the build checks the folder it is about to write).
    """
    target = _real(site_dir)
    project = _real(root)

    def shown(path: Path) -> str:
        return os.path.relpath(path, project) if inside(path, project) else str(path)

    def refuse(message: str, advice: str = "build into a folder of its own, e.g. site/ (the default)") -> list[Problem]:
        return [error(given_as, None, None, f"site folder {shown(target)} {message}", hint=advice, code="usage")]

    if inside(project, target):
        return refuse("is or contains the project: building there would delete the project's files")
    for what, path in sources:
        for candidate in sorted({path.absolute(), _real(path)}):
            if inside(target, candidate):
                where = "is" if target == candidate else "lies inside"
                return refuse(f"{where} {what} ({shown(candidate)}): building there would overwrite it")
            if inside(candidate, target):
                return refuse(f"contains {what} ({shown(candidate)}): building there would delete it")
    if target.exists() and not target.is_dir():
        return refuse("is a file", "remove the file or choose another folder")
    if contents and target.is_dir() and any(target.iterdir()) and not _looks_like_a_site(target):
        return refuse("holds files that are not a site built before: a build replaces everything in it",
                      "choose an empty or new folder, or remove this one yourself if it is an old site")
    return []


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_leftovers(site_dir: Path) -> list[Path]:
    """Remove what killed builds left beside ``site_dir``; a site caught mid-swap is put back.
    Returns the folders removed or restored. Folders of builds still running are left alone."""
    target = _real(site_dir)
    if not target.parent.is_dir():
        return []
    done: list[Path] = []
    for entry in sorted(target.parent.iterdir()):
        match = _LEFTOVER.fullmatch(entry.name)
        if not match or match["site"] != target.name or _alive(int(match["pid"])):
            continue
        if match["kind"] == OLD and not target.exists():
            os.rename(entry, target)  # killed between the two renames of a swap: the old site returns
        else:
            shutil.rmtree(entry, ignore_errors=True)
        done.append(entry)
    return done


def stage(site_dir: Path) -> Path:
    """A new, empty folder beside ``site_dir`` (same file system, so the swap is a rename)."""
    target = _real(site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{BUILD}-{os.getpid()}-", dir=target.parent))


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish(staging: Path, site_dir: Path, later: bool = False) -> None:
    """Put the finished site in place of the old one: readers see the old site or the new, whole.

    Hidden entries of the old site (a gh-pages worktree's ``.git``, kept by MkDocs' own clean)
    are copied across first, so a swap interrupted at any point loses nothing. With ``later``,
    the old site is deleted by a detached process once the new one is in place.
    """
    target = _real(site_dir)
    if not target.exists():
        os.chmod(staging, folder_mode())
        os.rename(staging, target)
        return
    for entry in target.iterdir():
        if entry.name.startswith(".") and not entry.name.startswith(".carebridge-"):
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
    os.chmod(staging, target.stat().st_mode & 0o7777)
    if _exchange(staging, target):
        old = staging
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.{OLD}-{os.getpid()}-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except OSError:
            os.rename(old, target)
            raise
    if not later or not _remove_later(old, target):
        shutil.rmtree(old, ignore_errors=True)


# Reads the folder's path from stdin: the parent names the folder after this process's pid first.
_DELETER = "import os, shutil, sys\nos.nice(10)\npath = sys.stdin.buffer.read()\n" \
    "if path: shutil.rmtree(os.fsdecode(path), ignore_errors=True)\n"


def _remove_later(old: Path, target: Path) -> bool:
    """Hand ``old`` to a detached low-priority process that deletes it; False if none could start
    (then the caller deletes it).
    The folder is renamed to carry that process's pid first, so ``clean_leftovers`` in another
    build leaves it alone while the deleter runs, and removes it if the deleter was killed."""
    try:
        deleter = subprocess.Popen([sys.executable, "-c", _DELETER], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    except OSError:
        return False
    trash = target.parent / f".{target.name}.{BUILD}-{deleter.pid}-{secrets.token_hex(4)}"
    assert deleter.stdin is not None
    try:
        os.rename(old, trash)
        deleter.stdin.write(os.fsencode(trash))
        deleter.stdin.close()
    except OSError:
        deleter.kill()
        deleter.wait()
        shutil.rmtree(trash if trash.exists() else old, ignore_errors=True)
        return True
    deleter.returncode = 0  # not waited for on purpose: it outlives the build
    return True


def os_problem(exc: OSError, shown: str) -> Problem:
    """A file-system failure during a build as a problem the user can act on."""
    place = exc.filename if isinstance(exc.filename, str) else shown
    hints = {
        errno.ENOSPC: "the disk is full: free some space, or build somewhere else with --site-dir",
        errno.EDQUOT: "the disk quota is used up: free some space, or build somewhere else with --site-dir",
        errno.EACCES: "you may not write there: fix the folder's permissions, or build somewhere else with --site-dir",
        errno.EPERM: "you may not write there: fix the folder's permissions, or build somewhere else with --site-dir",
        errno.EROFS: "the file system is read-only: build somewhere else with --site-dir",
    }
    message = f"cannot write the site: {exc.strerror or exc}"
    return error(place, None, None, message, code="io",
                 hint=hints.get(exc.errno or 0, "check the folder and the disk, then build again"))
