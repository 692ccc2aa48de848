"""Every page CareBridge generates for the real library (English, Chinese, a hospital edition) is
rendered by direct.py, and Python-Markdown makes exactly the same of it: HTML, table of
contents, title and anchors. A template that starts writing something direct cannot vouch for
fails here, not silently on the slow path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.pages import Page

from carebridge.site import direct, siblings
from carebridge.site.config import plugin_entries, read_config

from .conftest import REPO


def _toc(items: Any) -> list[Any]:
    return [(item.title, item.id, item.level, _toc(item.children)) for item in items]


@pytest.mark.parametrize("options", [{}, {"build_language": "zh_CN"}, {"edition": "qingshan-county"}],
                         ids=["en", "zh_CN", "edition"])
def test_every_generated_page_goes_direct_and_matches_markdown(options: dict[str, Any], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []

    def render(page: direct.GeneratedPage, config: Any, files: Any) -> None:
        done = page.direct.convert(page.markdown)
        Page.render(page, config, files)  # the Markdown way, as every page went before
        assert done is not None, f"{page.file.src_uri}: direct declined a generated page"
        assert done.html == page.content, page.file.src_uri
        assert _toc(direct.get_toc(done.toc_tokens)) == _toc(page.toc), page.file.src_uri
        assert done.title == page._title_from_render, page.file.src_uri
        assert done.anchor_ids == page.present_anchor_ids, page.file.src_uri
        if page.file.src_uri.startswith(("protocols/", "checklist/", "compare/")):
            # A protocol's pages come with their conversion (kept with them between builds): the same.
            assert page.prepared is not None and page.prepared[1] == done, page.file.src_uri
            assert page.prepared[0] == direct._digest(page.markdown), page.file.src_uri
        checked.append(page.file.src_uri)

    monkeypatch.setattr(direct.GeneratedPage, "render", render)
    # This test is about pages: the other languages' and editions' processes are not started.
    monkeypatch.setattr(siblings.Siblings, "start", lambda *args, **kwargs: None)
    raw = read_config(REPO / "mkdocs.yml")
    overrides: dict[str, Any] = {"plugins": plugin_entries(raw, editions=[], **options), "site_dir": str(tmp_path)}
    if options.get("build_language"):
        overrides.update(theme={**raw["theme"], "language": "zh"}, docs_dir=str(REPO / "docs" / "zh"))
    build(load_config(config_file=str(REPO / "mkdocs.yml"), **overrides))
    protocols = len(list((REPO / "protocols").rglob("*.yaml")))
    assert len([src for src in checked if src.startswith("protocols/")]) == protocols
    assert {"index.md", "drugs.md", "schema.md"} <= set(checked)
    assert any(src.startswith("checklist/") for src in checked)
