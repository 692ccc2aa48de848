"""Is a translation clinically equivalent to its English source? Numbers, units, comparisons,
frequencies, routes, links, markup and glossary terms, compared message by message.

A wrong dose in a translation can hurt a patient, so every check here is a safety check: it
reports what differs in the clinic's words ("unit mismatch: source has 1 g, translation has 1 mg
(毫克)"), and a translator who changed something on purpose says why in the PO file with
``# carebridge-allow: <code> — <reason>`` (read by ``findings.parse_allowances``).

What is read out of the text, and the rules for ambiguous wording, live in ``quantities``; the
numbers compared (values, units, comparisons, lines) in ``amounts``; the glossary file and its check live in ``glossary``, links and markup in ``markup``, ``Finding`` in
``findings``. What a translation can change without touching a number (a negation, a side, a
medicine, "or" for "and", two thresholds trading places) is checked by ``meaning``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .amounts import DAY_CARRIER, check_numbers, day_for_24
from .carryover import (
    check_characters,
    check_html,
    check_line_breaks,
    check_links,
    check_markup,
    check_number_length,
    check_placeholders,
    check_stray_markup,
    check_tolerance,
)
from .clinical_terms import Tag, daily_count, describe_frequency
from .digit_names import strength_named
from .findings import Finding
from .glossary import Glossary, check_glossary
from .labels import check_labels
from .meaning import check_meaning
from .numerals import normalise
from .quantities import Reading, read
from .ranges import check_ranges
from .routes import check_routes
from .vocabulary import vocabulary

__all__ = ["check_translation"]

_LANGUAGES = frozenset({"zh"})  # languages whose words (routes, 两次, 低于) ``quantities`` reads


# ---------------------------------------------------------------- frequencies, routes

def _describe(tags: Iterable[Tag]) -> str:
    shown = (describe_frequency(t.code) + (f" ({t.text})" if t.text.lower() not in (describe_frequency(t.code), t.code)
                                           else "") for t in tags)
    return ", ".join(dict.fromkeys(shown)) or "none"


def _check_frequencies(src: Reading, tr: Reading) -> list[Finding]:
    findings: list[Finding] = []
    src_all, tr_all = {t.code for t in src.frequencies}, {t.code for t in tr.frequencies}
    missing = [t for t in src.frequencies if t.strong and t.code not in tr_all]
    extra = [t for t in tr.frequencies if t.strong and t.code not in src_all]
    if missing or extra:
        # every 12 h written as 每日2次 is close but not the same: the interval is lost
        close = bool(missing and extra) and {daily_count(t.code) for t in missing} == {
            daily_count(t.code) for t in extra} and None not in {daily_count(t.code) for t in missing + extra}
        findings.append(Finding("frequency", "warning" if close else "error",
                                f"frequency mismatch: source has {_describe(t for t in src.frequencies if t.strong)}"
                                f"; translation has {_describe(t for t in tr.frequencies if t.strong)}",
                                "every 8 hours 每8小时, twice daily 每日2次, once daily 每日1次"))
    # "every day" against 每周 with no number is the frequency-word check's (``meaning``)
    tr_cues = {c.code for c in tr.cues}
    # "as required" beside a dosing frequency is PRN dosing: lost, the drug is given on a schedule
    dosing = bool(src.frequencies)
    for code, strong, text in dict.fromkeys((c.code, c.strong, c.text) for c in src.cues if c.code not in tr_cues):
        word = {"stat": "立即", "prn": "必要时"}[code]
        findings.append(Finding("frequency", "error" if strong or (dosing and code == "prn") else "warning",
                                f"timing missing: source says '{text}', translation has no {word}",
                                f"translate '{text}' as {word}"))
    return findings


# ---------------------------------------------------------------- entry point

def check_translation(source: str, translation: str, *, locale: str = "zh_CN",
                      glossary: Glossary | None = None, markup: bool = False) -> list[Finding]:
    """Compare one English msgid with its translation; an empty translation has nothing to check.

    ``markup=True`` means the text is the Markdown subset (paragraphs, - and 1. lists, **bold**,
    *italic*, `code`, [text](https://url)). For a locale whose language ``quantities`` does not
    read (only Chinese so far), words are not compared: digits, names, links, markup and the
    glossary still are.

    >>> check_translation("Give 1 g IV.", "静脉给药1 g。")
    []
    >>> [f.message for f in check_translation("Give 1 g IV.", "静脉给药1 mg。")]
    ['unit mismatch: source has 1 g, translation has 1 mg']
    """
    if not translation.strip():
        return []
    words = re.split(r"[_-]", locale)[0] in _LANGUAGES
    findings = check_characters(translation) + check_html(translation) + check_links(source, translation)
    findings += check_placeholders(source, translation) + check_stray_markup(source, translation)
    findings += check_markup(source, translation) if markup else check_line_breaks(source, translation)
    if too_long := check_number_length(source, translation):
        return findings + too_long
    src, tr = read(strength_named(source, translation), markup=markup, words=words), read(translation, markup=markup,
                                                                                          words=words)
    findings += check_numbers(src, tr, words, (bool(DAY_CARRIER.search(source)),
                                                 bool(DAY_CARRIER.search(translation))), day_for_24(source, translation),
                               normalise(translation), normalise(source))
    findings += check_ranges(source, translation) + check_tolerance(source, translation)
    if words:
        findings += _check_frequencies(src, tr) + check_routes(source, translation, (src, tr), markup)
        findings += check_labels(source, translation)
    if glossary is not None and glossary.terms:
        findings += check_glossary(source, translation, glossary)
    if words:
        findings += check_meaning(source, translation, vocabulary(glossary), re.split(r"[_-]", locale)[0],
                                  (src, tr))
    return findings
