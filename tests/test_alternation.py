"""safety/alternation.py: many patterns searched as one, with the longest match winning at a place."""

from __future__ import annotations

from carebridge.safety.alternation import Alternation


def found(alternation: Alternation[str], text: str) -> list[tuple[str, str]]:
    return [(text[start:end], payload) for start, end, payload in alternation.finditer(text)]


def test_the_longest_pattern_wins_even_when_a_longer_pattern_text_matches_less() -> None:
    # A regex takes the first alternative that matches: 'normal(?! saline| dose)' is the longer
    # pattern and sorts first, yet 'normal dpd activity' says more at the same place.
    alternation = Alternation([("normal(?! saline| dose| activity| sleep)", "normal"),
                               ("normal dpd(?: activity)?", "dpd-normal")], english=True)
    assert found(alternation, "with normal DPD activity only") == [("normal DPD activity", "dpd-normal")]
    assert found(alternation, "a normal result") == [("normal", "normal")]
    assert found(alternation, "normal saline") == []


def test_a_plain_name_wins_a_tie_and_matches_do_not_overlap() -> None:
    alternation = Alternation([("缩宫素", "oxytocin"), ("卡贝缩宫素", "carbetocin"), ("卡贝.{2}", "pattern")])
    assert found(alternation, "卡贝缩宫素与缩宫素") == [("卡贝缩宫素", "carbetocin"), ("缩宫素", "oxytocin")]


def test_english_alternatives_are_whole_words() -> None:
    alternation = Alternation([("nurses?", "nurse"), ("doctors?(?= on call)", "doctor")], english=True)
    assert found(alternation, "Nursing staff and the nurse; the doctor on call") == [
        ("nurse", "nurse"), ("doctor", "doctor")]
