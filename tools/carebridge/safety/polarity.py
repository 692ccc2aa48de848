"""Meaning checks that count: negations (and the Yes/No a decision branch begins with) and the
"or" that joins clinical items. Counted per aligned sentence, with hard words that must be met
on the other side and soft ones (unwell, 非, 除非) that may be.
"""

from __future__ import annotations

import re
from itertools import pairwise

from .concepts import ZH_CLAUSE_END, Mention, aligned_clauses, counts, within
from .findings import Finding
from .pair import Pair, excerpt, interval, register, said
from .scope import scope_findings
from .vocabulary import Concept

# ---------------------------------------------------------------- negation

_EN_ANSWER = re.compile(r"^\s*(?:[-*]\s+)?(?P<a>yes|no)\b(?=\s*(?:[:,.;!—–-]|$))", re.I)
_ZH_LABEL_END = re.compile(r"\s*(?:[：:，,。；;！!—–-]|$)")


def _answer(pair: Pair, side: str) -> tuple[str, int]:
    """The Yes/No a decision branch begins with, and where it ends."""
    text = pair.text(side)
    if side == "en":
        m = _EN_ANSWER.match(text)
        return (m.group("a").lower(), m.end()) if m else ("", 0)
    pattern = pair.vocabulary["answers"].patterns.get(side)
    start = len(text) - len(text.lstrip())
    hit = next(pattern.finditer(text[:start + 8]), None) if pattern else None
    if hit and hit[0] == start and _ZH_LABEL_END.match(text, hit[1]):
        return hit[2].id, hit[1]
    return "", 0


@register("negation")
def _negation(pair: Pair) -> list[Finding]:
    findings: list[Finding] = []
    (s_answer, s_end), (t_answer, t_end) = _answer(pair, "en"), _answer(pair, pair.language)
    if s_answer and t_answer and s_answer != t_answer:
        findings.append(Finding("negation", "error", f"answer reversed: source begins '{s_answer.capitalize()}', "
                                f"translation begins '{pair.translation.strip()[:t_end].strip()}'",
                                "a decision branch keeps its Yes (是) or No (否)"))
    src = [m for m in pair.found("negation", "en") if m.start >= s_end]
    tr = _distributed([m for m in pair.found("negation", pair.language) if m.start >= t_end], pair.text(pair.language),
                      _negated_lists(pair.text("en")))
    for s_span, t_span in pair.segments():
        s_part, t_part = within(src, s_span), _unless(within(tr, t_span))
        hs, ss = sum(counts(s_part, soft=False).values()), sum(counts(s_part, soft=True).values())
        ht, st = sum(counts(t_part, soft=False).values()), sum(counts(t_part, soft=True).values())
        # refused ↔ 拒绝, excluded ↔ 排除: a soft word with its own counterpart pairs with it first
        s_typed, t_typed = counts(s_part, soft=True), counts(t_part, soft=True)
        typed = sum(min(n, t_typed[c]) for c, n in s_typed.items() if c not in (_GENERIC, _REPEATED))
        ss, st = ss - typed, st - typed
        # 预防 in 预防性抗生素 renders no "prevent": a pairs-only word left over is no negation
        unpaired = {m.id for m in t_part if m.concept.pairs_only}
        st -= sum(t_typed[c] - min(t_typed[c], s_typed[c]) for c in unpaired)
        # a negation more in the translation may stand for a soft English one (non-tunnelled, stop),
        # unless that one is already rendered by a soft Chinese one (非隧道式)
        paired = min(ss, sum(1 for m in t_part if m.concept.soft and m.id == _GENERIC)) if ht > hs else 0
        verdict = interval(hs, ss - paired, ht, st)
        only_then = sum(1 for m in t_part if m.id == _ONLY_THEN)  # 才能 renders one of the two
        if verdict == "missing" and hs - ht - st + only_then == 2 and _double(s_part, pair.text("en")):
            verdict = ""  # "cannot walk without help" is 需要帮助才能行走: two negations that cancel
        if verdict == "missing" and hs - ht == 1 and _wait_then(pair, s_span, t_span):
            verdict = ""  # "do not bath until the nurse says so" is 等护士说可以了再洗: a wait, then the act
        if verdict == "added" and ht - hs == 1 and _before_not(pair, s_span, t_span):
            verdict = ""  # "call, before you take paracetamol" is 打电话之前不要服用: the order, said as a "not"
        if verdict == "added" and ht - hs == 1 and _keep_not_stop(pair, s_span, t_span):
            verdict = ""  # "use it right up to the test, even if you bleed" is 即使出血也别停: keep on, said as "do not stop"
        if verdict:
            counted = (f"source has {hs} ({said([m for m in s_part if not m.concept.soft])}), "
                       f"translation has {ht} ({said([m for m in t_part if not m.concept.soft])})")
            where = f" in '{excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
            findings.append(Finding("negation", "error", f"negation {verdict}{where}: {counted}",
                                    "keep every 'not', 'never', 'do not', 'avoid', 'without', 'no': 不, 勿, 禁止, "
                                    "切勿, 不得, 避免, 无, 未, 严禁"))
    if not findings:
        findings += _moved(pair, src, tr) or _between_clauses(pair, src, tr) or scope_findings(pair)
    return findings


