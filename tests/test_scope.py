"""What a negation covers (``safety/scope.py``): "not every" made "none", and "none" made "not every"."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


def _scope(source: str, translation: str) -> list[str]:
    return [f.message for f in check_translation(source, translation)
            if f.code == "negation" and "scope" in f.message]


@pytest.mark.parametrize(("source", "translation", "said"), [
    ("Not every child with a fever needs antibiotics.", "每个发热的孩子都不需要使用抗生素。", "says none"),
    ("Not all women need a scan.", "所有妇女都不需要做B超。", "says none"),
    ("Antibiotics are not always needed.", "总是不需要抗生素。", "says none"),
    ("Not every patient needs a catheter.", "患者一律不需要留置导尿管。", "says none"),
    ("No child with a fever needs antibiotics.", "并非每个发热的孩子都需要使用抗生素。", "not every"),
    ("Never give the two drugs together.", "不一定都要分开给这两种药。", "not every"),
    # the quantifier straight before the negation (全部未, 所有不), and 并未全部 / 没有全部 as "not all"
    ("Not all of the prescribed doses were given overnight.", "夜间医嘱的各剂药物全部未给予。", "says none"),
    ("Not all of the samples were labelled.", "标本所有未贴标签。", "says none"),
    ("None of the doses were given.", "各剂药物并未全部给予。", "not every"),
])
def test_a_negation_that_covers_more_or_less_is_an_error(source: str, translation: str, said: str) -> None:
    (message,) = _scope(source, translation)
    assert message.startswith("negation scope changed") and said in message


@pytest.mark.parametrize(("source", "translation"), [
    ("Not every child with a fever needs antibiotics.", "并非每个发热的孩子都需要使用抗生素。"),
    ("Not every child with a fever needs antibiotics.", "发热的孩子不一定都需要使用抗生素。"),
    ("Not all women need a scan.", "不是所有妇女都需要做B超。"),
    ("No child with a fever needs antibiotics.", "发热的孩子都不需要使用抗生素。"),
    ("None of these patients should drive.", "这些患者均不得驾车。"),
    ("Every woman should be offered a scan.", "每位孕妇都应接受B超检查。"),
    ("Not all of the prescribed doses were given overnight.", "夜间医嘱的各剂药物并未全部给予。"),
    ("Not all of the prescribed doses were given overnight.", "夜间医嘱的各剂药物没有全部给予。"),
    ("None of the doses were given.", "各剂药物全部未给予。"),
])
def test_the_same_scope_said_either_way_passes(source: str, translation: str) -> None:
    assert _scope(source, translation) == []
