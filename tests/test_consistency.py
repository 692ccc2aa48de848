"""Cross-catalog consistency: one English term rendered two ways is a warning naming both places."""

from __future__ import annotations

import shutil
from pathlib import Path

from carebridge.i18n.checks import check_library
from carebridge.safety.consistency import Place, check_consistency
from carebridge.source.library import Project

REPO = Path(__file__).resolve().parents[1]


def _warned(places: list[Place]) -> list[tuple[str, str]]:
    return [(str(place), finding.message) for place, finding in check_consistency(places)]


def test_a_term_rendered_two_ways_names_both_places() -> None:
    places = [Place("a.po", 10, "The hospital's data protection or legal office confirms this.", "由医院的数据保护或法务部门确认。"),
              Place("b.po", 20, "Ask the data protection office to confirm.", "请数据保护部门确认。"),
              Place("c.po", 30, "The data protection or legal office decides.", "由个人信息保护部门或法务部门决定。")]
    warned = _warned(places)
    assert len(warned) == 1
    where, message = warned[0]
    assert where == "c.po:30" and "个人信息保护部门" in message and "a.po:10" in message


def test_red_flags_in_two_renderings() -> None:
    places = [Place("site.po", 143, "Red flags", "危险信号"), Place("x.po", 5, "Check the red flags first.", "先检查危险信号。"),
              Place("y.po", 7, "Any red flag means urgent review.", "出现任何红旗征象均需紧急评估。")]
    assert [w for w, _ in _warned(places)] == ["y.po:7"]


def test_one_rendering_everywhere_is_quiet() -> None:
    places = [Place("a.po", 1, "Take a full blood count.", "查全血细胞计数。"),
              Place("b.po", 2, "Repeat the full blood count daily.", "每日复查全血细胞计数。")]
    assert _warned(places) == []


def test_the_same_message_translated_differently_is_a_warning() -> None:
    places = [Place("a.po", 21, "UK trust with a Fuzhou hospital group", "英国某医疗信托与福州某医院集团"),
              Place("b.po", 21, "UK trust with a Fuzhou hospital group", "英国某医疗信托与福州某医院集团。"),
              Place("c.po", 21, "UK trust with a Fuzhou hospital group", "英国NHS信托与福州医院集团")]
    warned = _warned(places)
    assert [w for w, _ in warned] == ["c.po:21"]  # punctuation alone is no difference
    assert "a.po:21" in warned[0][1]


def test_short_answers_may_differ_by_question() -> None:
    places = [Place("a.po", 1, "Yes", "是"), Place("b.po", 2, "Yes", "有"), Place("c.po", 3, "No", "没有")]
    assert _warned(places) == []


def test_a_reviewed_difference_is_left_out() -> None:
    from babel.messages.catalog import Catalog

    from carebridge.i18n.checks import _places
    catalog = Catalog(locale="zh_CN")
    catalog.add("Red flags", "红旗征象", user_comments=["carebridge-allow: consistency — IMCI wording kept here"])
    catalog.add("Red flags: act now", "危险信号：立即处理")
    assert [place.translation for place, _ in _places(catalog, "x.po")] == ["危险信号：立即处理"]


def test_the_library_is_consistent_and_a_seeded_inconsistency_is_a_warning(tmp_path: Path) -> None:
    problems, _ = check_library(Project.at(REPO))
    assert [p for p in problems if p.code == "consistency"] == []
    # The example, seeded into a copy: 个人信息保护部门 against 数据保护或法务部门 elsewhere.
    tree = tmp_path / "repo"
    for name in ("protocols", "locales"):
        shutil.copytree(REPO / name, tree / name)
    po = tree / "locales" / "zh_CN" / "LC_MESSAGES" / "discharge-and-follow-up.po"
    text = po.read_text(encoding="utf-8")
    assert "数据保护或法务部门" in text
    po.write_text(text.replace("数据保护或法务部门", "个人信息保护部门", 1), encoding="utf-8")
    problems, _ = check_library(Project.at(tree))
    found = [p for p in problems if p.code == "consistency"]
    assert found and all(p.severity.value == "warning" for p in found)
    assert any("个人信息保护部门" in p.message and "discharge-and-follow-up.po" in p.file for p in found)


def test_a_long_translation_is_shown_shortened_on_one_line() -> None:
    junk = "[" * 5_000 + "\n" + "文" * 100
    places = [Place("a.po", 21, "UK trust with a Fuzhou hospital group", "英国某医疗信托与福州某医院集团"),
              Place("c.po", 21, "UK trust with a Fuzhou hospital group", junk)]
    ((_, message),) = _warned(places)
    assert len(message) < 300 and "\n" not in message and "…" in message and "英国某医疗信托与福州某医院集团" in message
