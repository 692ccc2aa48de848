"""A protocol's steps and decision points as an inline SVG flowchart, drawn at build time.

No script and no CDN: the picture is plain SVG whose nodes link to their steps. Steps are
stacked in protocol order; a decision's branches are arrows labelled with their condition,
routed in lanes to the right. A step without a decision flows on to the next step, unless
both are alternatives of the same decision.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import jinja2

from .templating import environment

BOX_X, BOX_W, LINE_H, PAD, GAP, LANE_W = 16, 340, 18, 8, 34, 14
LABEL_CHARS = 26  # width of a branch label line, in Latin characters


@dataclass(frozen=True)
class Node:
    id: str
    label: str          # plain text, already localized
    lang: str
    question: str = ""  # the decision's question, if any


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    label: str = ""
    lang: str = ""


def _width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55


def wrap(text: str, width: float) -> list[str]:
    """Wrap text to ``width`` em; CJK characters are a full em, Latin about half.

    >>> wrap("Call for help and start the bundle", 10)
    ['Call for help and', 'start the bundle']
    >>> wrap("立即呼叫产科医生和麻醉医生", 6)
    ['立即呼叫产科', '医生和麻醉医', '生']
    """
    lines: list[str] = []
    line, used = "", 0.0
    for token in _tokens(text):
        size = sum(_width(c) for c in token)
        if used + size > width and line.strip():
            lines.append(line.strip())
            line, used = "", 0.0
            token = token.lstrip()
            size = sum(_width(c) for c in token)
        line += token
        used += size
    if line.strip():
        lines.append(line.strip())
    return lines


def _tokens(text: str) -> list[str]:
    # Latin words stay whole (with their leading space); CJK breaks between any two characters.
    out: list[str] = []
    for ch in text:
        if out and _width(ch) < 1 and ch != " " and out[-1] and _width(out[-1][-1]) < 1:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _shorten(lines: list[str], keep: int) -> list[str]:
    return lines if len(lines) <= keep else [*lines[: keep - 1], lines[keep - 1].rstrip() + "…"]


def edges_for(step_ids: list[str], decisions: dict[int, list[tuple[str, str, str]]]) -> list[Edge]:
    """Branch edges from decisions, plus "then" edges between consecutive plain steps.

    >>> [(e.source, e.target) for e in edges_for(["a", "b", "c", "d"], {0: [("b", "yes", "en"), ("c", "no", "en")]})]
    [(0, 1), (0, 2), (2, 3)]
    """
    index = {sid: i for i, sid in enumerate(step_ids)}
    edges: list[Edge] = []
    siblings: list[set[int]] = []
    for source, branches in sorted(decisions.items()):
        targets = {index[goto] for goto, _, _ in branches if goto in index}
        siblings.append(targets)
        edges += [Edge(source, index[goto], label, lang) for goto, label, lang in branches if goto in index]
    for i in range(len(step_ids) - 1):
        if i in decisions or any(i in group and i + 1 in group for group in siblings):
            continue
        edges.append(Edge(i, i + 1))
    return edges


@dataclass(frozen=True)
class Line:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Box:
    node: Node
    y: float
    height: float
    label: list[Line]
    question: list[Line]


@dataclass(frozen=True)
class Arrow:
    path: str
    bent: bool   # runs out along a lane (not straight down to the next box)
    leader: str  # the thin line from a lane to its label, if any
    labels: list[Line]
    lang: str
    fallback: bool


def render_flowchart(nodes: list[Node], edges: list[Edge], title: str, title_lang: str,
                     env: jinja2.Environment | None = None) -> str:
    """The SVG markup, drawn by ``flowchart.svg`` from the layout computed here (all text escaped)."""
    boxes: list[tuple[float, float, list[str], list[str]]] = []  # y, height, label lines, question lines
    # A labelled arrow straight down to the next box gets a gap tall enough for every line of its label.
    below = {e.source: LINE_H * max(len(_label_lines(e.label)) - 1, 0) for e in edges if e.target == e.source + 1}
    y = 8.0
    for n, node in enumerate(nodes):
        label = _shorten(wrap(f"{n + 1}. {node.label}", BOX_W / 14), 3)
        question = _shorten(wrap(node.question, BOX_W / 13), 3) if node.question else []
        height = PAD * 2 + LINE_H * (len(label) + len(question))
        boxes.append((y, height, label, question))
        y += height + GAP + below.get(n, 0)
    # Short jumps take the inner lanes and leave their box lowest, so no two arrows cross.
    far = sorted((e for e in edges if e.target != e.source + 1), key=lambda e: (abs(e.target - e.source), e.source))
    lanes = {id(e): k for k, e in enumerate(far)}
    label_x = BOX_X + BOX_W + 20 + LANE_W * len(far)
    width = label_x + LABEL_CHARS * 7.5
    # Branches leave their box at different heights; their labels stack in a column without overlap.
    starts: dict[int, float] = {}
    for edge in far:
        mine = [e for e in reversed(far) if e.source == edge.source]
        s_top, s_h, *_ = boxes[edge.source]
        starts[id(edge)] = s_top + s_h * (mine.index(edge) + 1) / (len(mine) + 1)
    label_y: dict[int, float] = {}
    bottom = 0.0
    for edge in sorted(far, key=lambda e: starts[id(e)]):
        label_y[id(edge)] = max(starts[id(edge)] + 4, bottom + LINE_H)
        bottom = label_y[id(edge)] + LINE_H * (len(_label_lines(edge.label)) - 1) + 4
    y = max(y, bottom + PAD)
    arrows = [_arrow(edge, boxes, lanes.get(id(edge)), starts.get(id(edge), 0.0), label_x, label_y.get(id(edge), 0.0),
                     title_lang) for edge in edges]
    drawn = [Box(node, top, box_h,
                 [Line(BOX_X + PAD, round(top + PAD + LINE_H * (k + 1) - 5), text) for k, text in enumerate(label)],
                 [Line(BOX_X + PAD, round(top + PAD + LINE_H * (len(label) + k + 1) - 5), text)
                  for k, text in enumerate(question)])
             for node, (top, box_h, label, question) in zip(nodes, boxes, strict=True)]
    return (env or environment()).get_template("flowchart.svg").render(
        boxes=drawn, arrows=arrows, title=title, title_lang=title_lang, width=round(width), height=round(y),
        box_x=BOX_X, box_w=BOX_W)


def _label_lines(label: str) -> list[str]:
    return _shorten(wrap(label, LABEL_CHARS * 0.55), 3) if label else []


def _arrow(edge: Edge, boxes: list[tuple[float, float, list[str], list[str]]], lane: int | None,
           sy: float, label_x: float, label_y: float, page_lang: str) -> Arrow:
    s_top, s_h, *_ = boxes[edge.source]
    t_top, t_h, *_ = boxes[edge.target]
    label = _label_lines(edge.label)
    leader = ""
    if lane is None:  # straight down to the next box
        x = BOX_X + BOX_W / 2
        path = f"M{x:.0f},{s_top + s_h:.0f} L{x:.0f},{t_top - 2:.0f}"
        lx, ly = x + 8, s_top + s_h + 14
    else:  # out of the right side, down (or up) a lane, back into the target's right side
        right = BOX_X + BOX_W
        lane_x = right + 16 + LANE_W * lane
        ty = t_top + t_h / 2 + (6 if t_top < s_top else -6)
        path = f"M{right},{sy:.0f} L{lane_x:.0f},{sy:.0f} L{lane_x:.0f},{ty:.0f} L{right + 2},{ty:.0f}"
        if label:
            leader = f"M{lane_x:.0f},{sy:.0f} L{label_x - 4:.0f},{label_y - 4:.0f}"
        lx, ly = label_x, label_y
    lines = [Line(round(lx), round(ly + LINE_H * k), text) for k, text in enumerate(label)]
    return Arrow(path, lane is not None, leader, lines, edge.lang, bool(edge.lang) and edge.lang != page_lang)
