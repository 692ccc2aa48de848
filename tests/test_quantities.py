"""Reading numbers, units, comparisons, frequencies and routes out of English and Chinese text."""

from __future__ import annotations

from fractions import Fraction

import pytest

from carebridge.safety.clinical_terms import match_unit
from carebridge.safety.digit_names import name_key
from carebridge.safety.numerals import cn_int, format_value
from carebridge.safety.quantities import Quantity, read


def values(text: str, *, strong_only: bool = True) -> list[str]:
    return [format_value(q.value) for q in read(text).quantities if q.strong or not strong_only]


def first(text: str) -> Quantity:
    return read(text).quantities[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Give 10 mg", ["10"]),
    ("给予１０ mg", ["10"]),
    ("0.5 mg, .5 mg, 0,5 mg", ["0.5", "0.5", "0.5"]),
    ("1,000 mL and 1 000 mL", ["1000", "1000"]),
    ("1–2, 1-2, 1 to 2, 1至2, 1～2, 1~2, 1—2", ["1", "2"] * 7),
    ("30%, 30％, 百分之三十", ["30", "30", "30"]),
    ("1/2, ½, 二分之一", ["0.5", "0.5", "0.5"]),
    ("二十四小时，两千单位，一百零五毫升", ["24", "2000", "105"]),
    ("半小时，一个半小时，1个半小时", ["0.5", "1.5", "1.5"]),
    ("第3步，第二剂", ["3", "2"]),
    ("Store at −20 °C; 零下20℃", ["-20", "-20"]),
    # a minus after a comparison or a Chinese word is a sign, not a range's dash
    ("碱剩余≤−16 mmol/L；于≤-25°C保存；碱剩余−12；体温降至-5℃", ["-16", "-25", "-12", "-5"]),
    ("1.5万单位", ["15000"]),
    ("2026-11-23, 2026年11月23日, 23 November 2026", ["2026-11-23"] * 3),
    ("24/7, version 1.2.0, 1:1000", ["24/7", "1.2.0", "1:1000"]),
    ("120/80 mmHg", ["120", "80"]),
    ("one in five women, one in three", ["0.2", "1/3"]),
    ("twenty-four hours, two hundred and fifty mg", ["24", "250"]),
])
def test_numbers_are_read_in_both_languages(text: str, expected: list[str]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "一般情况下", "一旦出血", "统一管理", "同一名护士", "一线治疗", "进一步评估", "十分重要", "十二指肠溃疡",
    "二甲双胍", "百日咳", "千万不要", "第一时间呼救", "一次性手套", "一、概述", "三七粉", "之一",
    "no one else", "one of the causes", "first-line treatment", "at once", "Once bleeding stops, record it.",
    "NEWS2", "COVID-19", "IL-6", "5-HT3 antagonists", "HbA1c", "SpO2", "vitamin B12", "H2-receptor antagonist",
    "see https://example.org/2023/guideline-4", "{count} doses", "二次手术", "双向转诊", "两侧瞳孔",
])
def test_words_with_numerals_hold_no_strong_number(text: str) -> None:
    assert values(text) == []


@pytest.mark.parametrize(("text", "weak"), [
    ("使用一个新的注射器", "1"), ("一名护士", "1"), ("one of", "1"), ("an hour", "1"), ("the second dose", "2"),
    ("half of them", "0.5"), ("一半剂量", "0.5"), ("剂量减半", "0.5"), ("半量", "0.5"), ("双人核对", "2"), ("两条静脉通路", "2"), ("四早原则", "4"),
])
def test_doubtful_numbers_are_weak(text: str, weak: str) -> None:
    quantities = read(text).quantities
    assert [(format_value(q.value), q.strong) for q in quantities] == [(weak, False)]


@pytest.mark.parametrize("text", ["half the dose", "half a tablet", "half the usual dose", "a half-dose"])
def test_half_of_a_dose_is_a_number_like_any_other(text: str) -> None:
    # "give half the dose" read back as 给予全量 doubles what the child gets
    assert [(format_value(q.value), q.strong) for q in read(text).quantities] == [("0.5", True)]


