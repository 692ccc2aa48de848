"""Order within a sentence: two opposed words, two medicines or two routes exchanged in place.

"Stop compressions, continue ventilation" read back as 继续按压，停止通气 names the same words
as its source, so counting them finds nothing; only their order has changed. Chinese moves words
for its own reasons, though: a condition goes first (如无静脉通路，则肌内注射), a phrase names its
place before the verb (在拮抗剂周期中使用激动剂, 用生理盐水稀释硫酸镁), and a relative clause comes
before its noun. Two mentions count as swapped only when neither language has such a reason
between them (``apart``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations, pairwise

from .concepts import Mention, within
from .findings import Finding
from .numerals import format_value
from .pair import Pair, excerpt

# Sets whose two members, named in one sentence, keep their order in Chinese unless a condition or
# a time clause stands between them: 停止按压，继续通气 read back as 继续按压，停止通气 is a swap.
ORDERED = frozenset({"action", "high-low", "result", "susceptibility", "course", "stage", "setting", "receptor",
                     "delivery", "applied-temperature", "meal", "rate", "malignancy", "asepsis", "tissue-damage",
                     "dose-phase", "pressure-sign", "syringe", "calibre", "line", "bp-phase", "pressor", "trend",
                     "storage", "seniority", "profession", "on-call", "maternal-state", "parity", "plurality",
                     "menopause", "birth-weight", "birth-mode", "inclusion", "risk", "latex", "allergy", "enzyme",
                     "uterine", "antithrombotic", "fibrinolysis", "acting", "potassium", "age-group", "device",
                     # en-zh-kinds.yaml
                     "specialty", "nurse-grade", "authority", "solution", "vehicle", "base", "handling", "motion", "seal",
                     "proximity", "opened", "span-end", "fate", "cycle", "infant-age"})
# Between the two: a condition, a time, a comparison or a relative clause anywhere, or a phrase
# Chinese puts first in the clause that names the second ("an agonist in an antagonist cycle" is
# 在拮抗剂周期中使用激动剂); a phrase of an earlier clause ("refrigerate at 2–8 °C; do not freeze") is not
BETWEEN_EN = re.compile(r"(?i)\b(?:if|when|whenever|unless|until|once|while|before|after|as soon as|than|because|so|since"
                        r"|which|who|that|whose|where)\b")
_PHRASE_EN = re.compile(r"(?i)\b(?:in|during|within|for|from|at|on|by|per|with|without|of)\b")
# Medicines are compared, preferred and switched as well ("oxytocin is preferred over misoprostol"
# is 与米索前列醇相比，首选缩宫素)
_DRUG_PHRASE_EN = re.compile(r"(?i)\b(?:in|during|within|for|from|at|on|by|per|with|without|of|over|to|as|versus|vs"
                             r"|compared|instead|than|into|plus|alongside)\b")
_BETWEEN_ZH = re.compile(r"如果|如|若|倘若|一旦|当|时|直至|直到|前|(?<![然最])后|待|以免|以防|比|因为|由于|所以|的")
_PHRASE_ZH = re.compile(r"在|中|于|对|由|被")
_DRUG_PHRASE_ZH = re.compile(r"在|中|于|对|由|被|与|和|同|替代|代替|相比|加入|溶于|稀释|配制")
_CLAUSE_END = re.compile(r"[;；,，:：]")
_COORDINATED = re.compile(r"(?i)^[\s,，、/]*(?:and|or|and/or|和|或|及|与|或者|以及|和/或|和（或）)?[\s,，、/]*$")
_IF_ZH = "如果|假如|倘若|如|若|一旦|当|除非"  # words that open a condition
# …and those that front one ("only if" 仅在…时), which may run to the end of the sentence without a comma
_CONDITION_ZH = re.compile(f"{_IF_ZH}|仅在|只有在|只在|仅当|只有当|只要")


def contrast_order(pair: Pair, src: list[Mention], tr: list[Mention], hint: str) -> list[Finding]:
    """Two members of one ``ORDERED`` set exchanged within an aligned sentence."""
    findings = []
    for s_span, t_span in pair.segments():
        s_part, t_part = within(src, s_span), within(tr, t_span)
        for name in sorted({m.concept.family for m in s_part} & ORDERED):
            s_first, t_first = _firsts(s_part, name), _firsts(t_part, name)
            if len(s_first) != 2 or set(s_first) != set(t_first) or list(s_first) == list(t_first):
                continue
            if not (apart(pair.text("en"), s_first.values(), BETWEEN_EN, _PHRASE_EN)
                    and apart(pair.text(pair.language), t_first.values(), _BETWEEN_ZH, _PHRASE_ZH)):
                continue
            findings.append(_swapped("contrast", "meaning reversed", pair, s_span, list(s_first.values()),
                                     list(t_first.values()), hint))
    return findings


def drug_order(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[Finding]:
    """Two medicines of one sentence exchanged in place: "stop aspirin and start clopidogrel" read
    back as 停用氯吡格雷并开始阿司匹林."""
    for s_span, t_span in pair.segments():
        s_first, t_first = _firsts(within(src, s_span), "drug"), _firsts(within(tr, t_span), "drug")
        if len(s_first) < 2 or set(s_first) != set(t_first):
            continue
        t_rank = {name: n for n, name in enumerate(t_first)}
        for a, b in combinations(s_first, 2):
            if t_rank[a] < t_rank[b]:
                continue
            s_pair, t_pair = [s_first[a], s_first[b]], [t_first[b], t_first[a]]
            if (apart(pair.text("en"), s_pair, BETWEEN_EN, _DRUG_PHRASE_EN)
                    and apart(pair.text(pair.language), t_pair, _BETWEEN_ZH, _DRUG_PHRASE_ZH)):
                return [_swapped("drug", "medicines exchanged", pair, s_span, s_pair, t_pair,
                                 "keep each medicine where the source names it")]
    return []


def pair_halved(pair: Pair, src: list[Mention], tr: list[Mention], hint: str, loose: frozenset[str]) -> list[Finding]:
    """"Before and after every patient contact" as 接触患者后: one of a coordinated pair dropped
    while the other stays (前后 and 左右, which name both, are no single member)."""
    text, t_ids = pair.text("en"), {m.id for m in tr}
    hard = [m for m in src if not m.concept.soft and m.concept.family not in loose]
    for a, b in pairwise(hard):
        if a.concept.family != b.concept.family or a.id == b.id or not _COORDINATED.match(text[a.end:b.start]):
            continue
        kept = {a.id, b.id} & t_ids
        if len(kept) == 1:
            lost = a if b.id in kept else b
            return [Finding("contrast", "error", f"one of a pair dropped: source has {a.text} and {b.text}, translation "
                            f"keeps only {(b if lost is a else a).text}", hint)]
    return []


def condition_fronted(pair: Pair, source: list[tuple[int, str]], translation: list[tuple[int, str]],
                      s_span: tuple[int, int], t_span: tuple[int, int], s_order: list[str]) -> bool:
    """"Give it IM if there is no IV access" is 如无静脉通路，则肌内注射: Chinese puts the condition,
    and the route it names, first."""
    first = next(p for p, c in source if s_span[0] <= p < s_span[1] and c == s_order[0])
    second = next(p for p, c in source if s_span[0] <= p < s_span[1] and c == s_order[1])
    t_first = min(p for p, _ in translation if t_span[0] <= p < t_span[1])
    return bool(BETWEEN_EN.search(pair.text("en"), first, second)
                and _CONDITION_ZH.search(pair.text(pair.language), t_span[0], t_first))


def apart(text: str, mentions: Iterable[Mention], conditional: re.Pattern[str], phrase: re.Pattern[str]) -> bool:
    """The two mentions stand in clauses of their own: no condition, time or comparison word between
    them (如计数下降，增加剂量 for "increase the dose if the count falls"), no phrase in front of the
    second one's clause, and not a mere pair (成人和儿童 for "children and adults")."""
    a, b = sorted(mentions, key=lambda m: m.start)
    between = text[a.end:b.start]
    last_clause = _CLAUSE_END.split(between)[-1]
    return not conditional.search(between) and not phrase.search(last_clause) and not _COORDINATED.match(between)


