"""The general dictionary read for clauses a translation left out (safety/lexicon.py)."""

from __future__ import annotations

import pytest

from carebridge.safety import lexicon


def test_a_word_and_its_inflections_share_a_stem() -> None:
    assert lexicon.stem("catheters") == lexicon.stem("catheter")
    assert lexicon.stem("washing") == lexicon.stem("washed") == lexicon.stem("wash")
    assert lexicon.stem("Injuries") == lexicon.stem("injury")


def test_grammar_words_are_not_content() -> None:
    assert lexicon.content_words("Keep it in the fridge and do not freeze it") == ["Keep", "fridge", "freeze"]


def test_a_rendered_word_counts_and_an_absent_one_does_not() -> None:
    assert lexicon.coverage("wound dressing", "更换伤口敷料") == (2, 2)
    assert lexicon.coverage("wound dressing", "测量体温") == (2, 0)


def test_a_word_the_dictionary_does_not_know_is_no_evidence() -> None:
    known, _ = lexicon.coverage("oocyte zzzzq", "取卵")
    assert known == 0


def test_clauses_break_at_punctuation_and_joining_words() -> None:
    text = "Wash the wound, and cover it if it bleeds"
    assert [text[a:b].strip() for a, b in lexicon.clauses(text)] == ["Wash the wound", "cover it", "it bleeds"]


@pytest.mark.parametrize(("english", "chinese", "missing"), [
    ("Wash the wound with clean water and soap, and cover it with a dry dressing.", "用清水和肥皂清洗伤口。",
     "cover it with a dry dressing"),
    ("Explain the decision to the couple, and give them the reasons in writing.", "向夫妻双方解释该决定。",
     "give them the reasons in writing"),
])
def test_the_clause_with_nothing_rendered_is_named(english: str, chinese: str, missing: str) -> None:
    span = lexicon.unrendered_clause(english, chinese)
    assert span is not None and english[slice(*span)].strip(" .") == missing


@pytest.mark.parametrize(("english", "chinese"), [
    # every clause rendered
    ("Wash the wound with clean water and soap, and cover it with a dry dressing.", "用清水和肥皂清洗伤口，并以干敷料覆盖。"),
    # one clause only: nothing to compare it with
    ("Cover the wound with a dry dressing.", "测量体温。"),
    # the dictionary finds nothing of the rest either: it is not working on this sentence
    ("Wash the wound with soap, and cover it with a dry dressing.", "请按本院流程处理。"),
])
def test_no_clause_is_named_without_evidence(english: str, chinese: str) -> None:
    assert lexicon.unrendered_clause(english, chinese) is None
