"""Stage 5: gettext catalogs. Templates (POT) from protocols, catalogs (PO) merged from them.

Babel builds every catalog; ``pofile`` writes them and ``pogrammar`` reads what Babel forgives or
loses (broken lines, duplicates, ``#|`` previous text, the header as written). Things Babel does
not do the way translators need: its fuzzy matching is quadratic (difflib over every message),
its merge forgets ``#|`` on the second run and adopts the template's messages, and it guesses
``python-format`` from a ``%`` in clinical text ("90% of"). ``merge`` and ``_normalise`` handle them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError
from rapidfuzz import fuzz, process, utils

from ..fsio import decode_utf8, linked_outside, not_a_file, read_at_most
from ..problems import Problem, error, warning
from ..source.library import SITE_DOMAIN, Loaded, Project
from .babelcatalog import LocaleCatalog, read_po
from .extract import message_text, protocol_messages
from .pofile import WIDTH, Verbatim, previous_context, render_po, set_previous_context, verbatim
from .pogrammar import Scan, entry_problems, flags_apart, scan_po, too_long
from .poheader import header_problems, plural_count_problems

# A real catalog is some dozen KB (the largest here 29 KB). A protocol is at most 1 MB, so its catalog, the
# text twice with comments and old versions, stays far below 4 MB. Every entry is checked (3-6 ms each):
# at the old 32 MB limit a file of 300,000 junk entries kept `i18n check` busy for about 15 minutes.
MAX_CATALOG_BYTES = 4 * 1024 * 1024

PROJECT = "CareBridge"
BUGS_ADDRESS = "https://carebridge.invalid/issues"
FUZZY_CUTOFF = 70.0  # rapidfuzz ratio (0-100) for a suggestion to be offered as fuzzy
GLOBAL_FUZZY_LIMIT = 5000  # past this many candidates, only same-place suggestions are searched
# Similarity costs length x length: past this (4x the longest real message) no fuzzy match is
# searched; the old translation stays as an obsolete entry, nothing is lost.
FUZZY_MAX_LENGTH = 5000
SITE_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)", re.MULTILINE)
_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>")
# Babel reads "#| msgid" as a translator comment and fails on "#~| msgid"; it is shown these lines as
# empty "#." comments, which it skips (line numbers stay right), and pogrammar reads them instead.
_PREVIOUS_LINE = re.compile(r"^([ \t]*)#~?\|.*$", re.MULTILINE)


@dataclass(frozen=True)
class Stats:
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def _protocol_date(loaded: Loaded) -> dt.datetime:
    last = max(change.date for change in loaded.protocol.history)
    return dt.datetime.fromisoformat(last).replace(tzinfo=dt.UTC)


def _restore_from_scan(catalog: Catalog, scan: Scan) -> None:
    """Give each entry what Babel's reader loses: the previous text (``#|``), and the translator comments
    line for line (Babel keeps one of each repeated line, so the second empty ``#`` parting a translator's
    paragraphs, or a note said twice, would vanish at the next write)."""
    previous = {entry.key: entry.previous for entry in scan.entries if entry.previous}
    # as written, where Babel's reader changed them (a tab, two spaces, a long line) or made them distinct
    comments = {entry.key: [verbatim(raw) for raw in entry.raw_comments] for entry in scan.entries
                if entry.msgid and (len(set(entry.comments)) < len(entry.comments)
                                    or any(isinstance(verbatim(raw), Verbatim) for raw in entry.raw_comments))}
    if not previous and not comments:
        return
    for obsolete, messages in ((False, list(catalog)), (True, list(catalog.obsolete.values()))):
        for message in messages:
            key = (obsolete, message.context, message.id if isinstance(message.id, str) else message.id[0])
            if key in comments:
                message.user_comments = list(comments[key])
            found = previous.get(key, {})
            if "msgid" in found:
                message.previous_id = [found["msgid"]] + ([found["msgid_plural"]] if "msgid_plural" in found else [])
                set_previous_context(message, found.get("msgctxt"))


def _repeated_comments(catalog: Catalog) -> dict[tuple[str, str | None], list[str]]:
    """Translator comments with a repeated line, which Babel's update would make distinct."""
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context): list(m.user_comments)
            for m in catalog if m.id and len(set(m.user_comments)) < len(m.user_comments)}


