"""The plugin's configuration (``plugins: - carebridge:`` in mkdocs.yml), typed as MkDocs wants.

Languages come from here alone: the first is the English source, each other one builds into its
own ``prefix``.
"""

from __future__ import annotations

import functools

import babel
from mkdocs.config import base
from mkdocs.config import config_options as c


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
    prefix = c.Type(str, default="")     # sub-folder of the site, "" for the main language
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
