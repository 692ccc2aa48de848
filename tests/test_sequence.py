"""Steps done in turn (``safety/sequence.py``): the first step made the next one and the next made first."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


def _sequence(source: str, translation: str) -> list[str]:
    return [f.message for f in check_translation(source, translation) if f.code == "sequence"]


@pytest.mark.parametrize(("source", "translation", "first"), [
    ("Dry the baby first, then assess tone, breathing and heart rate.", "先评估肌张力、呼吸和心率，再擦干新生儿。", "Dry"),
    ("Stop the infusion, then give dexrazoxane.", "先给予右雷佐生，再停止输注。", "Stop"),
    ("Take the blood cultures, then start the antibiotics.", "先开始使用抗生素，然后留取血培养。", "blood cultures"),
])
def test_steps_said_the_other_way_round_are_an_error(source: str, translation: str, first: str) -> None:
    (message,) = _sequence(source, translation)
    assert message.startswith("steps reversed") and f"'{first}'" in message.split(" first")[0]


@pytest.mark.parametrize(("source", "translation"), [
    ("Dry the baby first, then assess tone, breathing and heart rate.", "先擦干新生儿，再评估肌张力、呼吸和心率。"),
    ("Take the blood cultures, then start the antibiotics.", "首先留取血培养，然后开始使用抗生素。"),
    # the order said without 先 … 再 is read by other checks, not this one
    ("Stop the infusion, then give dexrazoxane.", "给予右雷佐生前停止输注。"),
    # and without "then" in the English there is no order to keep
    ("Stop the infusion and give dexrazoxane.", "先给予右雷佐生，再停止输注。"),
])
def test_the_same_order_or_no_stated_order_passes(source: str, translation: str) -> None:
    assert _sequence(source, translation) == []
