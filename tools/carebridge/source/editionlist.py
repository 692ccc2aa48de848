"""The ``editions:`` list of mkdocs.yml's carebridge plugin, checked against the files in editions/."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from ..problems import Problem, error
from .edition import EDITIONS_DIR, edition_files
from .library import Project
from .schema import is_slug


def listed_problems(project: Project, config_file: Path) -> list[Problem]:
    """The ``editions:`` of mkdocs.yml's carebridge plugin: each one listed once, each with its file.

    Reported at the entry in mkdocs.yml, where the mistake is (the plugin would only say that
    ``editions/<id>.yaml`` is missing, and would list and build a repeated one twice).
    """
    try:  # composing resolves no tags, so mkdocs.yml's !ENV and !!python/name read as text here
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # MkDocs reports an unreadable config itself
    listed, shape = _listed_nodes(root)
    display = project.rel(config_file)
    if shape is not None:  # `editions: qingshan-county`, a text: read as no edition at all
        return [error(display, shape.start_mark.line + 1, shape.start_mark.column + 1,
                      "editions must be a list of edition ids", path="plugins.carebridge.editions",
                      code="edition-listed", hint="write `editions: [qingshan-county]`")]
    known = {p.stem for p in edition_files(project)}
    seen: set[str] = set()
    problems: list[Problem] = []
    for node in listed:
        where = (display, node.start_mark.line + 1, node.start_mark.column + 1)
        if node.value in seen:
            problems.append(error(*where, f"edition '{node.value}' is listed twice", path="plugins.carebridge.editions",
                                  hint="remove the second entry", code="edition-listed"))
        elif not is_slug(node.value):  # `../../etc/passwd` is no file to add
            problems.append(error(*where, f"'{node.value}' is not an edition id", path="plugins.carebridge.editions",
                                  code="edition-listed",
                                  hint="an edition id is the name of its file in editions/ without .yaml: lowercase "
                                       "letters, digits and hyphens (e.g. qingshan-county); editions: "
                                       f"{', '.join(sorted(known)) or 'none yet'}"))
        elif node.value not in known:
            close = difflib.get_close_matches(node.value, sorted(known), n=1)
            problems.append(error(*where, f"no edition '{node.value}' ({EDITIONS_DIR}/{node.value}.yaml)",
                                  path="plugins.carebridge.editions", code="edition-listed",
                                  hint=f"did you mean '{close[0]}'?" if close else
                                  f"add {EDITIONS_DIR}/{node.value}.yaml or remove it from the list"))
        seen.add(node.value)
    return problems


def _listed_nodes(root: yaml.Node | None) -> tuple[list[yaml.ScalarNode], yaml.Node | None]:
    """The entries of ``editions:``, and the node itself when it is something other than a list."""
    def get(node: yaml.Node | None, key: str) -> yaml.Node | None:
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        return next((v for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == key), None)

    plugins = get(root, "plugins")
    for entry in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        editions = get(get(entry, "carebridge"), "editions")
        if editions is not None and editions.tag.startswith("!"):  # !ENV [EDITIONS, []]: MkDocs' to read
            return [], None
        if isinstance(editions, yaml.SequenceNode):
            return [n for n in editions.value if isinstance(n, yaml.ScalarNode)], None
        empty = isinstance(editions, yaml.ScalarNode) and editions.value in ("", "~", "null", "Null", "NULL")
        if editions is not None and not empty:
            return [], editions
    return [], None
