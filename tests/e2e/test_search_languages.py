"""The other language's words, in the real site's search box in Chromium: a Chinese clinician on the
English site types the Chinese title words she knows, and an English-trained doctor on the Chinese site
types the English ones. Each site indexes its protocols' titles, step titles and drug names in the
site's other languages (a lower weight than its own words), so either finds the protocol. None of
these queries is a glossary term (those were found before, as synonyms).
"""

from __future__ import annotations

from typing import Any

import pytest

from .test_search import protocol_of, searcher  # noqa: F401  (the fixture, shared)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (site prefix, query, the protocol that must be in the top 3)
ACROSS = [
    ("", "病房跌倒", "inpatient-falls-prevention"),
    ("", "化疗药物外渗", "chemotherapy-extravasation"),
    ("", "身份识别", "patient-identification"),
    ("", "双向随访", "discharge-and-follow-up"),
    ("", "病情恶化", "early-warning-score-escalation"),
    ("", "第二诊疗意见", "remote-second-opinion"),
    ("zh/", "central line bundle", "hand-hygiene-and-central-line-bundle"),
    ("zh/", "falls prevention", "inpatient-falls-prevention"),
    ("zh/", "second opinion", "remote-second-opinion"),
    ("zh/", "serious incident", "serious-incident-review"),
    ("zh/", "extravasation", "chemotherapy-extravasation"),
]


@pytest.mark.parametrize(("prefix", "query", "protocol"), ACROSS)
def test_the_other_languages_title_words_find_the_protocol(searcher: Any, prefix: str, query: str,  # noqa: F811
                                                           protocol: str) -> None:
    results = searcher(prefix, query)
    assert protocol in {protocol_of(href) for _, href in results[:3]}, (query, [href for _, href in results[:5]])


def test_the_sites_own_language_still_ranks_first(searcher: Any) -> None:  # noqa: F811
    # 跌倒 is in the Chinese title of the falls protocol only; the English word finds it first on both sites
    for prefix in ("", "zh/"):
        results = searcher(prefix, "falls")
        assert protocol_of(results[0][1]) == "inpatient-falls-prevention", results[:3]


@pytest.mark.parametrize(("query", "protocol"), [
    ("催产素", "postpartum-haemorrhage"),        # the Chinese site's alias of 缩宫素, a glossary rendering of oxytocin
    ("粒缺伴发热", "febrile-neutropenia"),       # its alias of 中性粒细胞缺乏伴发热
    ("试管婴儿", "ovarian-hyperstimulation-syndrome"),  # the English site's own alias of IVF
])
def test_a_chinese_clinicians_everyday_word_finds_the_english_page(searcher: Any, query: str,  # noqa: F811
                                                                   protocol: str) -> None:
    results = searcher("", query)
    assert results and protocol_of(results[0][1]) == protocol, (query, [href for _, href in results[:3]])
