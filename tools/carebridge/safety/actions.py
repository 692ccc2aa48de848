"""What an instruction has someone do: a clause of acts dropped from the translation or added to it.

"Give tranexamic acid and inform the obstetrician" as 给予氨甲环酸 loses a call for help, and
"apply a cold pack" as 冷敷，并按摩局部 adds a massage that spreads an extravasated drug; neither
touches a number, a medicine or a negation. The acts are read from ``en-zh-actions.yaml`` (inform
通知/呼叫, assess 评估/观察, record 记录, clamp 夹闭, massage 按摩 …), each broad enough that a
paraphrase stays the same act. A clause is reported only when none of its acts is named on the
other side while another clause's act is, so a sentence whose verbs the list does not know, or
one translated freely as a whole, is left alone. ``length`` catches the same loss only when it
changes the sentence's length a great deal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from .concepts import ZH_CLAUSE_END, Mention, within
from .findings import Finding
from .pair import Pair, excerpt, register
from .vocabulary import Concept

# Clauses: English joins acts with commas, "and", "then"; Chinese with ，、； and 并/然后/随后
_EN_CLAUSE = re.compile(r"[,;:.]|\b(?:and|then|or|but|before|after|until|if|when|so|because|unless|while)\b", re.IGNORECASE)
_EN_SENTENCE_PART = re.compile(r"[,;:.]")
_ZH_CLAUSE = re.compile(r"[，,；;：:、。]|并且|(?<![合])并(?![发非存列用])|然后|随后|同时|以及|(?<=[前后])再|(?<=[前后])先")
# An English act is an instruction where a verb stands: at the head of its clause or after a modal
# or "to" ("the nurse must inform"); "the record", "was removed", "reviews" describe, not instruct
_EN_HEAD = re.compile(r"(?i)(?:^|\b(?:must|should|shall|will|can|may|to|please|then|and|also|or|not|always))"
                      r"[\s*]*(?:(?:[a-z]+ly|also|always|then|first|now|immediately|not|never|please|again|still|do)[\s*]+)*$")
# A sentence that instructs: one of its clauses opens with the act ("If she bleeds, give …, and inform …")
_EN_IMPERATIVE = re.compile(r"(?i)^[\s*\-–:]*(?:(?:immediately|promptly|gently|carefully|quickly|slowly|firmly|urgently|regularly"
                            r"|routinely|also|always|then|first|now|please|never|do not|don't|and)[\s*]+)*$")
# ... or a rule said of someone ("children should be given ORS", "commodes must be cleaned", "every
# patient must have an ECG"): what the translation adds to it is added to the rule
_EN_RULE = re.compile(r"(?i)\b(?:must|should|shall|needs? to|has to|have to|is to|are to)\s+(?:not\s+)?(?:be|have|receive|get|undergo)\b")
_BARE = re.compile(r"(?i)^(?!empty\b)[a-z]+?(?:ing|ed|ion|ions|ment|ments|al|ance|ure|[^s]s|ies|ty)\b")  # "empty" is a verb too
# A Chinese act in a condition, or a noun (…的记录, 记录的), is no added instruction
_ZH_CONDITION = re.compile(r"如果|如|若|倘若|一旦|当|无法|不能|未|时|是否|除|可能")
_HINT = "translate every act of the source (inform 通知, record 记录, assess 评估 …) and add none it does not ask for"


def _instructs_en(m: Mention, text: str, clause_start: int) -> bool:
    return not m.concept.soft and not _BARE.match(m.text) and bool(_EN_HEAD.search(text[clause_start:m.start]))


# A clause the translation joins on as a further step (…，并开始抗菌治疗; 先复测生命体征，再上报): its
# soft acts (开始, 复测) instruct too, since the join says "and also do this"
_ZH_FURTHER = re.compile(r"\s*(?:并且|并|然后|随后|同时|再|先|另外|此外|还需|还应|另需)")
_ZH_JOINED = re.compile(r"(?:并且|并|然后|随后|同时)\s*$")
# ... but not a light verb (并进行分级 is "and grade") nor one character, which sits inside nouns (调查)
_ZH_LIGHT = frozenset({"进行", "执行", "实施", "开展", "予以", "给予", "采取", "作出", "做出", "做好", "完成", "使用", "应用"})


# ... nor one that names when something else happens (硬膜外置管完成后，…; 膀胱冲洗过程中如出现…)
_ZH_WHEN = re.compile(r"(?:完成|结束|完毕|开始)?(?:后|之后|以后|时|期间|过程中|之前|前)")


# An act under a negation (也别停, 不要拔) is no new act: the negation check counts the "not"
_ZH_NOT_BEFORE = re.compile(r"(?:(?<!不)(?:不要|不能|不可|不得|不必|不用)|切勿|请勿|勿|别|(?<!不得)(?<!不能)(?<!不可)不)(?:再|自行|擅自|随意|随便)?$")  # 不得不 is "have to"


# 待回抽药液后再拔除 ("until the drug has been aspirated"): the act a wait ends in is the source's "until"
_ZH_WAITED = re.compile(r"(?:待|等到|等|直至|直到)[^。；;]{1,30}?(?:后|之后|以后)[，,]?\s*(?:再|才|方可)?$")


def _instructs_zh(m: Mention, text: str, clause_start: int) -> bool:
    if _ZH_WHEN.match(text, m.end) or _ZH_NOT_BEFORE.search(text, max(clause_start, m.start - 5), m.start):
        return False
    if _ZH_WAITED.search(text, max(0, clause_start - 32), m.start):
        return False
    joined = _ZH_FURTHER.match(text, clause_start)
    verb_at = joined.end() if joined else clause_start if _ZH_JOINED.search(text[max(0, clause_start - 2):clause_start]) else -1
    # the act the join introduces: right after it (并开始…, 先复测…), not a noun further on (并给予安全网指导)
    further = len(m.text) >= 2 and m.text not in _ZH_LIGHT and 0 <= m.start - verb_at <= 1
    return ((not m.concept.soft or further) and not _ZH_CONDITION.search(text, clause_start, m.start)
            and text[m.end:m.end + 1] != "的" and text[m.start - 1:m.start] != "的")


def _clauses(acts: list[Mention], text: str, span: tuple[int, int],
             pattern: re.Pattern[str]) -> list[tuple[int, list[Mention]]]:
    cuts = [span[0], *(m.end() for m in pattern.finditer(text, span[0], span[1])), span[1]]
    groups = [(a, [m for m in acts if a <= m.start < b]) for a, b in pairwise(cuts)]
    return [(a, g) for a, g in groups if g]


def _unmet(clauses: list[tuple[int, list[Mention]]], other: set[str], text: str,
           instructs: Callable[[Mention, str, int], bool], *, by_acts: bool = False) -> list[Mention] | None:
    """The first clause whose acts are instructions all unnamed on the other side, when another
    clause's act is named there (the same family: 告知 answers "inform" as well as "tell"). A
    clause is excused by any word of it named there, or with ``by_acts`` by its acts alone: a
    Chinese clause's nouns (穿刺部位) do not make 按摩穿刺部位 an act of the source."""
    met = [any(m.concept.family in other for m in clause) for _, clause in clauses]
    if not any(met):
        return None  # nothing of this sentence is recognised on the other side: a free rendering, not a loss
    for (start, clause), named in zip(clauses, met, strict=True):
        hard = [m for m in clause if instructs(m, text, start)]
        hard = [m for m in hard if not m.concept.soft] or hard  # a soft word counts only where no firm act is
        if hard and not (any(m.concept.family in other for m in hard) if by_acts else named):
            return hard
    return None