@pytest.mark.parametrize(("text", "unit"), [
    ("1 g", "g"), ("1克", "g"), ("1 mg", "mg"), ("1毫克", "mg"), ("5 µg", "μg"), ("5 mcg", "μg"), ("5微克", "μg"),
    ("5 ng", "ng"), ("500 mL", "mL"), ("500 ml", "mL"), ("500毫升", "mL"), ("1 L", "L"), ("1升", "L"),
    ("10 IU", "IU"), ("10 units", "IU"), ("10单位", "IU"), ("10国际单位", "IU"), ("4 mmol/L", "mmol/L"),
    ("4毫摩尔/升", "mmol/L"), ("90 mmHg", "mmHg"), ("90毫米汞柱", "mmHg"), ("70 kg", "kg"), ("70公斤", "kg"),
    ("70千克", "kg"), ("2 cm", "cm"), ("2厘米", "cm"), ("8 h", "h"), ("8 hours", "h"), ("8小时", "h"),
    ("24-hour", "h"), ("15 min", "min"), ("15分钟", "min"), ("30 seconds", "s"), ("30秒", "s"), ("5 days", "d"),
    ("5天", "d"), ("5日", "d"), ("6 weeks", "wk"), ("6周", "wk"), ("6星期", "wk"), ("3 months", "mo"),
    ("3个月", "mo"), ("65 years", "y"), ("65岁", "y"), ("a 2-year-old", "y"), ("38 °C", "°C"), ("38℃", "°C"),
    ("38摄氏度", "°C"), ("30 breaths/min", "#/min"), ("30 breaths per minute", "#/min"), ("60 bpm", "#/min"),
    ("60次/分", "#/min"), ("10 mg/kg", "mg/kg"), ("10毫克/千克", "mg/kg"), ("30 mg/kg/day", "mg/kg/d"),
    ("30 mg/(kg·d)", "mg/kg/d"), ("0.5 mL/kg/h", "mL/kg/h"), ("2 tablets", "#"), ("2片", "#"),
    ("50 × 10^9/L", "×10^9/L"), ("50×10⁹/L", "×10^9/L"), ("375 mg/m²", "mg/m²"),
])
def test_units_are_canonical(text: str, unit: str) -> None:
    assert [q.unit for q in read(text).quantities if q.strong or q.unit][:1] == [unit]


def test_per_kg_and_per_day_written_before_the_number_in_chinese() -> None:
    assert first("每千克体重0.1 mg").unit == "mg/kg"
    assert first("每日最大剂量4 g").unit == "g/d"
    assert [q.unit for q in read("每千克体重0.1～0.2 mg").quantities] == ["mg/kg", "mg/kg"]


@pytest.mark.parametrize(("text", "comparison"), [
    ("below 90", "<"), ("less than 90", "<"), ("under 5", "<"), ("<90", "<"), ("低于90", "<"), ("小于90", "<"),
    ("不足90", "<"), ("above 90", ">"), ("more than 90", ">"), ("over 65", ">"), ("exceeds 38", ">"), (">90", ">"),
    ("超过90", ">"), ("高于90", ">"), ("大于90", ">"), ("90 mmHg以上", ">"), ("at most 4 g", "<="),
    ("not more than 4 g", "<="), ("no more than 4 g", "<="), ("up to 3 doses", "<="), ("maximum 4 g", "<="),
    ("do not exceed 4 g", "<="), ("不超过4 g", "<="), ("不得超过4 g", "<="), ("最多3剂", "<="), ("≤4 g", "<="),
    ("12个月以下", "<="), ("at least 2", ">="), ("2 or more", ">="), ("500 mL or more", ">="), ("65 and over", ">="),
    ("no less than 2", ">="), ("至少2小时", ">="), ("不少于2小时", ">="), ("不低于90", ">="), ("≥500 mL", ">="),
    ("500 mL及以上", ">="), ("至少观察2小时", ">="), ("IV over 10 minutes", ""), ("within 1 minute", ""),
    ("1分钟内", ""),
])
def test_comparisons(text: str, comparison: str) -> None:
    assert first(text).comparison == comparison


