"""What making a kept entry said, kept with what it made, and said again when the entry is reused.

A protocol's pages log what a reader should know (a blocked translation, a stale review) and look up
the site's words, some of them blocked. ``pagecache.Kept`` stores that beside the pages, so a build
that reuses them says the same and fails ``--strict`` the same as the build that made them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class SiteWords(Protocol):
    """A build's site words (``words.Words``): those found blocked, and those looked up."""

    blocked: dict[str, list[str]]
    seen: set[str]


@dataclass
class Said:
    """The log records of one making (``said``), to be said again on a hit."""

    records: list[tuple[str, int, str]] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self, said: Said) -> None:
        super().__init__(logging.DEBUG)
        self.said = said

    def emit(self, record: logging.LogRecord) -> None:
        self.said.records.append((record.name, record.levelno, record.getMessage()))


@contextlib.contextmanager
def said(logger: str = "mkdocs") -> Any:
    """Collect what ``logger`` and its children log inside the block (it is logged as usual too)."""
    found = Said()
    handler = _Collect(found)
    target = logging.getLogger(logger)
    target.addHandler(handler)
    try:
        yield found
    finally:
        target.removeHandler(handler)


def say_again(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)


Made = tuple[Any, list[tuple[str, int, str]], dict[str, list[str]]]  # (value, what it logged, site words blocked)


def made(make: Callable[[], Any], words: SiteWords | None = None) -> Made:
    """``make()``, with what it logged and the blocked site words it looked up in ``words``."""
    if words is not None:
        words.seen.clear()
    with said() as records:
        value = make()
    blocked = {} if words is None else {m: words.blocked[m] for m in sorted(words.seen) if m in words.blocked}
    return value, records.records, blocked


def said_again(entry: Made, words: SiteWords | None = None) -> Any:
    """A kept ``made`` entry's value, its log said again and its blocked site words added to
    ``words`` (a word another protocol met first in the build that made this one is still this one's)."""
    value, records, blocked = entry
    say_again(records)
    if words is not None:
        for msgid, reasons in blocked.items():
            words.blocked.setdefault(msgid, reasons)
    return value
