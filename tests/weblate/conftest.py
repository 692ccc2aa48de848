"""Live-Weblate tests run only when asked: ``make test-weblate`` (CAREBRIDGE_WEBLATE=1)."""

from __future__ import annotations

import os

import pytest

SKIP_REASON = ("live Weblate test: run `make test-weblate` (sets CAREBRIDGE_WEBLATE=1; stands up PostgreSQL, "
               "git daemon and Weblate 2026.10.1 on 127.0.0.1, about 10 minutes cold, 1-3 warm)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("CAREBRIDGE_WEBLATE") == "1":
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker("weblate"):
            item.add_marker(skip)
