"""mkdocs.yml read as YAML nodes, for what the build cannot use safely, each at its line.

MkDocs says which option is wrong, not where; the commands (``validate``, ``build``'s preflight,
the plugin's own refusals) report each problem at the line and column of mkdocs.yml that holds it:
its shape, its folders (``protocols_dir``, ``locales_dir``, ``site_dir``), the site's name, the
options every page shows and each language's options (``config`` says what a value may be).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import yaml
from mkdocs.config import base

from ..problems import Problem, error
from .config import (
    LANGUAGE_FIELDS,
    SITE_NAME_HINT,
    CareBridgeConfig,
    LanguageConfig,
    language_problem,
    option_problem,
    site_name_problem,
)
from .published import published_problems


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


def _docs_dir_problems(config: yaml.Node, root: str, display: str) -> list[Problem]:
    """A docs folder (the site's or a language's ``docs_dir``) that is the project or holds or lies in its
    sources: MkDocs copies every file of it into the site, so ``docs_dir: protocols`` would publish the raw
    YAML (unreviewed drafts, authors' comments) and ``docs_dir: .`` the catalogs and the git history."""
    plugin = _plugin(config)
    sources = {field: os.path.abspath(os.path.join(root, node.value if isinstance(node := _get(plugin, field),
                                                                                   yaml.ScalarNode) and node.value
                                                   else default)) for field, default in _FOLDERS.items()}
    sources["editions"] = os.path.join(root, "editions")
    sources["schema"] = os.path.join(root, "schema")
    places = [("docs_dir", _get(config, "docs_dir"))]
    places += [(f"plugins.carebridge.languages[{index}].docs_dir", _get(language, "docs_dir"))
               for index, language in enumerate(_languages(config))]
    problems = []
    for path, node in places:
        if not isinstance(node, yaml.ScalarNode) or not node.value:
            continue
        docs = os.path.abspath(os.path.join(root, node.value))
        clash = "the project itself" if docs == root else next(
            (f"the {name.removesuffix('_dir')} folder" for name, folder in sources.items()
             if docs == folder or docs.startswith(folder + os.sep) or folder.startswith(docs + os.sep)), "")
        if clash:
            problems.append(error(display, node.start_mark.line + 1, node.start_mark.column + 1,
                                  f"docs_dir '{node.value}' is or holds {clash}: MkDocs would publish its files "
                                  "as they are", path=path, code="config",
                                  hint="keep the site's own pages in a folder of their own, such as docs/en"))
    return problems


def _published_places(config: yaml.Node) -> list[tuple[str, yaml.ScalarNode | None, str]]:
    """The folders a build publishes or reads pages from (``published``), with their nodes and values."""
    def place(path: str, node: yaml.Node | None, default: str) -> tuple[str, yaml.ScalarNode | None, str]:
        given = node if isinstance(node, yaml.ScalarNode) and node.value else None
        return path, given, given.value if given is not None else default

    places = [place("docs_dir", _get(config, "docs_dir"), "docs"), ("overrides", None, "overrides")]
    places += [place(f"plugins.carebridge.languages[{index}].docs_dir", node, "docs")
               for index, language in enumerate(_languages(config)) if (node := _get(language, "docs_dir")) is not None]
    custom = _get(_get(config, "theme"), "custom_dir")
    return places + ([place("theme.custom_dir", custom, "overrides")] if custom is not None else [])


def _site_dir_problems(config: yaml.Node, root: Path, display: str) -> list[Problem]:
    """A ``site_dir`` the build would refuse wherever it runs (``output.check_site_dir``: the project,
    its protocols, catalogs, docs or overrides, a file), at its line: ``validate`` says so before a
    build is tried. What the folder holds now is the build's to judge (an edition's build finds the
    base site there)."""
    from ..fsio import source_paths
    from ..source.schema import DEFAULT_SCHEMA
    from .output import check_site_dir

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
            for problem in check_site_dir(root / node.value, root, sources, display, contents=False)]


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
    problems += _docs_dir_problems(root, os.path.abspath(config_file.parent), display)
    problems += published_problems(_published_places(root), os.path.abspath(config_file.parent), display)
    name = _get(root, "site_name")
    why = site_name_problem(name.value) if isinstance(name, yaml.ScalarNode) else None
    if name is not None and why:
        problems.append(error(display, name.start_mark.line + 1, name.start_mark.column + 1, why, path="site_name",
                              hint=SITE_NAME_HINT, code="config"))
    problems += _page_option_problems(root, display)
    problems += _language_set_problems(root, Path(os.path.abspath(config_file.parent)), display)
    problems += _third_party_problems(root, display)
    for index, language in enumerate(_languages(root)):
        for field in LANGUAGE_FIELDS:
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