@pytest.mark.parametrize(("text", "code"), [
    ("q8h", "q8h"), ("every 8 hours", "q8h"), ("每8小时", "q8h"), ("每8 h", "q8h"), ("每隔8小时1次", "q8h"),
    ("8-hourly", "q8h"), ("every 4 to 6 hours", "q4-6h"), ("每4～6小时", "q4-6h"), ("every 15 minutes", "q15min"),
    ("每15分钟", "q15min"), ("twice daily", "2/d"), ("bid", "2/d"), ("BID", "2/d"), ("b.d.", "2/d"),
    ("每日2次", "2/d"), ("每天两次", "2/d"), ("一日两次", "2/d"), ("twice a day", "2/d"), ("once daily", "1/d"),
    ("qd", "1/d"), ("每日1次", "1/d"), ("每日一次", "1/d"), ("three times daily", "3/d"), ("tid", "3/d"),
    ("tds", "3/d"), ("每日3次", "3/d"), ("four times daily", "4/d"), ("qid", "4/d"), ("qds", "4/d"),
    ("once weekly", "1/wk"), ("每周1次", "1/wk"), ("every other day", "q2d"), ("隔日", "q2d"),
    # a route may lead the act between the period and its count
    ("每日静脉注射2次", "2/d"), ("每天皮下注射1次", "1/d"), ("每日肌内注射两次", "2/d"), ("每日吸入4次", "4/d"),
    ("每日静脉滴注3次", "3/d"),
    ("每日用生理盐水漱口4次", "4/d"), ("每天以温水擦浴两次", "2/d"),  # what the act is done with
])
def test_frequencies(text: str, code: str) -> None:
    assert [(t.code, t.strong) for t in read(text).frequencies] == [(code, True)]
    assert read(text).quantities == ()  # the frequency's numbers are not counted again


@pytest.mark.parametrize(("text", "code"), [
    ("IV", "IV"), ("intravenously", "IV"), ("静脉注射", "IV"), ("静脉滴注", "IV"), ("静滴", "IV"), ("IM", "IM"),
    ("intramuscular", "IM"), ("肌内注射", "IM"), ("肌肉注射", "IM"), ("肌注", "IM"), ("PO", "PO"), ("orally", "PO"),
    ("by mouth", "PO"), ("口服", "PO"), ("SC", "SC"), ("subcutaneously", "SC"), ("皮下注射", "SC"), ("SL", "SL"),
    ("sublingual", "SL"), ("舌下含服", "SL"), ("PR", "PR"), ("rectally", "PR"), ("经直肠", "PR"), ("纳肛", "PR"),
    ("inhaled", "inhaled"), ("吸入", "inhaled"), ("nebulised", "nebulised"), ("雾化", "nebulised"),
    ("topical", "topical"), ("外用", "topical"), ("intranasal", "intranasal"), ("鼻内", "intranasal"),
    ("IO", "IO"), ("intraosseous", "IO"), ("骨髓腔内", "IO"),
])
def test_routes(text: str, code: str) -> None:
    assert [t.code for t in read(text).routes if t.strong] == [code]


@pytest.mark.parametrize("text", ["stage IV cancer", "Ⅳ期", "oral care", "nil by mouth", "PR interval", "静脉血栓",
                                  "局部麻醉", "rectal temperature"])
def test_words_that_are_not_routes(text: str) -> None:
    assert [t for t in read(text).routes if t.strong] == []


def test_names_with_digits_are_tokens() -> None:
    assert read("NEWS2, COVID-19, 5-HT3, HbA1c, SARS-CoV-2, 5-alpha-reductase").names == (
        "NEWS2", "COVID-19", "5-HT3", "HbA1c", "CoV-2", "5α")
    assert name_key("beta-2") == name_key("β2")


def test_spaced_thousands_also_read_as_two_numbers() -> None:
    reading = read("Take 2 500 mg tablets")
    assert [format_value(q.value) for q in reading.quantities] == ["2500"]
    assert reading.alternative is not None
    assert [format_value(q.value) for q in reading.alternative] == ["2", "500"]


def test_once_after_a_verb_is_a_count_and_as_a_conjunction_is_weak() -> None:
    assert (first("Repeat once after 30 minutes").value, first("Repeat once after 30 minutes").strong) == (1, True)
    assert first("Once the baby is born, give it").strong is False


def test_markup_code_and_list_markers_are_not_numbers() -> None:
    assert values("1. Give `dose-2` now\n2. Call", ) == ["2"]
    assert values("1. Give `dose-2` now\n2. Call".replace("`dose-2`", "`x`")) == []
    assert [format_value(q.value) for q in read("1. Give `5 mg`", markup=True).quantities] == []


@pytest.mark.parametrize(("text", "value"), [("二十四", 24), ("十", 10), ("十二", 12), ("一百零五", 105),
                                             ("两千", 2000), ("三万", 30000), ("一一", None), ("千万", None)])
def test_cn_int(text: str, value: int | None) -> None:
    assert cn_int(text) == value


def test_match_unit_reports_the_unit_as_written() -> None:
    assert match_unit("10 IU/kg", 2) == ("IU/kg", "IU/kg", 8)
    assert match_unit("10 patients", 2) is None


def test_fractions_stay_exact() -> None:
    assert first("⅓ of the dose").value == Fraction(1, 3)
    assert format_value(Fraction(1, 3)) == "1/3"
