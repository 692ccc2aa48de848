"""Find the numbers written in English or Chinese clinical text and give their exact values.

Numbers only: full-width digits and odd spaces are normalised (``normalise``); English number
words (twenty-four, one hundred and fifty) and Chinese numerals (二十四, 一百零五) get their values
(``en_int``, ``cn_int``, ``number_value``); digits with decimals, thousands separators and vulgar
fractions (½), fraction words (a third, one in five) and once/twice are found as ``Atom``s; and
``format_value`` writes a value back (``Fraction(5, 2)`` → ``2.5``). The rules for ambiguous
numbers are listed in ``quantities``, which attaches units, comparisons and ranges to these atoms.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction

Value = Fraction | str
MASK = "\ue000"  # stands in for text already read, so no later pattern reads it twice


# ---------------------------------------------------------------- normalising

_TRANSLATE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
_TRANSLATE.update({0x3000: " ", 0xA0: " ", 0x202F: " ", 0x2009: " ", 0x2007: " ", 0x2010: "-",
                   0x2011: "-", 0xB5: "μ", 0x301C: "~", 0x2266: "≤", 0x2267: "≥", 0xB2: "^2", 0xB3: "^3"})
_TRANSLATE.update({0x2070 + i: f"^{i}" for i in range(4, 10)} | {0x2070: "^0", 0xB9: "^1"})
_TRANSLATE.update({0x2160 + i: r for i, r in enumerate(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"])})
# The full-width comma stays: "1，2" is two numbers, never 1.2 or 12.
# The squared unit signs Chinese fonts and input methods offer (㎎ ㎖ ㎏ ㎍ ㏄), as the letters they stand for.
_TRANSLATE.update({cp: unicodedata.normalize("NFKC", chr(cp)).replace("\u03bc", "μ") for cp in range(0x3380, 0x33E0)
                   if unicodedata.normalize("NFKC", chr(cp)).isascii()
                   or unicodedata.normalize("NFKC", chr(cp))[:1] == "\u03bc"})
# A unit to the power minus one, as Chinese journals write doses (mg·kg⁻¹·d⁻¹ is mg/kg/d).
_INVERSE = re.compile(r"[·⋅•∙][ \t]*(kg|d|h|min|m\^2|L|mL)[ \t]*(?:⁻|\^-)\^?1(?![0-9])")
# A raised decimal point between digits (0·5 mg, as The Lancet and many UK protocols write it).
_RAISED_POINT = re.compile(r"(?<=[0-9])[\u00b7\u2027\u22c5](?=[0-9])")


# x10^9/L glued (100x10^9/L, x10⁹/L): the times sign, so x10 is not read as a name with digits
_GLUED_POWER = re.compile(r"(?<![A-Za-z])[xX](?=10\^-?[0-9])")


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, µ to μ, odd spaces to spaces.

    >>> normalise("１０％，～２０ｍｇ")
    '10%，~20mg'
    >>> normalise("10 ㎎, 5 ㎖, 2 ㎍/㎏, 0·5 g, 20 mg·kg⁻¹·d⁻¹")
    '10 mg, 5 ml, 2 μg/kg, 0.5 g, 20 mg/kg/d'
    """
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_TRANSLATE)
    if "^" in text:
        text = _GLUED_POWER.sub("×", text)
    if "⁻" in text or "^-" in text:
        text = _INVERSE.sub(r"/\1", text)
    return _RAISED_POINT.sub(".", text) if "\u00b7" in text or "\u2027" in text or "\u22c5" in text else text


def mask_span(text: str, start: int, end: int) -> str:
    return text[:start] + MASK * (end - start) + text[end:]


# ---------------------------------------------------------------- number words

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_VALUE = {w: i for i, w in enumerate(_EN_UNITS)} | {w: 10 + i for i, w in enumerate(_EN_TEENS)}
_EN_VALUE |= {w: 20 + 10 * i for i, w in enumerate(_EN_TENS)}
EN_99 = (rf"(?:(?:{'|'.join(_EN_TENS)})(?:[- ](?:{'|'.join(_EN_UNITS[1:])}))?"
          rf"|{'|'.join(_EN_TEENS)}|{'|'.join(_EN_UNITS)})")
EN_NUMBER = rf"{EN_99}(?:\s+hundred(?:\s+(?:and\s+)?{EN_99})?)?(?:\s+thousand)?"
CN_CHARS = "零〇一二两三四五六七八九十百千万"
CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_POWER = {"十": 10, "百": 100, "千": 1000}


