"""Names with digits (NEWS2, COVID-19, 5-HT3, HbA1c): where they are, and one key per name.

A number glued to letters is a name, compared as written, so ``quantities`` masks these spans
before reading numbers; 10mg, 24h and 2nd are a number with its unit or suffix, not a name, and
``name_key`` folds spelled Greek letters so 5-alpha and 5α compare equal.
"""

from __future__ import annotations

import re

from .clinical_terms import UNITS, longest

_NAME_CHAIN = re.compile(r"(?<![A-Za-z0-9α-ωΑ-Ω])[A-Za-z0-9α-ωΑ-Ω]+(?:-[A-Za-z0-9α-ωΑ-Ω]+)*")
_NOT_NAMES = frozenset({"O2", "H2O", "CO2", "cmH2O", "mmH2O", "m2"})


_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "kappa": "κ"}


def _is_acronym(part: str) -> bool:
    return part.lower() in _GREEK or (
        len(part) >= 2 and part.isalpha() and (part.isupper() or any(c.isupper() for c in part[1:])))


def name_key(name: str) -> str:
    """5-alpha and 5α, beta-2 and β2 are the same name.

    >>> name_key("5-alpha"), name_key("beta-2"), name_key("COVID-19")
    ('5α', 'β2', 'COVID-19')
    """
    for word, letter in _GREEK.items():
        name = re.sub(rf"(?i)-?{word}-?", letter, name)
    return re.sub(r"-?([α-ω])-?", r"\1", name)


# Names with digits that Chinese clinical text writes as a word of its own ("suspected COVID-19" is
# 疑似新冠病毒感染); the word says the name. Only words with no digit in them, which the numbers check
# would otherwise read as numbers of their own.
_CHINESE_NAMES = {"COVID-19": ("新冠", "新型冠状病毒"), "SARS-COV-2": ("新冠病毒", "新型冠状病毒"),
                  "HBA1C": ("糖化血红蛋白",), "5-FU": ("氟尿嘧啶",)}


def said_in_chinese(name: str, text: str) -> bool:
    """Whether ``text`` names ``name`` by its Chinese word (新冠 for COVID-19, 糖化血红蛋白 for HbA1c).

    >>> said_in_chinese("COVID-19", "疑似新冠病毒感染"), said_in_chinese("NEWS2", "NEWS评分")
    (True, False)
    """
    return any(word in text for word in _CHINESE_NAMES.get(name.upper(), ()))


# A solution whose Chinese name carries its strength: 生理盐水 is sodium chloride 0.9% by definition.
_STRENGTH_NAMED = (("生理盐水", re.compile(r"(?i)(?<=sodium chloride)[ \t]*0\.9[ \t]*%|(?<=saline)[ \t]*0\.9[ \t]*%"
                                          r"|0\.9[ \t]*%[ \t]*(?=(?:sodium chloride|saline|nacl)\b)")),)


def strength_named(source: str, translation: str) -> str:
    """``source`` without the strengths the translation says by name instead (its numbers then
    match): "sodium chloride 0.9%" as 生理盐水. A translation that writes a strength keeps it compared.

    >>> strength_named("Flush with 10 mL sodium chloride 0.9%.", "用10 mL生理盐水冲管。")
    'Flush with 10 mL sodium chloride.'
    >>> strength_named("Flush with 10 mL sodium chloride 0.9%.", "用10 mL 0.45%生理盐水冲管。")
    'Flush with 10 mL sodium chloride 0.9%.'
    """
    for name, strength in _STRENGTH_NAMED:
        if name in translation and not re.search(r"[0-9][ \t]*[%％][ \t]*$", translation.split(name, 1)[0]):
            source = strength.sub("", source)
    return source


def _glued_quantity(part: str) -> bool:
    """10mg, 24h, 2nd: a number with its unit or ordinal suffix, not a name."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)([A-Za-zμ]+)", part)
    if not m:
        return False
    if m.group(2).lower() in ("st", "nd", "rd", "th"):
        return True
    unit = longest(UNITS, m.group(2), 0)
    return unit is not None and unit[1] == len(m.group(2))


def digit_word_names(text: str) -> list[tuple[int, int]]:
    """Names with digits (NEWS2, COVID-19, 5-HT3) and their spans."""
    names: list[tuple[int, int]] = []
    for m in _NAME_CHAIN.finditer(text):
        parts = m.group().split("-")
        offsets, pos = [], m.start()
        for part in parts:
            offsets.append(pos)
            pos += len(part) + 1
        kinds = []
        for part in parts:
            digit, alpha = any(c.isdigit() for c in part), any(c.isalpha() for c in part)
            if digit and alpha:
                kinds.append("x" if part in _NOT_NAMES or _glued_quantity(part) else "mix")
            elif digit:
                kinds.append("num")
            else:
                kinds.append("acr" if _is_acronym(part) else "x")
        i = 0
        while i < len(kinds):
            if kinds[i] == "x":
                i += 1
                continue
            j = i
            while j + 1 < len(kinds) and kinds[j + 1] != "x":
                j += 1
            run = kinds[i:j + 1]
            if "mix" in run or ("acr" in run and "num" in run):
                # trim acronyms with no digit next to them at either end (SBAR-NEWS2 → NEWS2)
                while run[0] == "acr" and run[1:2] not in (["num"], ["mix"]):
                    i, run = i + 1, run[1:]
                while run[-1] == "acr" and run[-2:-1] not in (["num"], ["mix"]):
                    j, run = j - 1, run[:-1]
                names.append((offsets[i], offsets[j] + len(parts[j])))
            i = j + 1
    return names
