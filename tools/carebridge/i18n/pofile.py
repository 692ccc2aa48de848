"""The PO writer: Babel's layout byte for byte, with the parts Babel gets wrong done as GNU gettext does.

Babel's ``write_po`` wraps a previous msgid (``#|``) with its comment wrapper, which splits the
quoted strings mid-line (``#| msgid "" "Measure …`` / ``#| features and" " danger …``): msgfmt
rejects that and translate-toolkit cannot read it. Babel also has no previous msgctxt, and its
word splitter is quadratic on long unbroken text (50,000 characters took 33 s). Everything else
(header, comments, wrapping, obsolete entries) is written exactly as Babel writes it, so existing
catalogs do not change.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import escape
from babel.util import TextWrapper  # keeps hyphenated words whole, unlike textwrap's

_ESCAPED = re.compile(r'[\\\t\r\n"]')  # what Babel's ``escape`` writes as two characters
WIDTH = 76  # Babel's default, which Weblate and translate-toolkit keep (tests/test_catalog.py proves it)
PREVIOUS = "#| "  # GNU's prefix for the text a fuzzy translation was made from
_PREVIOUS_CONTEXT = "carebridge_previous_context"

# Babel's WORD_SEP, made linear: its middle branch (``[^\s\w]*\w+[a-zA-Z]-``) scanned to the end of a
# run from every position inside it. Here it may start only where a run of punctuation or of word
# characters starts; a match starting later in a run would also have matched from the run's start,
# so the splits are identical (tests/test_pofile.py compares them).
WORD_SEP = re.compile(
    r"(\s+|(?:(?<![^\s\w])[^\s\w]+|(?<!\w))\w+[a-zA-Z]-(?=\w+[a-zA-Z])|(?<=[\w\!\"\'\&\.\,\?])-{2,}(?=\w))")


class Verbatim(str):
    """A translator comment written back as it was read, after its "#": a tab, two spaces or a line
    longer than the width are the translator's, and Babel would strip or wrap them."""


def verbatim(raw: str) -> str:
    """``raw`` (a comment line after its "#") as the writer must keep it: plain text when Babel's
    layout writes the same line, else ``Verbatim``.

    >>> type(verbatim(" a note")).__name__, type(verbatim("\ttab note")).__name__, type(verbatim("")).__name__
    ('str', 'Verbatim', 'str')
    """
    text = raw.strip()
    return text if _comment_lines(text, "", WIDTH) == f"#{raw}\n" else Verbatim(raw)


def previous_context(message: Message) -> str | None:
    """The msgctxt a fuzzy translation was made for, when it differs (GNU ``#| msgctxt``)."""
    value = getattr(message, _PREVIOUS_CONTEXT, None)
    return value if isinstance(value, str) else None


def set_previous_context(message: Message, context: str | None) -> None:
    # Babel's Message has previous_id but no previous context; keep it beside it.
    setattr(message, _PREVIOUS_CONTEXT, context)


@lru_cache(maxsize=1 << 15)
def normalize(string: str, prefix: str = "", width: int = WIDTH) -> str:
    r"""Babel's ``normalize``: a string as PO lines, wrapped at ``width``.

    >>> print(normalize("Give 1 g\nthen review", width=76))
    ""
    "Give 1 g\n"
    "then review"
    """
    lines: list[str] = []
    for line in string.splitlines(True):
        # Most lines hold nothing ``escape`` changes but their final line break: then a chunk's
        # escaped length is its length (plus one for that break), with no escaping to measure it.
        plain = _ESCAPED.search(line, 0, len(line) - line.endswith("\n")) is None
        if (len(line) + 2 + line.endswith("\n") if plain else len(escape(line))) + len(prefix) > width:
            chunks = WORD_SEP.split(line)
            # Babel adds chunks to a line while 2 + their escaped lengths < width (at least one a
            # line), counting the prefix once per chunk; kept so obsolete entries do not churn. The
            # lengths' running sums find each line's end by bisection instead of chunk by chunk.
            lengths = ([len(c) + c.endswith("\n") + len(prefix) for c in chunks] if plain
                       else [len(escape(c)) - 2 + len(prefix) for c in chunks])
            sums = list(accumulate(lengths, initial=0))
            start = 0
            while start < len(chunks):
                end = max(bisect_left(sums, width - 2 + sums[start], start + 1) - 1, start + 1)
                lines.append("".join(chunks[start:end]))
                start = end
        else:
            lines.append(line)
    if len(lines) <= 1:
        return escape(string)
    if lines and not lines[-1]:
        del lines[-1]
        lines[-1] += "\n"
    return '""\n' + "\n".join(prefix + escape(line) for line in lines)


