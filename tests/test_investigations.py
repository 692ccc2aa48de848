"""The investigation check (``safety/investigations.py``): tests named on one side only."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation
from carebridge.safety.pair import Pair
from carebridge.safety.vocabulary import vocabulary


def _investigation(source: str, translation: str) -> list[str]:
    return [f.message for f in check_translation(source, translation) if f.code == "investigation"]


def test_a_test_added_and_one_dropped_are_named_in_one_finding() -> None:
    (message,) = _investigation("Check the INR before the procedure.", "操作前复查血常规。")
    assert message == ("investigation mismatch: source asks for INR, which the translation does not; "
                       "translation asks for 血常规, which the source does not")


@pytest.mark.parametrize(("source", "translation"), [
    ("Arrange a head scan.", "安排头颅CT检查。"),                         # a scan stands for any imaging
    ("Arrange imaging of the chest.", "安排胸部X线检查。"),
    ("Scan the bladder after the void.", "排尿后超声测残余尿。"),         # 超声 beside the bladder scan it is about
    ("Monitor the fetal heart continuously.", "持续胎心监护。"),
    ("Send cultures before antibiotics.", "使用抗菌药物前送血培养。"),
])
def test_a_soft_word_stands_for_a_test_of_its_family(source: str, translation: str) -> None:
    assert _investigation(source, translation) == []


@pytest.mark.parametrize(("source", "translation", "named"), [
    ("Request a CT of the head.", "申请头颅超声检查。", "CT"),             # 超声 is under imaging, beside a CT
    ("Request a CT of the head.", "申请头颅超声。", "CT"),                 # a soft 超声 is no CT either
    ("Send a urine sample for culture.", "送尿培养，并查血培养。", "血培养"),  # "for culture" is the urine's
    ("Record an ECG.", "记录心电图，并行胎心监护。", "胎心监护"),
])
def test_a_soft_word_stands_for_no_test_of_another_family_or_one_its_side_names(
        source: str, translation: str, named: str) -> None:
    (message,) = _investigation(source, translation)
    assert named in message


def test_families_nest_in_the_data() -> None:
    # every family named "a:b" has its parent "a" as the family of some soft word, or stands alone
    category = vocabulary()["test"]
    families = {concept.family for language in ("en", "zh") for _, concept in category.patterns[language].alternatives}
    nested = {f.split(":")[0] for f in families if ":" in f}
    assert nested <= families, nested - families


def test_what_is_no_test_is_masked() -> None:
    pair = Pair("Insert the line under ultrasound guidance.", "在超声引导下置管。", vocabulary())
    assert pair.found("test", "en") == [] and pair.found("test", "zh") == []
