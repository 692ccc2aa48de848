"""Stage 5: gettext catalogs. Templates (POT) from protocols, catalogs (PO) merged from them.

Babel reads and writes every file. Two things Babel does not do the way translators need:
its fuzzy matching is quadratic (difflib over every message), and it guesses
``python-format`` from a ``%`` in clinical text ("90% of"). ``merge`` and ``_normalise``
handle both.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po
from rapidfuzz import fuzz, process, utils

from ..fsio import decode_utf8
from ..problems import Problem, error
from ..source.library import SITE_DOMAIN, Loaded, Project
from .extract import message_text, protocol_messages

PROJECT = "CareBridge"
BUGS_ADDRESS = "https://carebridge.invalid/issues"
WIDTH = 76  # Babel's default, which Weblate and translate-toolkit keep (tests/test_catalog.py proves it)
FUZZY_CUTOFF = 70.0  # rapidfuzz ratio (0-100) for a suggestion to be offered as fuzzy
GLOBAL_FUZZY_LIMIT = 5000  # past this many candidates, only same-place suggestions are searched
SITE_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_STRING_LINE = re.compile(r'^(?:#~ ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:\\.|[^"\\])*"[ \t]*$')
_KEYWORD_LINE = re.compile(r'^(?:#~ ?)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b|^(?:#~ ?)?"')
_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>)( |$)", re.MULTILINE)


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


def _restore_previous(catalog: Catalog) -> None:
    """Babel reads ``#| msgid "old"`` as a translator comment; turn it back into ``previous_id``."""
    for message in list(catalog) + list(catalog.obsolete.values()):
        comments = list(message.user_comments)
        if not any(c.startswith("|") for c in comments):
            continue
        kept: list[str] = []
        previous: dict[str, list[str]] = {}
        current = ""
        for comment in comments:
            if not comment.startswith("|"):
                kept.append(comment)
                continue
            body = comment[1:].strip()
            keyword, _, rest = body.partition(" ")
            if keyword in ("msgid", "msgid_plural", "msgctxt"):
                current = keyword
                body = rest.strip()
            if body.startswith('"') and current:
                previous.setdefault(current, []).append(unescape(body))
        message.user_comments = kept
        if "msgid" in previous:
            message.previous_id = ["".join(previous["msgid"])] + (
                ["".join(previous["msgid_plural"])] if "msgid_plural" in previous else [])


def _scan(text: str, display: str) -> list[Problem]:
    """What Babel's parser forgives but a translator must fix: unterminated strings."""
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _KEYWORD_LINE.match(stripped) and not _STRING_LINE.match(stripped):
            problems.append(error(display, number, 1, "PO syntax: string is not closed with a double quote",
                                  code="po-syntax", hint='end the line with " and write a quote inside text as \\"'))
    return problems