def _previous_lines(keyword: str, text: str, prefix: str, width: int) -> Iterator[str]:
    """``#| msgid ""`` then ``#| "line"``: GNU's multi-line form, the prefix counted in the width."""
    for number, line in enumerate(normalize(text, width=width - len(prefix)).split("\n")):
        yield f"{prefix}{keyword} {line}\n" if number == 0 else f"{prefix}{line}\n"


def _previous(message: Message, prefix: str, width: int) -> Iterator[str]:
    if not message.previous_id:
        return
    context = previous_context(message)
    if context is not None and context != message.context:
        yield from _previous_lines("msgctxt", context, prefix, width)
    yield from _previous_lines("msgid", message.previous_id[0], prefix, width)
    if len(message.previous_id) > 1:
        yield from _previous_lines("msgid_plural", message.previous_id[1], prefix, width)


def _entry(message: Message, num_plurals: int, prefix: str, width: int) -> Iterator[str]:
    if message.context is not None:  # msgctxt "" is a context of its own, not none
        yield f"{prefix}msgctxt {normalize(message.context, prefix, width)}\n"
    if isinstance(message.id, (list, tuple)):
        yield f"{prefix}msgid {normalize(message.id[0], prefix, width)}\n"
        yield f"{prefix}msgid_plural {normalize(message.id[1], prefix, width)}\n"
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for index in range(num_plurals):
            text = strings[index] if index < len(strings) else ""
            yield f"{prefix}msgstr[{index:d}] {normalize(text or '', prefix, width)}\n"
    else:
        yield f"{prefix}msgid {normalize(message.id, prefix, width)}\n"
        yield f"{prefix}msgstr {normalize(str(message.string or ''), prefix, width)}\n"


def _locations(message: Message) -> str:
    try:
        locations = sorted(message.locations, key=lambda x: (x[0], x[1] if isinstance(x[1], int) and x[1] else -1))
    except TypeError:
        locations = list(message.locations)
    seen: list[str] = []
    for filename, lineno in locations:
        location = filename.replace(os.sep, "/")
        if (" " in location or "\t" in location) and not location.startswith("\u2068"):
            location = f"\u2068{location}\u2069"  # gettext's isolates around names with spaces
        if lineno:
            location = f"{location}:{lineno:d}"
        if location not in seen:
            seen.append(location)
    return " ".join(seen)


def generate_po(catalog: Catalog, width: int = WIDTH) -> Iterator[str]:
    """The lines of a PO file; Babel's ``generate_po(include_previous=True)`` with valid ``#|``."""
    header = TextWrapper(width=width, subsequent_indent="# ", break_long_words=False)

    def comment(text: str, prefix: str = "") -> Iterator[str]:
        # cached: the same comments recur across catalogs
        yield f"#{text}\n" if isinstance(text, Verbatim) else _comment_lines(text, prefix, width)

    for message in catalog:
        if not message.id:
            lines: list[str] = []
            for line in catalog.header_comment.splitlines():
                lines += header.wrap(line)
            yield "\n".join(lines) + "\n"
        for text in message.user_comments:
            yield from comment(text)
        for text in message.auto_comments:
            yield from comment(text, ".")
        locations = _locations(message)
        if locations:
            yield from comment(locations, ":")
        if message.flags:
            yield f"#{', '.join(['', *sorted(message.flags)])}\n"
        yield from _previous(message, PREVIOUS, width)
        yield from _entry(message, catalog.num_plurals, "", width)
        yield "\n"
    for message in catalog.obsolete.values():
        for text in message.user_comments:
            yield from comment(text)
        if message.flags:  # GNU keeps them; Babel drops them, and a revived entry would lose "fuzzy"
            yield f"#{', '.join(['', *sorted(message.flags)])}\n"
        yield from _previous(message, "#~| ", width)
        yield from _entry(message, catalog.num_plurals, "#~ ", width)
        yield "\n"


@lru_cache(maxsize=1 << 14)
def _comment_lines(text: str, prefix: str, width: int) -> str:
    """A comment wrapped as Babel wraps it. Cached, as ``normalize`` is: a protocol's template and each
    of its catalogs carry the same comments and msgids, written one after the other."""
    if not text.strip() and not prefix:
        return "#\n"  # an empty translator comment parts paragraphs; GNU keeps it as "#" (extracted ones are remade)
    return "".join(f"#{prefix} {line.strip()}\n" for line in TextWrapper(width=width, break_long_words=False).wrap(text))


def render_po(catalog: Catalog, width: int = WIDTH) -> str:
    """The whole file; ends after the last entry as gettext and translate-toolkit do (Babel adds a blank line)."""
    return "".join(generate_po(catalog, width)).rstrip("\n") + "\n"
