"""What a hand-written page of the site (``docs/<language>/*.md``) may hold.

MkDocs passes a page's raw HTML through as written. The Content-Security-Policy stops a script, a
frame or a request to another site in the browser, but a page that needs one is broken for every
reader, and a request off the site is one a ward PC inside China may never get an answer to. The
build says so for each (a warning: ``--strict`` fails), where the generated pages never hold any.
Code blocks and code spans are examples, not markup, and are left alone.
"""

from __future__ import annotations

import re

from .. import markup

_CODE = re.compile(r"(?ms)^[ \t]{0,3}(```|~~~).*?^[ \t]{0,3}\1[^\n]*$|`[^`\n]+`")
_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|form|base|meta|link|style|svg|math)\b",
                         re.IGNORECASE)
_EVENT = re.compile(r"<[A-Za-z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
# what makes the browser fetch (src, srcset, poster, data, a background) from another site
_FETCH = re.compile(r"""<[A-Za-z][^>]*?\s(?:src|srcset|poster|data|background)\s*=\s*["']?\s*((?:https?:)?//[^\s"'>]+)""",
                    re.IGNORECASE)
_OFF_SITE = re.compile(r"(?i)^\s*<?\s*(?:https?:)?//")


def page_problems(markdown: str) -> list[str]:
    """What the page holds that the site may not serve, each said once, in page order.

    >>> page_problems('Hi <img src="https://cdn.example/x.png" onerror="alert(1)"> ![a](//cdn.example/a.png)')
    ['an event handler attribute: onerror', 'a request to another site: https://cdn.example/x.png', \
'a request to another site: //cdn.example/a.png']
    >>> page_problems("Use `<script>` with care:\\n\\n```html\\n<script src=x></script>\\n```\\n[NICE](https://nice.org.uk)")
    []
    """
    text = _CODE.sub(" ", markdown)
    found: list[tuple[int, str]] = []
    found += [(m.start(), f"raw HTML <{m.group(1).lower()}>") for m in _ACTIVE_TAG.finditer(text)]
    found += [(m.start(), f"an event handler attribute: {m.group(1).lower()}") for m in _EVENT.finditer(text)]
    found += [(m.start(1), f"a request to another site: {m.group(1)}") for m in _FETCH.finditer(text)]
    found += [(start, f"a request to another site: {target.strip().strip('<>')}")
              for start, _, target in markup.inline_links(text, images=True) if _OFF_SITE.match(target)]
    found += [(text.find(url) if url in text else len(text), f"an unsafe link: {url}")
              for url in markup.dangerous_urls(text)]
    return list(dict.fromkeys(said for _, said in sorted(found)))
