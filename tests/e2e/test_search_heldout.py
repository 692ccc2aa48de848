"""The held-out query sets (search_heldout.yaml, search_third.yaml), typed into the real site's search box in Chromium.

Written from the protocols' content without the synonyms files: abbreviations, brand names, typos,
lay words, symptoms, doses with units, questions, Chinese synonyms, Traditional characters,
full-width input, mixed Chinese and Latin, spaces and punctuation, the other language's words.
Each query must find one of its protocols in the top 3; a known miss is a strict xfail with its
reason, so a change that mends it shows. ``bench/search_heldout.py`` prints the figures by class.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from .test_search import protocol_of, searcher  # noqa: F401  (the fixture, shared)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The first set, and a third one (search_third.yaml) written the same way by another hand.
SETS = {name: yaml.safe_load((Path(__file__).parent / f"{name}.yaml").read_text(encoding="utf-8"))
        for name in ("search_heldout", "search_third")}
HELDOUT = [pytest.param("zh/" if q["site"] == "zh" else "", q["q"], {data["protocols"][e] for e in q["expect"]},
                        id=f"{name.removeprefix('search_')}:{q['class']}:{q['site']}/{q['q']}",
                        marks=[pytest.mark.xfail(strict=True, reason=q["miss"])] if q.get("miss") else [])
           for name, data in SETS.items() for q in data["queries"]]


@pytest.mark.parametrize(("prefix", "query", "protocols"), HELDOUT)
def test_a_held_out_query_finds_its_protocol_in_the_top_three(searcher: Any, prefix: str, query: str,  # noqa: F811
                                                              protocols: set[str]) -> None:
    results = searcher(prefix, query)
    assert protocols & {protocol_of(href) for _, href in results[:3]}, (query, [href for _, href in results[:5]])


@pytest.mark.parametrize("name", SETS)
def test_the_held_out_set_is_large_balanced_and_new(name: str) -> None:
    data = SETS[name]
    queries = data["queries"]
    assert len(queries) >= 150
    assert len({(q["site"], q["q"]) for q in queries}) == len(queries)
    assert 0.4 <= sum(q["site"] == "zh" for q in queries) / len(queries) <= 0.6
    assert set(data["protocols"]) >= {e for q in queries for e in q["expect"]}
    assert len({e for q in queries for e in q["expect"]}) == len(data["protocols"])  # every protocol asked for
