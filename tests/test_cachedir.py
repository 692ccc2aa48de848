"""Where caches live and which code made them: one changed byte of the package is another code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from carebridge import cachedir
from carebridge.i18n import findingcache


def test_one_changed_byte_of_the_package_is_another_fingerprint(tmp_path: Path) -> None:
    copy = tmp_path / "carebridge"
    shutil.copytree(cachedir.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    same = cachedir.code_fingerprint(copy)
    (copy / "safety" / "__pycache__").mkdir(exist_ok=True)
    (copy / "safety" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    cachedir.code_fingerprint.cache_clear()
    assert cachedir.code_fingerprint(copy) == same == cachedir.code_fingerprint(cachedir.PACKAGE)
    data = (copy / "safety" / "data" / "en-zh-negation.yaml").read_bytes()
    (copy / "safety" / "data" / "en-zh-negation.yaml").write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    cachedir.code_fingerprint.cache_clear()
    assert cachedir.code_fingerprint(copy) != same
    assert findingcache.file_name(same) != findingcache.file_name(cachedir.code_fingerprint(copy))


@pytest.mark.parametrize(("env", "expected"), [("off", None), ("", None), ("  OFF ", None)])
def test_the_cache_is_switched_off_by_its_variable(monkeypatch: pytest.MonkeyPatch, env: str,
                                                   expected: None) -> None:
    monkeypatch.setenv(cachedir.ENV, env)
    assert cachedir.cache_folder() is expected


def test_the_cache_folder_is_the_variable_or_the_xdg_folder_and_never_a_project(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cachedir.ENV, str(tmp_path / "mine"))
    assert cachedir.cache_folder() == tmp_path / "mine"
    monkeypatch.delenv(cachedir.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cachedir.cache_folder() == tmp_path / "xdg" / "carebridge"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # the XDG rule: a relative path is ignored
    assert cachedir.cache_folder() == Path.home() / ".cache" / "carebridge"
    project = tmp_path / "project"
    (project / "protocols").mkdir(parents=True)
    assert "is a project" in cachedir.refusal(project / ".cache")
    assert cachedir.refusal(tmp_path / "elsewhere") == ""
