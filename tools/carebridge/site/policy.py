"""The Content-Security-Policy of every page: scripts only from the site itself, plus the
theme's own inline scripts by their SHA-256 hashes.

The allowed hashes come from rendering the theme's script partials
(``partials/javascripts/*.html``) with the page's context, never from the finished page: a
script that reached a page any other way (an escaping failure in a translation, say) has no
hash in the policy, so the browser refuses to run it, and ``blocked`` reports it at build time.
The policy goes in a ``<meta>`` at the top of ``<head>`` (overrides/main.html), so it works on
any static host and in the offline bundle opened from disk.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.carebridge")

THEME_SCRIPTS = "partials/javascripts/"
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"""\bsrc\s*=""", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# What a browser runs as script; other types (application/json: Material's __config) are data.
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})

# Material needs data: images (its icons are CSS masks) and inline style attributes (column
# widths of the dose tables); neither can run code. Everything else comes from the site.
_FIXED = ("default-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
          "font-src 'self'", "connect-src 'self'", "worker-src 'self'", "object-src 'none'",
          "base-uri 'self'", "form-action 'self'")


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script the browser would run, in page order.

    >>> inline_scripts('<script>a()</script><script src="b.js"></script><script type="application/json">{}</script>')
    ['a()']
    """
    out = []
    for attributes, body in _SCRIPT.findall(html):
        kind = _TYPE.search(attributes)
        if not _SRC.search(attributes) and (kind.group(1).lower() if kind else "") in _SCRIPT_TYPES:
            out.append(body)
    return out


def digest(script: str) -> str:
    """A CSP source expression for one inline script.

    >>> digest("var target=1")
    "'sha256-hgTOa6BzlaHndzVWbBX7iuLT82xXZ5hisI8xgOQ9Tmg='"
    """
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def script_partials(env: Any) -> list[str]:
    """The theme's script partials, as ``env.list_templates`` would name them. A file-system loader's
    folders are read at ``partials/javascripts/`` only: listing every template walks Material's
    thousands of icons, a third of a second per site and language."""
    folders = getattr(env.loader, "searchpath", None)
    if not isinstance(folders, list):
        return sorted(env.list_templates(filter_func=lambda n: n.startswith(THEME_SCRIPTS) and n.endswith(".html")))
    names = set()
    for folder in folders:
        root = Path(folder)
        for path in (root / THEME_SCRIPTS).rglob("*.html"):
            if path.is_file():
                names.add(path.relative_to(root).as_posix())
    return sorted(names)


def theme_script_hashes(env: Any, context: Mapping[str, Any]) -> set[str]:
    """Hashes of the inline scripts the theme's script partials render for this page's context."""
    features = context["config"].theme.get("features") or []
    found: set[str] = set()
    for name in script_partials(env):
        html = env.get_template(name).render({**context, "features": features})
        found.update(digest(script) for script in inline_scripts(html))
    return found


def content_security_policy(hashes: Iterable[str]) -> str:
    """The policy text, the same bytes for the same hashes.

    >>> content_security_policy([]).split("; ")[:2]
    ["default-src 'self'", "script-src 'self'"]
    """
    script_src = " ".join(["script-src 'self'", *sorted(set(hashes))])
    return "; ".join([_FIXED[0], script_src, *_FIXED[1:]])


_META = re.compile(r"""<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*/?>""", re.IGNORECASE)


def blocked(html: str) -> list[str]:
    """Inline scripts of a finished page that the page's own policy refuses (all of them when
    the page has no policy, or the policy comes after a script and so cannot protect it).

    >>> meta = '<meta http-equiv="Content-Security-Policy" content="%s">' % content_security_policy([digest("a()")])
    >>> blocked(meta + "<script>a()</script><script>b()</script>")
    ['b()']
    """
    found = _META.search(html)
    scripts = inline_scripts(html)
    if found is None or (scripts and html.find("<script") < found.start()):
        return scripts
    allowed = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", found.group(1)))
    return [script for script in scripts if digest(script) not in allowed]


class PolicyHooks:
    """The plugin's Content-Security-Policy events: each page gets its policy (the theme's inline
    scripts hashed, per base URL), and any other inline script in an output is a build warning."""

    def start_policies(self, env: Any) -> None:
        self._env = env
        self._policies: dict[str, str] = {}

    def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        return self._with_policy(context)

    def on_template_context(self, context: Any, *, template_name: str, config: Any) -> Any:
        return self._with_policy(context)

    def _with_policy(self, context: Any) -> Any:
        """The page's policy for overrides/main.html: the theme's inline scripts differ only by base URL."""
        base = str(context.get("base_url", ""))
        if base not in self._policies:
            self._policies[base] = content_security_policy(theme_script_hashes(self._env, context))
        context["carebridge_csp"] = self._policies[base]
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        if template_name.endswith(".html"):
            self.check_policy(output_content, template_name)
        return output_content

    def check_policy(self, html_text: str, name: str) -> None:
        # A warning, so --strict fails: such a script is either injected content or a theme change.
        for script in blocked(html_text):
            log.warning("%s: an inline script that the page's Content-Security-Policy blocks: %.80s", name, script)
