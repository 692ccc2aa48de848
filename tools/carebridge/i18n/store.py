"""The one way a PO or POT file is written.

Each catalog is rendered by ``pofile``, read back with PO's grammar and compared with
what was meant (every text, translation, flag, comment and ``#|``), written in full beside its
target, checked there by ``msgfmt -c --check-format`` when GNU gettext is installed, and only then
renamed into place, together with every other file of the same command or not at all. A file
that fails any step is a Problem (exit 1) and nothing is replaced.

How msgfmt is run, a few processes for all the files, is ``msgfmt.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..fsio import Staged, commit, discard, remove_stale_temps, stage, write_problem
from ..problems import Problem, ProblemsFound, Severity, error
from .catalog import render_catalog
from .msgfmt import CATALOG_SUFFIXES, Msgfmt
from .pofile import previous_context
from .pogrammar import Entry, Scan, header_fields, scan_po

_NPLURALS = re.compile(r"(?:^|;)\s*nplurals\s*=\s*(\d+)")
_BUG_HINT = "nothing was written; this is a CareBridge bug: please report it with the protocol you changed"


def _words(lines: list[str]) -> str:
    """Comments as paragraphs: lines are re-wrapped, not changed, and an empty ``#`` line parts them."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line)
        else:
            paragraphs.append([])
    return "\n".join(" ".join(" ".join(part).split()) for part in paragraphs)


def _meaning(catalog: Catalog) -> list[tuple[object, ...]]:
    """What a catalog says, without layout: the written file must say exactly this."""
    def row(message: Message, obsolete: bool) -> tuple[object, ...]:
        string: object = message.string or ""
        if isinstance(message.id, (list, tuple)):
            forms = [str(f or "") for f in (message.string if isinstance(message.string, (list, tuple))
                                            else [message.string])]
            string = tuple(forms + [""] * (catalog.num_plurals - len(forms)))
        context = previous_context(message)
        return (obsolete, message.context, message.id, string, sorted(message.flags),
                tuple(message.previous_id), context if context != message.context else None,
                _words(message.user_comments),
                "" if obsolete else _words([c for c in message.auto_comments if c.strip()]))  # an empty "#." is not written

    rows: list[tuple[object, ...]] = [(str(catalog.locale_identifier or ""), catalog.num_plurals)]
    rows += [row(m, False) for m in catalog if m.id]
    rows += [row(m, True) for m in catalog.obsolete.values()]
    return rows


def _written_meaning(scan: Scan, num_plurals: int) -> list[tuple[object, ...]]:
    """``_meaning`` of the catalog ``scan`` was read from, from the grammar's entries alone.

    The file was rendered by ``pofile`` (one entry per message, header first, obsolete last), so
    reading it back through PO's grammar is enough to see that it says what was meant; the Babel
    read that a build does on top would take as long again for every catalog an update writes."""
    header = scan.header
    fields = header_fields(header.strings.get(0, "")) if header else {}
    language = fields.get("Language", "")
    counted = _NPLURALS.search(fields.get("Plural-Forms", ""))
    plurals = int(counted.group(1)) if counted else num_plurals

    def row(entry: Entry) -> tuple[object, ...]:
        string: object = entry.strings.get(0, "")
        msgid: object = entry.msgid
        if entry.plural is not None:
            msgid = (entry.msgid, entry.plural)
            forms = [entry.strings[i] for i in sorted(entry.strings)]
            string = tuple(forms + [""] * (plurals - len(forms)))
        previous = entry.previous if "msgid" in entry.previous else {}
        before = [previous["msgid"]] + ([previous["msgid_plural"]] if "msgid_plural" in previous else []) if previous else []
        context = previous.get("msgctxt")
        return (entry.obsolete, entry.context, msgid, string, sorted(entry.flags), tuple(before),
                context if context != entry.context else None, _words(entry.comments),
                "" if entry.obsolete else _words(entry.notes))

    rows: list[tuple[object, ...]] = [(language, plurals)]
    rows += [row(e) for e in scan.entries if not e.obsolete and e.msgid]
    rows += [row(e) for e in scan.entries if e.obsolete]
    return rows


