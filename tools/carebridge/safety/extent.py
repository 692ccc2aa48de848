"""How much text: a translation far shorter or longer than its source has lost or gained a clause.

A clause with no number, medicine or negation in it ("…and inform the obstetrician", "…then
clamp the catheter") leaves nothing for the other checks to count. Its length does change:
across the real library, Chinese runs at 0.15–0.56 characters per letter of English (median
0.33) in sentences of 20 letters or more. Far outside that range, below 0.11 in a sentence of 40
letters or more or above 0.65 in one of 25 or more, a sentence is reported. Text kept in Latin
script (names, abbreviations) counts half, as it is spelled out on both sides.

Inside the range, a general dictionary (``lexicon``) decides: a short sentence is reported when an
English clause has no rendering in it, a long one when a clause joined on in the translation
("…并常规吸氧") has nothing of the English in it.
"""

from __future__ import annotations

import re

from . import lexicon
from .findings import Finding
from .pair import Pair, excerpt, register

_LETTER = re.compile(r"[A-Za-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]")
# An abbreviation is spelled out in Chinese (BP 血压, SpO2 血氧饱和度): its letters count three times
_ABBREVIATION = re.compile(r"(?<![A-Za-z])(?=[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z])[A-Za-z0-9]{2,6}(?![A-Za-z])")
_SHORTEST, _LONGEST = 0.11, 0.65  # outside the real library's 0.15–0.56, with room for terse anatomy (右下腹)
_SHORT_FROM, _LONG_FROM = 40, 25  # letters: a short label or title varies too much to judge
# Short, though inside the range (faithful sentences run at a median of about 0.3): reported only with
# a clause the dictionary finds nothing of (``lexicon``). At 0.25 three faithful library sentences
# are refused ("abdominal girth" as 腹围); at 0.22, none.
_SHORT = 0.22
# Long, though inside the range: reported only with a joined-on clause of which the dictionary finds
# nothing in the English (``lexicon.unrendered_addition``). Among the battery's dev cases the seeded
# additions ran at 0.41-0.77 and the faithful translations with such a clause at 0.30-0.39; the
# real library's catalogs have eight such clauses (paraphrases: 判读 for "read"), all below 0.40.
_LONG = 0.40
_HINT = "translate every clause of the source, and add none (a translator's note goes in a comment)"


def ratio(source: str, translation: str) -> tuple[float, int]:
    """Characters of translation per letter of source, and the letters of the source."""
    letters = len(_LETTER.findall(source))
    weight = letters + 2 * sum(len(m.group()) for m in _ABBREVIATION.finditer(source))
    return (len(_HAN.findall(translation)) + len(_LETTER.findall(translation)) / 2) / max(weight, 1), letters


def _clause_named(found: float, short: bool, clause: str) -> Finding:
    """The finding for a clause the dictionary names: one of the English missing, or one added."""
    rate = f"({found:.2f} characters per letter of English)"
    if short:
        return Finding("length", "error", f"translation shorter than the source {rate} and nothing in it renders "
                       f"'{clause}': that clause may be missing", _HINT + "; if the clause is there in words a general "
                       "dictionary does not know, allow it with '# carebridge-allow: length — <reason>'")
    return Finding("length", "error", f"translation longer than the source {rate} and nothing of the English is in "
                   f"'{clause}': that clause may have been added", _HINT + "; if it renders the source in words a "
                   "general dictionary does not know, allow it with '# carebridge-allow: length — <reason>'")


# Everything visible counts here, not only letters: 9,000 "<", "。" or emoji added to a translation
# run past any ratio of words (faithful Chinese has about one character for every three letters)
_VISIBLE = re.compile(r"\S")
_PADDED_PER_LETTER, _PADDED_FROM = 4, 60


def padded(source: str, translation: str) -> Finding | None:
    """A translation with far more visible characters than any rendering of its source needs.

    >>> padded("Give 1 g.", "给予1 g。"), padded("Give 1 g.", "给予1 g。" + "<" * 500).code
    (None, 'length')
    """
    visible, letters = len(_VISIBLE.findall(translation)), len(_LETTER.findall(source))
    if visible <= _PADDED_PER_LETTER * letters + _PADDED_FROM:
        return None
    return Finding("length", "error", f"translation has {visible} visible characters for {letters} letters and digits "
                   "of source: something was pasted or repeated", _HINT)


@register("length")
def _length(pair: Pair) -> list[Finding]:
    if (too_long := padded(pair.text("en"), pair.text(pair.language))) is not None:
        return [too_long]
    if pair.language != "zh":
        return []
    segments = pair.segments()
    for s_span, t_span in segments:
        source, translation = pair.text("en")[slice(*s_span)], pair.text(pair.language)[slice(*t_span)]
        found, letters = ratio(source, translation)
        short = _SHORTEST <= found < _SHORT and letters >= _SHORT_FROM
        if short or (_LONG <= found <= _LONGEST and letters >= _LONG_FROM):
            span = (lexicon.unrendered_clause if short else lexicon.unrendered_addition)(source, translation)
            if span:
                return [_clause_named(found, short, excerpt(source, span, 60) if short else excerpt(translation, span, 40))]
            continue
        if not ((found < _SHORTEST and letters >= _SHORT_FROM) or (found > _LONGEST and letters >= _LONG_FROM)):
            continue
        where = f" in '{excerpt(pair.source, s_span)}'" if len(segments) > 1 else ""
        what = "much shorter than the source: a clause may be missing" if found < _SHORTEST else \
            "much longer than the source: something may have been added"
        return [Finding("length", "error", f"translation {what}{where} ({found:.2f} characters per letter of "
                        f"English; faithful translations run 0.18–0.56)", _HINT)]
    return []

