"""What the "At a glance" block and the printable checklist take from a protocol.

The rule for first actions is derived from the data, not a new field: the first step's lead
sentence and the first items of its first list, in the page's language. Taking them from the
localized Markdown keeps a translation's own wording, and its fallback marking, intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source.model import Change, Medication, Protocol

_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
FIRST_ACTIONS = 3  # list items shown before "N more in step 1"


@dataclass(frozen=True)
class Excerpt:
    """The start of a step's instructions: Markdown, and how many list items were left out."""

    markdown: str
    more: int


def _blocks(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in markdown.strip().splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def list_items(markdown: str) -> list[str]:
    """The items of the first list in ``markdown``, each with its continuation lines.

    >>> list_items("Lead.\\n\\n- one\\n- two\\n  more\\n\\n- three")
    ['- one', '- two\\n  more', '- three']
    >>> list_items("No list here.")
    []
    """
    items: list[str] = []
    started = False
    for block in _blocks(markdown):
        if _ITEM.match(block[0]):
            started = True
            for line in block:
                if _ITEM.match(line) or not items:
                    items.append(line)
                else:
                    items[-1] += "\n" + line
        elif started:
            break
    return items


def excerpt(markdown: str, limit: int = FIRST_ACTIONS) -> Excerpt:
    """The lead paragraph (unless the text starts with its list) and the first ``limit`` list items.

    >>> excerpt("Give a uterotonic.\\n\\n- Oxytocin first.\\n- Misoprostol if none.\\n- Record.\\n- Watch.", 3)
    Excerpt(markdown='Give a uterotonic.\\n\\n- Oxytocin first.\\n- Misoprostol if none.\\n- Record.', more=1)
    >>> excerpt("Call the doctor now. Record the time.")
    Excerpt(markdown='Call the doctor now. Record the time.', more=0)
    """
    blocks = _blocks(markdown)
    if not blocks:
        return Excerpt("", 0)
    lead = "" if _ITEM.match(blocks[0][0]) else "\n".join(blocks[0])
    items = list_items(markdown)
    shown = "\n".join(items[:limit])
    return Excerpt("\n\n".join(part for part in (lead, shown) if part), max(len(items) - limit, 0))


@dataclass(frozen=True)
class DoseRow:
    """One dose of the protocol, with where it is on the page (for its text paths and its link)."""

    step: int
    index: int
    med: Medication

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("steps", self.step, "medications", self.index)


def dose_rows(protocol: Protocol) -> list[DoseRow]:
    """Every dose of every step, in step order."""
    return [DoseRow(s, m, med) for s, step in enumerate(protocol.steps) for m, med in enumerate(step.medications)]


def latest_change(protocol: Protocol) -> Change:
    """The newest history entry; of two on the same day, the one written later in the file."""
    return max(enumerate(protocol.history), key=lambda pair: (pair[1].date, pair[0]))[1]