def _normalise(catalog: Catalog) -> Catalog:
    # Clinical text is never a Python format string; Babel's guess would make msgfmt -c
    # reject "90%的患者" and make Weblate run the wrong checks. Site words keep brace formats.
    drop = {"python-format"} if catalog.domain == SITE_DOMAIN else {"python-format", "python-brace-format"}
    for message in list(catalog) + list(catalog.obsolete.values()):
        message.flags -= drop
    return catalog


def protocol_template(loaded: Loaded, project: Project) -> Catalog:
    """The POT catalog of one protocol: ``msgctxt`` from stable ids, ``#:`` file:line, ``#.`` hints."""
    created = _protocol_date(loaded)
    catalog = LocaleCatalog(project=PROJECT, version=loaded.protocol.version, msgid_bugs_address=BUGS_ADDRESS,
                      creation_date=created, revision_date=created, domain=loaded.protocol.id, fuzzy=False,
                      copyright_holder="CareBridge contributors", charset="utf-8")
    catalog.header_comment = (f"# Translations of the CareBridge protocol {loaded.protocol.id}.\n"
                              f"# Source: {loaded.protocol.file} (generated by `carebridge i18n extract`; do not edit).")
    for message in protocol_messages(loaded.document, project.schema_path):
        catalog.add(message.msgid, locations=[(loaded.protocol.file, message.line)],
                    auto_comments=list(message.comments), context=message.context)
    return _normalise(catalog)


def new_catalog(template: Catalog, locale: str, domain: str) -> Catalog:
    """An empty catalog for ``locale`` with a complete header (Language, Plural-Forms, UTF-8)."""
    catalog = LocaleCatalog(locale=locale, domain=domain, project=PROJECT, version=template.version,
                      msgid_bugs_address=BUGS_ADDRESS, creation_date=template.creation_date,
                      revision_date=template.creation_date, fuzzy=False, charset="utf-8",
                      last_translator="CareBridge translators <translators@carebridge.invalid>", language_team=f"{locale} <https://carebridge.invalid/{locale}>",
                      copyright_holder="CareBridge contributors")
    catalog.header_comment = template.header_comment.replace("Translations of", f"{locale} translations of")
    for message in template:
        if message.id:
            catalog[message.id] = message.clone() if message.context is None else _copy(message)
    return _normalise(catalog)


def _copy(message: Message) -> Message:
    return Message(message.id, "", locations=list(message.locations), flags=set(message.flags),
                   auto_comments=list(message.auto_comments), context=message.context)


