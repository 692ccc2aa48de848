"""Find the concepts of one ``vocabulary`` category in a text: which, where, hard or soft.

An English source is read with the English patterns only; Chinese quoted in it ("the carer
(陪护)") is masked, since the translation says it once. A Chinese translation is read with both,
because it may keep "mg/dL", "IV" or an English drug name. Links, placeholders, code spans and
HTML tags are masked first, and a name repeated as a gloss in brackets right after itself
(硝酸甘油（GTN）) counts once.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from .alternation import Alternation
from .numerals import MASK, normalise
from .vocabulary import Category, Concept

_CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef【】《》“”]+")
_NOT_TEXT = re.compile(r"(?i)\b(?:https?|ftp)://\S+|\bwww\.\S+|\bmailto:\S+|\]\([^)\n]*\)|`[^`\n]+`"
                       r"|\{[A-Za-z_][A-Za-z0-9_]*\}|\{[0-9]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|<[/!?]?[A-Za-z][^<>]*>")
_GLOSS_GAP = re.compile(r"[^，,。；;、\n()（）]{0,6}[(（]\s*$")


@dataclass(frozen=True)
class Mention:
    concept: Concept
    start: int
    end: int
    text: str

    @property
    def id(self) -> str:
        return self.concept.id


def mask(text: str, pattern: re.Pattern[str] | Alternation[None] | Alternation[Concept] | None) -> str:
    """Blank every match of ``pattern``, keeping offsets."""
    if pattern is None:
        return text
    if isinstance(pattern, Alternation):
        return pattern.sub(MASK, text)
    return pattern.sub(lambda m: MASK * len(m.group()), text)


# where a Chinese clause ends: the punctuation a sentence is parted by (not 、, which parts a list)
ZH_CLAUSE_END = re.compile(r"[，,；;。：:！？!?\n]")


def prepare(text: str, language: str) -> str:
    """The text the patterns run on: normalised, markup masked, Chinese masked in English."""
    work = mask(normalise(text), _NOT_TEXT)
    return mask(work, _CJK_RUN) if language == "en" else work


def mentions(category: Category, prepared: str, language: str) -> list[Mention]:
    """Every concept of ``category`` in a text from ``prepare``, in order of appearance."""
    work = mask(prepared, category.ignore.get("en"))
    if language != "en":
        work = mask(work, category.ignore.get(language))
    found: list[Mention] = []
    for pattern_language in ((language, "en") if language != "en" else ("en",)):
        pattern = category.patterns.get(pattern_language)
        if pattern is None:
            continue
        hits = list(pattern.finditer(work))
        found += [Mention(concept, start, end, work[start:end]) for start, end, concept in hits]
        for start, end, _ in hits:
            work = work[:start] + MASK * (end - start) + work[end:]
    found.sort(key=lambda x: x.start)
    return _drop_glosses(found, prepared)


def _drop_glosses(found: list[Mention], text: str) -> list[Mention]:
    kept: list[Mention] = []
    for mention in found:
        previous = kept[-1] if kept else None
        if (previous is not None and previous.id == mention.id
                and _GLOSS_GAP.fullmatch(text[previous.end:mention.start])):
            continue  # 硝酸甘油（GTN）: the same medicine, named twice
        kept.append(mention)
    return kept


def counts(found: list[Mention], *, soft: bool | None = None) -> Counter[str]:
    """How often each concept occurs (only hard or only soft ones when ``soft`` is given)."""
    return Counter(m.id for m in found if soft is None or m.concept.soft == soft)


def first_order(found: list[Mention], family: str) -> list[str]:
    """The concepts of one family in the order they first appear."""
    return list(dict.fromkeys(m.id for m in found if m.concept.family == family and not m.concept.soft))


# ---------------------------------------------------------------- aligned segments

Span = tuple[int, int]
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_EN_SENTENCE = re.compile(r"(?<!\b[Nn]o\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\bDr\.)(?<=[.!?])[ \t]+"
                          rf"(?=[A-Z0-9*\"“(\[{MASK}])")
_ZH_SENTENCE = re.compile(r"(?<=[。！？!?])")


def _split(text: str, span: Span, pattern: re.Pattern[str]) -> list[Span]:
    start, end = span
    cuts = [m.end() for m in pattern.finditer(text, start, end) if start < m.end() < end]
    bounds = [start, *cuts, end]
    return [(a, b) for a, b in pairwise(bounds) if text[a:b].strip()]


def aligned_segments(source: str, translation: str) -> list[tuple[Span, Span]]:
    """Line with line and sentence with sentence where both sides have as many; else the whole.

    Counting per sentence keeps a natural difference in one sentence from hiding a changed one
    in another.
    """
    s_lines = [(m.start(), m.end()) for m in _LINE.finditer(source)]
    t_lines = [(m.start(), m.end()) for m in _LINE.finditer(translation)]
    if len(s_lines) != len(t_lines) or not s_lines:
        s_lines, t_lines = [(0, len(source))], [(0, len(translation))]
    pairs: list[tuple[Span, Span]] = []
    for s_line, t_line in zip(s_lines, t_lines, strict=True):
        s_parts, t_parts = _split(source, s_line, _EN_SENTENCE), _split(translation, t_line, _ZH_SENTENCE)
        if len(s_parts) == len(t_parts) and s_parts:
            pairs += list(zip(s_parts, t_parts, strict=True))
        else:
            pairs.append((s_line, t_line))
    return pairs


def within(found: list[Mention], span: Span) -> list[Mention]:
    return [m for m in found if span[0] <= m.start < span[1]]


_EN_CLAUSE_MARKS = (re.compile(r"(?<=;)"), re.compile(r"(?=\()|(?<=\))"))
_ZH_CLAUSE_MARKS = (re.compile(r"(?<=[；;])"), re.compile(r"(?=[(（])|(?<=[)）])"))


def aligned_clauses(source: str, translation: str, segments: list[tuple[Span, Span]], *,
                    brackets: bool = True) -> list[tuple[Span, Span]]:
    """The aligned segments cut further at semicolons, then (with ``brackets``) at brackets,
    wherever both sides have as many (commas are not: Chinese lists use 、 where English has a
    comma). A bracket may sit elsewhere in the Chinese (西地那非（万艾可）后…不要), a semicolon seldom."""
    pairs = segments
    marks = list(zip(_EN_CLAUSE_MARKS, _ZH_CLAUSE_MARKS, strict=True))
    for en_mark, zh_mark in marks if brackets else marks[:1]:
        finer: list[tuple[Span, Span]] = []
        for s_span, t_span in pairs:
            s_parts, t_parts = _split(source, s_span, en_mark), _split(translation, t_span, zh_mark)
            finer += list(zip(s_parts, t_parts, strict=True)) if len(s_parts) == len(t_parts) else [(s_span, t_span)]
        pairs = finer
    return pairs