def _firsts(found: list[Mention], family: str) -> dict[str, Mention]:
    """The first hard mention of each concept of ``family``, in order of appearance."""
    firsts: dict[str, Mention] = {}
    for m in found:
        if m.concept.family == family and not m.concept.soft:
            firsts.setdefault(m.id, m)
    return firsts


def _swapped(code: str, what: str, pair: Pair, s_span: tuple[int, int], s_pair: list[Mention], t_pair: list[Mention],
             hint: str) -> Finding:
    return Finding(code, "error", f"{what} in '{excerpt(pair.source, s_span)}': source has {s_pair[0].text} … "
                   f"{s_pair[1].text}, translation has {t_pair[0].text} … {t_pair[1].text}", hint)


# "A, not B" and its Chinese forms (A，而不是B; A（而非B）; 不是B，而是A): which of two is meant.
_EN_NOT = re.compile(r"(?i),\s*(?:and\s+)?not\b|\b(?:rather than|instead of)\b")
_EN_LEFT_STOP = re.compile(r"[;.:!?\n]")
_EN_RIGHT_STOP = re.compile(r"[,;.:!?()\n]")
_ZH_NOT = re.compile(r"[，,（(]?\s*(?:而不是|而非|而并非)")
_ZH_BUT = re.compile(r"(?:并)?不是(?P<rejected>[^，,。；;！？!?\n]{1,40}?)[，,]?\s*而是(?P<chosen>[^，,。；;！？!?（）()\n]{1,40})")
_ZH_LEFT_STOP = re.compile(r"[，,；;。！？!?：:\n]")
_ZH_RIGHT_STOP = re.compile(r"[，,；;。！？!?（）()\n]")
_CHOICE_CATEGORIES = ("contrast", "kind", "drug", "site", "laterality")
Span = tuple[int, int]


