"""What builds reuse (site/incremental.py): catalogs read once per file content, and handed from
the main build to the processes of its other languages and editions."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.site import incremental
from carebridge.site.incremental import CatalogCache, handover, receive
from carebridge.source import library

from .conftest import REPO, edit

LOCALE = "zh_CN"


def _requests(tree: Path, names: list[str]) -> list[tuple[Path, str, str]]:
    return [(tree / "locales" / LOCALE / "LC_MESSAGES" / f"{n}.po", f"{n}.po", LOCALE) for n in names]


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    (tmp_path / "locales" / LOCALE / "LC_MESSAGES").mkdir(parents=True)
    for name in ("site", "postpartum-haemorrhage"):
        path = REPO / "locales" / LOCALE / "LC_MESSAGES" / f"{name}.po"
        (tmp_path / "locales" / LOCALE / "LC_MESSAGES" / f"{name}.po").write_bytes(path.read_bytes())
    return tmp_path


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = incremental.read_catalog

    def counted(path: Path, display: str, locale: str | None = None):  # type: ignore[no-untyped-def]
        parsed.append(display)
        return real(path, display, locale)

    monkeypatch.setattr(incremental, "read_catalog", counted)
    return parsed


def test_read_many_parses_each_file_once_and_again_only_when_its_bytes_change(
        catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = _counting(monkeypatch)
    cache = CatalogCache()
    requests = _requests(catalogs, ["site", "postpartum-haemorrhage"])
    cache.read_many(requests)
    cache.read_many(requests)
    assert sorted(parsed) == ["postpartum-haemorrhage.po", "site.po"]
    catalog, problems = cache.read(*requests[1])
    assert problems == [] and catalog is not None and len(catalog) > 10
    edit(requests[0][0], "Last-Translator: CareBridge translators", "Last-Translator: Edited")
    cache.read_many(requests)
    assert sorted(parsed) == ["postpartum-haemorrhage.po", "site.po", "site.po"]


def test_a_started_process_reads_only_the_catalogs_changed_since_its_parent_read_them(
        catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    requests = _requests(catalogs, ["site", "postpartum-haemorrhage"])
    parent = CatalogCache()
    parent.read_many(requests)
    data = handover(parent.read_before)
    edit(requests[0][0], "Last-Translator: CareBridge translators", "Last-Translator: Edited")  # saved after the parent read it

    monkeypatch.setattr(incremental, "_HANDED", {})  # the new process
    monkeypatch.setattr(library, "_LOADED", {})
    parsed = _counting(monkeypatch)
    receive(data)
    child = CatalogCache()
    for request in requests:
        catalog, problems = child.read(*request)
        assert catalog is not None and problems == []
    assert parsed == ["site.po"]
    assert child.read(*requests[0])[0].last_translator.startswith("Edited")  # the file as it is now
