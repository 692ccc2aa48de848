"""What a build copies into the site as it is, or reads its pages from: every file of each docs
folder (the site's and each language's ``docs_dir``) and of the theme's ``custom_dir`` and
``overrides/``. Those folders must be the project's own, and so must every file in them: a link
among them that leads out of the project publishes whatever it points at (a key in a home folder,
``/etc/passwd``) on a site whose build and checks passed.

``configcheck`` reports these with mkdocs.yml's other problems, so ``validate`` and the build
refuse them alike.
"""

from __future__ import annotations

import os

import yaml

from ..problems import Problem, error

HINT_OUTSIDE = ("copy the file into the project, where it is reviewed and versioned with the site; the build "
                "publishes what a link points at")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def published_problems(places: list[tuple[str, yaml.ScalarNode | None, str]], root: str,
                       display: str) -> list[Problem]:
    """``places``: (option path, its node in mkdocs.yml or None, the folder it names or its default).
    A folder outside the project is reported at its line; a link in a folder that leads out of the
    project, at the link."""
    real_root = os.path.realpath(root)
    problems: list[Problem] = []
    seen: set[str] = set()
    for path, node, value in places:
        folder = os.path.abspath(os.path.join(root, value))
        real = os.path.realpath(folder)
        line, col = (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (None, None)
        if not _inside(folder, root) or not _inside(real, real_root):
            where = f"'{value}'" if real == folder else f"'{value}' (a link to {real})"
            problems.append(error(display, line, col, f"{path.rsplit('.', 1)[-1]} {where} is not a folder inside the "
                                  "project: the build publishes its files", path=path, code="config",
                                  hint="keep the site's pages and theme files in folders of the project, such as "
                                       "docs/en and overrides"))
            continue
        if real in seen or not os.path.isdir(real):
            continue
        seen.add(real)
        problems += _links_out(folder, root, real_root)
    return problems


def _links_out(folder: str, root: str, real_root: str) -> list[Problem]:
    problems = []
    for where, folders, names in os.walk(folder):  # links are not followed: each is judged where it is
        for name in sorted(folders + names):
            link = os.path.join(where, name)
            if not os.path.islink(link):
                continue
            real = os.path.realpath(link)
            if not _inside(real, real_root):
                problems.append(error(os.path.relpath(link, root), None, None,
                                      f"links to {real}, outside the project: the build would publish it",
                                      code="symlink", hint=HINT_OUTSIDE))
    return problems
