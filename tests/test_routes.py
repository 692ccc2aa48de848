"""Routes compared between a source and its translation (``safety/routes.py``)."""

from __future__ import annotations

import pytest

from carebridge.safety.quantities import read
from carebridge.safety.routes import check_routes


def _routes(source: str, translation: str) -> list[str]:
    return [f.message for f in check_routes(source, translation, (read(source), read(translation)), False)]


@pytest.mark.parametrize(("source", "translation"), [
    ("Give 1 g IV.", "静脉给予1 g。"),
    ("Never give potassium as a bolus.", "切勿静脉推注钾。"),      # a bolus is given into a vein
    ("Start an oxytocin infusion.", "开始静脉滴注缩宫素。"),
    ("- labetalol IV\n- nifedipine by mouth", "- 拉贝洛尔静脉给药\n- 硝苯地平口服"),
    ("Take one tablet twice a day.", "每日口服2次，每次1片。"),  # a tablet is swallowed
    ("Swallow the capsules whole.", "整粒口服胶囊。"),
    ("Give the syrup after feeds.", "喂奶后口服糖浆。"),
])
def test_the_same_routes_pass(source: str, translation: str) -> None:
    assert _routes(source, translation) == []


@pytest.mark.parametrize(("source", "translation", "message"), [
    ("Give 1 g IV.", "口服1 g。", "route mismatch: source has IV (intravenous)"),
    ("Give 1 g.", "肌内注射1 g。", "route not in source: translation has IM"),
    ("Start an oxytocin infusion.", "开始肌内注射缩宫素。", "route not in source"),
    ("Give 1 g IM as a bolus.", "静脉推注1 g。", "route mismatch"),  # a route the source names still counts
    ("Give 2 mg IV.", "鞘内注射2 mg。", "route mismatch: source has IV (intravenous); translation has IT (鞘内)"),
    ("Give 1 g.", "硬膜外给予1 g。", "route not in source: translation has epidural"),
    ("Give the vaccine IM.", "皮内注射疫苗。", "route mismatch"),
    ("- labetalol IV\n- nifedipine by mouth", "- 拉贝洛尔口服\n- 硝苯地平静脉注射", "line 1 of 2: route mismatch"),
    ("Give 1 g every 8 hours.", "每8小时口服1 g。", "route not in source: translation has PO"),  # no tablet named
    ("Take one tablet twice a day.", "每日静脉注射2次，每次1片。", "route not in source: translation has IV"),
    ("Give 1 g IV, not the tablets.", "口服1 g片剂。", "route mismatch: source has IV"),  # a named route still counts
])
def test_a_changed_route_is_an_error(source: str, translation: str, message: str) -> None:
    found = _routes(source, translation)
    assert found and message in found[0], found


def _severities(source: str, translation: str) -> list[tuple[str, str]]:
    return [(f.severity, f.message) for f in check_routes(source, translation, (read(source), read(translation)), False)]


@pytest.mark.parametrize(("source", "translation"), [
    ("Give ceftriaxone 2 g IV once daily.", "头孢曲松2 g静脉注射，每日1次。"),
    ("Give morphine 2 mg intravenously.", "静推吗啡2 mg。"),
    ("Give ondansetron 4 mg IV.", "昂丹司琼4 mg静注。"),
])
def test_plain_iv_read_as_a_push_is_a_warning(source: str, translation: str) -> None:
    # 静脉注射 is read on a Chinese ward as an injection pushed at once; "IV" says only "into a vein"
    found = _severities(source, translation)
    assert len(found) == 1 and found[0][0] == "warning" and "reads as an injection pushed at once" in found[0][1], found


@pytest.mark.parametrize(("source", "translation"), [
    ("Give ceftriaxone 2 g IV once daily.", "头孢曲松2 g静脉给药，每日1次。"),
    ("Give ceftriaxone 2 g IV once daily.", "头孢曲松2 g静脉滴注，每日1次。"),
    ("Give 10 mL calcium gluconate IV over 10 minutes.", "10分钟内静脉注射葡萄糖酸钙10 mL。"),
    ("Give adrenaline 1 mg IV as a bolus.", "静脉推注肾上腺素1 mg。"),
    ("Give ceftriaxone by slow intravenous injection.", "头孢曲松缓慢静脉注射。"),
    ("Give 1 g IM.", "肌内注射1 g。"),
])
def test_iv_said_as_the_source_says_it_passes(source: str, translation: str) -> None:
    assert _severities(source, translation) == []


def test_a_route_error_is_reported_alone() -> None:
    # 静脉注射 for an oral dose is a route mismatch; the push warning would only repeat it
    found = _severities("Give 1 g by mouth.", "静脉注射1 g。")
    assert [s for s, _ in found] == ["error"], found
