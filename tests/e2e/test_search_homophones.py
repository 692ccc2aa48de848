"""Chinese typed with a homophone, in the real site's search box in Chromium: a clinician typing pinyin
picks a character that sounds the same (安 for 氨), and still finds the protocol. None of these slips is
in search_heldout.yaml (its zh-typo class) or written in any protocol; each was made up from the
protocols' own Chinese words. The negatives: a query as the library writes it is unchanged and never
loads the sounds table, and a made-up Chinese string finds nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import search
from .test_search import page_text, protocol_of, searcher  # noqa: F401  (the fixture, shared)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PPH, PE, STEMI, MI = "postpartum-haemorrhage", "severe-pre-eclampsia", "stemi-first-90-minutes", "after-a-heart-attack"
FN, OHSS, AUR, HH = "febrile-neutropenia", "ovarian-hyperstimulation-syndrome", "acute-urinary-retention", \
    "hand-hygiene-and-central-line-bundle"
FU5, NB = "fever-under-five", "newborn-resuscitation-at-birth"

# (query, the word meant, protocols any of which must be in the top 3)
SLIPS = [
    # drugs
    ("布洛分", "布洛芬", {FU5}), ("肾上线素", "肾上腺素", {NB}), ("绿己定", "氯己定", {HH}),
    ("替格瑞罗", "替格瑞洛", {STEMI, MI}), ("地塞米送", "地塞米松", {PE}), ("阿替普梅", "阿替普酶", {STEMI}),
    ("低分子干素", "低分子肝素", {OHSS}), ("米锁前列醇", "米索前列醇", {PPH}), ("硫酸美", "硫酸镁", {PE}),
    ("哌拉西林他坐巴坦", "哌拉西林他唑巴坦", {FN}), ("对乙酰安基酚", "对乙酰氨基酚", {FU5, OHSS}),
    # conditions
    ("尿猪留", "尿潴留", {AUR}), ("拜血症", "败血症", {FU5, FN, AUR}), ("子线前期", "子痫前期", {PE}),
    ("卵巢过度刺激综合症", "卵巢过度刺激综合征", {OHSS}), ("心机梗死", "心肌梗死", {STEMI, MI}),
    # procedures
    ("腰锥穿刺", "腰椎穿刺", {FU5}), ("延迟断齐", "延迟断脐", {NB}), ("胸外安压", "胸外按压", {NB}),
    ("手为生", "手卫生", {HH}), ("新生儿复酥", "新生儿复苏", {NB}), ("导尿关", "导尿管", {AUR}),
    ("冠状动脉照影", "冠状动脉造影", {STEMI}),  # zh typed z: a near sound
    # with another word, apart or typed together
    ("安甲环酸 剂量", "氨甲环酸", {PPH}), ("缩宫速用量", "缩宫素", {PPH}),
]


@pytest.mark.parametrize(("query", "meant", "protocols"), SLIPS, ids=[q for q, _, _ in SLIPS])
def test_a_word_typed_with_a_homophone_finds_its_protocol_in_the_top_three(searcher: Any, query: str,  # noqa: F811
                                                                            meant: str, protocols: set[str]) -> None:
    results = searcher("zh/", query)
    assert protocols & {protocol_of(href) for _, href in results[:3]}, (query, [href for _, href in results[:5]])


def test_the_word_meant_is_marked_and_the_typed_one_shown_missing(browser: Any, real_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{real_url}/zh/")
    results = search(page, "安甲环酸")
    assert results and protocol_of(results[0][1]) == PPH, results[:3]
    assert "氨甲环酸" in page.locator(".md-search-result__item mark").all_text_contents()
    assert "安甲环酸" in results[0][0]  # listed as missing: the change shows
    page.close()


@pytest.mark.parametrize("query", ["缩宫素", "硫酸镁", "坦索罗辛", "腰椎穿刺", "心肌梗死"])
def test_a_word_as_the_library_writes_it_loads_no_sounds_and_finds_pages_that_say_it(
        browser: Any, real_url: str, real_site: Path, query: str) -> None:
    page = browser.new_page()
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(f"{real_url}/zh/")
    results = search(page, query)
    assert results and not [url for url in urls if url.endswith("/sounds.js")], urls
    for _, href in results:
        assert query in page_text(real_site, href), href
    page.close()


@pytest.mark.parametrize("query", ["天地玄黄", "龙飞凤舞", "春眠不觉晓", "旧书摊", "葡萄美酒", "风马牛"])
def test_a_made_up_chinese_string_finds_nothing(searcher: Any, query: str) -> None:  # noqa: F811
    assert searcher("zh/", query) == []


def test_a_real_word_the_library_lacks_is_not_taken_for_a_two_character_homophone(searcher: Any,  # noqa: F811
                                                                                  real_site: Path) -> None:
    """中毒 is no index word but 中度 (moderate) is: two characters sound like too many others, so
    硫酸镁中毒 is searched as typed (硫酸镁, its other words apart), never as 硫酸镁中度."""
    results = searcher("zh/", "硫酸镁中毒")
    assert results and protocol_of(results[0][1]) == PE
    for _, href in results:
        assert "硫酸镁" in page_text(real_site, href), href


def test_the_slips_are_new() -> None:
    from .test_search_heldout import SETS

    held = {q["q"] for data in SETS.values() for q in data["queries"]}
    assert len(SLIPS) >= 15 and not held & {q for q, _, _ in SLIPS}
    assert all(len(q.replace(" ", "")) >= len(meant) and q != meant for q, meant, _ in SLIPS)
