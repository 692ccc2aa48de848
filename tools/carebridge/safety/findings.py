"""What an equivalence check reports: a ``Finding``, the check ``CODES`` it can carry, and the
codes a translator allowed for one message (``parse_allowances``).

Its own module so that ``equivalence`` and ``glossary`` (both produce findings) share the type
without importing each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CODES = ("numbers", "units", "frequency", "route", "comparison", "links", "markup", "html", "character", "glossary",
         # meaning checks (``meaning``, ``binding``): what changes without touching a number
         "negation", "laterality", "site", "conjunction", "drug", "unit-word", "frequency-word", "route-order",
         "placeholder", "binding", "contrast", "obligation", "restriction", "urgency", "concession", "ordinal", "length",
         "instruction", "exception", "investigation", "condition", "sequence",
         # across catalogs (``consistency``): one English term, two renderings
         "consistency")


@dataclass(frozen=True)
class Finding:
    """One way a translation differs from its source."""

    code: str  # one of CODES
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""


_ALLOW = re.compile(r"^\s*carebridge-allow\s*:\s*(?P<codes>[A-Za-z]+(?:-[A-Za-z]+)*(?:\s*,\s*[A-Za-z]+(?:-[A-Za-z]+)*)*)\s*"
                    r"(?:(?:—|–|-|:)\s*(?P<reason>.*?))?\s*$", re.I)


def parse_allowances(translator_comments: list[str]) -> dict[str, str]:
    """Which checks a translator switched off for one message, and why.

    A line without a reason, or naming an unknown code, allows nothing: it comes back under the
    key ``""`` (several joined with "; ") so the caller can report it.

    >>> parse_allowances(["carebridge-allow: numbers — dose expressed per kg in this locale"])
    {'numbers': 'dose expressed per kg in this locale'}
    >>> parse_allowances(["carebridge-allow: units", "carebridge-allow: numbrs - typo"])
    {'': 'units: no reason given; numbrs: unknown check'}
    >>> parse_allowances(["carebridge-allow: numbers — ."])
    {'': "numbers: the reason '.' says nothing"}
    """
    allowed: dict[str, str] = {}
    rejected: list[str] = []
    for line in translator_comments:
        m = _ALLOW.match(line)
        if not m:
            if re.match(r"\s*carebridge-allow\b", line, re.I):
                rejected.append(f"{line.strip()}: not 'carebridge-allow: <code> — <reason>'")
            continue
        reason = (m.group("reason") or "").strip()
        for code in (c.strip().lower() for c in m.group("codes").split(",")):
            if code not in CODES:
                rejected.append(f"{code}: unknown check")
            elif not reason:
                rejected.append(f"{code}: no reason given")
            elif len(re.findall(r"\w", reason)) < 3:  # "." or "ok" is no reason a reviewer can weigh
                rejected.append(f"{code}: the reason {reason!r} says nothing")
            else:
                allowed[code] = reason
    if rejected:
        allowed[""] = "; ".join(rejected)
    return allowed
