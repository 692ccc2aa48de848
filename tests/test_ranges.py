"""The order inside a range or a slash pair (safety/ranges.py), through the whole check."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


@pytest.mark.parametrize(("source", "translation", "message"), [
    ("Aim for reperfusion within 60 to 90 minutes.", "目标是在90至60分钟内完成再灌注。", "range reversed"),
    ("Repeat in 2 to 24 hours.", "在24-2小时内重复。", "range reversed"),
    ("Give 10–20 mL/kg.", "给予20～10 mL/kg。", "range reversed"),
    ("Treat blood pressure above 160/110 mmHg.", "血压高于110/160 mmHg时给予治疗。", "pair reversed"),
    ("Repeat in 2 to 24 hours.", "在2或24小时内重复。", "range lost"),
    ("Give 1 to 2 tablets.", "给予1片或2片。", None),  # two alternatives said apart: the numbers check's (no range read)
])
def test_a_range_or_pair_said_another_way_round_is_an_error(source: str, translation: str,
                                                            message: str | None) -> None:
    found = [f for f in check_translation(source, translation) if f.code == "numbers"]
    if message is None:
        assert not any(f.message.startswith(("range", "pair")) for f in found), found
    else:
        assert any(f.severity == "error" and f.message.startswith(message) for f in found), found


@pytest.mark.parametrize(("source", "translation"), [
    ("Aim for reperfusion within 60 to 90 minutes.", "目标是在60至90分钟内完成再灌注。"),
    ("Aim for reperfusion within 60 to 90 minutes.", "目标是在60-90分钟内完成再灌注。"),
    ("Treat blood pressure above 160/110 mmHg.", "血压高于160/110 mmHg时给予治疗。"),
    ("Checked on 2026-12-04, repeat in 2 to 24 hours.", "2026-12-04核对，2至24小时内重复。"),
    ("Give 4 mg/kg, then 2 mg/kg.", "给予4 mg/kg，随后2 mg/kg。"),
])
def test_a_range_or_pair_kept_in_order_passes(source: str, translation: str) -> None:
    assert [f for f in check_translation(source, translation) if f.severity == "error"] == []
