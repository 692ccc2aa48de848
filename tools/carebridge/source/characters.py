"""What characters a project's YAML text may hold, looked for in the whole text before it is parsed.

YAML forbids control characters; a bidirectional override can show "10" where the file says "01";
an invisible character inside a number ("1\u200b0 mg") shows as 10 mg but reads as 1 and 0 to the
translation checks, search and a screen reader. ``loader.parse_yaml`` refuses a text holding any of
them at its line and column, and its reader looks again inside double-quoted values, where an escape
("\u202e") can bring one in.
"""

from __future__ import annotations

import re

from .. import markup
from ..problems import Problem, error

# What YAML forbids (outside c-printable), a BOM after the start, and bidirectional overrides,
# which can show "10" where the file says "01". One class (not an alternation) so that ``re`` scans
# with it directly: four times faster on a protocol.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff"
                       f"{markup.BIDI_CONTROLS}]")
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# What a double-quoted string can bring in as an escape ("\u202e", "\x85", "\v"): the forbidden
# characters, and the line separators no translation tool keeps.
ESCAPED = re.compile(f"[{FORBIDDEN.pattern[1:-1]}\x85\u2028\u2029]")
# Invisible characters inside a number: "1\u200b0 mg" shows as 10 mg but reads as 1 and 0 (to the
# translation checks, search and a screen reader). Translations may not hold them (safety.carryover);
# nor may the English they are checked against. ``markup.has_invisible`` finds a file without any at once.
INVISIBLE_IN_NUMBER = markup.INVISIBLE_IN_NUMBER
INVISIBLE_HINT = ("delete it (often left by a copy and paste): the page shows one number where the checks, search "
                  "and screen readers read two")


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``text[index]``, counting line breaks as YAML does."""
    breaks = list(BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


def hidden_character(text: str) -> str | None:
    """The first character a protocol's text may not hold, even escaped (``U+202E``), or None."""
    match = ESCAPED.search(text) or invisible_in_number(text) or markup.odd_digit(text)
    return f"U+{ord(match.group()[0]):04X}" if match else None


def invisible_in_number(text: str) -> re.Match[str] | None:
    """The first run of invisible characters between two digits of ``text``, or None."""
    return INVISIBLE_IN_NUMBER.search(text) if markup.has_invisible(text) else None


def forbidden_character(text: str, file: str) -> Problem | None:
    """The error for the first character ``text`` may not hold at all (escaped or not), at its line and column."""
    match = FORBIDDEN.search(text)
    if match is None:
        hidden = invisible_in_number(text)
        if hidden is None:
            odd = markup.odd_digit(text)
            if odd is None:
                return None
            line, col = position(text, odd.start())
            return error(file, line, col, f"look-alike digit {odd.group()!r} (U+{ord(odd.group()):04X}) is not allowed: "
                         "the page shows a digit the checks do not read", hint=markup.ODD_DIGIT_HINT, code="character")
        line, col = position(text, hidden.start())
        return error(file, line, col, f"invisible character U+{ord(hidden.group()[0]):04X} inside a number is not "
                     "allowed", hint=INVISIBLE_HINT, code="character")
    line, col = position(text, match.start())
    char = ord(match.group())
    if markup.BIDI.match(match.group()):
        return error(file, line, col, f"bidirectional control character U+{char:04X} is not allowed",
                     hint="delete it: it can make text (and a dose) display in another order than it reads",
                     code="character")
    return error(file, line, col, f"control character U+{char:04X} is not allowed in YAML",
                 hint="delete it (often left by a copy and paste); most editors do not show it", code="character")