def cn_int(text: str) -> int | None:
    """The value of a Chinese numeral, or None when the characters are a word, not a number.

    >>> [cn_int(s) for s in ("二十四", "十", "一百零五", "两千", "一一", "三七", "千万", "百", "八一二三", "二〇二五")]
    [24, 10, 105, 2000, None, None, None, None, 8123, 2025]

    A last digit right after 百, 千 or 万 is worth the place below it, as everyone reads it:

    >>> [cn_int(s) for s in ("一百五", "两千三", "一万二", "一百零五", "一千零五十", "十二万五")]
    [150, 2300, 12000, 105, 1050, 125000]
    """
    if len(text) >= 3 and all(ch in CN_DIGIT and ch != "两" for ch in text):
        # Three or more bare digits are read one by one: an extension (八一二三), a year (二〇二五).
        return int("".join(str(CN_DIGIT[ch]) for ch in text))
    total = section = 0
    digit: int | None = None
    before = place = 1  # the place of the character before a digit, and what the digit is worth
    for ch in text:
        if ch in CN_DIGIT:
            if digit:  # 一一 (one by one), 三七 (a herb): two digits in a row are a word
                return None
            digit = CN_DIGIT[ch]
            place, before = (before // 10 if before >= 100 else 1), 1
        elif ch in _CN_POWER:
            if digit is None:
                if ch != "十" or section or total:
                    return None  # 百日咳, 千克, 千万: a leading 百/千 is not a number
                digit = 1
            section += digit * _CN_POWER[ch]
            digit, before = None, _CN_POWER[ch]
        elif ch == "万":
            if digit is None and not section:
                return None
            total += (section + (digit or 0) * place) * 10000
            section, digit, before = 0, None, 10000
        else:
            return None
    return total + section + (digit or 0) * place


def en_int(text: str) -> int | None:
    """The value of an English number phrase.

    >>> [en_int(s) for s in ("twenty-four", "one hundred and fifty", "two thousand", "dozen")]
    [24, 150, 2000, None]
    """
    total = current = 0
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in _EN_VALUE:
            current += _EN_VALUE[word]
        elif word == "hundred":
            current *= 100
        elif word == "thousand":
            total, current = total + current * 1000, 0
        else:
            return None
    return total + current


def number_value(text: str) -> Fraction | None:
    """Digits, English words or Chinese numerals as a Fraction."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return Fraction(text)
    whole, point, frac = text.partition("点")
    if point and frac and all(ch in CN_DIGIT and ch != "两" for ch in frac):  # 零点五
        value = cn_int(whole)
        return None if value is None else cn_decimal(value, frac)
    value = en_int(text) if text[:1].isascii() else cn_int(text)
    return None if value is None else Fraction(value)


def format_value(value: Value) -> str:
    """``Fraction(5, 2)`` → ``2.5``; thirds stay fractions.

    >>> [format_value(v) for v in (Fraction(10), Fraction(1, 2), Fraction(1, 3), "2026-11-23")]
    ['10', '0.5', '1/3', '2026-11-23']
    """
    if isinstance(value, str):
        return value
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    while den % 2 == 0:
        den //= 2
    while den % 5 == 0:
        den //= 5
    if den == 1:
        return format(float(value), "f").rstrip("0").rstrip(".") if abs(value) < 10**12 else str(value)
    return f"{value.numerator}/{value.denominator}"


# ---------------------------------------------------------------- numbers

@dataclass
class Atom:
    start: int
    end: int  # end of the number; the unit runs to unit_end
    value: Fraction | str
    text: str
    strong: bool = True
    unit: str | None = None
    unit_text: str = ""
    unit_end: int = -1
    signed: bool = False
    kind: str = "digit"
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.unit_end < 0:
            self.unit_end = self.end


VULGAR = {"½": Fraction(1, 2), "⅓": Fraction(1, 3), "⅔": Fraction(2, 3), "¼": Fraction(1, 4),
           "¾": Fraction(3, 4), "⅕": Fraction(1, 5), "⅛": Fraction(1, 8)}
_DIGITS = re.compile(
    r"(?<![A-Za-z0-9_\^])"
    r"(?:(?P<frac>[0-9]+/[0-9]+)(?![0-9/])"
    r"|(?P<thou>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?)(?![0-9])"
    r"|(?P<space>[0-9]{1,3}(?: [0-9]{3})+)(?![0-9.,])"
    r"|(?P<cdec>0,[0-9]+|[0-9]+,[0-9]{1,2}(?=[ \t]*(?:mg|g|ml|l|kg|μg|mcg)(?![A-Za-z])))"
    r"|(?P<dec>[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)(?P<vulgar>[½⅓⅔¼¾⅕⅛])?)"
    r"(?P<wan>百万|千万|万|亿|千(?![克卡帕米焦瓦分])|百(?![分])|[ \t]?(?i:thousand|million|billion)(?![A-Za-z]))?(?P<ord>st|nd|rd|th)?(?![A-Za-z]*[0-9])")
# What a written multiplier after digits means: 80万 units is 800,000, "1.5 million units" 1,500,000.
_MULTIPLIER = {"百": 100, "千": 1000, "万": 10**4, "百万": 10**6, "千万": 10**7, "亿": 10**8, "thousand": 10**3, "million": 10**6, "billion": 10**9}
ZH_FRACTION = re.compile(rf"(?P<pct>百)分之(?P<num>[0-9.]+|[{CN_CHARS}]+(?:点[零〇一二三四五六七八九]+)?)|(?P<den>[0-9]+|[{CN_CHARS}]+)分之(?P<num2>[0-9]+|[{CN_CHARS}]+)")
VULGAR_ALONE = re.compile(r"(?<![0-9])[½⅓⅔¼¾⅕⅛]")
_EN_FRACTION = re.compile(
    rf"(?i)(?<![A-Za-z0-9])(?:(?P<in>(?:one|a|1)) in (?:every )?(?P<den>[0-9]+|{EN_NUMBER})(?![A-Za-z0-9])"
    r"|(?P<quarter>(?:a|one|three)[ -]quarters? of an hour)|(?P<fortnight>(?:a|one)[ \t]+fortnight)"
    rf"|(?P<andhalf>{EN_99})[ \t]+and[ \t]+a[ \t]+half"
    r"|(?P<half>half(?:[ -](?:an?[ -])?hour)?)"
    # "a third attempt" is the third one, not a third of it ("by a third in …", "a third of" are shares)
    r"|(?:a|one|the[ \t]+(?:upper|middle|lower|outer|inner|proximal|distal))[ -](?P<third>third|quarter)"
    r"(?!(?<=\ba third)[ \t]+(?:[a-z-]+[ \t]+)?(?:attempts?|doses?|times?|cycles?|tries|try|courses?|rounds?|injections?"
    r"|child|baby|pregnancy|episodes?|visits?|opinions?|occasions?|stage|degree|tablets?|cannula|catheter|sample"
    r"|transfer|embryo|fit|seizure|check|reading|measurement|line|generation|person|nurse|doctor|member)\b)"
    r"|(?P<two>two)[ -]thirds|(?P<three>three)[ -]quarters"
    # "by a fifth", "a tenth of the dose", "two fifths": a fifth alone may be an ordinal (a fifth dose)
    r"|(?:(?<=by )(?:a|one)|(?:a|one)(?=[ -](?:fifth|sixth|eighth|tenth)[ \t]+of\b)|(?P<nths>two|three|four))"
    r"[ -](?P<nth>fifth|sixth|eighth|tenth)s?)(?![A-Za-z])")
_EN_WORDS = re.compile(rf"(?i)(?<![A-Za-z-])(?:(?P<n>{EN_NUMBER})|(?P<times>once|twice|thrice)"
                       r"|(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
                       r"|(?P<a>an?|(?<=within )the)(?=[ \t]+(?:(?:full|whole|single|complete)[ \t]+)?"
                       r"(?:hour|minute|day|week|month|year|lit(?:re|er)|gram|kilo(?:gram)?)(?![A-Za-z])))(?![A-Za-z])")
# "one tablet", "one ampoule": a count of a dose form, as firm as 1 (one alone, "one of", may be no number)
EN_DOSE_FORM = re.compile(r"(?i)(?:tab(?:let)?s?|cap(?:sule)?s?|drops?|puffs?|doses?|ampou?les?|vials?|sachets?)")
# 两次, 两片, 两支: 两 before a dose or a time given is two (这两种, 两侧 may be "both")
CN_DOSE_COUNT = frozenset("次剂片粒支滴喷揿针袋贴枚丸")
CN_BETWEEN = re.compile(r"[^，。；;,、\n]{0,8}?间")  # 两次抽搐之间, 两剂间隔: "between fits", no count
_ONCE_STRONG = re.compile(r"(?i)[ \t]*(?:$|[.,;:!?)\]\n]|(?:only|more|again|after|if|within|before|per|on|in"
                          r"|during|for|then|over|by|via|and|or|stat)(?![A-Za-z])|[0-9])")
# 数十, 几百, 十几, 三十几 ("tens of", "ten-odd") are no number: nothing is read, so a 10 of the source is missing.
# 零点五 is 0.5 and 三十七点五 37.5: digits after 点 are a decimal fraction, read one by one (a clock's
# minutes, 三点十五分, have 十 in them; 一点 alone is "a little")
CN_NUMERAL = re.compile(rf"(?P<ord>第[ \t]*)?(?P<neg>零下)?(?<![数几])(?P<num>[{CN_CHARS}]+)(?![{CN_CHARS}几])(?:点(?P<frac>[零〇一二三四五六七八九]+)(?P<wan>万|亿)?)?")


def cn_value(m: re.Match[str], whole: int) -> Fraction:
    """The value of a ``CN_NUMERAL`` match whose whole part is ``whole``: 零点五 0.5, 一点五万 15,000.

    >>> [cn_value(CN_NUMERAL.match(t), w) for t, w in (("三", 3), ("零点五", 0), ("一点五万", 1))]
    [Fraction(3, 1), Fraction(1, 2), Fraction(15000, 1)]
    """
    sign = -1 if m.group("neg") else 1  # 零下二十摄氏度 is -20 °C
    if not m.group("frac"):
        return sign * Fraction(whole)
    return sign * cn_decimal(whole, m.group("frac")) * {"万": 10**4, "亿": 10**8}.get(m.group("wan") or "", 1)


def cn_decimal(whole: int, frac: str) -> Fraction:
    """``whole`` and the digits after 点, one by one.

    >>> cn_decimal(0, "五"), cn_decimal(37, "五"), cn_decimal(2, "零五")
    (Fraction(1, 2), Fraction(75, 2), Fraction(41, 20))
    """
    return whole + Fraction(int("".join(str(CN_DIGIT[ch]) for ch in frac)), 10 ** len(frac))
CN_HALF = re.compile(r"(?P<one>一)?半")
_HALF_DOSE = re.compile(r"(?i)[ \t]+(?:a|an|the|of the|of a|of his|of her|of their)[ \t]+(?:[a-z]+[ \t]+)?(?:tablets?|doses?|capsules?|vials?|ampoules?|sachets?|amount|volume)\b|-(?:dose|strength)\b")
CN_PAIR = re.compile(r"双")  # 双向 two-way, 双方 both parties: weak, so it matches "two" and nothing else
CN_SINGLE = re.compile(r"单次|单剂(?!量)")  # "a single time" is once: weak, it pairs with the source's 1
HALF_SUFFIX = re.compile(r"个半")  # 一个半小时; 一半 is "half"
# 一片半, 1天半, 两岁半: a 半 after the unit adds 0.5 (半夜 is midnight, 半小时 a unit of its own)
_UNIT_HALF = re.compile(r"半(?![\u3400-\u9fff])|半(?=[的后内时以左至到或及和])")


def unit_half(atom: Atom, text: str) -> None:
    """一片半 is 1.5 tablets: the 半 after a count or a time adds a half, and the number is no mere "a"."""
    if isinstance(atom.value, Fraction) and (atom.unit == "#" or atom.unit in ("d", "wk", "mo", "y", "h")) \
            and "/" not in atom.unit_text and _UNIT_HALF.match(text, atom.unit_end):
        atom.value += Fraction(1, 2)
        atom.unit_end += 1
        atom.strong = True
CJK = re.compile(r"[\u3400-\u9fff]")


# What may stand before a minus sign: a space or an opening, a comparison (≤−25°C), or a Chinese
# word (碱剩余−16, 降至-5): a dash between a Chinese character and a digit is no range.
_BEFORE_MINUS = " \t\n(（[【:=~：，、;；≤≥<>＜＞≦≧"


def _minus_may_follow(char: str) -> bool:
    return char in _BEFORE_MINUS or CJK.match(char) is not None


def digit_atoms(text: str) -> tuple[list[Atom], list[Atom]]:
    """Digit numbers; the second list splits "2 500" into 2 and 500 for the alternative reading."""
    atoms: list[Atom] = []
    alternative: list[Atom] = []
    for m in _DIGITS.finditer(text):
        start, end, raw = m.start(), m.end(), m.group()
        if m.group("frac"):
            num, den = (int(x) for x in m.group("frac").split("/"))
            if 0 < num < den <= 16:
                atoms.append(Atom(start, end, Fraction(num, den), raw))
            else:  # 120/80 mmHg: two readings, each its own number
                slash = raw.index("/")
                atoms += [Atom(start, start + slash, Fraction(num), str(num)),
                          Atom(start + slash + 1, end, Fraction(den), str(den), extra={"slash": "1"})]
            continue
        if m.group("space"):
            parts = m.group("space").split(" ")
            atoms.append(Atom(start, end, Fraction("".join(parts)), raw))
            pos = start
            for part in parts:
                alternative.append(Atom(pos, pos + len(part), Fraction(part), part))
                pos += len(part) + 1
            continue
        if m.group("thou"):
            value = Fraction(m.group("thou").replace(",", ""))
        elif m.group("cdec"):
            value = Fraction(m.group("cdec").replace(",", "."))
        else:
            value = Fraction(m.group("dec")) + (VULGAR[m.group("vulgar")] if m.group("vulgar") else 0)
        if m.group("wan"):
            value *= _MULTIPLIER[m.group("wan").strip().lower()]
        atom = Atom(start, end, value, raw)
        if start >= 1 and text[start - 1] in "-−–" and (start == 1 or _minus_may_follow(text[start - 2])):
            atom.start, atom.value, atom.signed, atom.text = start - 1, -value, True, text[start - 1:end]
        elif text[max(0, start - 2):start] == "零下":
            atom.start, atom.value, atom.text = start - 2, -value, text[start - 2:end]
        atoms.append(atom)
    return atoms, alternative


def word_atoms(text: str) -> list[Atom]:
    atoms: list[Atom] = []
    for m in _EN_FRACTION.finditer(text):
        if m.group("in"):  # one in five women: 五分之一
            den = number_value(m.group("den"))
            if den:
                atoms.append(Atom(m.start(), m.end(), 1 / den, m.group()))
        elif m.group("quarter") or m.group("fortnight"):  # a quarter of an hour, a fortnight: a time
            quarter = bool(m.group("quarter"))
            amount = Fraction(3 if m.group().lower().startswith("three") else 1, 4) if quarter else Fraction(2)
            atoms.append(Atom(m.start(), m.end(), amount, m.group(), unit="h" if quarter else "wk",
                               unit_text="hour" if quarter else "fortnight", kind="fixed"))
        elif m.group("andhalf"):  # one and a half tablets: 1.5
            whole = en_int(m.group("andhalf"))
            if whole is not None:
                atoms.append(Atom(m.start(), m.end(), whole + Fraction(1, 2), m.group(), kind="word"))
        elif m.group("half"):
            hour = m.group("half").lower() != "half"
            # "half a tablet", "half the dose": a dose, as firm as 0.5
            dose = bool(_HALF_DOSE.match(text, m.end()))
            atoms.append(Atom(m.start(), m.end(), Fraction(1, 2), m.group(), strong=hour or dose,
                               unit="h" if hour else None, unit_text="hour" if hour else "", kind="fixed"))
        else:
            if m.group("nth"):
                parts = {"fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10}[m.group("nth").lower()]
                atoms.append(Atom(m.start(), m.end(), Fraction(en_int(m.group("nths") or "one") or 1, parts), m.group()))
                continue
            part = {"third": Fraction(1, 3), "quarter": Fraction(1, 4)}.get((m.group("third") or "").lower())
            part = part or (Fraction(2, 3) if m.group("two") else Fraction(3, 4))
            atoms.append(Atom(m.start(), m.end(), part, m.group()))
    for m in _EN_WORDS.finditer(blank_atoms(text, atoms)):
        word = m.group().lower()
        if m.group("n"):
            value = en_int(m.group("n"))
            if value is None:
                continue
            # "one of", "no one", "zero tolerance": weak unless a unit follows (one hour)
            atom = Atom(m.start(), m.end(), Fraction(value), m.group(), strong=value > 1, kind="word")
        elif m.group("times"):
            if re.search(r"(?i)\bat[ \t]+$", text[max(0, m.start() - 4):m.start()]):
                continue  # "at once" is immediately (a timing cue), not a count
            count = {"once": 1, "twice": 2, "thrice": 3}[word]
            after = text[m.end():m.end() + 12]
            strong = bool(_ONCE_STRONG.match(after)) if word == "once" else not re.match(r"(?i)\s+(?:the|as|that)\b",
                                                                                           after)
            atom = Atom(m.start(), m.end(), Fraction(count), m.group(), strong=strong, unit="#",
                         unit_text=m.group(), kind="fixed")
        elif m.group("ord"):
            rank = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                    "tenth"].index(word) + 1
            atom = Atom(m.start(), m.end(), Fraction(rank), m.group(), strong=False, kind="ordinal")
        else:
            atom = Atom(m.start(), m.end(), Fraction(1), m.group(), strong=False, kind="article")
        atoms.append(atom)
    return atoms


def blank_atoms(text: str, atoms: list[Atom]) -> str:
    for atom in atoms:
        text = mask_span(text, atom.start, max(atom.end, atom.unit_end))
    return text


def spaced(atoms: list[Atom]) -> list[Atom]:
    return [a for a in atoms if isinstance(a.value, Fraction) and " " in a.text and a.kind == "digit"]
