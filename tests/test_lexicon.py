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


def test_a_joining_word_starts_a_clause_but_not_inside_a_longer_word() -> None:
    text = "观察有无并发症，并记录出血量"
    assert [text[a:b] for a, b in lexicon.chinese_clauses(text)] == ["观察有无并发症", "并记录出血量"]
    assert lexicon.chinese_words("记录出血量")[0] == "记录"


@pytest.mark.parametrize(("english", "chinese", "added"), [
    # an examination, a drug, a condition joined on that the English does not ask for
    ("Weigh the baby every morning before the first feed.", "每天早晨第一次喂奶前给婴儿称体重，并抽血查血糖。", "并抽血查血糖"),
    ("Change the dressing every three days.", "每三天更换一次敷料，并同时口服抗生素。", "并同时口服抗生素"),
    ("Patients may eat a light meal two hours after the procedure.",
     "术后两小时，经护士评估吞咽功能后，患者可进少量清淡饮食。", "经护士评估吞咽功能后"),
])
def test_a_joined_on_clause_with_nothing_of_the_english_is_named(english: str, chinese: str, added: str) -> None:
    span = lexicon.unrendered_addition(english, chinese)
    assert span is not None and chinese[slice(*span)] == added


@pytest.mark.parametrize(("english", "chinese"), [
    # the English joins as many things on: the joined clause renders one ("a senior review")
    ("A baby who responds needs close monitoring and a senior review.", "有反应的新生儿需要密切监护，并由上级医师评估。"),
    # the joined clause renders English words
    ("Weigh the baby and record the weight.", "给婴儿称体重，并记录体重。"),
    # no joined-on clause: a faithful translation rephrases freely
    ("Weigh the baby every morning.", "每天早晨给婴儿称体重，抽血查血糖。"),
    # 并 inside a word (并发症) joins nothing on
    ("Watch for bleeding.", "观察有无出血并发症。"),
])
def test_no_addition_is_named_without_a_clause_joined_on_beyond_the_english(english: str, chinese: str) -> None:
    assert lexicon.unrendered_addition(english, chinese) is None


def test_a_word_said_again_in_the_joined_clause_renders_nothing_new() -> None:
    # 新生儿 renders "baby" once, in the first clause; said again it does not make 面罩吸氧 the English's
    english, chinese = "Ask the midwife to examine the baby at once.", "立即请助产士检查新生儿，同时给新生儿面罩吸氧。"
    span = lexicon.unrendered_addition(english, chinese)
    assert span is not None and chinese[slice(*span)] == "同时给新生儿面罩吸氧"
