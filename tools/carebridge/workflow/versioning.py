"""A protocol's version moves with its content: ``check-version`` against a git base, and ``bump``.

Content is compared as parsed data, so comments, quoting and line wrapping never count as a
change; the review bookkeeping (``version``, ``history``, ``status``, ``reviewers`` and the review
dates) is left out of the comparison. ``bump`` rewrites the file with ruamel's round-trip mode so
comments and key order survive.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .. import markup
from ..fsio import decode_utf8, write_atomic
from ..problems import Problem, ProblemsFound, error
from ..source.characters import hidden_character
from ..source.library import Project
from ..source.loader import MAX_BYTES, Document, load_file, load_text, resolve_plain

Part = Literal["major", "minor", "patch"]
PARTS: tuple[Part, ...] = ("major", "minor", "patch")
# Review bookkeeping: changing only these is not a content change.
BOOKKEEPING = frozenset({"version", "history", "status", "reviewers", "last_reviewed", "next_review"})
# As the schema's semver: nine digits a part at most, so a part always converts to an int.
_SEMVER = re.compile(r"(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})")
_AFTER_APPROVAL = "a content change after approval returns the status to review"


def needs_quotes(text: str) -> bool:
    """Whether YAML would read ``text`` back as something else when written plain.

    Both readings count: YAML 1.1's (other tools: ``yes``, ``1:30``) and ours (``1e3`` is a number).

    >>> needs_quotes("Added the monitoring step."), needs_quotes("Dose: 10 IU"), needs_quotes("yes")
    (False, True, True)
    >>> needs_quotes("1e3"), needs_quotes("2.0")
    (True, True)
    """
    import yaml

    plain = yaml.safe_dump(text, allow_unicode=True, width=1_000_000).removesuffix("\n...\n").rstrip("\n")
    try:
        ours = resolve_plain(text)
    except ValueError:  # too many digits to convert: certainly not text as written
        ours = None
    return plain != text or "\n" in text or ours != text


def today() -> dt.date:
    """The clock behind every date ``new`` and ``bump`` write; tests replace it."""
    return dt.date.today()


@dataclass(frozen=True, order=True)
class Version:
    """A protocol version, MAJOR.MINOR.PATCH, compared as numbers.

    >>> Version.parse("1.10.0") > Version.parse("1.9.3")
    True
    >>> str(Version.parse("1.2.3").bump("minor"))
    '1.3.0'
    >>> Version.parse("1.2") is None
    True
    """

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: object) -> Version | None:
        match = _SEMVER.fullmatch(text) if isinstance(text, str) else None
        return cls(*(int(part) for part in match.groups())) if match else None

    def bump(self, part: Part) -> Version:
        if part == "major":
            return Version(self.major + 1, 0, 0)
        if part == "minor":
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


def _shown(value: object) -> object:
    """A version as a message quotes it: cut short when it runs on (a part may be thousands of digits)."""
    return value[:37] + "..." if isinstance(value, str) and len(value) > 40 else value


def content(data: dict[str, Any]) -> dict[str, Any]:
    """The part of a protocol whose change needs a new version.

    >>> content({"id": "x", "version": "1.0.0", "status": "approved", "title": "T"})
    {'id': 'x', 'title': 'T'}
    """
    return {key: value for key, value in data.items() if key not in BOOKKEEPING}


def _history_versions(data: dict[str, Any]) -> list[object]:
    history = data.get("history")
    return [entry.get("version") for entry in history if isinstance(entry, dict)] if isinstance(history, list) else []


# --- git ------------------------------------------------------------------------------------------

def _usage(message: str, hint: str) -> ProblemsFound:
    return ProblemsFound([error("<command line>", None, None, message, hint=hint, code="usage")])


def _git(project: Project, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=project.root, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise _usage("git is not installed", "install git; check-version compares with a git revision") from exc


@dataclass(frozen=True)
class Change:
    """One protocol file that differs from the base: where it is now, where it was (None: new)."""

    path: str
    before: str | None


def _resolve_base(project: Project, base: str) -> str:
    """The commit to compare with: where this branch left ``base`` (their merge base).

    Comparing with the tip of ``base`` would blame this branch for protocols changed on
    ``base`` since the branch started.
    """
    if _git(project, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise _usage(f"{project.root} is not in a git repository", "run check-version inside a clone of the library")
    found = _git(project, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{base}^{{commit}}")
    if found.returncode != 0:
        raise _usage(f"unknown git revision '{base}'",
                     "fetch it first (git fetch origin main); in GitHub Actions check out with fetch-depth: 0")
    commit = found.stdout.decode().strip()
    merge_base = _git(project, "merge-base", commit, "HEAD")
    return merge_base.stdout.decode().strip() if merge_base.returncode == 0 else commit


def _changes(project: Project, commit: str) -> list[Change]:
    """Protocol and hospital edition files changed between ``commit`` and the working tree, untracked ones included."""
    folder = project.rel(project.protocols_dir)
    diff = _git(project, "diff", "--name-status", "-z", "-M", "--relative", commit, "--", folder, "editions")
    if diff.returncode != 0:
        raise _usage(f"git diff failed: {diff.stderr.decode(errors='replace').strip()}", "check the --base revision")
    fields = diff.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    changes: list[Change] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[0] in "RC":
            before, after = fields[index + 1], fields[index + 2]
            changes.append(Change(after, before if status[0] == "R" else None))
            index += 3
            continue
        path = fields[index + 1]
        if status[0] != "D":
            changes.append(Change(path, None if status[0] == "A" else path))
        index += 2
    untracked = _git(project, "ls-files", "--others", "--exclude-standard", "-z", "--", folder, "editions")
    for path in untracked.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        if path:
            changes.append(Change(path, None))
    return sorted({c for c in changes if c.path.endswith(".yaml")}, key=lambda c: c.path)


def _at_base(project: Project, commit: str, path: str, label: str) -> Document | None:
    # a base larger than any protocol the loader reads counts as none (300 MB took 1.7 GB to read)
    size = _git(project, "cat-file", "-s", f"{commit}:./{path}")
    if size.returncode != 0 or not size.stdout.strip().isdigit() or int(size.stdout) > MAX_BYTES:
        return None
    shown = _git(project, "show", f"{commit}:./{path}")
    if shown.returncode != 0:
        return None
    text, _ = decode_utf8(shown.stdout, f"{label}:{path}")
    if text is None:
        return None
    doc, _ = load_text(text, f"{label}:{path}")
    return doc  # a base that does not parse counts as no base: the file is checked as new


# --- check-version -------------------------------------------------------------------------------

def _check(doc: Document, before: Document | None, label: str, bump_hint: str) -> list[Problem]:
    """The version rules for one protocol, ``before`` being its base (None: new since the base)."""
    data: dict[str, Any] = doc.data
    problems: list[Problem] = []

    def report(path: tuple[str, ...], message: str, hint: str, code: str, *, key: bool = False) -> None:
        line, col = doc.locate(path, key=key)
        problems.append(error(doc.file, line, col, message, path=".".join(path), hint=hint, code=code))

    old: dict[str, Any] = before.data if before is not None else {}
    old_version = Version.parse(old.get("version"))
    version = Version.parse(data.get("version"))
    if version is None:
        shown = _shown(data.get("version"))
        example = old_version.bump("minor") if old_version else "0.1.0"
        report(("version",), "no version" if shown is None else f"version '{shown}' is not MAJOR.MINOR.PATCH",
               f"write version: {example}", "version")
        return problems
    changed = before is None or content(data) != content(old)
    if changed and old_version is not None and version <= old_version:
        if version == old_version:
            message, hint = f"the content changed since {label} but the version is still {version}", bump_hint
        else:
            message = f"version {version} is lower than {old_version} at {label}"
            hint = f"a version only goes up: write version: {old_version.bump('minor')} and its history entry"
        report(("version",), message, hint, "version-not-bumped")
    if (changed or version != old_version) and str(version) not in _history_versions(data):
        report(("history",), f"history has no entry for version {version}", bump_hint, "history-version", key=True)
    if before is not None and changed and old.get("status") == "approved" and data.get("status") == "approved":
        report(("status",), _AFTER_APPROVAL,
               "set status: review (`carebridge bump` does) and ask the reviewers to approve this version",
               "approval")
    return problems


def check_versions(project: Project, base: str) -> tuple[list[str], list[Problem]]:
    """Check every protocol changed since ``base``; return the files checked and the problems.

    A content change needs a higher version, a history entry for it, and (after approval) a
    return to review. A protocol that is new since ``base`` needs a version and its history entry.
    """
    commit = _resolve_base(project, base)
    checked: list[str] = []
    problems: list[Problem] = []
    for change in _changes(project, commit):
        path = project.root / change.path
        if not path.is_file():
            continue
        display = project.rel(path)
        checked.append(display)
        doc, found = load_file(path, display)
        if doc is None:
            problems += found
            continue
        before = _at_base(project, commit, change.before, base) if change.before else None
        hint = f"run `carebridge bump {display} --part minor --summary \"what changed\"`"
        problems += _check(doc, before, base, hint)
    return checked, problems


# --- bump ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Bumped:
    """What ``bump`` changed in one file."""

    file: str
    old_version: str
    new_version: str
    old_status: str
    new_status: str


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    mapping, sequence, offset = _guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _guess_indent(text: str) -> tuple[int, int, int]:
    """ruamel's ``indent()`` arguments that reproduce the file's own indentation.

    >>> _guess_indent("a:\\n  b: 1\\nc:\\n  - x\\n")
    (2, 4, 2)
    >>> _guess_indent("a:\\n    b: 1\\nc:\\n- x\\n")
    (4, 2, 0)
    """
    mapping, sequence, offset = 0, 0, -1
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for above, line in itertools.pairwise(lines):
        if not above.rstrip().endswith(":"):
            continue
        depth = len(above) - len(above.lstrip())
        inner = len(line) - len(line.lstrip())
        stripped = line.lstrip()
        if stripped.startswith("- ") and offset < 0 and inner >= depth:
            offset = inner - depth
            dash = stripped[2:]
            sequence = offset + 2 + (len(dash) - len(dash.lstrip()))
        elif not stripped.startswith("-") and not mapping and inner > depth:
            mapping = inner - depth
    return mapping or 2, sequence or max(offset, 0) + 2, max(offset, 0)


def _append_history(history: Any, entry: dict[str, Any]) -> None:
    """Append ``entry``; comments after the last entry stay after the entries."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.tokens import CommentToken

    previous = history[-1] if len(history) else None
    order = [key for key in (previous or {}) if key in entry] + [key for key in entry if key not in (previous or {})]
    item = CommentedMap((key, entry[key]) for key in order)
    if isinstance(previous, CommentedMap) and len(previous):
        slot = previous.ca.items.get(list(previous)[-1])
        token = slot[2] if slot and len(slot) > 2 else None
        if token is not None:
            # The token holds the end of the last line (maybe a comment on it) and every comment line below.
            head, newline, rest = token.value.partition("\n")
            if rest:
                token.value = head + newline
                item.ca.items[order[-1]] = [None, None, CommentToken("\n" + rest, token.start_mark, None), None]
    history.append(item)


