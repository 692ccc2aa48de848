"""What carries over from source to translation as it is (safety/carryover.py): here, line breaks
in a text that is no Markdown."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


@pytest.mark.parametrize("translation", ["阴道分娩后产后出血\n\n# 注入标题", "阴道分娩后产后出血\n---", "阴道分娩后\n产后出血"])
def test_a_one_line_text_that_gains_lines_is_an_error(translation: str) -> None:
    found = check_translation("Postpartum haemorrhage after vaginal birth", translation)
    assert any(f.code == "markup" and f.severity == "error" and f.message.startswith("line breaks not in source")
               for f in found), found


def test_line_breaks_the_source_has_are_kept_and_a_trailing_one_is_no_line() -> None:
    assert check_translation("Call the team.\nRecord the time.", "呼叫团队。\n记录时间。") == []
    assert check_translation("Call the team.", "呼叫团队。\n") == []


def test_markdown_text_is_judged_by_its_paragraphs_instead() -> None:
    found = check_translation("Give **oxytocin**.", "给予**缩宫素**。\n\n另起一段。", markup=True)
    assert any(f.message.startswith("markup mismatch: source has 1 paragraph") for f in found), found
