"""Words that count without a numeral: single, both, one-to-one; 单个, 一方, 一对一 (双 is ``numerals.CN_PAIR``).

A translator may write them as words or as numerals, so each is weak (``quantities``): never a
mismatch alone. ``amounts`` reports one changed into another ("a single embryo" as 两个胚胎).
"""

from __future__ import annotations

import re
from fractions import Fraction

from .numerals import CN_DIGIT, EN_99, Atom, en_int

EN_COUNT = re.compile(rf"(?i)(?<![A-Za-z-])(?:(?P<single>single)(?![ -]?(?:use|handed|centre|center|room))|(?P<both>both)"
                      rf"|(?P<a>{EN_99}|[0-9]+)-to-(?P<b>{EN_99}|[0-9]+))(?![A-Za-z-])")
# "are both needed", "both the nurse and the doctor": "both" joins, it counts nothing
_BOTH_NO_COUNT = re.compile(r"(?i)\b(?:are|were|is|be|must|should|can|will|may|have|has|need|needs|do)\s+$")
_BOTH_AND = re.compile(r"(?i)[^.;:,\n]{0,60}?\band\b")
CN_ONE = re.compile(r"单(?:个|枚|胎|人|一)|(?<![统另任])一方(?!面)")
CN_RATIO = re.compile(r"(?<![0-9一二两三四五六七八九十])([一二两三四五六七八九十])对([一二两三四五六七八九十])(?![0-9一二两三四五六七八九十])")


def count_atoms(text: str, english: bool) -> list[Atom]:
    """The counting words of ``EN_COUNT`` or ``CN_ONE`` and ``CN_RATIO`` in ``text``, as weak atoms of kind "count".

    >>> [(a.text, a.value) for a in count_atoms("a single embryo, both parents, one-to-one care", True)]
    [('single', Fraction(1, 1)), ('both', Fraction(2, 1)), ('one-to-one', '1:1')]
    >>> [(a.text, a.value) for a in count_atoms("父母一方；单个胚胎；一对二", False)]
    [('一方', Fraction(1, 1)), ('单个', Fraction(1, 1)), ('一对二', '1:2')]
    """
    atoms: list[Atom] = []
    if english:
        for m in EN_COUNT.finditer(text):
            if m.group("a"):
                a, b = (en_int(g) if not g.isdigit() else int(g) for g in (m.group("a"), m.group("b")))
                if a is not None and b is not None:
                    atoms.append(Atom(m.start(), m.end(), f"{a}:{b}", m.group(), strong=False, kind="count"))
            elif m.group("single") or (not _BOTH_NO_COUNT.search(text[max(0, m.start() - 12):m.start()]) \
                    and not _BOTH_AND.match(text, m.end())):
                atoms.append(Atom(m.start(), m.end(), Fraction(1 if m.group("single") else 2), m.group(),
                                  strong=False, kind="count"))
        return atoms
    atoms += [Atom(m.start(), m.end(), Fraction(1), m.group(), strong=False, kind="count") for m in CN_ONE.finditer(text)]
    atoms += [Atom(m.start(), m.end(), f"{CN_DIGIT.get(m[1], 10)}:{CN_DIGIT.get(m[2], 10)}", m.group(), strong=False,
                   kind="count") for m in CN_RATIO.finditer(text)]
    return sorted(atoms, key=lambda a: a.start)


def counts(atom: Atom) -> bool:
    """A counting word, or a weak Chinese numeral of two or more before a noun (两个, 三查七对): what
    ``amounts`` may find changed. 一个 is no count (it is often "a"), nor 第二 (an ordinal)."""
    return atom.kind == "count" or (atom.kind == "cn" and not atom.strong and not atom.text.startswith("第")
                                    and isinstance(atom.value, Fraction) and atom.value >= 2)
