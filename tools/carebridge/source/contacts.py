"""A telephone number written into a protocol: the number belongs to a hospital's edition.

A protocol is shared by every partner hospital, so a step names a role ("call
{contact:obstetric-emergency}") and each edition (``editions/<id>.yaml``) gives that role its
extension. "Call ext. 8245" or "0571-87654321" in a protocol is one hospital's number shown to all
of them, and goes stale with nobody to update it. Each translatable English text is read for the
shapes a number takes (an extension, a Chinese landline or mobile, a North American number, an
international prefix); each found is a warning, code ``contact-number``. Emergency numbers (120,
999, 911) are the jurisdiction check's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..problems import Problem, warning
from .jurisdiction import translatable_texts
from .loader import Document, JsonPath, format_path
from .schema import DEFAULT_SCHEMA

_NUMBER = re.compile(
    r"(?i)\b(?:ext(?:ension)?\.?|tel(?:ephone)?\.?|phone|bleep|pager)\s*(?:no\.?\s*)?[:#]?\s*\d{3,}"  # ext. 8245, bleep 2231
    r"|分机(?:号)?\s*[:：]?\s*\d{3,}"
    r"|(?<![\d.,])\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,3}(?!\d)"                       # +86 138 0013 8000
    r"|(?<![\d.,])\(?0\d{2,3}\)?[\s-]\d{7,8}(?!\d)"                                               # 0571-87654321
    r"|(?<![\d.,])1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"                                               # 138 0013 8000
    r"|(?<![\d.,])\(?\d{3}\)?[\s-]\d{3}-\d{4}(?!\d)")                                             # (310) 555-0100


# What every shape above needs somewhere: three digits in a row, or "+" before a digit. Written to
# start with one character class, which ``re`` scans for directly (an alternation it tries at every
# position: 2.7 µs a text against 0.6 µs).
_MAYBE = re.compile(r"[+\d](?:(?<=\+)\d|(?<=\d)\d\d)")


def contact_numbers(text: str) -> list[str]:
    """The telephone numbers and extensions written in ``text``.

    >>> contact_numbers("Call the urologist on ext. 8245, or 0571-87654321.")
    ['ext. 8245', '0571-87654321']
    >>> contact_numbers("Give 1 000 mg; platelets 100-150; NEWS2 of 5 or more; call 120.")
    []
    """
    return [m.group(0) for m in _NUMBER.finditer(text)]


def check_contact_numbers(doc: Document, schema_path: Path = DEFAULT_SCHEMA,
                          texts: Iterable[tuple[JsonPath, str]] | None = None) -> list[Problem]:
    """Warnings for numbers a protocol should leave to each hospital's edition (in ``texts``, the
    document's ``translatable_texts``, when a caller has them already)."""
    problems: list[Problem] = []
    for path, text in translatable_texts(doc.data, schema_path) if texts is None else texts:
        if _MAYBE.search(text) is None:  # most texts: one quick scan instead of the pattern's many starts
            continue
        for number in contact_numbers(text):
            line, col = doc.locate(path)
            problems.append(warning(
                doc.file, line, col, f"'{number}' is one hospital's telephone number, written into a protocol every "
                "hospital shares", path=format_path(path), code="contact-number",
                hint="name the role instead, e.g. {contact:on-call-urologist}; each hospital's edition gives its "
                     "number (editions/<id>.yaml, contacts)"))
    return problems