def verify(text: str, catalog: Catalog, display: str) -> list[Problem]:
    """Problems with ``text`` as the rendering of ``catalog``: unreadable, or saying something else."""
    scan = scan_po(text, display)
    if scan.syntax:
        first = scan.syntax[0]
        return [error(display, None, None, f"the catalog about to be written does not read back: {first.message} "
                      f"(line {first.line})", code="po-write", hint=_BUG_HINT)]
    meant, read = _meaning(catalog), _written_meaning(scan, catalog.num_plurals)
    if meant == read:
        return []
    differs = next((m for m, r in zip(meant, read, strict=False) if m != r), meant[-1])
    if len(differs) == 2:  # the first row: the header's language and plural forms
        what = "its header (Language, Plural-Forms)"
    else:
        context, msgid = differs[1], str(differs[2])
        what = f"{context}: {msgid[:80]!r}" if context else repr(msgid[:80])
    return [error(display, None, None, f"the catalog about to be written would not say what was meant about {what}",
                  code="po-write", hint=_BUG_HINT)]


def stage_catalog(path: Path, catalog: Catalog, display: str) -> tuple[Staged | None, list[Problem]]:
    """Render, verify and stage one catalog; None (nothing left behind) if unchanged or refused.
    msgfmt checks it with the others of the command, before any is renamed (``commit_all``)."""
    text = render_catalog(catalog)
    written = text
    try:
        old = path.read_bytes()
        if old.count(b"\r\n") * 2 > old.count(b"\n"):
            # A catalog kept with Windows line ends (Poedit, Notepad) keeps them: no whole-file diff.
            # A BOM is not kept: msgfmt refuses it ("1:2: syntax error").
            written = text.replace("\n", "\r\n")
        if old == written.encode("utf-8"):
            return None, []
    except FileNotFoundError:
        pass
    except OSError as exc:
        return None, [write_problem(display, exc)]
    problems = verify(text, catalog, display)
    if problems:
        return None, problems
    try:
        staged = stage(path, written)
    except OSError as exc:
        return None, [write_problem(display, exc)]
    return staged, []


def commit_all(staged: list[Staged], problems: list[Problem], display: Callable[[Path], str],
               checker: Msgfmt | None = None) -> list[Path]:
    """Rename every staged file into place once msgfmt accepts the catalogs among them; if any
    problem is an error, remove them all instead. ``checker`` may have been fed some of them already."""
    with checker or Msgfmt() as msgfmt:
        if not any(p.severity is Severity.ERROR for p in problems):
            msgfmt.add(staged)
            problems = problems + msgfmt.problems(display)
    if any(p.severity is Severity.ERROR for p in problems):
        discard(staged)
        raise ProblemsFound(problems)
    try:
        return commit(sorted(staged, key=lambda s: s.target), display)
    finally:
        discard(staged)


def write_files(files: Mapping[Path, Catalog | str | bytes], display: Callable[[Path], str]) -> list[Path]:
    """Write catalogs (as Catalog objects) and other files together, all or none; return those that changed."""
    staged: list[Staged] = []
    problems: list[Problem] = []
    try:
        for path, content in files.items():
            if isinstance(content, Catalog):
                item, found = stage_catalog(path, content, display(path))
                problems += found
            elif path.suffix in CATALOG_SUFFIXES:
                raise TypeError(f"{path}: a catalog is written from its Catalog, never from text")
            else:
                try:
                    item = stage(path, content)
                except OSError as exc:
                    item, problems = None, [*problems, write_problem(display(path), exc)]
            if item is not None:
                staged.append(item)
            if problems:
                break  # no need to write the rest only to remove it
    except BaseException:
        discard(staged)
        raise
    return commit_all(staged, problems, display)


def clean_catalog_folders(templates: Path, locales: Path) -> list[Path]:
    """Remove temporary files a killed update left beside the templates and catalogs."""
    removed = remove_stale_temps(templates)
    if locales.is_dir():
        for folder in sorted(locales.iterdir()):
            removed += remove_stale_temps(folder / "LC_MESSAGES")
    return removed
