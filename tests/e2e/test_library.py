"""The real starter library: what the partnerships see, built from this repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import REPO
from .test_browser import search

PROTOCOLS = sorted((REPO / "protocols").rglob("*.yaml"))
SEED_AREAS = {"obstetrics", "reproductive", "paediatrics", "cardiology", "urology", "oncology",
              "infection-prevention", "nursing", "international-patients", "patient-education", "governance"}


def _data(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_seed_area_is_represented_by_demonstration_drafts() -> None:
    data = [_data(p) for p in PROTOCOLS]
    assert len(data) >= 12
    assert {d["specialty"] for d in data} >= SEED_AREAS
    assert {"patient-leaflet", "protocol"} <= {d["kind"] for d in data}
    for d in data:
        assert d["demonstration"] is True and d["status"] != "approved", d["id"]


@pytest.mark.parametrize("path", PROTOCOLS, ids=lambda p: p.stem)
def test_each_protocol_is_adapted_for_china_and_cites_its_numbers(path: Path) -> None:
    d = _data(path)
    adaptations = [a for a in d.get("adaptations", []) if a["locale"] == "zh_CN"]
    assert len(adaptations) >= 2
    assert all(a["note"] and a["rationale"] for a in adaptations)
    for step in d["steps"]:
        for med in step.get("medications", []):
            assert med["source"]["section"].strip(), (step["id"], med["id"])  # every dose traceable


def test_every_protocol_is_published_fully_translated(real_site: Path) -> None:
    for path in PROTOCOLS:
        url = Path("protocols") / path.parent.name / path.stem / "index.html"
        english = (real_site / url).read_text(encoding="utf-8")
        chinese = (real_site / "zh" / url).read_text(encoding="utf-8")
        assert '<html lang="en"' in english and '<html lang="zh' in chinese
        assert "cb-banner--incomplete" not in chinese, f"{path.stem}: strings still in English on /zh/"
        assert "Adapted for China" in english  # the international partner sees the adaptations too


@pytest.fixture
def real_page(browser: Any, real_url: str) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "term", "protocol"), [
    ("zh/", "产后出血", "postpartum-haemorrhage"),
    ("zh/", "手卫生", "hand-hygiene-and-central-line-bundle"),
    ("zh/", "中性粒细胞", "febrile-neutropenia"),
    ("", "oxytocin", "postpartum-haemorrhage"),
    ("", "NEWS2", "early-warning-score-escalation"),
])
def test_clinicians_find_protocols_by_the_words_they_use(real_page: Any, real_url: str, language: str,
                                                         term: str, protocol: str) -> None:
    real_page.goto(f"{real_url.rstrip('/')}/{language}")
    results = search(real_page, term)
    hrefs = [href for _, href in results]
    assert any(protocol in href for href in hrefs), (term, hrefs[:5])
    if not language:
        assert not any("/zh/" in href for href in hrefs)  # English search never returns Chinese pages
