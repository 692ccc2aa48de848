"""Settings for a process that runs one command over a whole library (the CLI, a build's sibling
process), not for a program that imports the package.

Python's cyclic collector runs after every 700 new objects by default and, now and then, walks
every object alive. A build holds a million of them (the parsed library, its catalogs, the
dictionary of the length check), so the walks cost more than the work: at 1,000 protocols they
took about 4 s of a 35 s build. Almost nothing a command makes is cyclic garbage, so the young
generation is collected after 200,000 new objects instead (mypy's setting, for the same reason).
"""

from __future__ import annotations

import gc

YOUNG = 200_000
OLDER = 30


def for_batch() -> None:
    """Collect rarely: the process is about to make and keep many objects."""
    gc.set_threshold(YOUNG, OLDER, OLDER)
