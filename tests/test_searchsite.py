"""Material's search plugin passed over the pages it would neither index nor change (searchsite)."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.structure.toc import get_toc

from carebridge.site.searchsite import quicken_material_search

PAGES = {
    "excluded, plain": ({"search": {"exclude": True}}, '<h2 id="a">Dose</h2><p>Give 1 g.</p>'),
    "excluded, attributes": ({"search": {"exclude": True}}, '<h2 id="a" data-search-exclude="x">Dose</h2>'),
    "indexed, plain": ({}, '<h2 id="a">Dose</h2><p>Give 1 g.</p>'),
    "indexed, attributes": ({"search": {"boost": 2}}, '<h2 id="a">Dose</h2><p data-search-exclude="x">Hidden</p>'),
}


def _config(tmp_path: Path) -> Any:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\nplugins: [search]\n", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    config.plugins.on_config(config)  # as a build does: Material's plugin makes its index here
    return config


def _run(config: Any, meta: dict[str, Any], content: str) -> tuple[str, list[dict[str, Any]]]:
    page = SimpleNamespace(meta=copy.deepcopy(meta), content=content, toc=get_toc([]), url="p/", title="P")
    context = {"page": page}
    out = config.plugins.on_page_context(context, page=page, config=config, nav=None)
    assert out is context
    (search,) = [p for p in config.plugins.values() if type(p).__module__ == "material.plugins.search.plugin"]
    return page.content, copy.deepcopy(search.search_index.entries)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_quick_path_changes_no_page_and_no_index_entry(tmp_path: Path, name: str) -> None:
    meta, content = PAGES[name]
    plain = _run(_config(tmp_path), meta, content)
    quick_config = _config(tmp_path)
    quicken_material_search(quick_config.plugins.events["page_context"])
    assert _run(quick_config, meta, content) == plain
    if "attributes" in name:
        assert "data-search-" not in plain[0]  # Material's handler ran and stripped them
    assert bool(plain[1]) == name.startswith("indexed")


def test_only_materials_handler_is_wrapped_and_only_once(tmp_path: Path) -> None:
    config = _config(tmp_path)
    events = config.plugins.events["page_context"]
    other = lambda context, **_: context  # noqa: E731 - another plugin's handler
    events.append(other)
    quicken_material_search(events)
    wrapped = list(events)
    quicken_material_search(events)
    assert events == wrapped and events[-1] is other and events[0] is not other
    assert getattr(events[0], "_cb_quick", False)
