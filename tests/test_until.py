"""safety/until.py: "must not … until" read in its Chinese forms (前不得, 后方可) and reversed (后不得)."""

from __future__ import annotations

import pytest

from carebridge.safety.concepts import Mention
from carebridge.safety.pair import Pair
from carebridge.safety.until import not_after, read_until
from carebridge.safety.vocabulary import vocabulary

UNTIL = "Staff must not return to work until 48 hours after the symptoms have stopped."


def _read(en: str, zh: str) -> tuple[Pair, list[Mention], list[Mention]]:
    pair = Pair(en, zh, vocabulary())
    src, tr = (sorted(pair.found("contrast", side), key=lambda m: m.start) for side in ("en", "zh"))
    return pair, src, tr


@pytest.mark.parametrize("zh", ["员工须在症状消失48小时后方可返岗。", "员工须在症状消失48小时后，才能返岗。"])
def test_only_then_keeps_the_prohibition_after_until(zh: str) -> None:
    pair, src, tr = _read(UNTIL, zh)
    assert "prohibited" in {m.id for m in read_until(pair, src, tr)}
    assert not_after(pair, src, tr) is None


def test_only_then_keeps_nothing_without_until() -> None:
    pair, src, tr = _read("Do not give aspirin to children.", "儿童须经医生评估后方可服用阿司匹林。")
    assert "prohibited" in {m.id for m in tr}  # the list reads 方可 …
    assert "prohibited" not in {m.id for m in read_until(pair, src, tr)}  # … and the source has no until


def test_not_before_stands_for_the_sources_after() -> None:
    pair, src, tr = _read(UNTIL, "员工在症状消失48小时前不得返岗。")
    assert "before" in {m.id for m in tr}
    read = read_until(pair, src, tr)
    assert "before" not in {m.id for m in read} and "after" in {m.id for m in read}


def test_not_after_a_length_of_time_is_the_meaning_reversed() -> None:
    pair, src, tr = _read(UNTIL, "员工在症状消失48小时后不得返岗。")
    assert not_after(pair, src, tr) == ("after", "后不得")


def test_not_after_the_procedure_for_some_hours_is_no_reversal() -> None:
    pair, src, tr = _read("Do not eat until 6 hours after surgery.", "术后不得进食6小时。")
    assert not_after(pair, src, tr) is None
