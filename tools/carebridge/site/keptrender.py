"""Material's page template, rendered once per input and kept between builds (``pagecache``).

Once the protocols' own pages are kept, about half of what is left of each language's build is
Material's page template: the navigation, header and footer around every page. ``wrap`` makes the
theme's environment hand MkDocs, for each page, a template whose ``render`` looks the page up
first. The key is the store's (the code, the page libraries, the inputs every page shares, the
build's settings) and, read from the context the template is given:

- the site: the navigation (kind, title, URL and nesting of every entry) and the configuration
  the template reads (names, URLs, ``extra``, the theme's settings, the assets, the plugins);
- the page: URL, source, title, content, table of contents, meta, canonical and edit URLs, its
  neighbours and sections, and the asset links as given to this page.

Every plugin still sees each page's context (``on_page_context``) and output (``on_post_page``)
as before; only the template's work is skipped. Templates the theme includes or extends, and
templates rendered without a page (the 404 page, the sitemap), are never kept.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from typing import Any

import jinja2

from .pagecache import Kept


def wrap(env: jinja2.Environment, kept: Kept) -> None:
    """Make ``env.get_template`` (MkDocs' call for each page) return templates that keep what they render."""
    if kept.folder is None or kept.shared is None:
        return
    real = env.get_template
    site: dict[str, bytes] = {}  # the navigation and settings, read once per build (at the first page)

    def get_template(name: Any, parent: str | None = None, globals: Any = None) -> Any:
        template = real(name, parent, globals)
        if parent is not None or globals is not None or not isinstance(name, str):
            return template  # {% extends %}, {% include %}: part of a page being rendered
        return _Kept(template, name, kept, site)

    env.get_template = get_template  # type: ignore[method-assign]


class _Kept:
    """A page template whose output is kept, keyed by everything in the context it reads."""

    def __init__(self, template: jinja2.Template, name: str, kept: Kept, site: dict[str, bytes]) -> None:
        self.template, self.name, self.kept, self.site = template, name, kept, site

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        page = context.get("page")
        if page is None or context.get("nav") is None:
            return self.template.render(context)
        if "key" not in self.site:
            self.site["key"] = site_key(context["nav"], context["config"])
        key = self.kept.key("render", self.name, self.site["key"], page_key(page, context))
        return self.kept.remember(key, functools.partial(self.template.render, context))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.template, name)


def _nav(items: Iterable[Any], depth: int = 0) -> Iterable[tuple[object, ...]]:
    for item in items:
        yield depth, type(item).__name__, str(item.title), getattr(item, "url", None)
        if getattr(item, "children", None):
            yield from _nav(item.children, depth + 1)


def _json(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def site_key(nav: Any, config: Any) -> bytes:
    """The navigation and the configuration Material's templates read."""
    settings = [config.site_name, config.site_url, config.site_description, config.site_author, config.copyright,
                config.repo_url, config.repo_name, config.edit_uri, config.use_directory_urls,
                _json(dict(config.extra)), _json([str(x) for x in config.extra_css]),
                _json([str(x) for x in config.extra_javascript]), _json(sorted(dict(config.theme).items(), key=str)),
                list(config.plugins), config.theme.custom_dir]
    text = repr((list(_nav(nav.items)), settings))
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=32).digest()


def _toc(items: Iterable[Any]) -> list[tuple[object, ...]]:
    return [(item.title, item.url, item.level, _toc(item.children)) for item in items]


def _neighbour(page: Any) -> tuple[str, str] | None:
    return None if page is None else (str(page.title), str(page.url))


def page_key(page: Any, context: dict[str, Any]) -> bytes:
    """The page's own inputs to the template, and the links the context gives it. The content is
    hashed as it is: ``repr`` of a page's worth of Chinese text costs four times the hashing."""
    content = page.content if isinstance(page.content, str) else repr(page.content)
    digest = hashlib.blake2b(hashlib.blake2b(content.encode("utf-8", "surrogateescape"), digest_size=32).digest(),
                             digest_size=32)  # a fixed-length prefix: no two splits give one text
    text = repr((type(page.content).__name__, page.url, page.file.src_uri, str(page.title), _toc(page.toc),
                 _json(page.meta), page.canonical_url, page.edit_url, page.is_homepage,
                 _neighbour(page.previous_page), _neighbour(page.next_page),
                 [str(section.title) for section in page.ancestors],
                 context.get("base_url"), [str(x) for x in context.get("extra_css") or []],
                 [str(x) for x in context.get("extra_javascript") or []]))
    digest.update(text.encode("utf-8", "surrogateescape"))
    return digest.digest()
