"""The flowchart: escaped text, links to steps, branch edges and the sibling rule."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from carebridge.site.flowchart import Edge, Node, edges_for, render_flowchart, wrap

SVG = "{http://www.w3.org/2000/svg}"


def _nodes(lang: str = "en") -> list[Node]:
    return [Node("assess", "Assess <b>now</b> & score", "en", question="Score 5 or more?"),
            Node("escalate", "Escalate", lang), Node("monitor", "Monitor", lang), Node("handover", "Hand over", lang)]


def test_svg_is_well_formed_and_escapes_every_text() -> None:
    decisions = {0: [("escalate", "Yes <script>", "en"), ("monitor", "No", "en")]}
    svg = render_flowchart(_nodes(), edges_for(["assess", "escalate", "monitor", "handover"], decisions),
                           "Flow: <x>", "en")
    root = ET.fromstring(svg)  # raises if any text broke the markup
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "1. Assess <b>now</b> & score" in texts
    assert "Yes <script>" in texts
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_every_node_links_to_its_step() -> None:
    svg = render_flowchart(_nodes(), edges_for(["assess", "escalate", "monitor", "handover"], {}), "t", "en")
    assert re.findall(r'<a href="#([a-z-]+)">', svg) == ["assess", "escalate", "monitor", "handover"]


def test_alternatives_of_one_decision_are_not_chained() -> None:
    decisions = {0: [("escalate", "yes", "en"), ("monitor", "no", "en")]}
    edges = edges_for(["assess", "escalate", "monitor", "handover"], decisions)
    pairs = {(e.source, e.target) for e in edges}
    assert (1, 2) not in pairs  # escalate and monitor are alternatives, not a sequence
    assert {(0, 1), (0, 2), (2, 3)} <= pairs
    assert [e.label for e in edges if e.source == 0] == ["yes", "no"]


def test_unknown_goto_draws_no_edge() -> None:
    assert edges_for(["a", "b"], {0: [("nowhere", "x", "en")]}) == []


def test_english_fallback_on_a_chinese_page_is_marked() -> None:
    svg = render_flowchart(_nodes(lang="zh-Hans")[:2] + [Node("monitor", "Monitor", "en")], [Edge(0, 1)],
                           "流程图", "zh-Hans")
    assert 'class="cb-flow-label cb-fallback" lang="en">3. Monitor<' in svg
    assert 'class="cb-flow-label" lang="zh-Hans">2. Escalate<' in svg


def test_wrap_keeps_latin_words_whole_and_breaks_cjk_anywhere() -> None:
    assert all(len(line) <= 12 for line in wrap("systolic blood pressure below ninety", 7))
    text = "收缩压低于90 mmHg时立即呼叫"
    lines = wrap(text, 5)
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added


def test_a_two_line_label_on_a_straight_arrow_stays_above_the_next_box() -> None:
    # "Yes: diagnose postpartum haemorrhage" once ran into the top of step 3's box.
    decisions = {0: [("escalate", "Yes: diagnose postpartum haemorrhage", "en"), ("handover", "No", "en")]}
    svg = render_flowchart(_nodes(), edges_for(["assess", "escalate", "monitor", "handover"], decisions), "t", "en")
    root = ET.fromstring(svg)
    next_top = float(root.findall(f".//{SVG}rect")[1].get("y") or 0)
    labels = [t for t in root.iter(f"{SVG}text") if "cb-flow-edge-label" in (t.get("class") or "")]
    straight = [t for t in labels if t.text in ("Yes: diagnose postpartum", "haemorrhage")]
    assert len(straight) == 2
    assert all(float(t.get("y") or 0) + 4 <= next_top for t in straight)
