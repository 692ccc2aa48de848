"""The plugin's configuration (``plugins: - carebridge:`` in mkdocs.yml), typed as MkDocs wants.

Languages come from here alone: the first is the English source, each other one builds into its
own ``prefix``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import babel
import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError

# A language's folder inside the site: names joined by "/", never "..", never from the root. The
# build writes (and first empties) site/<prefix>/: "../locales" emptied the project's catalogs.
_PREFIX = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*/?)?")
PREFIX_HINT = "write a folder name inside the site, such as zh or zh-hant (\"\" for the English source)"
# Material prints a language's name, lang and theme language into pages as they are (its templates
# do not escape), and names a template file after the theme language; the locale names a folder.
LANGUAGE_FIELDS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "prefix": (_PREFIX, "a folder inside the site", PREFIX_HINT),
    "locale": (re.compile(r"[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,8})*"), "a gettext locale",
               "write a locale such as zh_CN or zh_Hant (the folder name under locales/)"),
    "lang": (re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"), "a BCP 47 language tag",
             "write a language tag such as zh-Hans or zh-Hant"),
    "theme_language": (re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{1,8})*"), "one of Material's languages",
                       "write Material's language code, such as zh or zh-Hant"),
    "name": (re.compile(r'[^<>"&\x00-\x1f]+'), "plain text",
             'write the language\'s name in its own language, such as 简体中文, without < > " or &'),
}


# Material prints the site's name into every page as it is (the header, aria-label="…"): plain text only.
_SITE_NAME_MARKUP = re.compile(r'[<>"]')
SITE_NAME_HINT = 'write the site\'s name as plain text, without < > or "'


def site_name_problem(name: str) -> str | None:
    """Why mkdocs.yml's ``site_name`` cannot go into pages, or None.

    >>> site_name_problem("CareBridge"), site_name_problem("Care<img src=x>")
    (None, "site_name 'Care<img src=x>' holds markup, which every page would show as it is")
    """
    return f"site_name {name!r} holds markup, which every page would show as it is" if _SITE_NAME_MARKUP.search(name) \
        else None


# Options Material writes into every page as they are, and what each may hold: no markup, no other server.
_EXTERNAL = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//|\\\\)")  # a scheme, //host or \\host
_SITE_URL_BAD = re.compile(r"[\s\"'<>`\\]")


def option_problem(option: str, value: str) -> tuple[str, str] | None:
    """Why mkdocs.yml's ``option`` cannot be ``value`` (and what to write), or None. ``site_url``
    goes into every page's hreflang and canonical links, ``copyright`` into every footer as HTML,
    and ``extra_javascript``, ``extra_css``, ``theme.logo`` and ``theme.favicon`` are loaded by
    every page: from another server they would be third-party requests (and none reach China's wards).

    >>> option_problem("site_url", "https://carebridge.example/"), option_problem("extra_css", "assets/x.css")
    (None, None)
    >>> option_problem("extra_javascript", "//cdn.example/x.js")[0]
    "extra_javascript '//cdn.example/x.js' is loaded from another server"
    >>> print(option_problem("site_url", 'https://x/"><script>')[0])
    site_url 'https://x/"><script>' is not a plain address
    """
    if option == "site_url":
        return (f"site_url {value!r} is not a plain address", "write the site's address, such as "
                "https://carebridge.example/, without spaces, quotes or < >") if _SITE_URL_BAD.search(value) else None
    if option == "copyright":
        return (f"copyright {value!r} holds markup, which every page would show as it is",
                "write the copyright line as plain text, without < or >") if "<" in value or ">" in value else None
    return (f"{option} {value!r} is loaded from another server", "copy the file into the project (docs/ or "
            "overrides/) and name it by its path there: the site makes no third-party requests") \
        if _EXTERNAL.match(value) else None


def language_problem(field: str, value: str) -> tuple[str, str] | None:
    """Why a language's ``field`` cannot be ``value`` (and what to write), or None.

    >>> [language_problem("prefix", p) for p in ("", "zh", "zh-hant/", "lang/zh")]
    [None, None, None, None]
    >>> language_problem("prefix", "../locales")[0]
    "prefix '../locales' is not a folder inside the site"
    >>> [bool(language_problem(f, v)) for f, v in (("lang", 'zh" onfocus="x'), ("locale", "zz"), ("name", "简体中文"))]
    [True, True, False]
    """
    pattern, what, hint = LANGUAGE_FIELDS[field]
    ok = bool(pattern.fullmatch(value))
    if ok and field == "locale":
        try:
            babel.Locale.parse(value)
        except (ValueError, babel.UnknownLocaleError):
            ok = False
    return None if ok else (f"{field} {value!r} is not {what}", hint)


class _LanguageField(c.Type[str]):
    """A language option that becomes a path or page markup: refused (so nothing is built) unless it
    has the shape its use needs."""

    def __init__(self, field: str, default: str | None = None) -> None:
        super().__init__(str, default=default)
        self.field = field

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        problem = language_problem(self.field, text)
        if problem:
            raise ValidationError(f"{problem[0]}: {problem[1]}")
        return text


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
    locale = _LanguageField("locale")  # catalog locale; the first language is the English source
    name = _LanguageField("name")      # shown in the language menu, in its own language
    lang = _LanguageField("lang", default="en")  # BCP 47 for hreflang / lang attributes
    theme_language = _LanguageField("theme_language", default="en")
    prefix = _LanguageField("prefix", default="")  # sub-folder of the site, "" for the main language
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
    previous_site = c.Type(str, default="")  # set by `build`: the site this one replaces (search files linked from it)
    shared_site = c.Type(str, default="")  # set for an edition: the base site in its language, built in the same build


def read_config(config_file: str | Path) -> dict[str, Any]:
    """mkdocs.yml as written, read safely: ``!ENV`` works as in MkDocs, a Python tag
    (``!!python/name:…``, ``!!python/object/apply:…``) is kept as its text and never run.
    MkDocs' own loader runs such tags (extension options need them at build time), but
    ``validate``, ``i18n`` and the pre-commit hooks run on files from pull requests."""
    from mkdocs.utils.yaml import yaml_load

    with open(config_file, encoding="utf-8") as handle:
        raw: dict[str, Any] = yaml_load(handle, loader=_safe_loader()) or {}
    return raw


@functools.cache
def _safe_loader() -> type[Any]:
    from mkdocs.utils.yaml import get_yaml_loader

    loader: type[Any] = get_yaml_loader(loader=yaml.SafeLoader)

    def as_text(tag: str) -> Any:
        return lambda _loader, suffix, _node: f"{tag}{suffix}"

    def plain(_loader: Any, _suffix: str, node: Any) -> Any:  # !relative and other local tags: their value
        if isinstance(node, yaml.MappingNode):
            return _loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return _loader.construct_sequence(node, deep=True)
        return _loader.construct_scalar(node)

    loader.add_multi_constructor("tag:yaml.org,2002:python/", as_text("!!python/"))
    loader.add_multi_constructor("!", plain)
    return loader


def carebridge_options(raw: dict[str, Any]) -> dict[str, Any]:
    """The ``carebridge`` plugin's options as written in mkdocs.yml ({} when it has none)."""
    for entry in raw.get("plugins", []) or []:
        if isinstance(entry, dict) and "carebridge" in entry:
            return dict(entry["carebridge"] or {})
    return {}


def plugin_entries(raw: dict[str, Any], *, offline: bool = False,
                   **carebridge: Any) -> list[dict[str, dict[str, Any]]]:
    """The config's plugins as ``[{name: options}]`` with carebridge's options updated, and
    Material's offline plugin added last for an offline bundle: what ``load_config(plugins=...)`` takes."""
    entries: list[dict[str, dict[str, Any]]] = []
    for entry in raw.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        options = {} if isinstance(entry, str) else dict(entry[name] or {})
        if name == "carebridge":
            options.update(carebridge, offline=offline)
        entries.append({name: options})
    if offline and not any("offline" in next(iter(e)) for e in entries):
        entries.append({"offline": {}})
    return entries