# The folders every site has at its top: a language built into one of them would replace it (a prefix
# "assets" took the English pages' scripts and styles away). The docs' own pages are added per project.
SITE_FOLDERS = frozenset({"assets", "search", "protocols", "editions", "schema", "drugs", "checklist", "compare",
                          "translation-status", "about", "404.html", "index.html", "sitemap.xml"})


def _language_set_problems(root: yaml.Node, project: Path, display: str) -> list[Problem]:
    """Languages that would build over each other or over the site: the same locale or prefix twice,
    a prefix inside another's (each language's build empties its folder first), or a prefix that is
    one of the site's own folders or pages."""
    problems: list[Problem] = []
    docs_dir = _get(root, "docs_dir")
    docs = [project / str(docs_dir.value if isinstance(docs_dir, yaml.ScalarNode) else "docs")]
    docs += [project / str(node.value) for language in _languages(root)
             if isinstance(node := _get(language, "docs_dir"), yaml.ScalarNode)]
    # a language's own docs folder inside the main one (docs/zh in docs/) is no page of the site
    docs_names = {folder.name for folder in docs[1:]}
    taken = set(SITE_FOLDERS) | {entry.stem if entry.suffix == ".md" else entry.name for folder in docs
                                 if folder.is_dir() for entry in folder.iterdir() if entry.name not in docs_names}
    seen: dict[str, dict[str, str]] = {"locale": {}, "prefix": {}}
    for index, language in enumerate(_languages(root)):
        for field in ("locale", "prefix"):
            node = _get(language, field)
            if node is None and field == "prefix":
                node = yaml.ScalarNode("tag:yaml.org,2002:str", "", language.start_mark, language.end_mark)
            if not isinstance(node, yaml.ScalarNode) or language_problem(field, node.value):
                continue
            value = node.value.strip("/")
            where = f"plugins.carebridge.languages[{index}].{field}"
            clash = ""
            if value in seen[field]:
                clash = f"{field} {value!r} is also {seen[field][value]}'s: the two languages would build into one place"
            elif field == "prefix" and value.split("/")[0] in taken:
                clash = (f"prefix {value!r} is a folder or page the site already has ({value.split('/')[0]}/): the "
                         "language would replace it")
            elif field == "prefix" and value:
                inner = next((other for other in seen[field] if other and (value.startswith(other + "/")
                                                                         or other.startswith(value + "/"))), "")
                if inner:
                    clash = (f"prefix {value!r} and {inner!r} lie one inside the other: building one empties the "
                             "other's folder")
            if clash:
                problems.append(error(display, node.start_mark.line + 1, node.start_mark.column + 1, clash,
                                      path=where, code="config", hint="give each language a folder of its own at "
                                      "the top of the site, such as zh or zh-hant, and each locale once"))
            seen[field].setdefault(value, f"languages[{index}]")
    return problems


def _third_party_problems(root: yaml.Node, display: str) -> list[Problem]:
    """Material's own requests to other servers: its fonts come from fonts.googleapis.com unless
    ``theme.font`` is false, and ``extra.analytics`` loads Google's tag script. Neither reaches a ward
    in China, and the site makes no third-party requests."""
    problems: list[Problem] = []
    theme = _get(root, "theme")
    name = theme if isinstance(theme, yaml.ScalarNode) else _get(theme, "name")
    if isinstance(name, yaml.ScalarNode) and name.value == "material":
        font = _get(theme, "font") if isinstance(theme, yaml.MappingNode) else None
        if not (isinstance(font, yaml.ScalarNode) and font.value.lower() == "false"):
            at = font or name
            problems.append(error(display, at.start_mark.line + 1, at.start_mark.column + 1,
                                  "Material loads its fonts from Google Fonts unless theme.font is false",
                                  path="theme.font", code="config", hint="write `font: false` under theme: the "
                                  "pages then use the system's fonts, offline and in China"))
    analytics = _get(_get(root, "extra"), "analytics")
    if analytics is not None and not _null(analytics):
        problems.append(error(display, analytics.start_mark.line + 1, analytics.start_mark.column + 1,
                              "extra.analytics loads a script from another server on every page", path="extra.analytics",
                              code="config", hint="remove extra.analytics: the site makes no third-party requests"))
    return problems


def plugin_option_at(config_file: Path, option: str) -> tuple[int | None, int | None]:
    """Where mkdocs.yml sets the carebridge plugin's ``option`` (line, column), for a message."""
    node = _get(_plugin(_compose(config_file)), option)
    return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (None, None)


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
