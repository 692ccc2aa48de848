"""Pinyin typed in Latin letters on the Chinese site, in the real site's search box in Chromium.

With the input method off (a ward PC, a phone's English keyboard), a clinician types 硫酸镁 as
liusuanmei, or as the first letters a hospital information system's drug and diagnosis codes use
(lsm). None of these is in search_third.yaml (whose misses taught the search pinyin); each was made
up from the protocols' own Chinese words. The negatives: a Latin word that spells no Chinese word of
the library still finds nothing, and an English word the library holds is searched as typed.
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_browser import search
from .test_search import protocol_of, searcher  # noqa: F401  (the fixture, shared)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PPH, PE, NB, FU5 = "postpartum-haemorrhage", "severe-pre-eclampsia", "newborn-resuscitation-at-birth", "fever-under-five"
HH, AUR, OHSS = "hand-hygiene-and-central-line-bundle", "acute-urinary-retention", "ovarian-hyperstimulation-syndrome"
STEMI, FN, FAC = "stemi-first-90-minutes", "febrile-neutropenia", "fever-after-chemotherapy"
FALLS = "inpatient-falls-prevention"

# (query, protocols any of which must be in the top 3)
PINYIN = [
    # whole readings run together, one word or several
    ("anjiahuansuan", {PPH}), ("suogongsu", {PPH}), ("liusuanmei", {PE}), ("buluofen", {FU5}),
    ("shenshangxiansu", {NB}), ("lvjiding", {HH}), ("yaozhuichuanci", {FU5}), ("xiongwaianya", {NB}),
    ("daoniaoguan", {AUR}), ("difenzigansu", {OHSS}), ("rongshuan", {STEMI}),
    # with a second word, apart
    ("liusuanmei jiliang", {PE}),
    # a space between syllables, as some type it (one run of syllables, none an index word)
    ("suo gong su", {PPH}), ("liu suan mei", {PE}), ("lv ji ding", {HH}), ("dao niao guan", {AUR}), ("bu luo fen", {FU5}),
    # a syllable no index word spells left out (大 in 产后大出血), and an alias spelled (fashao 发烧 for 发热)
    ("chanhoudachuxue", {PPH}), ("hualiaofashao", {FN, FAC}),
    # first letters (zh, ch, sh as one letter or two)
    ("ajhs", {PPH}), ("sgs", {PPH}), ("xway", {NB}), ("yzcc", {FU5}), ("lsm", {PE}), ("zxqq", {PE}),
]


@pytest.mark.parametrize(("query", "protocols"), PINYIN, ids=[q for q, _ in PINYIN])
def test_pinyin_typed_in_latin_letters_finds_its_protocol_in_the_top_three(searcher: Any, query: str,  # noqa: F811
                                                                           protocols: set[str]) -> None:
    results = searcher("zh/", query)
    assert protocols & {protocol_of(href) for _, href in results[:3]}, (query, [href for _, href in results[:5]])


def test_the_chinese_word_found_is_marked_and_the_pinyin_shown_missing(browser: Any, real_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{real_url}/zh/")
    results = search(page, "liusuanmei")
    assert results and protocol_of(results[0][1]) == PE, results[:3]
    assert "硫酸镁" in page.locator(".md-search-result__item mark").all_text_contents()
    assert "liusuanmei" in results[0][0]  # listed as missing: the change shows
    page.close()


def test_pinyin_typed_apart_is_shown_missing_as_typed(browser: Any, real_url: str) -> None:
    page = browser.new_page()
    page.goto(f"{real_url}/zh/")
    results = search(page, "liu suan mei")
    assert results and protocol_of(results[0][1]) == PE, results[:3]
    assert "硫酸镁" in page.locator(".md-search-result__item mark").all_text_contents()
    assert "liu suan mei" in results[0][0]  # the syllables as typed, not run together
    page.close()


@pytest.mark.parametrize("query", ["zebra", "qqqq", "xyz"])
def test_latin_letters_that_spell_no_word_of_the_library_find_nothing(searcher: Any, query: str) -> None:  # noqa: F811
    assert searcher("zh/", query) == []


def test_an_english_word_the_library_holds_is_searched_as_typed(searcher: Any) -> None:  # noqa: F811
    results = searcher("zh/", "oxytocin")
    assert results and protocol_of(results[0][1]) == PPH, results[:3]


# A question's own words (吗, 算不算, 要用多少: search.py CJK_ASK) are left out of the query, as "how"
# and "should" are in English; 吗啡 (morphine) is a word of its own and stays.
ASKED = [("算不算慢性尿潴留", {AUR}), ("导尿放出1500毫升 算慢性尿潴留吗", {AUR}), ("硫酸镁要用多少", {PE}),
         ("吗啡", {STEMI})]


@pytest.mark.parametrize(("query", "protocols"), ASKED, ids=[q for q, _ in ASKED])
def test_a_chinese_questions_own_words_do_not_hide_the_answer(searcher: Any, query: str,  # noqa: F811
                                                              protocols: set[str]) -> None:
    results = searcher("zh/", query)
    assert protocols & {protocol_of(href) for _, href in results[:3]}, (query, [href for _, href in results[:5]])


@pytest.mark.parametrize("query", ["fals risk", "inpatient fals"])
def test_a_four_letter_typo_is_mended_by_one_edit(searcher: Any, query: str) -> None:  # noqa: F811
    results = searcher("", query)
    assert results and protocol_of(results[0][1]) == FALLS, results[:3]


def test_the_queries_are_new() -> None:
    from .test_search_heldout import SETS
    known = {q["q"] for data in SETS.values() for q in data["queries"]}
    assert not known & {q for q, _ in PINYIN + ASKED}
