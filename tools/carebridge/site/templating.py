"""Page markup lives in Jinja2 templates (``site/templates/``), autoescaped, overridable.

A project overrides any template by putting a file of the same name under
``overrides/carebridge/`` (Material's ``custom_dir`` convention, one folder deeper so the two
never collide). Every value a template prints is escaped, except what ``sanitized`` returns:
Markdown rendered by Python-Markdown and cleaned by nh3. That filter is the one place where
content becomes markup.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import markdown as md
from markupsafe import Markup, escape

from ..i18n.sitewords import COMMENT_END, COMMENT_START
from ..markup import clean_html

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")  # Python-Markdown's escapes; < > & become entities
OVERRIDES_SUBDIR = "carebridge"


@lru_cache(maxsize=16384)
def markdown_html(text: str) -> str:
    """The Markdown subset of ``instructions`` as sanitized HTML."""
    return clean_html(md.markdown(text, extensions=["sane_lists"], output_format="html"))


def sanitized(text: str) -> Markup:
    """THE unescaped insert: author or translator Markdown, rendered, then cleaned by nh3."""
    return Markup(markdown_html(text))


def heading_text(text: str) -> str:
    """Escape text so it stays literal inside a Markdown heading.

    Markdown's escapes go first: escaping HTML first would put a ``#`` inside ``&#39;`` for
    Markdown to escape, and the page would show "patient&#39;s".

    >>> heading_text("Step 1. <b>#2</b> patient's")
    'Step 1\\\\. &lt;b&gt;\\\\#2&lt;/b&gt; patient&#39;s'
    """
    return str(escape(_MD_SPECIAL.sub(r"\\\1", text)))


def _heading(text: str) -> Markup:
    return Markup(heading_text(text))


def environment(overrides: Path | None = None) -> jinja2.Environment:
    """The template environment: the project's overrides first, then the package's templates."""
    return _environment(str(overrides) if overrides and (overrides / OVERRIDES_SUBDIR).is_dir() else "")


@lru_cache(maxsize=8)
def _environment(overrides: str) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if overrides:
        loaders.append(jinja2.FileSystemLoader(str(Path(overrides) / OVERRIDES_SUBDIR)))
    loaders.append(jinja2.PackageLoader("carebridge.site", "templates"))
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                             comment_start_string=COMMENT_START, comment_end_string=COMMENT_END,
                             auto_reload=bool(overrides))
    env.filters["sanitized"] = sanitized
    env.filters["heading"] = _heading
    return env


class SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept for the process. MkDocs makes a new theme environment for every
    build, which would compile Material's templates again for each site a process builds (an
    edition after the base site). Jinja compares each template's source checksum, so an edited
    template is compiled anew; the key holds what changes the compiled code besides the source."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        settings = repr((environment.block_start_string, environment.block_end_string,
                         environment.variable_start_string, environment.variable_end_string,
                         environment.comment_start_string, environment.comment_end_string,
                         environment.line_statement_prefix, environment.line_comment_prefix,
                         environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
                         environment.keep_trailing_newline, environment.optimized, environment.autoescape,
                         environment.undefined, environment.is_async, sorted(environment.extensions)))
        bucket = jinja2.bccache.Bucket(environment, self.get_cache_key(f"{settings}\x00{name}", filename),
                                       self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


THEME_BYTECODE = SharedBytecode()


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template to text."""
    return env.get_template(name).render(**context)
