"""Starting another language's (or edition's) build process (site/languages.py)."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

from carebridge.site import languages


class _Process:
    returncode = 0

    def __init__(self, argv: list[str], **_: Any) -> None:
        self.argv = argv

    def communicate(self) -> tuple[str, str]:
        return "", ""

    def kill(self) -> None:
        pass


@pytest.mark.parametrize("end", ["finish", "cancel"])
def test_the_parsed_library_goes_to_the_process_in_a_private_file_removed_after(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: str) -> None:
    started: list[_Process] = []

    def popen(argv: list[str], **kwargs: Any) -> _Process:
        started.append(_Process(argv, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", popen)
    site = tmp_path / "site"
    running = languages.start("mkdocs.yml", "zh_CN", {}, site / "zh", site, b"parsed library")
    library = Path(started[0].argv[-1])
    assert started[0].argv[-3:-1] == ["mkdocs.yml", str(running.settings)]
    assert library.parent == site and library.name.startswith(languages.STAGING)
    assert library.read_bytes() == b"parsed library"
    assert stat.S_IMODE(library.stat().st_mode) == 0o600  # the user's own: the process unpickles it
    languages.finish(running) if end == "finish" else languages.cancel(running)
    assert not library.exists() and not running.settings.exists()


def test_without_a_library_no_file_is_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[_Process] = []
    monkeypatch.setattr(subprocess, "Popen", lambda argv, **kw: started.append(_Process(argv)) or started[-1])
    running = languages.start("mkdocs.yml", "zh_CN", {}, tmp_path / "site" / "zh", tmp_path / "site")
    assert started[0].argv[-1] == str(running.settings)
    languages.cancel(running)
