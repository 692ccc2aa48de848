"""The package's layout as rules: data flows one way through the stage folders, and modules meet
only through public names (README, "Layout"). Each rule reads the source's syntax tree, imports
inside functions included, and each is shown to catch a made-up violation."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "carebridge"
# The pipeline's order: a module may import from its own stage or an earlier one, never a later one.
STAGES = {"": 0, "source": 1, "safety": 2, "i18n": 3, "site": 4, "workflow": 4, "cli": 5}
ENTRY_POINTS = {"__main__.py"}  # `python -m carebridge` starts the command line, the last stage


def _modules() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> str:
    return module.split("/")[0] if "/" in module else ""


def _target(module: str, node: ast.ImportFrom) -> str | None:
    """The package-relative module an import names ("safety/numerals"), None outside the package."""
    if node.level == 0:
        if not (node.module or "").startswith("carebridge"):
            return None
        parts = (node.module or "").split(".")[1:]
    else:
        here = module.split("/")[:-1]
        base = here[: len(here) - (node.level - 1)]
        parts = base + [p for p in (node.module or "").split(".") if p]
    return "/".join(parts)


def _imports(modules: dict[str, ast.Module]) -> list[tuple[str, int, str, list[str]]]:
    found = []
    for module, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _target(module, node)
                if target is not None:
                    found.append((module, node.lineno, target, [alias.name for alias in node.names]))
    return found


def stage_violations(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for module, line, target, names in _imports(modules):
        if module in ENTRY_POINTS:
            continue
        # `from . import polarity` inside safety/ names a module of the same folder
        first = target.split("/")[0] if target else (names[0] if names else "")
        stage = first if first in STAGES else ""
        if STAGES[stage] > STAGES[_stage(module)]:
            out.append(f"{module}:{line} imports {target or names} from a later stage ({stage})")
    return out


def private_violations(modules: dict[str, ast.Module]) -> list[str]:
    out = []
    for module, line, target, names in _imports(modules):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        if private:
            out.append(f"{module}:{line} imports {', '.join(private)} from {target}")
    return out


def reexport_violations(modules: dict[str, ast.Module]) -> list[str]:
    """A name in ``__all__`` that the module only imports: a second address for someone else's name."""
    out = []
    for module, tree in modules.items():
        if module.endswith("__init__.py"):
            continue  # a package's front door names what its modules define
        defined: set[str] = set()
        submodules: set[str] = set()
        exported: list[str] = []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        defined.add(target.id)
                        if target.id == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                            exported = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
            elif isinstance(node, ast.ImportFrom) and node.level and node.module is None:
                submodules |= {alias.asname or alias.name for alias in node.names}  # from . import x
        out += [f"{module}: __all__ names {name}, defined elsewhere" for name in exported
                if name not in defined and name not in submodules]
    return out


def test_no_module_imports_from_a_later_stage() -> None:
    assert stage_violations(_modules()) == []


def test_no_module_imports_another_modules_private_names() -> None:
    assert private_violations(_modules()) == []


def test_no_module_re_exports_names_it_does_not_define() -> None:
    assert reexport_violations(_modules()) == []


@pytest.mark.parametrize(("module", "source", "rule"), [
    ("source/loader.py", "from ..site.render import render_protocol\n", stage_violations),
    ("safety/numerals.py", "def f():\n    from ..i18n.catalog import merge\n", stage_violations),
    ("i18n/catalog.py", "from carebridge.cli.app import main\n", stage_violations),
    ("safety/quantities.py", "from .numerals import _mask\n", private_violations),
    ("site/render.py", "from carebridge.safety.numerals import WHOLE, _spaced\n", private_violations),
    ("safety/quantities.py", "from .numerals import normalise\n__all__ = ['normalise']\n", reexport_violations),
])
def test_each_rule_catches_a_violation(module: str, source: str, rule) -> None:
    assert rule({module: ast.parse(source)})


@pytest.mark.parametrize(("module", "source", "rule"), [
    ("site/render.py", "from ..safety.numerals import normalise\nfrom ..problems import error\n", stage_violations),
    ("cli/app.py", "from ..site.plugin import CareBridgePlugin\n", stage_violations),
    ("safety/meaning.py", "from . import polarity\n__all__ = ['polarity', 'f']\ndef f(): pass\n",
     reexport_violations),
    ("safety/quantities.py", "import re\nfrom .numerals import __doc__ as d\n", private_violations),
])
def test_what_each_rule_allows(module: str, source: str, rule) -> None:
    assert rule({module: ast.parse(source)}) == []