def _around(text: str, marker: re.Match[str], left: re.Pattern[str], right: re.Pattern[str]) -> tuple[Span, Span]:
    """The clause before ``marker`` (from the last ``left`` stop) and the phrase after it (to the next
    ``right`` stop): what is meant and what is refused."""
    starts = [m.end() for m in left.finditer(text, 0, marker.start())]
    end = next((m.start() for m in right.finditer(text, marker.end())), len(text))
    return (starts[-1] if starts else 0, marker.start()), (marker.end(), end)


def _en_choice(text: str) -> tuple[Span, Span] | None:
    """(what is meant, what is refused) in "A, not B" / "A rather than B"; None unless said once."""
    found = list(_EN_NOT.finditer(text))
    if len(found) != 1:
        return None
    return _around(text, found[0], _EN_LEFT_STOP, _EN_RIGHT_STOP)


def _zh_choice(text: str) -> tuple[Span, Span] | None:
    found, but = list(_ZH_NOT.finditer(text)), list(_ZH_BUT.finditer(text))
    if len(found) + len(but) != 1:
        return None
    if but:
        return but[0].span("chosen"), but[0].span("rejected")
    return _around(text, found[0], _ZH_LEFT_STOP, _ZH_RIGHT_STOP)


def choice_reversed(pair: Pair, hint: str) -> list[Finding]:
    """"Check the wristband before, not after, taking blood" as 抽血后（而非抽血前）核对腕带: both
    named, the one meant and the one refused exchanged."""
    s_choice, t_choice = _en_choice(pair.text("en")), _zh_choice(pair.text(pair.language))
    if s_choice is None or t_choice is None:
        return []

    def ids(side: str, span: Span) -> dict[str, str]:
        return {m.id: m.text for c in _CHOICE_CATEGORIES for m in pair.found(c, side)
                if not m.concept.soft and span[0] <= m.start < span[1]}

    (s_meant, s_refused), (t_meant, t_refused) = ([ids(side, span) for span in spans]
                                                  for side, spans in (("en", s_choice), (pair.language, t_choice)))
    meant = [c for c in s_meant if c not in s_refused and c in t_refused and c not in t_meant]
    refused = [c for c in s_refused if c not in s_meant and c in t_meant and c not in t_refused]
    kept = [c for c in s_meant if c in t_meant and c not in t_refused] + [c for c in s_refused if c in t_refused
                                                                          and c not in t_meant]
    if meant and refused:
        return [Finding("contrast", "error", f"choice reversed: the source means {s_meant[meant[0]]}, not "
                        f"{s_refused[refused[0]]}; the translation means {t_meant[refused[0]]}, not "
                        f"{t_refused[meant[0]]}", hint)]
    # One side of the choice names nothing the lists know ("the site manager, not the ward"): the one
    # they know, moved to the other side of 而不是 with nothing left where it was, is enough.
    if (meant or refused) and not kept:
        what = (f"the source means {s_meant[meant[0]]}, the translation refuses {t_refused[meant[0]]}" if meant else
                f"the source refuses {s_refused[refused[0]]}, the translation means {t_meant[refused[0]]}")
        return [Finding("contrast", "error", f"choice reversed: {what}", hint)]
    return _numbers_reversed(pair, s_choice, t_choice)


