"""The condition check (``safety/conditional.py``): a rule made under a condition, translated for everyone."""

from __future__ import annotations

import pytest

from carebridge.safety.conditional import conditions
from carebridge.safety.equivalence import check_translation


def _condition(source: str, translation: str) -> list[str]:
    return [f.message for f in check_translation(source, translation) if f.code == "condition"]


@pytest.mark.parametrize(("source", "translation"), [
    ("If clots are blocking the catheter, change to a three-way catheter.", "应更换为三腔导尿管。"),
    ("If you feel dizzy when you stand up, leave out your evening dose.", "当晚的药先不要吃。"),
    ("Unless contraindicated, give aspirin 300 mg.", "给予阿司匹林300 mg。"),
    ("Give the booster provided that the first dose caused no reaction.", "给予加强剂。"),
    ("In case of a needlestick injury, wash the wound under running water.", "在流动水下冲洗伤口。"),
    ("Should the bleeding continue, call the obstetric registrar.", "呼叫产科上级医生。"),
])
def test_a_condition_lost_entirely_is_an_error(source: str, translation: str) -> None:
    (message,) = _condition(source, translation)
    assert message.startswith("condition dropped: the source makes a condition")


@pytest.mark.parametrize(("source", "translation"), [
    ("If clots are blocking the catheter, change to a three-way catheter.", "如有血块堵塞导尿管，应更换为三腔导尿管。"),
    ("If clots are blocking the catheter, change to a three-way catheter.", "血块堵塞导尿管时，更换为三腔导尿管。"),
    ("If clots are blocking the catheter, change to a three-way catheter.", "导尿管被血块堵塞者，更换为三腔导尿管。"),
    ("If clots are blocking the catheter, change to a three-way catheter.", "导尿管被血块堵塞，更换为三腔导尿管。"),
    ("Repeat the dose if needed.", "必要时重复给药。"),
    ("Start the next cycle only if platelets are at least 100.", "血小板不低于100，方可开始下一周期。"),
    ("If the potassium returns to normal, restart the infusion.", "血钾恢复正常后重新开始输注。"),
    ("Unless the doctor says otherwise, continue the usual medicines.", "除医生另有指示外，照常服用日常药物。"),
    ("Ask the patient if they have any allergies.", "询问患者有无过敏史。"),   # whether, not a condition
    ("Keep the baby warm if possible.", "尽量为婴儿保暖。"),
    ("Continue the anticoagulant even if the swelling improves.", "即便肿胀减轻，也应继续使用抗凝药。"),
    ("Vincristine is fatal if given intrathecally.", "长春新碱鞘内注射可致死。"),
])
def test_a_condition_said_any_way_or_no_condition_at_all_passes(source: str, translation: str) -> None:
    assert _condition(source, translation) == []


def test_conditions_are_counted_in_the_source_only_where_if_opens_one() -> None:
    assert conditions("If in doubt, ask; check if the line is patent; as if nothing happened.") == 1
    assert conditions("Record whether the patient is in pain.") == 0
    assert conditions("Care is provided by the ward team, providing support to families.") == 0