def bump(project: Project, path: Path, *, part: Part, summary: str, today: dt.date) -> tuple[Bumped | None, list[Problem]]:
    """Raise ``path``'s version, add a history entry dated ``today``, and send an approved protocol
    back to review. Comments, quoting and key order are kept; the file is written atomically.
    """
    display = project.rel(path)
    doc, problems = load_file(path, display)
    if doc is None:
        return None, problems
    data: dict[str, Any] = doc.data
    if "version" not in data and "history" not in data:  # a glossary, mkdocs.yml: no version to raise
        return None, [error(display, 1, 1, "not a protocol or hospital edition: it has no version or history",
                            hint="bump a file of protocols/ or editions/, e.g. carebridge bump "
                                 "protocols/obstetrics/postpartum-haemorrhage.yaml --summary \"...\"", code="version")]
    summary = " ".join(summary.split())
    old = Version.parse(data.get("version"))
    if old is None:
        line, col = doc.locate(("version",))
        problems.append(error(display, line, col, f"cannot bump version '{_shown(data.get('version'))}': not MAJOR.MINOR.PATCH",
                              path="version", hint="write the current version as e.g. 1.2.0 first", code="version"))
    if not isinstance(data.get("history"), list):
        line, col = doc.locate(("history",))
        problems.append(error(display, line, col, "history must be a list of changes", path="history",
                              hint="list each version as - version: 0.1.0, date: YYYY-MM-DD, summary: ...",
                              code="history"))
    if len(summary) < 3:
        problems.append(error("<command line>", None, None, "the summary is too short (at least 3 characters)",
                              hint='say what changed, e.g. --summary "Oxytocin dose updated to NICE 2024"',
                              code="summary"))
    hidden, tags = hidden_character(summary), markup.raw_html(summary)
    if hidden or tags:
        what = f"the control, bidirectional or invisible character {hidden}" if hidden else f"raw HTML {tags[0]}"
        problems.append(error("<command line>", None, None, f"the summary holds {what}, which validate refuses",
                              hint="write the summary as plain words (Markdown **bold** and links are fine)",
                              code="summary"))
    if problems or old is None:
        return None, problems
    new = old.bump(part)
    raw = path.read_bytes().decode("utf-8")
    # ruamel keeps a CR only in comments: a Windows file came back with mixed line ends. It reads
    # LF, and the file is written back with the line ends (CRLF, or an old Mac's CR alone), the byte
    # order mark and the closing "..." it had.
    bom, text = raw.startswith("\ufeff"), raw.removeprefix("\ufeff")
    ending = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\r" if "\n" not in text and "\r" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n") if ending == "\r" else text.replace("\r\n", "\n")
    closed = text.rstrip().endswith("\n...")
    yaml = _round_trip(text)
    tree = yaml.load(text)
    tree["version"] = _same_style(tree["version"], str(new))
    old_status = str(data.get("status", ""))
    new_status = "review" if old_status == "approved" else old_status
    if new_status != old_status:
        tree["status"] = _same_style(tree["status"], new_status)
    _append_history(tree["history"], {"version": str(new), "date": today, "summary": _quoted(summary)})
    buffer = io.StringIO()
    yaml.dump(tree, buffer)
    rewritten = buffer.getvalue()
    _verify(rewritten, display, data, {"version": str(new), "date": today.isoformat(), "summary": summary}, new_status)
    if closed and not rewritten.rstrip().endswith("\n..."):
        rewritten += "...\n"
    write_atomic(path, ("\ufeff" if bom else "") + rewritten.replace("\n", ending))
    return Bumped(display, str(old), str(new), old_status, new_status), []


def _quoted(text: str) -> Any:
    """Double quotes where quotes are needed, as the library's files write them."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(text) if needs_quotes(text) else text


def _same_style(old: Any, new: str) -> Any:
    """``new`` quoted the way ``old`` was."""
    from ruamel.yaml.scalarstring import ScalarString

    return type(old)(new) if isinstance(old, ScalarString) else new


def _verify(text: str, display: str, before: dict[str, Any], entry: dict[str, str], status: str) -> None:
    """The rewrite changed exactly what it should; anything else is a bug, not a file to write."""
    doc, problems = load_text(text, display)
    after: dict[str, Any] = doc.data if doc is not None and not problems else {}
    expected = {**before, "version": entry["version"], **({"status": status} if "status" in before else {}),
                "history": [*before["history"], entry]}
    if list(after) != list(expected) or after != expected:
        raise RuntimeError(f"bump would change more than the version of {display}; the file was left as it was")