_EN_CONDITION_CLAUSE = re.compile(r"(?i)\b(?:if|when|whenever|unless|once|should)\b[^,;.:!?\n]*")
_ZH_CONDITION_CLAUSE = re.compile(f"(?:{_IF_ZH})[^，,；;。！？!?\\n]*")  # to the end of its clause


def in_conditions(pair: Pair, src: list[Mention], tr: list[Mention], ids: Iterable[str]) -> tuple[set[str], set[str]]:
    """Which of ``ids`` each side names inside a condition ("if urethral catheterisation fails" and
    如经尿道导尿失败 both name the urethral route there): the source's, then the translation's."""
    wanted = set(ids)

    def conditioned(found: list[Mention], text: str, pattern: re.Pattern[str]) -> set[str]:
        spans = [m.span() for m in pattern.finditer(text)]
        return {m.id for m in found if m.id in wanted and any(a <= m.start < b for a, b in spans)}

    return (conditioned(src, pair.text("en"), _EN_CONDITION_CLAUSE),
            conditioned(tr, pair.text(pair.language), _ZH_CONDITION_CLAUSE))


def _numbers_reversed(pair: Pair, s_choice: tuple[Span, Span], t_choice: tuple[Span, Span]) -> list[Finding]:
    """"Take one tablet, not two" as 服两片，而不是一片: the same numbers, the one meant and the one
    refused exchanged (the numbers check sees the same numbers and passes it)."""
    readings = pair.readings
    if readings is None:
        return []

    def values(side: int, span: Span) -> set[str]:
        return {format_value(q.value) for q in readings[side].quantities if span[0] <= q.start < span[1]}

    (s_meant, s_refused), (t_meant, t_refused) = ([values(side, span) for span in spans]
                                                  for side, spans in ((0, s_choice), (1, t_choice)))
    meant = sorted(v for v in s_meant - s_refused if v in t_refused - t_meant)
    refused = sorted(v for v in s_refused - s_meant if v in t_meant - t_refused)
    if not meant or not refused:
        return []
    return [Finding("numbers", "error", f"choice reversed: the source means {meant[0]}, not {refused[0]}; the "
                    f"translation means {refused[0]}, not {meant[0]}",
                    "keep the number that is meant before 而不是/而非 and the refused one after it")]