def _plural_counts(text: str, display: str, nplurals: int) -> list[Problem]:
    """Entries with msgid_plural must give exactly nplurals msgstr[N] (Babel pads missing ones)."""
    problems: list[Problem] = []
    start, msgid_line, forms = 0, 0, -1
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        stripped = line.strip()
        if stripped.startswith("msgid "):
            msgid_line = number
        if stripped.startswith("msgid_plural"):
            start, forms = msgid_line or number, 0
        elif forms >= 0 and stripped.startswith("msgstr["):
            forms += 1
        elif forms >= 0 and not stripped:
            if forms != nplurals:
                problems.append(error(display, start, 1, f"{forms} plural form(s), the header says {nplurals}",
                                      code="po-plural", hint="give exactly as many msgstr[N] as Plural-Forms nplurals"))
            forms = -1
    return problems


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
    catalog = Catalog(project=PROJECT, version=loaded.protocol.version, msgid_bugs_address=BUGS_ADDRESS,
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
    catalog = Catalog(locale=locale, domain=domain, project=PROJECT, version=template.version,
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
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.version = template.version
    # An entry that comes back exactly as it was revives its old translation.
    for key, old in previously_obsolete.items():
        current = catalog.get(old.id, old.context)
        if current is not None and not current.string and old.string:
            current.string = old.string
            current.user_comments = list(old.user_comments)
            current.flags |= old.flags & {"fuzzy"}
            catalog.obsolete.pop(key, None)
    if fuzzy:
        _fuzzy_suggestions(catalog)
    # Like msgmerge: an obsolete entry is kept only if it holds work (a translation or a comment).
    for key in [k for k, m in catalog.obsolete.items() if not m.string and not m.user_comments]:
        del catalog.obsolete[key]
    return _normalise(catalog)


def _fuzzy_suggestions(catalog: Catalog) -> None:
    candidates = {key: old for key, old in catalog.obsolete.items() if old.string and isinstance(old.id, str)}
    if not candidates:
        return
    by_context: dict[str | None, list[object]] = {}
    for key, old in candidates.items():
        by_context.setdefault(old.context, []).append(key)
    for message in catalog:
        if not message.id or message.string or not isinstance(message.id, str):
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
        message.previous_id = [str(old.id)]
        message.user_comments = list(old.user_comments)
        message.flags.add("fuzzy")


def render_catalog(catalog: Catalog) -> str:
    """Serialise deterministically: same catalog, same bytes."""
    buffer = io.BytesIO()
    write_po(buffer, _normalise(catalog), width=WIDTH, include_previous=True, sort_output=False)
    # gettext, translate-toolkit and Weblate end the file after the last entry; Babel adds a blank line.
    return buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


def parse_catalog(text: str, display: str, locale: str | None = None,
                  domain: str | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Parse PO text with Babel; report syntax, conflict markers and header problems by line."""
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        return None, [error(display, line, 1, "unresolved merge conflict marker", code="po-syntax",
                            hint="resolve the conflict (keep one msgstr) and remove the <<<<<<< ======= >>>>>>> lines")]
    unclosed = _scan(text, display)
    if unclosed:
        return None, unclosed
    try:
        catalog = read_po(io.StringIO(text), locale=locale, domain=domain or Path(display).stem, abort_invalid=True)
    except PoFileError as exc:
        return None, [error(display, exc.lineno + 1, 1, f"PO syntax: {str(exc).rsplit(' on ', 1)[0]}",
                            code="po-syntax", hint="compare with a valid entry: msgctxt, msgid and msgstr, each a quoted string")]
    except (ValueError, UnicodeError) as exc:
        return None, [error(display, 1, 1, f"PO file cannot be read: {exc}", code="po-syntax")]
    _restore_previous(catalog)
    plural = _plural_counts(text, display, catalog.num_plurals) if locale else []
    return _normalise(catalog), _header_problems(catalog, text, display, locale) + plural


def _header_problems(catalog: Catalog, text: str, display: str, locale: str | None) -> list[Problem]:
    problems: list[Problem] = []
    header_text = text.split("\n\n", 1)[0]
    if locale is None:
        return problems
    if catalog.charset.lower() not in ("utf-8", "utf8"):
        problems.append(error(display, 1, 1, f"catalog charset is {catalog.charset}, expected UTF-8", code="po-header",
                              hint='set "Content-Type: text/plain; charset=UTF-8\\n" and save the file as UTF-8'))
    if '"Language: ' not in header_text:
        problems.append(error(display, 1, 1, "header has no Language field", code="po-header",
                              hint=f'add "Language: {locale}\\n" to the header'))
    elif str(catalog.locale_identifier) != locale:
        problems.append(error(display, 1, 1, f"header Language is {catalog.locale_identifier}, folder says {locale}",
                              code="po-header", hint=f'set "Language: {locale}\\n"'))
    if '"Plural-Forms: ' not in header_text:
        problems.append(error(display, 1, 1, "header has no Plural-Forms field", code="po-header",
                              hint=f'add "Plural-Forms: {catalog.plural_forms}\\n"'))
    return problems


def read_catalog(path: Path, display: str, locale: str | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read one PO/POT file; never raises for bad input."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [error(display, None, None, "catalog file is missing", code="po-missing",
                            hint=f"run `carebridge i18n init --locale {locale}` or `carebridge i18n update`"
                            if locale else "run `carebridge i18n extract`")]
    text, problem = decode_utf8(raw, display)
    if text is None:
        return None, [problem] if problem else []
    return parse_catalog(text, display, locale, path.stem)


def stats(catalog: Catalog) -> Stats:
    messages = [m for m in catalog if m.id]
    fuzzy = sum(1 for m in messages if m.fuzzy and m.string)
    translated = sum(1 for m in messages if m.string and not m.fuzzy)
    return Stats(len(messages), translated, fuzzy, len(messages) - translated - fuzzy, len(catalog.obsolete))


def lookup(catalog: Catalog, context: str, text: str) -> Message | None:
    """The catalog entry for a protocol text, found the way ``extract`` keyed it."""
    return catalog.get(message_text(text), context)
