"""Reviews from Weblate, end to end: `carebridge i18n pull-reviews` (the console script) against a local
Weblate answering with recorded REST responses, then a real build whose translated page names the reviewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.weblate.recorded import TOKEN, serving

from .conftest import ZH_CATALOG, carebridge, make_tree, translate
from .test_review import HEADER, PAGE, PROVENANCE, ZH, review_row, text_of

pytestmark = pytest.mark.slow


def test_approvals_pulled_from_weblate_are_named_on_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = make_tree(tmp_path / "project")
    translate(tree / ZH_CATALOG, ZH)
    (tree / PROVENANCE).write_text(HEADER, encoding="utf-8")

    monkeypatch.setenv("WEBLATE_TOKEN", TOKEN)
    with serving() as weblate:
        done = carebridge(tree, "i18n", "pull-reviews", "--url", weblate.url, "--project", "carebridge",
                          "--locale", "zh_CN")
    # Here "Continue monitoring" is confirmed (not fuzzy), so anna's approval of it counts too.
    assert "10 approved in Weblate: 5 recorded, 0 already recorded, 4 skipped" in done.stderr, done.stderr
    assert (tree / PROVENANCE).read_text(encoding="utf-8").startswith(
        HEADER + "  reviews:\n    - reviewer: Anna Schmidt\n      role: Weblate reviewer\n      date: 2026-11-30\n")

    carebridge(tree, "build")
    page = text_of(tree / "site", PAGE)
    assert ("5 of 23 texts of this translation were reviewed by 李医生 (Weblate reviewer, 2026-12-02), 李医生 (Weblate "
            "reviewer, 2026-12-01), Anna Schmidt (Weblate reviewer, 2026-11-30); the others have not been reviewed "
            "by a clinician.") in page, page
    assert "No clinician has reviewed" not in page
    assert review_row(tree / "site") == ["5", "18"]
