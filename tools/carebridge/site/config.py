"""The plugin's configuration (``plugins: - carebridge:`` in mkdocs.yml), typed as MkDocs wants.

Languages come from here alone: the first is the English source, each other one builds into its
own ``prefix``.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from pathlib import Path
from typing import Any

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
# Material prints a language's name, lang and theme language into pages as they are (its templates
# do not escape), and names a template file after the theme language; the locale names a folder.
_LANGUAGE_FIELDS: dict[str, tuple[re.Pattern[str], str, str]] = {
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
    pattern, what, hint = _LANGUAGE_FIELDS[field]
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


def _compose_ok(config_file: Path) -> bool:
    """Whether mkdocs.yml reads as YAML at all (an empty file does)."""
    try:
        yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return True


def _compose(config_file: Path) -> yaml.Node | None:
    try:  # composing resolves no tags, so mkdocs.yml's !ENV and !!python/name read as text here
        return yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # MkDocs reports an unreadable config itself


# The plugin's folders, which the commands write into: extract, init and update write catalogs and
# templates under locales_dir, new and bump write protocols under protocols_dir.
_FOLDERS = {"protocols_dir": "protocols", "locales_dir": "locales"}


def folder_problems(config_file: Path, display: str) -> list[Problem]:
    """The plugin's protocols_dir and locales_dir that are no folder inside the project (the folder
    holding mkdocs.yml), at their line: ``../../shared`` or ``/tmp/x`` had catalogs written there."""
    return _folder_problems(_compose(config_file), os.path.abspath(config_file.parent), display)


def _folder_problems(config: yaml.Node | None, root: str, display: str) -> list[Problem]:
    plugin = _plugin(config)
    problems = []
    for field, default in _FOLDERS.items():
        node = _get(plugin, field)
        if not isinstance(node, yaml.ScalarNode) or not node.value:
            continue
        target = os.path.abspath(os.path.join(root, node.value))
        if target != root and not target.startswith(root.rstrip(os.sep) + os.sep):
            problems.append(error(display, node.start_mark.line + 1, node.start_mark.column + 1,
                                  f"{field} '{node.value}' is not a folder inside the project",
                                  path=f"plugins.carebridge.{field}", code="config",
                                  hint=f"write a folder of the project, relative to mkdocs.yml, such as {default}"))
    return problems


def _site_dir_problems(config: yaml.Node, root: Path, display: str) -> list[Problem]:
    """A ``site_dir`` the build would refuse (``output.check_site_dir``: the project, its protocols,
    catalogs, docs or overrides, a file, a folder of other files), at its line: ``validate`` says
    so before a build is tried."""
    from ..source.schema import DEFAULT_SCHEMA
    from .output import check_site_dir, source_paths

    pairs = config.value if isinstance(config, yaml.MappingNode) else []
    key, node = next(((k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == "site_dir"),
                     (None, None))
    if key is None or not isinstance(node, yaml.ScalarNode) or not node.value:
        return []

    def folder(options: yaml.Node | None, field: str, default: str) -> Path:
        value = _get(options, field)
        return root / (value.value if isinstance(value, yaml.ScalarNode) and value.value else default)

    plugin = _plugin(config)
    schema = _get(plugin, "schema")
    custom = _get(_get(config, "theme"), "custom_dir")
    sources = source_paths(
        root, folder(plugin, "protocols_dir", "protocols"), folder(plugin, "locales_dir", "locales"),
        root / schema.value if isinstance(schema, yaml.ScalarNode) and schema.value else DEFAULT_SCHEMA,
        [folder(config, "docs_dir", "docs")] + [folder(language, "docs_dir", "docs") for language in _languages(config)
                                                if _get(language, "docs_dir") is not None],
        [root / custom.value] if isinstance(custom, yaml.ScalarNode) and custom.value else [])
    # at the key, as the build reports it (``cli.site``)
    return [error(display, key.start_mark.line + 1, key.start_mark.column + 1, problem.message, path="site_dir",
                  hint=problem.hint, code="config")
            for problem in check_site_dir(root / node.value, root, sources, display)]


def _page_option_problems(config: yaml.Node | None, display: str) -> list[Problem]:
    """The options every page shows or loads (``option_problem``) at their line in mkdocs.yml."""
    problems = []
    for path, option in _page_options(config):
        problem = option_problem(path.split("[")[0].removeprefix("theme."), option.value)
        if problem:
            problems.append(error(display, option.start_mark.line + 1, option.start_mark.column + 1, problem[0],
                                  path=path, hint=problem[1], code="config"))
    return problems


def build_refusals(config_file: Path, site_name: str) -> list[str]:
    """What ``mkdocs build`` refuses in mkdocs.yml: the problems carebridge's own commands report
    at their line (``config_problems``), and a site name with markup once MkDocs has resolved it
    (``!ENV`` reads it from the environment)."""
    refusals = [str(problem) for problem in config_problems(config_file, "mkdocs.yml")]
    why = site_name_problem(site_name)
    return refusals + [f"mkdocs.yml: {why} ({SITE_NAME_HINT})"] if why else refusals


def config_problems(config_file: Path, display: str) -> list[Problem]:
    """The site's name and each option of a language of mkdocs.yml's carebridge plugin that the build
    cannot use safely (``site_name_problem``, ``language_problem``), and its folders
    (``folder_problems``), at their line in mkdocs.yml (MkDocs says only which option is wrong)."""
    root = _compose(config_file)
    if root is None:  # unreadable (MkDocs says where), or read and empty: nothing but comments
        return [error(display, 1, 1, "mkdocs.yml holds no settings", code="config", path="",
                      hint="start it with `site_name: …`; `carebridge new` and the README show one")
                ] if _compose_ok(config_file) else []
    expanded = _expansion(root)
    if expanded is not None:  # MkDocs would build the whole expansion: a build that never ends
        return [error(display, expanded.start_mark.line + 1, expanded.start_mark.column + 1,
                      f"mkdocs.yml's aliases expand to more than {MAX_CONFIG_VALUES:,} values", code="config",
                      hint="write the values out in full; anchors (&) and aliases (*) repeat one value many times")]
    shape = _shape_problems(root, display)
    if not isinstance(root, yaml.MappingNode):
        return shape
    problems = shape + _folder_problems(root, os.path.abspath(config_file.parent), display)
    problems += _site_dir_problems(root, Path(os.path.abspath(config_file.parent)), display)
    name = _get(root, "site_name")
    why = site_name_problem(name.value) if isinstance(name, yaml.ScalarNode) else None
    if name is not None and why:
        problems.append(error(display, name.start_mark.line + 1, name.start_mark.column + 1, why, path="site_name",
                              hint=SITE_NAME_HINT, code="config"))
    problems += _page_option_problems(root, display)
    for index, language in enumerate(_languages(root)):
        for field in _LANGUAGE_FIELDS:
            node = _get(language, field)
            problem = language_problem(field, node.value) if isinstance(node, yaml.ScalarNode) else None
            if node is not None and problem:
                problems.append(error(display, node.start_mark.line + 1, node.start_mark.column + 1, problem[0],
                                      path=f"plugins.carebridge.languages[{index}].{field}", hint=problem[1],
                                      code="config"))
    return problems


def _shape_problems(root: yaml.Node, display: str) -> list[Problem]:
    """What MkDocs would stop on without saying where (no site_name, plugins not a list) and what
    it would only warn about while the plugin goes on without it (an option's name mistyped:
    ``edtions:`` builds no hospital edition), at its line."""
    def at(node: yaml.Node, message: str, hint: str, path: str) -> Problem:
        return error(display, node.start_mark.line + 1, node.start_mark.column + 1, message, path=path, hint=hint,
                     code="config")

    example = "`carebridge new` and the README show a working mkdocs.yml"
    if not isinstance(root, yaml.MappingNode):
        return [at(root, "mkdocs.yml is not a mapping of settings", f"start it with `site_name: …`; {example}", "")]
    problems = [] if _get(root, "site_name") is not None else [
        error(display, 1, 1, "mkdocs.yml has no site_name, which MkDocs requires", path="site_name", code="config",
              hint="add `site_name: <the library's name>`")]
    plugins = _get(root, "plugins")
    if plugins is not None and not isinstance(plugins, yaml.SequenceNode) and not _null(plugins):
        problems.append(at(plugins, "plugins must be a list", f"write one plugin a line (`- search`); {example}",
                           "plugins"))
    options = _plugin(root)
    if options is not None and not isinstance(options, yaml.MappingNode) and not _null(options):
        problems.append(at(options, "the carebridge plugin's options must be a mapping", example, "plugins.carebridge"))
    languages = _get(options, "languages")
    if languages is not None and not isinstance(languages, yaml.SequenceNode) and not _null(languages):
        problems.append(at(languages, "languages must be a list of languages", example, "plugins.carebridge.languages"))
    schemes: list[tuple[type[base.Config], str, yaml.Node | None]] = [(CareBridgeConfig, "plugins.carebridge", options)]
    schemes += [(LanguageConfig, f"plugins.carebridge.languages[{i}]", node) for i, node in enumerate(_languages(root))]
    for scheme, path, node in schemes:
        known = [name for name, _ in scheme._schema]
        for key, _value in node.value if isinstance(node, yaml.MappingNode) else []:
            if isinstance(key, yaml.ScalarNode) and key.value not in known:
                near = difflib.get_close_matches(key.value, known, n=1)
                problems.append(at(key, f"unknown option '{key.value}' of the carebridge plugin",
                                   f"did you mean `{near[0]}`?" if near else f"the options are {', '.join(known)}", path))
    return problems


def _null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


MAX_CONFIG_VALUES = 100_000  # a real mkdocs.yml has some hundred; aliases nested ten deep make billions


def _expansion(root: yaml.Node) -> yaml.Node | None:
    """The alias at which ``root``, with every alias written out, passes ``MAX_CONFIG_VALUES``
    values, or None. Counted on the composed nodes, so nothing is expanded to count it."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = MAX_CONFIG_VALUES + 1  # a node inside itself repeats without end
        sizes[id(node)] = min(1 + sum(size(child) for child in _children(node)), MAX_CONFIG_VALUES + 1)
        return sizes[id(node)]

    if size(root) <= MAX_CONFIG_VALUES:
        return None
    stack = [root]  # report the first node that alone is too large, at its line
    while stack:
        node = stack.pop()
        big = [child for child in _children(node) if sizes.get(id(child), 0) > MAX_CONFIG_VALUES]
        if not big:
            return node
        stack.append(big[0])
    return root


