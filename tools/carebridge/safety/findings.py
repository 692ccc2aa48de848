"""What an equivalence check reports: a ``Finding`` and the check ``CODES`` it can carry.

Its own module so that ``equivalence`` and ``glossary`` (both produce findings) share the type
without importing each other; ``equivalence`` re-exports both names.
"""

from __future__ import annotations

from dataclasses import dataclass

CODES = ("numbers", "units", "frequency", "route", "comparison", "links", "markup", "html", "character", "glossary",
         # meaning checks (``meaning``, ``binding``): what changes without touching a number
         "negation", "laterality", "site", "conjunction", "drug", "unit-word", "frequency-word", "route-order",
         "placeholder", "binding", "contrast", "obligation", "restriction", "urgency", "ordinal", "length",
         "instruction",
         # across catalogs (``consistency``): one English term, two renderings
         "consistency")


@dataclass(frozen=True)
class Finding:
    """One way a translation differs from its source."""

    code: str  # one of CODES
    severity: str  # "error" or "warning"
    message: str
    hint: str = ""