def merge(catalog: Catalog, template: Catalog, *, fuzzy: bool = True) -> Catalog:
    """Merge ``template`` into ``catalog`` in place, like ``msgmerge``; return it.

    Keeps translations, translator comments and obsolete entries. A string whose text changed
    at the same place (same ``msgctxt``) is offered as fuzzy with ``#|`` previous msgid;
    otherwise the closest obsolete translation above ``FUZZY_CUTOFF``. Linear in the number of
    messages when contexts are stable, unlike Babel's quadratic difflib search.
    """
    previously_obsolete = dict(catalog.obsolete)
    # Babel's update drops previous_id of entries it finds unchanged: a fuzzy entry keeps its #| here.
    kept = {(m.id if isinstance(m.id, str) else m.id[0], m.context): (list(m.previous_id), previous_context(m))
            for m in catalog if m.id and m.fuzzy and m.previous_id}
    repeated = _repeated_comments(catalog)
    catalog.update(_fresh(template), no_fuzzy_matching=True, update_header_comment=False)
    catalog.version = template.version
    for message in catalog:
        place = (message.id if isinstance(message.id, str) else message.id[0], message.context)
        if place in repeated and message.user_comments:
            message.user_comments = list(repeated[place])
        found = kept.get(place)
        if found is not None and message.fuzzy and not message.previous_id:
            message.previous_id = found[0]
            set_previous_context(message, found[1])
    # An entry that comes back exactly as it was revives its old translation.
    for key, old in previously_obsolete.items():
        current = catalog.get(old.id, old.context)
        if current is not None and not current.string and old.string:
            current.string = old.string
            current.user_comments = list(old.user_comments)
            current.flags |= old.flags & {"fuzzy"}
            if "fuzzy" in old.flags and old.previous_id:
                current.previous_id = list(old.previous_id)
                set_previous_context(current, previous_context(old))
            catalog.obsolete.pop(key, None)
    if fuzzy:
        _fuzzy_suggestions(catalog)
    for key, old in list(catalog.obsolete.items()):
        current = catalog.get(old.id, old.context)
        if current is not None:  # back in the template: msgfmt refuses an obsolete copy beside it
            current.user_comments = current.user_comments or list(old.user_comments)
            del catalog.obsolete[key]
    # Like msgmerge: an obsolete entry is kept only if it holds work (a translation or a comment).
    for key in [k for k, m in catalog.obsolete.items() if not m.string and not m.user_comments]:
        del catalog.obsolete[key]
    return _normalise(catalog)


def _fresh(template: Catalog) -> Catalog:
    """A copy of the template's messages: Babel's update adopts new messages as they are, and a
    fuzzy suggestion written into one would leak into the next locale merged from the same template."""
    copy = LocaleCatalog(domain=template.domain, creation_date=template.creation_date, fuzzy=False)
    for message in template:
        if message.id:
            copy[message.id] = message.clone()
    return copy


def _fuzzy_suggestions(catalog: Catalog) -> None:
    candidates = {key: old for key, old in catalog.obsolete.items()
                  if old.string and isinstance(old.id, str) and len(old.id) <= FUZZY_MAX_LENGTH}
    if not candidates:
        return
    by_context: dict[str | None, list[object]] = {}
    for key, old in candidates.items():
        by_context.setdefault(old.context, []).append(key)
    for message in catalog:
        if not message.id or message.string or not isinstance(message.id, str) or len(message.id) > FUZZY_MAX_LENGTH:
            continue
        pool = [k for k in by_context.get(message.context, []) if k in candidates]
        scorer_cutoff = FUZZY_CUTOFF if pool else 90.0
        if not pool and len(candidates) <= GLOBAL_FUZZY_LIMIT:
            pool = list(candidates)
        if not pool:
            continue
        choices = {i: candidates[k].id for i, k in enumerate(pool)}
        best = process.extractOne(message.id, choices, scorer=fuzz.ratio, processor=utils.default_process,
                                  score_cutoff=scorer_cutoff)
        if best is None:
            continue
        key = pool[best[2]]
        old = candidates.pop(key)
        catalog.obsolete.pop(key, None)
        message.string = old.string
        message.user_comments = list(old.user_comments)
        message.flags.add("fuzzy")
        # Like msgmerge: a translation that was already fuzzy was made for its own previous text.
        if old.fuzzy and old.previous_id:
            message.previous_id, context = list(old.previous_id), previous_context(old) or old.context
        else:
            message.previous_id, context = [str(old.id)], old.context
        set_previous_context(message, context if context != message.context else None)


def render_catalog(catalog: Catalog) -> str:
    """Serialise deterministically: same catalog, same bytes (see ``pofile``)."""
    return render_po(_normalise(catalog), width=WIDTH)


