"""The project layout (where protocols, catalogs and the schema live) and loading all protocols."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .loader import Document, load_file
from .model import Protocol, build_protocol
from .problems import Problem, error
from .schema import DEFAULT_SCHEMA
from .validate import validate_document

SITE_DOMAIN = "site"


@dataclass(frozen=True)
class Project:
    """Paths of one CareBridge library; everything else derives from the root."""

    root: Path
    protocols_dir: Path
    locales_dir: Path
    schema_path: Path = DEFAULT_SCHEMA

    @classmethod
    def at(cls, root: Path | str, protocols: str = "protocols", locales: str = "locales",
           schema: str = "schema/protocol.schema.json") -> Project:
        base = Path(root).resolve()
        schema_path = base / schema
        return cls(base, base / protocols, base / locales, schema_path if schema_path.exists() else DEFAULT_SCHEMA)

    @property
    def templates_dir(self) -> Path:
        return self.locales_dir / "templates"

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def template_path(self, domain: str) -> Path:
        return self.templates_dir / f"{domain}.pot"

    def catalog_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def glossary_path(self, locale: str) -> Path:
        return self.locales_dir / locale / "glossary.yaml"

    def locales(self) -> list[str]:
        if not self.locales_dir.is_dir():
            return []
        return sorted(p.name for p in self.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir())

    def protocol_files(self, paths: list[Path] | None = None) -> tuple[list[Path], list[Problem]]:
        """Protocol files under ``paths`` (files or folders), default all of ``protocols/``."""
        problems: list[Problem] = []
        found: list[Path] = []
        for target in paths or [self.protocols_dir]:
            if target.is_dir():
                found.extend(target.rglob("*.yaml"))
                for stray in target.rglob("*.yml"):
                    problems.append(error(self.rel(stray), None, None, "protocol files must end in .yaml",
                                          hint=f"rename to {stray.stem}.yaml", code="file-name"))
            elif target.is_file():
                found.append(target)
            else:
                problems.append(error(str(target), None, None, "no such file or folder", code="io",
                                      hint="give a protocol file or a folder of them"))
        return sorted(set(p.resolve() for p in found)), problems


@dataclass(frozen=True)
class Loaded:
    protocol: Protocol
    document: Document


def load_protocol(project: Project, path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Load and validate one protocol file."""
    display = project.rel(path)
    doc, problems = load_file(path, display)
    if doc is None:
        return None, problems
    in_tree = path.resolve().parent.parent == project.protocols_dir.resolve()
    problems += validate_document(doc, expected_id=path.stem, specialty_dir=path.parent.name if in_tree else None,
                                  schema_path=project.schema_path)
    if problems:
        return None, problems
    return Loaded(build_protocol(doc.data, display), doc), []


def load_library(project: Project, paths: list[Path] | None = None) -> tuple[list[Loaded], list[Problem]]:
    """Every protocol under ``paths``, sorted by id; problems of all files together."""
    files, problems = project.protocol_files(paths)
    loaded: list[Loaded] = []
    seen: dict[str, str] = {}
    for path in files:
        item, found = load_protocol(project, path)
        problems.extend(found)
        if item is None:
            continue
        if item.protocol.id in seen:
            problems.append(error(item.protocol.file, 1, 1, f"protocol id '{item.protocol.id}' is also used by {seen[item.protocol.id]}",
                                  hint="ids are unique across the library; rename one file and its id", code="duplicate-id"))
            continue
        seen[item.protocol.id] = item.protocol.file
        loaded.append(item)
    return sorted(loaded, key=lambda item: item.protocol.id), problems
