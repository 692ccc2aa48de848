"""Problems are data: collected across all files, then reported once by ``cli``."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field
from pathlib import Path

# What names a command-line argument rather than a file: "--site-dir", "<command line>".
_NOT_A_FILE = ("-", "<command line>")


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    >>> str(Problem(Severity.ERROR, "p.yaml", 3, 5, "steps[0].id", "bad id", code="schema"))
    'p.yaml:3:5: error: steps[0].id: bad id'
    """

    severity: Severity
    file: str
    line: int | None
    col: int | None
    path: str
    message: str
    hint: str = ""
    code: str = ""

    def location(self) -> str:
        """``file:line:col``; a problem with a whole file (missing, a folder, a bad name) is put at 1:1.

        Editors' problem matchers and CI log readers expect every line to carry a position; ruff
        writes a file it cannot read the same way, and JSON (``as_json``) says the same.

        A command-line problem is named by its option (``--only``) or ``<command line>``, no position.

        >>> Problem(Severity.ERROR, "gone.yaml", None, None, "", "no such file").location()
        'gone.yaml:1:1'
        >>> Problem(Severity.ERROR, "--only", None, None, "", "not a protocol id").location()
        '--only'
        """
        if self.line is None and self.file.startswith(_NOT_A_FILE):
            return self.file
        return f"{self.file}:{self.line or 1}:{self.col or 1}"

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        code = f"[{self.code}] " if self.code and self.code not in ("schema", "yaml") else ""
        return f"{self.location()}: {self.severity.value}: {code}{where}{self.message}"

    def as_json(self) -> dict[str, object]:
        """The problem for machines, at the place the text names (a whole-file problem at 1:1 too)."""
        data = asdict(self)
        data["severity"] = self.severity.value
        if not (self.line is None and self.file.startswith(_NOT_A_FILE)):
            data["line"], data["col"] = self.line or 1, self.col or 1
        return data


def error(file: str | Path, line: int | None, col: int | None, message: str, *,
          path: str = "", hint: str = "", code: str = "") -> Problem:
    return Problem(Severity.ERROR, str(file), line, col, path, message, hint, code)


def warning(file: str | Path, line: int | None, col: int | None, message: str, *,
            path: str = "", hint: str = "", code: str = "") -> Problem:
    return Problem(Severity.WARNING, str(file), line, col, path, message, hint, code)


@dataclass
class Problems:
    """An ordered collection that the pipeline appends to and ``cli`` reports."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: list[Problem] | Problems) -> None:
        self.items.extend(problems.items if isinstance(problems, Problems) else problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.file, p.line or 0, p.col or 0, p.message))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)


class ProblemsFound(Exception):
    """Raised by a stage that cannot go on; carries the problems to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:3]))
        self.problems = problems