def _children(node: yaml.Node) -> list[yaml.Node]:
    """A mapping's keys and values, a sequence's items; a scalar has none."""
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return next((v for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _plugin(root: yaml.Node | None) -> yaml.Node | None:
    """The carebridge plugin's options in mkdocs.yml."""
    plugins = _get(root, "plugins")
    for entry in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        options = _get(entry, "carebridge")
        if options is not None:
            return options
    return None


def _languages(root: yaml.Node | None) -> list[yaml.Node]:
    languages = _get(_plugin(root), "languages")
    return list(languages.value) if isinstance(languages, yaml.SequenceNode) else []


def _page_options(root: yaml.Node | None) -> list[tuple[str, yaml.ScalarNode]]:
    """The options ``option_problem`` judges, as written: (path, node)."""
    found: list[tuple[str, yaml.ScalarNode]] = []
    for key in ("site_url", "copyright"):
        value = _get(root, key)
        if isinstance(value, yaml.ScalarNode):
            found.append((key, value))
    for key in ("extra_javascript", "extra_css"):
        entries = _get(root, key)
        for index, entry in enumerate(entries.value if isinstance(entries, yaml.SequenceNode) else []):
            node = _get(entry, "path") if isinstance(entry, yaml.MappingNode) else entry
            if isinstance(node, yaml.ScalarNode):
                found.append((f"{key}[{index}]", node))
    theme = _get(root, "theme")
    for key in ("logo", "favicon"):
        value = _get(theme, key)
        if isinstance(value, yaml.ScalarNode):
            found.append((f"theme.{key}", value))
    return found