def parse_catalog(text: str, display: str, locale: str | None = None,
                  domain: str | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Parse PO text with Babel and PO's grammar; report syntax, duplicates and header problems by line."""
    if "\r" in text:  # an editor's CR-only (old Mac) or CRLF line ends: Babel would read one long line
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the markers first (a text search), the pattern only where one is: it tries every line start
    conflict = _CONFLICT.search(text) if any(marker in text for marker in _CONFLICT_MARKERS) else None
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return None, [error(display, line, 1, "unresolved merge conflict marker", code="po-syntax",
                            hint="resolve the conflict (keep one msgstr) and remove the <<<<<<< ======= >>>>>>> lines")]
    scan = scan_po(text, display)
    if scan.syntax:
        return None, scan.syntax
    if long := too_long(scan, display):
        return None, long
    plurals = plural_count_problems(scan, display, locale)
    if plurals:
        return None, plurals
    try:
        readable = _PREVIOUS_LINE.sub(r"\1#.", text) if "|" in text else text
        readable = flags_apart(readable)
        catalog = read_po(readable, locale, domain or Path(display).stem)
    except PoFileError as exc:
        return None, [error(display, exc.lineno + 1, 1, f"PO syntax: {str(exc).rsplit(' on ', 1)[0]}",
                            code="po-syntax", hint="compare with a valid entry: msgctxt, msgid and msgstr, each a quoted string")]
    except (ValueError, UnicodeError) as exc:
        return None, [error(display, 1, 1, f"PO file cannot be read: {exc}", code="po-syntax")]
    _restore_from_scan(catalog, scan)
    header, nplurals = header_problems(catalog, scan, display, locale)
    entries = entry_problems(scan, display, nplurals if locale else None)
    if any(p.code == "po-duplicate" for p in entries):
        return None, header + entries  # which of the two translations is meant cannot be known
    return _normalise(catalog), header + entries


def read_catalog(path: Path, display: str, locale: str | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read one PO/POT file; never raises for bad input."""
    problem = not_a_file(path, display) if path.exists() or path.is_symlink() else None
    if problem is not None:
        return None, [replace(problem, code="po-read")]
    real = linked_outside(path, path.parent) if path.is_symlink() else None
    if real is not None:
        return None, [error(display, None, None, f"links to {real}, outside its folder", code="symlink",
                            hint="keep the catalog itself in the folder (Weblate and git see the link, not the file)")]
    try:
        with path.open("rb") as handle:
            raw = read_at_most(handle, MAX_CATALOG_BYTES)
        if len(raw) > MAX_CATALOG_BYTES:
            return None, [error(display, 1, 1, f"catalog is larger than {MAX_CATALOG_BYTES // (1024 * 1024)} MB",
                                code="size", hint="a protocol's catalog is some dozen KB: check that this is the right "
                                                  "file")]
    except FileNotFoundError:
        return None, [error(display, None, None, "catalog file is missing", code="po-missing",
                            hint=f"run `carebridge i18n init --locale {locale}` or `carebridge i18n update`"
                            if locale else "run `carebridge i18n extract`")]
    except OSError as exc:
        return None, [error(display, None, None, f"catalog file cannot be read: {exc.strerror or exc}",
                            code="po-read", hint="check the file's permissions and that it is a file")]
    text, problem = decode_utf8(raw, display)
    if text is None:
        return None, [problem] if problem else []
    catalog, problems = parse_catalog(text, display, locale, path.stem)
    if raw.startswith(b"\xef\xbb\xbf"):
        problems = [warning(display, 1, 1, "catalog starts with a byte order mark, which msgfmt refuses", code="po-bom",
                            hint="save it as UTF-8 without BOM (`carebridge i18n update` removes the mark)"), *problems]
    return catalog, problems


def stats(catalog: Catalog) -> Stats:
    messages = [m for m in catalog if m.id]
    fuzzy = sum(1 for m in messages if m.fuzzy and m.string)
    translated = sum(1 for m in messages if m.string and not m.fuzzy)
    return Stats(len(messages), translated, fuzzy, len(messages) - translated - fuzzy, len(catalog.obsolete))


def lookup(catalog: Catalog, context: str, text: str) -> Message | None:
    """The catalog entry for a protocol text, found the way ``extract`` keyed it."""
    return catalog.get(message_text(text), context)