# Said of a medicine, eating and drinking are taking it: 他汀仍要继续吃 ("keep taking your statin"),
# 把药喝下. Only the medicine in the same clause makes it so; 少吃多餐 stays a meal.
_TAKING = Concept("administer", "administer", soft=True)
# 这种药…吃, 吃药: a medicine named by its kind, before the 吃 or as its object (吃点东西后再服药 is a meal)
_ZH_MEDICINE = re.compile(r"药|片剂?|胶囊|颗粒|口服液|丸")
_ZH_FOOD_AFTER = re.compile(r"[东饭点早午晚零食水菜粥奶少些]")


def _taken(acts: list[Mention], drugs: list[Mention], text: str) -> list[Mention]:
    def with_drug(m: Mention) -> bool:
        if _ZH_FOOD_AFTER.match(text, m.end):
            return False
        start = max((b.end() for b in ZH_CLAUSE_END.finditer(text, 0, m.start)), default=0)
        return (any(not ZH_CLAUSE_END.search(text, min(d.end, m.end), max(d.start, m.start)) for d in drugs)
                or bool(_ZH_MEDICINE.search(text, start, m.start)) or _ZH_MEDICINE.match(text, m.end) is not None)
    return [Mention(_TAKING, m.start, m.end, m.text) if m.concept.family == "feed" and m.text in ("吃", "喝", "吃下", "喝下")
            and with_drug(m) else m for m in acts]


@register("instruction")
def _instruction(pair: Pair) -> list[Finding]:
    if pair.language != "zh":
        return []
    src, tr = pair.found("action", "en"), pair.found("action", pair.language)
    if tr:
        tr = _taken(tr, pair.found("drug", pair.language), pair.text(pair.language))
    if not src or not tr:
        return []
    en, zh = pair.text("en"), pair.text(pair.language)
    segments = pair.segments()
    for s_span, t_span in segments:
        s_acts, t_acts = within(src, s_span), within(tr, t_span)
        where = f" in '{excerpt(pair.source, s_span)}'" if len(segments) > 1 else ""
        if not any(_EN_IMPERATIVE.match(en[start:m.start]) for start, clause in _clauses(s_acts, en, s_span, _EN_SENTENCE_PART)
                   for m in clause[:1] if (not m.concept.soft or m.id == "administer") and not _BARE.match(m.text)) \
                and not _EN_RULE.search(en, *s_span):
            continue  # a statement ("NICE asks services to …", "staff may compare"): read too freely to judge
        s_clauses, t_clauses = _clauses(s_acts, en, s_span, _EN_CLAUSE), _clauses(t_acts, zh, t_span, _ZH_CLAUSE)
        # a clause lost leaves the translation with fewer clauses that do something; one added, more
        # an act named anywhere in the other text is not lost (sentences are not always split alike)
        lost = _unmet(s_clauses, {m.concept.family for m in tr}, en, _instructs_en) if len(t_clauses) < len(s_clauses) else None
        if lost:
            return [Finding("instruction", "error", f"instruction dropped{where}: the source's "
                            f"'{', '.join(m.text for m in lost)}' is not in the translation", _HINT)]
        added = _unmet(t_clauses, {m.concept.family for m in src}, zh, _instructs_zh, by_acts=True) if len(t_clauses) > len(s_clauses) else None
        if added:
            return [Finding("instruction", "error", f"instruction added{where}: the translation's "
                            f"'{'、'.join(m.text for m in added)}' is not in the source", _HINT)]
    return []
