"""glance.py and the "At a glance" block: first actions, decision points and every dose, each
dose linking to its step, in the page's language with fallbacks marked."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog

from carebridge.site.glance import dose_rows, excerpt, latest_change, list_items
from carebridge.site.localize import localize
from carebridge.site.render import PageContext, render_protocol
from carebridge.site.words import Words
from carebridge.source.library import Loaded, Project, load_library
from carebridge.source.model import Change

REPO = Path(__file__).resolve().parents[1]
PPH = REPO / "protocols" / "obstetrics" / "postpartum-haemorrhage.yaml"


def pph() -> Loaded:
    loaded, problems = load_library(Project.at(REPO), [PPH])
    assert not [p for p in problems if p.severity.value == "error"]
    return loaded[0]


def glance_of(page: str) -> str:
    match = re.search(r'<section class="cb-glance".*?</section>', page, re.DOTALL)
    assert match is not None, "no At a glance block"
    return match.group(0)


def test_excerpt_keeps_the_lead_and_the_first_items_and_counts_the_rest() -> None:
    text = "Clean your hands at each of the **5 moments**:\n\n- one\n- two\n- three\n- four\n- five\n\nThen record."
    part = excerpt(text, 3)
    assert part.markdown == "Clean your hands at each of the **5 moments**:\n\n- one\n- two\n- three"
    assert part.more == 2


def test_excerpt_of_a_text_that_starts_with_its_list() -> None:
    assert excerpt("1. first\n2. second\n   still second\n\nAfter.", 3).markdown == "1. first\n2. second\n   still second"
    assert list_items("- a\n\n- b") == ["- a", "- b"]


def test_latest_change_is_the_last_written_of_the_newest_day() -> None:
    p = pph().protocol
    newest = max(c.date for c in p.history)
    assert latest_change(p) == [c for c in p.history if c.date == newest][-1]
    assert latest_change(p).version == p.version  # the library writes a history entry for every version
    assert isinstance(latest_change(p), Change)


def test_pph_glance_lists_every_dose_with_a_link_to_its_step() -> None:
    loaded = pph()
    page = render_protocol(loaded, localize(loaded, None, "en"), Words(None, "en"), PageContext("en", None))
    block = glance_of(page)
    rows = re.findall(r"<tr><td class=\"cb-glance__n\" data-step=\"Step\">(\d+)</td><td><a href=\"#([a-z-]+)\"><strong>([^<]+)</strong>"
                      r".*?<span class=\"cb-dose\">([^<]+)</span>", block)
    expected = [(str(r.step + 1), loaded.protocol.steps[r.step].id, r.med.drug) for r in dose_rows(loaded.protocol)]
    assert [(n, anchor, drug) for n, anchor, drug, _ in rows] == expected
    assert len(rows) == 4  # every dose of every step, none left out
    assert [dose for *_, dose in rows] == ["10&nbsp;units", "600&nbsp;mcg", "1&nbsp;g", "800&nbsp;mcg"]
    assert "2 doses in total" in block  # the maximum travels with its dose
    # first actions: the first step and its first list items; decisions with where each answer leads
    assert '<a href="#uterotonic-at-birth">1. Give a uterotonic at every birth</a>' in block
    assert "<li>Oxytocin is the first choice.</li>" in block
    assert '<a href="#measure-blood-loss">Step 2</a> Is measured blood loss 300 mL or more' in block
    assert 'Yes: diagnose postpartum haemorrhage → <a href="#first-response-bundle">step 3</a>' in block


def test_glance_on_a_translated_page_marks_english_fallbacks(project_tree: Path) -> None:
    loaded, _ = load_library(Project.at(project_tree))
    catalog = Catalog(locale="zh_CN", domain="example-escalation")
    catalog.add("paracetamol", "对乙酰氨基酚", context="example-escalation:steps.escalate.medications.paracetamol.drug")
    page = render_protocol(loaded[0], localize(loaded[0], catalog, "zh-Hans"), Words(Catalog(locale="zh_CN"), "zh-Hans"),
                           PageContext("zh-Hans", "zh_CN"))
    block = glance_of(page)
    assert "<strong>对乙酰氨基酚</strong>" in block
    assert '<span class="cb-fallback" lang="en" title="Not yet translated">every 6 hours</span>' in block
    assert '<div class="cb-text cb-fallback" lang="en"' in block  # the first actions, still in English


def test_a_patient_leaflet_has_no_glance_block() -> None:
    path = REPO / "protocols" / "patient-education" / "after-a-heart-attack.yaml"
    loaded, _ = load_library(Project.at(REPO), [path])
    page = render_protocol(loaded[0], localize(loaded[0], None, "en"), Words(None, "en"), PageContext("en", None))
    assert "cb-glance" not in page


def test_unreviewed_protocol_says_so_instead_of_a_review_date() -> None:
    loaded = pph()
    assert not loaded.protocol.reviewers
    page = render_protocol(loaded, localize(loaded, None, "en"), Words(None, "en"), PageContext("en", None))
    meta = re.search(r'<dl class="cb-meta".*?</dl>', page, re.DOTALL)
    assert meta is not None
    assert "Last reviewed" not in meta.group(0) and "none yet" not in meta.group(0)
    assert "<dt>Clinical review</dt><dd><strong>Not yet clinically reviewed</strong></dd>" in meta.group(0)
    assert "<dt>Last edited</dt><dd><time>2026-11-30</time></dd>" in meta.group(0)
