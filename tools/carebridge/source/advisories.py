"""Warnings ``validate`` adds to a protocol that loads cleanly: sources not checked as current
(``currency``), English tied to one country's rules without naming it (``jurisdiction``) and a
hospital's telephone number written into a protocol (``contacts``).

They are advice, not errors: the exit code stays 0. An ``Advisor`` is a plain value so the
library's worker processes can receive it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..problems import Problem
from .contacts import check_contact_numbers
from .currency import DEFAULT_MAX_AGE_DAYS, protocol_warnings
from .jurisdiction import check_jurisdiction, translatable_texts
from .library import Loaded


@dataclass(frozen=True)
class Advisor:
    """Advice for one loaded protocol, as of ``on``."""

    on: dt.date
    max_age_days: int = DEFAULT_MAX_AGE_DAYS

    def __call__(self, item: Loaded) -> list[Problem]:
        texts = list(translatable_texts(item.document.data))  # walked once for both checks
        return (protocol_warnings(item, self.on, self.max_age_days) + check_jurisdiction(item.document, texts=texts)
                + check_contact_numbers(item.document, texts=texts))
