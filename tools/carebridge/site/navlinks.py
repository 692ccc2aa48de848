"""Material's navigation, with each link to another page rendered once per build.

Every page of a Material site carries the navigation; with navigation.prune that is the top level
plus the open section, about a hundred protocol links per page in a 1,000-protocol library, each
rendered anew through Material's ``render`` macro on every page (a fifth of the build's time). A
link to a page that is not the one being built depends only on that page and its href relative to
the page being built, so ``theme/partials/nav-item.html`` (Material's, with a section's plain links
sent here) asks :class:`NavLinks`, which renders a link the first time and returns the same text
after. Each link is kept with the white space around its tags cut to one space, which the page
shows the same (the navigation sets no ``white-space: pre``): 54 KB → 51 KB a page on average at
1,000 protocols. The built site is otherwise byte-identical with and without it (tests/test_navlinks.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

THEME_DIR = Path(str(files("carebridge.site") / "theme"))
# White space that touches a tag: between two tags, or around a text (never inside one, where an
# attribute's value could hold it: an escaped value holds no < or >).
_AROUND_TAGS = re.compile(r"(?<=>)[ \t\r\n]+|[ \t\r\n]+(?=<)")


def compact(html: Any) -> Any:
    """``html`` with each run of white space that touches a tag cut to one space; Markup stays Markup.

    >>> compact('<li>\\n  <a href="x">\\n    A  b\\n  </a>\\n</li>\\n')
    '<li> <a href="x"> A  b </a> </li> '
    """
    return type(html)(_AROUND_TAGS.sub(" ", html)) if isinstance(html, str) else html


class NavLinks:
    """One build's rendered navigation links (``cb_nav_link`` in the theme's templates)."""

    def __init__(self) -> None:
        # Keyed by the page object's id; the page is kept in the value, so the id is not reused.
        self._links: dict[tuple[int, str], tuple[Any, Any]] = {}

    def __call__(self, render: Callable[..., Any], nav_item: Any, href: str, *args: Any) -> Any:
        """Material's ``render(nav_item, *args)`` for a link to ``nav_item`` (not the page being built),
        whose output depends only on the page it names and ``href``."""
        key = (id(nav_item), href)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = (nav_item, compact(render(nav_item, *args)))
        return found[1]


def add_theme_dir(theme: Any) -> None:
    """Put the package's theme templates after the project's ``custom_dir`` (first in ``dirs``) and
    before Material's own, so a project's own ``partials/nav-item.html`` still wins."""
    theme_dir = str(THEME_DIR)
    if theme_dir not in theme.dirs:
        theme.dirs.insert(1 if theme.custom_dir else 0, theme_dir)
