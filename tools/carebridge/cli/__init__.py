"""The ``carebridge`` command. The only code that talks to the terminal.

Exit codes: 0 clean, 1 problems found, 2 usage or internal error. ``app`` defines the groups and
the reporting; ``library``, ``translation`` and ``site`` register their commands on them.
"""

from . import library, site, translation  # noqa: F401 - importing registers the commands
from .app import main

__all__ = ["main"]
