"""The plugin's configuration (``plugins: - carebridge:`` in mkdocs.yml), typed as MkDocs wants.

Languages come from here alone: the first is the English source, each other one builds into its
own ``prefix``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import babel
import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

from ..problems import Problem, error

# A language's folder inside the site: names joined by "/", never "..", never from the root. The
# build writes (and first empties) site/<prefix>/: "../locales" emptied the project's catalogs.
_PREFIX = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*/?)?")
PREFIX_HINT = "write a folder name inside the site, such as zh or zh-hant (\"\" for the English source)"


def prefix_problem(prefix: str) -> str | None:
    """Why ``prefix`` cannot be a language's folder in the site, or None.

    >>> [prefix_problem(p) for p in ("", "zh", "zh-hant/", "lang/zh")]
    [None, None, None, None]
    >>> prefix_problem("../locales")
    "prefix '../locales' is not a folder inside the site"
    """
    return None if _PREFIX.fullmatch(prefix) else f"prefix {prefix!r} is not a folder inside the site"


class _Prefix(c.Type[str]):
    """A language's ``prefix``: refused (so nothing is built) unless it is a folder inside the site."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        prefix = super().run_validation(value)
        why = prefix_problem(prefix)
        if why:
            raise ValidationError(f"{why}: {PREFIX_HINT}")
        return prefix


@functools.lru_cache(maxsize=256)  # every protocol page asks; Babel's lookup costs a third of a millisecond
def language_name(locale: str, in_locale: str) -> str:
    """A language's name (with its script, not its country) as written in another language.

    >>> language_name("zh_CN", "en"), language_name("zh_Hant", "zh_CN")
    ('Chinese (Simplified)', '中文 (繁体)')
    """
    parsed = babel.Locale.parse(locale)
    page = babel.Locale.parse("en" if in_locale == "en" else in_locale)
    return babel.Locale(parsed.language, script=parsed.script).get_display_name(page) or locale


class LanguageConfig(base.Config):
    locale = c.Type(str)                 # catalog locale; the first language is the English source
    name = c.Type(str)                   # shown in the language menu, in its own language
    lang = c.Type(str, default="en")     # BCP 47 for hreflang / lang attributes
    theme_language = c.Type(str, default="en")
    prefix = _Prefix()                   # sub-folder of the site, "" for the main language
    docs_dir = c.Optional(c.Type(str))
    search_lang = c.ListOfItems(c.Type(str), default=["en"])
    jurisdiction = c.Type(str, default="")  # whose medication variants this language's pages show first (CN)


class CareBridgeConfig(base.Config):
    protocols_dir = c.Type(str, default="protocols")
    locales_dir = c.Type(str, default="locales")
    schema = c.Type(str, default="")  # the project's own schema; "" uses the one shipped in the package
    languages = c.ListOfItems(c.SubConfig(LanguageConfig), default=[])
    build_language = c.Type(str, default="")  # set by the main build for each nested build
    offline = c.Type(bool, default=False)     # a bundle that works from disk (file://), search included
    only = c.ListOfItems(c.Type(str), default=[])  # preview just these protocols (ids or specialty/id globs)
    sources_max_age_days = c.Type(int, default=365)  # `carebridge sources` warns about older checks
    strict_review = c.Type(bool, default=False)  # warn (so --strict fails) on an approved protocol not reviewed in a language
    edition = c.Type(str, default="")  # build this hospital edition (editions/<id>.yaml) instead of the base site
    editions = c.ListOfItems(c.Type(str), default=[])  # the editions the base site lists and builds after itself
    nested = c.Type(bool, default=False)  # set for an edition's first language: the base build starts its others


def language_problems(config_file: Path, display: str) -> list[Problem]:
    """Each language of mkdocs.yml's carebridge plugin whose prefix is no folder inside the site,
    at its line in mkdocs.yml (MkDocs says only which option is wrong)."""
    try:  # composing resolves no tags, so mkdocs.yml's !ENV and !!python/name read as text here
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # MkDocs reports an unreadable config itself
    problems = []
    for index, language in enumerate(_languages(root)):
        prefix = _get(language, "prefix")
        why = prefix_problem(prefix.value) if isinstance(prefix, yaml.ScalarNode) else None
        if prefix is not None and why:
            problems.append(error(display, prefix.start_mark.line + 1, prefix.start_mark.column + 1, why,
                                  path=f"plugins.carebridge.languages[{index}].prefix", hint=PREFIX_HINT, code="config"))
    return problems


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return next((v for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _languages(root: yaml.Node | None) -> list[yaml.Node]:
    plugins = _get(root, "plugins")
    for entry in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        languages = _get(_get(entry, "carebridge"), "languages")
        if isinstance(languages, yaml.SequenceNode):
            return list(languages.value)
    return []