def _between_clauses(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[Finding]:
    """"Delay in babies who do not need resuscitation; do not delay in those who need it" as
    需复苏的新生儿延迟；无需复苏者不延迟: the sentence keeps its two negations, but one left its
    clause for the other. Read where both sides have as many clauses parted by semicolons."""
    if ";" not in pair.source:  # most sentences: nothing to cut, and this runs for every message
        return []
    clauses = aligned_clauses(pair.text("en"), pair.text(pair.language), pair.segments(), brackets=False)
    if len(clauses) < 2:
        return []
    shifts = [sum(counts(within(tr, t), soft=False).values()) - sum(counts(within(src, s), soft=False).values())
              for s, t in clauses]
    lost = next((i for i, shift in enumerate(shifts) if shift < 0), None)
    gained = next((i for i, shift in enumerate(shifts) if shift > 0), None)
    if lost is None or gained is None or sum(shifts) != 0:
        return []
    return [Finding("negation", "error", f"negation moved between clauses: '{excerpt(pair.source, clauses[lost][0])}' "
                    f"lost a 'not', '{excerpt(pair.source, clauses[gained][0])}' gained one",
                    "keep each 'not' in the clause it belongs to")]


_EN_NOT_UNTIL = re.compile(r"(?i)\b(?:not|never|n[’']t)\b[^.;:]{1,80}?\buntil\b")
_ZH_WAIT_THEN = re.compile(r"(?<![等])等(?!待|级|同|于|等)[^。；;，,]{1,24}?(?:再|才|方可|方能)(?=[\u3400-\u9fff])")


def _wait_then(pair: Pair, s_span: tuple[int, int], t_span: tuple[int, int]) -> bool:
    """A "not … until" of the source said as a wait and then the act (等…再, 等…才): the
    negation is in the order of the two, not in a word. "Do not wait for the count" has no
    "until", so 等待…后再给 still loses its negation."""
    return bool(_EN_NOT_UNTIL.search(pair.text("en")[s_span[0]:s_span[1]])
                and _ZH_WAIT_THEN.search(pair.text(pair.language)[t_span[0]:t_span[1]]))


_EN_BEFORE = re.compile(r"(?i)\bbefore\b")
# between "before" and its act: the one who acts ("before you take", "before the nurse gives")
_EN_BEFORE_ACT = re.compile(r"(?i)\s+(?:(?:you|they|he|she|we|it|the\s+[a-z-]+|your\s+[a-z-]+|any|anyone)\s+)?(?:[a-z]+ly\s+)?")
_ZH_BEFORE_NOT = re.compile(r"(?:之前|以前|(?<=[\u4e00-\u9fff])(?<![产提目当眼面空跟])前)[，,]?\s*(?:请|先|都|也)?(?:不要|不能|不可|不得|不宜|勿|切勿|别)")


def _before_not(pair: Pair, s_span: tuple[int, int], t_span: tuple[int, int]) -> bool:
    """"Do A before B" said as "before A, do not B" (A之前不要B): the same order, with a negation the
    source has no word for. Only a "before" of the source that is followed by an act ("before you
    take") can be said so, and only of that act: "give the dose before transfer" is never
    转运前不要给予, and "call before you give fluids" is not 给液体之前不要呼叫."""
    en, text = pair.text("en"), pair.text(pair.language)
    before, not_yet = _EN_BEFORE.search(en, *s_span), _ZH_BEFORE_NOT.search(text, *t_span)
    if before is None or not_yet is None:
        return False
    then = next((m for m in pair.found("action", "en") if before.end() <= m.start < s_span[1]), None)
    held = next((m for m in pair.found("action", pair.language) if not_yet.end() <= m.start < t_span[1]), None)
    if not (then is not None and held is not None and then.concept.family == held.concept.family
            and _EN_BEFORE_ACT.fullmatch(en[before.end():then.start]) and held.start - not_yet.end() <= 4):
        return False
    # and of the same thing: "give paracetamol before you give ibuprofen" is never 给予布洛芬之前不要给予对乙酰氨基酚
    s_break = _CLAUSE_BREAK.search(en, then.end, s_span[1])
    s_end = s_break.start() if s_break else s_span[1]
    t_break = ZH_CLAUSE_END.search(text, held.end, t_span[1])
    t_end = t_break.start() if t_break else t_span[1]
    s_drugs = {m.id for m in pair.found("drug", "en") if then.start <= m.start < s_end}
    t_drugs = {m.id for m in pair.found("drug", pair.language) if held.start <= m.start < t_end}
    return s_drugs == t_drugs


_EN_KEEP_ON = re.compile(r"(?i)\b(?:even (?:if|when|though)|keep (?:on )?(?:taking|using|giving|going)|continue|carry on|"
                         r"right (?:up )?to|all the way|throughout|without (?:a )?(?:break|stopping|interruption))\b")
# a source that says stop anywhere ("stop the infusion if a rash appears, even if the fever continues")
# is never read so: its 不要停止输液 is the stop reversed
_EN_STOP = re.compile(r"(?i)\b(?:stop(?:s|ped|ping)?|discontinu\w*|withh[oe]ld\w*|hold|paus\w*|interrupt\w*|cease\w*|suspend\w*|omit\w*)\b")
_ZH_NOT_STOP = re.compile(r"(?:不要|不能|不可|不得|切勿|请勿|勿|别)(?:自行|擅自|随意|随便)?(?:停|中断|中止)")


def _keep_not_stop(pair: Pair, s_span: tuple[int, int], t_span: tuple[int, int]) -> bool:
    """"Keep on" said as "do not stop" (也别停, 切勿中断): a continuing the source asks for in its own
    words (even if, right up to, continue), with the translation's one extra "not" on a stop, in a
    source that says stop nowhere."""
    return bool(_EN_KEEP_ON.search(pair.text("en"), *s_span) and not _EN_STOP.search(pair.text("en"), *s_span)
                and _ZH_NOT_STOP.search(pair.text(pair.language), *t_span))


# ---------------------------------------------------------------- which thing is negated

_ATTACHED = ("drug", "site", "laterality")  # the things an instruction is about
_FRAME = frozenset({"obligation", "condition", "disease", "action", "how-many"})  # the rule, not its object
_EN_COMMAND = re.compile(r"(?i)^(?:not|[a-z]+n[’']t|never|avoid\w*|cannot|no)$")
_ZH_NOT = "不|勿|切勿|请勿|禁止|严禁|避免|没有|没"
_ZH_COMMAND = re.compile(f"^(?:{_ZH_NOT})$")
# 无 and 未 too ("at rest, no chest pain": 静息时无胸痛), but only for a move between two of one kind: a
# Chinese topic before its comma (剖宫产的产妇，术前…无需) puts them in another clause than English does
_ZH_ABSENT = re.compile(f"^(?:{_ZH_NOT}|无|未)$")
_BREAK = re.compile(r"[,;:.!?()\n，；：。！？（）]|(?<![A-Za-z])(?:but|then)(?![A-Za-z])|但|然后")


def _things(pair: Pair, side: str) -> list[Mention]:
    """What a "not" can be about: a medicine, site or side, and one of an opposed set or kind (glucose,
    not saline; the attending, not the resident; room temperature, not the fridge), but not the
    words that make the sentence a rule or a condition."""
    named = [m for c in _ATTACHED for m in pair.found(c, side)]
    return named + [m for c in ("contrast", "kind") for m in pair.found(c, side)
                    if not m.concept.soft and m.concept.family not in _FRAME]


def _negated(found: list[Mention], things: list[Mention], text: str, command: re.Pattern[str]) -> dict[str, int]:
    """How often each thing shares a clause with a plain negation (do not, never, 不要, 切勿)."""
    negated: dict[str, int] = {}
    bounds = [0, *(m.end() for m in _BREAK.finditer(text)), len(text) + 1]
    spans = list(pairwise(bounds))
    for start, end in spans:
        if any(start <= m.start < end and not m.concept.soft and command.match(m.text.strip()) for m in found):
            for thing in things:
                if start <= thing.start < end:
                    negated[thing.id] = negated.get(thing.id, 0) + 1
    return negated


def _moved(pair: Pair, src: list[Mention], tr: list[Mention]) -> list[Finding]:
    """"Do not give aspirin; give clopidogrel" as 给予阿司匹林；不要给予氯吡格雷: as many
    negations, but on another medicine, site or side."""
    s_things, t_things = _things(pair, "en"), _things(pair, pair.language)
    shared = {m.id for m in s_things} & {m.id for m in t_things}
    if len(shared) < 2:
        return []
    s_neg = _negated(src, s_things, pair.text("en"), _EN_COMMAND)
    family = {m.id: m.concept.family for m in s_things}
    for command, alike in ((_ZH_COMMAND, False), (_ZH_ABSENT, True)):
        t_neg = _negated(tr, t_things, pair.text(pair.language), command)
        lost = sorted(c for c in shared if s_neg.get(c, 0) > t_neg.get(c, 0))
        gained = sorted(c for c in shared if t_neg.get(c, 0) > s_neg.get(c, 0))
        moved = next(((a, b) for a in lost for b in gained if not alike or family[a] == family[b]), None)
        if moved is not None:
            break
    else:
        return []
    was = next(m.text for m in s_things if m.id == moved[0])
    now = next(m.text for m in t_things if m.id == moved[1])
    return [Finding("negation", "error", f"negation moved: in the source the 'not' goes with {was}, in the "
                    f"translation with {now}",
                    "keep each 'not' with the medicine, site, side or state it is about")]


_CLAUSE_BREAK = re.compile(r"[,;:.!?()\n]")


def _double(found: list[Mention], text: str) -> bool:
    """Two hard English negations in one clause (cannot … without, never … unless)."""
    hard = [m for m in found if not m.concept.soft]
    return any(not _CLAUSE_BREAK.search(text, a.end, b.start) for a, b in pairwise(hard))


_GENERIC = "not"  # the negation concept of the data file; the others are typed soft words
_ONLY_THEN = "only-then"  # 方可, 才能: a condition that stands for "not … until", "cannot … without"
_REPEATED = "repeated"  # a soft negation that renders no soft English word, so it pairs with none
_COORDINATED = re.compile(r"^[^，,。；;：:！？!?\n]*(?:或者?|和|及|、|也|又|且|并|与)$")


def _distributed(found: list[Mention], text: str, lists: int = 0) -> list[Mention]:
    """不做评估或不制定计划: Chinese repeats a negation over coordinated verbs; count it once. (Not over
    a list's clauses, 不认定A，不判断B，也不判定C: read so, 不给A，不给B，给C would lose C's "not" unseen.)
    A clause that only goes on with 也 (勿剧烈运动，也不要同房) repeats it too, as often as the source
    has ``lists``: an "or" or "nor" after a negation in its clause (do not exercise or have sex)."""
    out: list[Mention] = []
    for m in found:
        previous = next((p for p in reversed(out) if not p.concept.soft), None)
        if previous is not None and not m.concept.soft and m.start - previous.end <= 20:
            between = text[previous.end:m.start]
            coordinated = bool(_COORDINATED.match(between))
            goes_on = not coordinated and lists > 0 and bool(_GOES_ON.match(between))
            if coordinated or goes_on:
                lists -= goes_on
                m = Mention(Concept(_REPEATED, m.concept.family, soft=True), m.start, m.end, m.text)
        out.append(m)
    return out


# a clause that only goes on with the one before: 勿A，也不要B; 不A，亦不B (the one before holds no list
# of its own: 不要给A或B，也不要给C has negated a third thing)
_GOES_ON = re.compile(r"^[^，,。；;：:！？!?\n或和及与、]*[，,]\s*(?:也|亦|更|还|并且?|同时也?)(?:请|要)?$")
# an "or" or "nor" after a negation in one English clause: the negation covers each item
_EN_NEGATED_LIST = re.compile(r"(?i)\b(?:not|never|n[’']t|avoid\w*|no)\b[^,;:.!?]*?(?:,\s*)?\b(?:or|nor)\b")


def _negated_lists(text: str) -> int:
    """How many English clauses say "not … or …" (do not exercise or have sex).

    >>> _negated_lists("Do not exercise or have sex. Eat or drink.")
    1
    """
    return len(_EN_NEGATED_LIST.findall(text))


def _unless(found: list[Mention]) -> list[Mention]:
    """除非……否则 is one "unless": the 否则 after 除非 adds nothing."""
    seen_unless = False
    kept = []
    for m in found:
        if m.text == "否则" and seen_unless:
            continue
        seen_unless = seen_unless or m.text == "除非"
        kept.append(m)
    return kept


# ---------------------------------------------------------------- conjunctions

_EN_AND = re.compile(r"(?<![A-Za-z])and(?![A-Za-z/])", re.I)
_ZH_AND = re.compile(r"和(?!/)|以及|(?<![涉普危波企不顾])及(?!时|早|格|以上|以下|/)|并且|并(?!发|存|非|不|且|列|入|用)")
_EN_LIST = re.compile(r",[^,.;:]*\bor\b|\b(?:any|anything|either|whether|such as|for example|e\.g\.|one of)\b", re.I)
_ZH_LIST = re.compile(r"、|至|则|无论|不论")
# 中度至重度, and the grades written together: 轻中度 or 轻、中度 for "mild or moderate"
_ZH_RANGE = re.compile(r"(?<=[\u4e00-\u9fff0-9])至(?=[\u4e00-\u9fff0-9])|轻、?中(?=度|型)|中、?重(?=度|型)")
_EN_RANGE = re.compile(r"(?<![A-Za-z])(?:to|until|through)(?![A-Za-z])|[–—~]|(?<=[0-9])-(?=[0-9])", re.I)
_ZH_REGARDLESS = re.compile(r"无论|不论")
_EN_COMMA_OR = re.compile(r",[^,.;:]*\bor\b", re.I)
# "no diarrhoea or vomiting" is neither of them: 腹泻和呕吐均停止, 无腹泻、呕吐 (an "or" under a negation
# is an "and" in Chinese, said with 均/都 or a list's 、: a bare 无A和B may mean "not both")
_EN_NEGATED_OR = re.compile(r"\b(?:no|not|never|without|free (?:of|from))\b(?:\s+[\w-]+){0,4}?\s+or\b", re.I)
_ZH_BOTH = re.compile(r"、|均|都|皆|也(?=不|没|无|未)")  # 不A，也不B: "not A or B" as neither … nor
_ZH_TOGETHER = re.compile(r"同时|一起|一并|合用|联用|联合")


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


@register("conjunction")
def _conjunction(pair: Pair) -> list[Finding]:
    src, tr = pair.found("conjunction", "en"), pair.found("conjunction", pair.language)
    if not src and not tr:
        return []
    source, translation = pair.text("en"), pair.text(pair.language)
    findings = []
    for s_span, t_span in aligned_clauses(source, translation, pair.segments()):
        s_part, t_part = within(src, s_span), within(tr, t_span)
        hs, ss = sum(counts(s_part, soft=False).values()), sum(counts(s_part, soft=True).values())
        ht, st = sum(counts(t_part, soft=False).values()), sum(counts(t_part, soft=True).values())
        verdict = interval(hs, ss, ht, st)
        if not verdict:
            continue
        s_text, t_text = source[s_span[0]:s_span[1]], translation[t_span[0]:t_span[1]]
        d_or = -1 if verdict == "missing" else 1
        d_and = len(_ZH_AND.findall(t_text)) - len(_EN_AND.findall(s_text))
        if verdict == "missing" and not t_part:
            # every "or" gone: only 无论 or a 至 the source has no "to" for (中度至重度) may stand for them
            ranges = len(_ZH_RANGE.findall(t_text)) - len(_EN_RANGE.findall(s_text))
            # or a list of alternatives written with commas alone ("…, or above 140" as "，…"), no "and" gained
            listed = bool(_EN_COMMA_OR.search(s_text)) and d_and <= 0
            negated = bool(_EN_NEGATED_OR.search(s_text)) and bool(_ZH_BOTH.search(t_text)) \
                and not _ZH_TOGETHER.search(t_text)  # 不要同时给予A和B forbids only the two together
            excused = ranges >= hs or listed or negated or bool(_ZH_REGARDLESS.search(t_text))
        else:
            # "or" lost where "and" was gained is the swap; a list written with 、 or 至 is not
            excused = _sign(d_and) != -d_or and bool(_EN_LIST.search(s_text) or _ZH_LIST.search(t_text))
        if excused:
            continue
        where = f" in '{excerpt(pair.source, s_span)}'" if len(pair.segments()) > 1 else ""
        findings.append(Finding("conjunction", "error", f"'or' {verdict}{where}: source has {hs} ({said(s_part)}), "
                                f"translation has {ht} ({said(t_part)})",
                                "or 或/或者, and/or 和/或; 'and' is 和/及/并, never 或"))
    return findings


# ---------------------------------------------------------------- exception

_EXCEPTION_HINT = "keep the source's exception (except … 除……外, apart from 除了……以外) and add none it does not make"


@register("exception")
def _exception(pair: Pair) -> list[Finding]:
    """An exception the source makes ("except in an emergency", "apart from paracetamol") that the
    translation drops, or one the translation makes that the source does not: either changes who
    gets a drug or when a rule holds. Counted over the whole text: a translation may move the
    exception to another sentence, but it may not lose it."""
    src, tr = pair.found("exception", "en"), pair.found("exception", pair.language)
    if len(src) > len(tr):
        return [Finding("exception", "error", f"exception dropped: source has {said(src)}; translation has "
                        f"{said(tr) if tr else 'none'}", _EXCEPTION_HINT)]
    firm = [m for m in tr if not m.concept.soft]  # 以外 also says "outside" (医院以外)
    if len(firm) > len(src) and not pair.found("negation", "en"):  # "unless", "not … other" may be rendered 除非, 除…外
        return [Finding("exception", "error", f"exception added: translation has {said(firm)}; source has "
                        f"{said(src) if src else 'none'}", _EXCEPTION_HINT)]
    return []
