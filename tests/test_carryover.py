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


@pytest.mark.parametrize(("source", "translation", "message"), [
    ("Give the bolus **within 10 minutes**.", "10分钟内**推注**。", "bold moved: the source's bold holds 10"),
    ("**Do not** flush a line that will not bleed back.", "导管无法回血时，切勿**冲管**。",
     "bold moved: the source's bold holds a negation"),
    ("**Never** leave the baby alone on the scales.", "**婴儿**在秤上时绝不能无人看护。",
     "bold moved: the source's bold holds a negation"),
    ("- Prefer oxytocin.\n- Then misoprostol.", "1. 首选缩宫素。\n2. 其次米索前列醇。",
     "markup mismatch: source has 0 numbered list item(s), translation has 2"),
])
def test_emphasis_moved_off_a_number_or_a_list_made_a_sequence_is_an_error(source: str, translation: str,
                                                                          message: str) -> None:
    found = check_translation(source, translation, markup=True)
    assert any(f.code == "markup" and f.severity == "error" and f.message.startswith(message) for f in found), found


@pytest.mark.parametrize(("source", "translation"), [
    ("Give the bolus **within 10 minutes**.", "**10分钟内**推注。"),
    ("**Within ten minutes**, give it.", "**十分钟内**给予。"),
    ("1. Call for help.\n2. Give oxytocin.", "1. 呼救。\n2. 给予缩宫素。"),
    ("**Do not** flush a line that will not bleed back.", "导管无法回血时，**切勿**冲管。"),
    ("**Never** leave the baby alone on the scales.", "婴儿在秤上时**绝不能**无人看护。"),
])
def test_the_same_emphasis_and_lists_pass(source: str, translation: str) -> None:
    assert [f for f in check_translation(source, translation, markup=True) if f.code == "markup"] == []


@pytest.mark.parametrize(("translation", "ok"), [
    ("亚低温治疗期间，目标体温维持在33.5±0.5°C，持续72小时。", True),
    ("亚低温治疗期间，目标体温维持在33.5°C（正负0.5°C），持续72小时。", True),
    ("亚低温治疗期间，目标体温维持在33.5+0.5°C，持续72小时。", False),
    ("亚低温治疗期间，目标体温维持在33.5-0.5°C，持续72小时。", False),
])
def test_a_tolerance_is_kept_as_plus_or_minus(translation: str, ok: bool) -> None:
    found = check_translation("Keep the target temperature at 33.5 ± 0.5°C for 72 hours.", translation)
    tolerance = [f for f in found if f.message.startswith("tolerance mismatch")]
    assert (tolerance == []) is ok, found
    assert all(f.severity == "error" for f in tolerance)


@pytest.mark.parametrize("translation", [
    "出血量超过\U0001d7e31000 mL（严重产后出血）",   # a mathematical sans-serif 1 before the number: 11000 on the page
    "出血量超过\U0001d7cf1000 mL",                   # mathematical bold
    "出血量超过\u0661\u0660\u0660\u0660 mL",          # Arabic-Indic digits
    "出血量超过\u20811000 mL",                        # a subscript one
    "出血量超过1000\u2081 mL",                        # and after the number
    "出血量超过\u2460000 mL",                         # a circled one
])
def test_a_look_alike_digit_in_a_translation_is_an_error(translation: str) -> None:
    found = check_translation("Blood loss of more than 1000 mL (major PPH).", translation)
    assert any(f.code == "character" and f.severity == "error" and f.message.startswith("look-alike digit")
               for f in found), found


@pytest.mark.parametrize(("source", "translation"), [
    ("Keep SpO₂ above 94%.", "保持SpO₂高于94%。"),
    ("Platelets below 50 × 10⁹/L.", "血小板低于50×10⁹/L。"),
    ("Give 1½ tablets.", "服用1½片。"),
    ("Give １０ mg.", "给予１０ mg。"),
])
def test_exponents_indices_fractions_and_full_width_digits_are_no_look_alikes(source: str, translation: str) -> None:
    assert [f for f in check_translation(source, translation) if f.code == "character"] == []
