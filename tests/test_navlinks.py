"""The navigation's reused links (site/navlinks.py): Material's template with one change, and a
site byte-identical to the one Material's own template builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import material
import pytest

from carebridge.site import navlinks
from carebridge.site.navlinks import THEME_DIR, NavLinks, add_theme_dir, compact

OURS = THEME_DIR / "partials" / "nav-item.html"
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "nav-item.html"
CALL = '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}'


def test_the_template_is_materials_with_only_the_marked_change() -> None:
    ours = OURS.read_text(encoding="utf-8")
    banner, sep, rest = ours.partition("-#}\n")
    assert sep and "CareBridge" in banner
    fast = ('{% if item.children or item.active or item.pages %}' + CALL + '{% else %}{{ cb_nav_link(render, item, '
            'item.url | url, path ~ "_" ~ loop.index, level + 1, nav_item) }}{% endif %}')
    assert rest.count(fast) == 1
    # A Material upgrade that changes nav-item.html fails here: copy it again and redo the change.
    assert rest.replace(fast, CALL) == MATERIAL.read_text(encoding="utf-8")


def test_a_link_is_rendered_once_per_page_and_href() -> None:
    made: list[tuple[Any, ...]] = []

    def render(item: Any, *args: Any) -> str:
        made.append((item, *args))
        return f"<li>{len(made)}</li>"

    links, page_a, page_b = NavLinks(), object(), object()
    assert links(render, page_a, "../a/", "__nav_2_1", 2, None) == "<li>1</li>"
    assert made == [(page_a, "__nav_2_1", 2, None)]  # Material's own arguments
    assert links(render, page_a, "../a/", "__nav_2_5", 2, None) == "<li>1</li>"
    assert links(render, page_a, "../../a/", "__nav_2_1", 2, None) == "<li>2</li>"  # from another depth
    assert links(render, page_b, "../a/", "__nav_2_1", 2, None) == "<li>3</li>"
    assert len(made) == 3


class _Theme:
    def __init__(self, custom_dir: str | None, dirs: list[str]):
        self.custom_dir, self.dirs = custom_dir, dirs


def test_the_theme_dir_goes_after_the_projects_overrides_and_before_material() -> None:
    theme = _Theme("/p/overrides", ["/p/overrides", "/m/material/templates", "/m/mkdocs/templates"])
    add_theme_dir(theme)
    add_theme_dir(theme)  # a second on_config (serve) adds nothing
    assert theme.dirs == ["/p/overrides", str(THEME_DIR), "/m/material/templates", "/m/mkdocs/templates"]
    bare = _Theme(None, ["/m/material/templates"])
    add_theme_dir(bare)
    assert bare.dirs == [str(THEME_DIR), "/m/material/templates"]


def test_the_built_site_is_byte_identical_with_and_without_reused_links(
        project_tree: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = NavLinks.__call__

    def counted(self: NavLinks, *args: Any) -> Any:
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(NavLinks, "__call__", counted)
    nursing = project_tree / "protocols" / "nursing"
    for copy in ("example-escalation-b", "example-escalation-c"):  # a section of three links
        text = (nursing / "example-escalation.yaml").read_text(encoding="utf-8")
        (nursing / f"{copy}.yaml").write_text(text.replace("id: example-escalation\n", f"id: {copy}\n"),
                                              encoding="utf-8")
    assert run_cli(["build", "--site-dir", "with"], cwd=project_tree).code == 0
    assert calls, "the theme's template did not ask for any link"
    monkeypatch.setattr(navlinks, "add_theme_dir", lambda theme: None)
    monkeypatch.setattr("carebridge.site.plugin.add_theme_dir", lambda theme: None)
    # nothing kept: the first build's theme pages would otherwise be reused as they are
    assert run_cli(["build", "--site-dir", "without"], cwd=project_tree, env={"CAREBRIDGE_CACHE_DIR": "off"}).code == 0
    with_links, without = _english(project_tree / "with"), _english(project_tree / "without")
    assert len(with_links) > 10 and with_links.keys() == without.keys()
    # The same files but for white space around the reused links' tags, which they carry cut short
    assert {k: _spaced(v) for k, v in with_links.items()} == {k: _spaced(v) for k, v in without.items()}
    pages = [k for k in with_links if k.endswith(".html") and k.startswith("protocols/")]
    assert pages and all(len(with_links[k]) < len(without[k]) for k in pages)


def _english(site: Path) -> dict[str, bytes]:
    # The English site is this process's (the other language builds in a process of its own).
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.relative_to(site).as_posix().startswith("zh/")}


def _spaced(content: bytes) -> bytes:
    """A page with every run of white space that touches a tag cut to one space (other files as they are)."""
    try:
        return str(compact(content.decode("utf-8"))).encode("utf-8")
    except UnicodeDecodeError:
        return content
