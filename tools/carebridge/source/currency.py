"""Are the library's sources current? Pure: loaded protocols and a date in, rows and problems out.

A source is *current* when someone confirmed it is the latest version (``checked``) within
``max_age_days``. It is *unchecked* without a ``checked`` date, *overdue* when the check is
older than that, and *superseded* when ``superseded_by`` names a newer version (cited on
purpose, but a reader should know). ``carebridge sources`` lists them all; ``validate`` warns
about unchecked and overdue ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..problems import Problem, warning
from .library import Loaded
from .model import Protocol

DEFAULT_MAX_AGE_DAYS = 365
CURRENT, UNCHECKED, OVERDUE, SUPERSEDED, FUTURE = "current", "unchecked", "overdue", "superseded", "future"


def today() -> dt.date:
    """The clock behind "overdue"; tests replace it."""
    return dt.date.today()


@dataclass(frozen=True)
class SourceRow:
    """One source as cited by one protocol, with where it is written and how current it is."""

    protocol: str
    source: str
    title: str
    year: int
    checked: str
    superseded_by: str
    state: str
    age_days: int | None
    file: str
    line: int
    col: int
    index: int = 0  # position in the protocol's sources list

    def as_json(self) -> dict[str, object]:
        return {"protocol": self.protocol, "source": self.source, "title": self.title, "year": self.year,
                "checked": self.checked or None, "superseded_by": self.superseded_by or None, "state": self.state,
                "age_days": self.age_days, "file": self.file, "line": self.line, "col": self.col}


def state_of(checked: str, superseded_by: str, on: dt.date, max_age_days: int) -> tuple[str, int | None]:
    """The source's state on ``on`` and the age of its check in days.

    >>> state_of("2026-01-01", "", dt.date(2026, 11, 30), 365)
    ('current', 333)
    >>> state_of("2025-01-01", "", dt.date(2026, 11, 30), 365)
    ('overdue', 698)
    >>> state_of("", "", dt.date(2026, 11, 30), 365)
    ('unchecked', None)
    >>> state_of("2026-11-30", "WHO 2025", dt.date(2026, 11, 30), 365)
    ('superseded', 0)
    """
    age = (on - dt.date.fromisoformat(checked)).days if checked else None
    if superseded_by:
        return SUPERSEDED, age
    if age is None:
        return UNCHECKED, None
    if age < 0:
        return FUTURE, age
    return (OVERDUE if age > max_age_days else CURRENT), age


def source_rows(loaded: Iterable[Loaded], on: dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[SourceRow]:
    """Every source of every protocol, in library order (protocol id, then as listed)."""
    rows: list[SourceRow] = []
    for item in sorted(loaded, key=lambda i: i.protocol.id):
        for index, source in enumerate(item.protocol.sources):
            state, age = state_of(source.checked, source.superseded_by, on, max_age_days)
            line, col = item.document.locate(("sources", index))
            rows.append(SourceRow(item.protocol.id, source.id, source.title, source.year, source.checked,
                                  source.superseded_by, state, age, item.protocol.file, line, col, index))
    return rows


def row_problem(row: SourceRow, max_age_days: int) -> Problem | None:
    """The warning a source's state calls for (none when current)."""
    path = f"sources[{row.index}]"
    if row.state == UNCHECKED:
        return warning(row.file, row.line, row.col, f"source '{row.source}' has not been checked as current",
                       path=path, code="source-unchecked",
                       hint="confirm it is the latest version, then add `checked: YYYY-MM-DD` (or `superseded_by:` "
                            "naming the newer version)")
    if row.state == OVERDUE:
        return warning(row.file, row.line, row.col,
                       f"source '{row.source}' was last checked {row.checked}, {row.age_days} days ago "
                       f"(more than {max_age_days})", path=path, code="source-overdue",
                       hint="check it is still the latest version and update `checked:`")
    if row.state == FUTURE:
        return warning(row.file, row.line, row.col, f"source '{row.source}' has a checked date in the future "
                       f"({row.checked})", path=path, code="source-checked-future",
                       hint="write the date the source was actually checked")
    if row.state == SUPERSEDED:
        return warning(row.file, row.line, row.col,
                       f"source '{row.source}' is superseded by {row.superseded_by}", path=path,
                       code="source-superseded",
                       hint="cite the newer version, or keep this one only for text the new one lacks and say so")
    return None


def currency_problems(rows: Iterable[SourceRow], max_age_days: int = DEFAULT_MAX_AGE_DAYS, *,
                      superseded: bool = True) -> list[Problem]:
    """Warnings for rows that are not current; ``superseded=False`` leaves out sources cited on purpose."""
    found = [row_problem(row, max_age_days) for row in rows if superseded or row.state != SUPERSEDED]
    return [p for p in found if p is not None]


def protocol_warnings(item: Loaded, on: dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> list[Problem]:
    """What ``validate`` says about one protocol's sources: unchecked, overdue or future checks."""
    return currency_problems(source_rows([item], on, max_age_days), max_age_days, superseded=False)


def sources_checked_on(protocol: Protocol) -> str | None:
    """The date by which every source of ``protocol`` had been checked (the oldest ``checked``),
    or None while any source is unchecked, so a page can say "sources checked on …" honestly.
    Sources checked on 2026-11-30 and 2026-06-01 give "2026-06-01".
    """
    dates = [source.checked for source in protocol.sources]
    if not dates or not all(dates):
        return None
    return min(dates)


def table(rows: list[SourceRow]) -> list[str]:
    """Rows as aligned text lines (header first) for ``carebridge sources``."""
    width_p = max([len(r.protocol) for r in rows] + [8])
    width_s = max([len(r.source) for r in rows] + [6])
    lines = [f"{'protocol':<{width_p}}  {'source':<{width_s}}  {'checked':<10}  {'state':<10}  superseded by"]
    for r in rows:
        lines.append(f"{r.protocol:<{width_p}}  {r.source:<{width_s}}  {r.checked or '-':<10}  {r.state:<10}  "
                     f"{r.superseded_by}".rstrip())
    return lines
