"""safety/exchange.py: two of an opposed set that traded clauses (adults and children, preterm and
term), reported as ``binding``; lists and merged clauses are left alone."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


def codes(source: str, translation: str) -> list[str]:
    return [f.code for f in check_translation(source, translation) if f.severity == "error"]


@pytest.mark.parametrize(("source", "exchanged", "faithful"), [
    ("This dose is for adults; children need a weight-based dose.",
     "此剂量适用于儿童，成人须按体重计算剂量。", "此剂量适用于成人，儿童须按体重计算剂量。"),
    ("Preterm babies are weighed daily; term babies on alternate days.",
     "足月儿每天称重，早产儿隔天称重。", "早产儿每天称重，足月儿隔天称重。"),
    ("Give the loading dose to women with eclampsia. Women with pre-eclampsia are observed hourly.",
     "子痫前期患者给予负荷剂量。子痫患者每小时观察。", "子痫患者给予负荷剂量。子痫前期患者每小时观察。"),
])
def test_two_groups_that_traded_what_they_are_given_are_an_error(source: str, exchanged: str, faithful: str) -> None:
    assert "binding" in codes(source, exchanged)
    assert codes(source, faithful) == []


@pytest.mark.parametrize(("source", "translation"), [
    # one list, cut differently in the two languages: nothing moved
    ("Fever above 38 °C, chills or low blood pressure in a patient with a central line",
     "留置中心静脉导管的患者出现发热（体温高于38 °C）、寒战或低血压"),
    ("Give this to adults and children over 12.", "成人及12岁以上儿童使用。"),
    # the two clauses merged: both groups keep all they had
    ("This dose is for adults; children need a weight-based dose.", "成人用此剂量，儿童则按体重计算剂量。"),
])
def test_a_list_or_a_reordered_sentence_is_no_exchange(source: str, translation: str) -> None:
    assert "binding" not in codes(source, translation)


# ---------------------------------------------------------------- which link goes where (linktargets.py)

ADULT, CHILD = "https://example.org/leaflets/adult-fever", "https://example.org/leaflets/child-fever"
LINKS = f"Read the [adult guide]({ADULT}) or the [child guide]({CHILD})."


def links(translation: str) -> list[str]:
    return [f.message for f in check_translation(LINKS, translation, markup=True) if f.code == "links"]


def test_two_links_whose_targets_were_exchanged_are_an_error() -> None:
    (message,) = links(f"请阅读[成人指南]({CHILD})或[儿童指南]({ADULT})。")
    assert message.startswith(f"link target swapped: the source's [adult guide] goes to {ADULT}")


@pytest.mark.parametrize("translation", [
    f"请阅读[成人指南]({ADULT})或[儿童指南]({CHILD})。",
    f"请阅读[儿童指南]({CHILD})或[成人指南]({ADULT})。",  # reordered with their targets: right
])
def test_links_kept_with_their_own_words_pass_in_any_order(translation: str) -> None:
    assert links(translation) == []


def test_links_whose_words_name_nothing_known_are_left_alone() -> None:
    found = check_translation("See [here](https://a.org/1) and [there](https://a.org/2).",
                              "见[此处](https://a.org/2)和[彼处](https://a.org/1)。", markup=True)
    assert [f for f in found if f.code == "links"] == []
