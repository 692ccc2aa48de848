"""A build's translations (site/translations.py): what a process keeps from one site's build for
the next (an edition after the base site, in one language), and what it says in every build."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from carebridge.i18n.extract import protocol_messages
from carebridge.site import translations as module
from carebridge.site.incremental import CatalogCache
from carebridge.site.localize import State
from carebridge.site.translations import Translations, retain
from carebridge.source.library import Project, load_library

WRONG = "Repeat observations every 4 hours."  # translated with 6 hours: blocked


def _project(tree: Path) -> tuple[Project, list]:  # type: ignore[type-arg]
    project = Project.at(tree)
    loaded, problems = load_library(project)
    assert not problems
    item = loaded[0]
    catalog = Catalog(locale="zh_CN")
    for message in protocol_messages(item.document, project.schema_path):
        if message.msgid == WRONG:
            catalog.add(message.msgid, "每6小时重复观察一次。", context=message.context)
    path = project.catalog_path("zh_CN", item.protocol.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        write_po(handle, catalog)
    return project, loaded


def _build(project: Project, loaded: list, cache: CatalogCache) -> Translations:  # type: ignore[type-arg]
    """What each build's on_config does: new Translations over the process' catalog cache."""
    translations = Translations(project, "zh_CN", cache)
    retain(loaded)
    translations.load("zh_CN", [item.protocol.id for item in loaded])
    return translations


def test_the_next_site_in_the_process_reuses_the_localization_and_still_warns(
        project_tree: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "_LOCALIZED", {})
    project, loaded = _project(project_tree)
    cache = CatalogCache()
    item = loaded[0]
    calls: list[str] = []
    real = module.localize
    monkeypatch.setattr(module, "localize", lambda *args: calls.append(args[2]) or real(*args))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.carebridge"):
        first = _build(project, loaded, cache).localized(item, "zh_CN", "zh-Hans")
        again = _build(project, loaded, cache).localized(item, "zh_CN", "zh-Hans")
    assert again is first and calls == ["zh-Hans"]  # localized (and checked) once
    blocked = [t for t in first.texts.values() if t.state is State.BLOCKED]
    assert len(blocked) == 1 and blocked[0].value == WRONG  # the page shows the English
    warnings = [r.getMessage() for r in caplog.records if "translation not published" in r.getMessage()]
    assert len(warnings) == 2  # each build says so: --strict fails whichever site the process builds


def test_a_changed_catalog_or_language_is_localized_anew(project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "_LOCALIZED", {})
    project, loaded = _project(project_tree)
    cache = CatalogCache()
    item = loaded[0]
    first = _build(project, loaded, cache).localized(item, "zh_CN", "zh-Hans")
    english = _build(project, loaded, cache).localized(item, None, "en")
    assert english is not first and all(t.state is State.SOURCE for t in english.texts.values())
    path = project.catalog_path("zh_CN", item.protocol.id)
    path.write_text(path.read_text(encoding="utf-8").replace("每6小时", "每4小时"), encoding="utf-8")
    fixed = _build(project, loaded, cache).localized(item, "zh_CN", "zh-Hans")
    assert fixed is not first
    assert not [t for t in fixed.texts.values() if t.state is State.BLOCKED]


def test_documents_no_longer_in_the_library_are_forgotten(project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module, "_LOCALIZED", {})
    monkeypatch.setattr(module, "_STRINGS", {})
    project, loaded = _project(project_tree)
    translations = _build(project, loaded, CatalogCache())
    loc = translations.localized(loaded[0], "zh_CN", "zh-Hans")
    translations.review(loaded[0], "zh_CN", loc, None, strict=False)
    assert len(module._LOCALIZED) == 1 and len(module._STRINGS) == 1
    retain(loaded)
    assert len(module._LOCALIZED) == 1 and len(module._STRINGS) == 1
    retain([])
    assert module._LOCALIZED == {} and module._STRINGS == {}
