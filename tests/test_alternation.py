"""safety/alternation.py: many patterns searched as one, with the longest match winning at a place."""

from __future__ import annotations

from carebridge.safety.alternation import Alternation


def found(alternation: Alternation[str], text: str) -> list[tuple[str, str]]:
    return [(text[start:end], payload) for start, end, payload in alternation.finditer(text)]


def test_among_patterns_the_first_that_matches_wins() -> None:
    # Patterns are tried longest pattern text first, and a regex takes the first alternative that
    # matches: a shorter pattern that would match more must be excluded by the longer one's lookahead
    # (en-zh-kinds.yaml: 'normal(?! … dpd)' so that 'normal dpd activity' is read whole).
    alternation = Alternation([("normal(?! saline| dose| activity| sleep| dpd)", "normal"),
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
