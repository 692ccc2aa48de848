"""Clinical equivalence of one translation with its English source.

Checks (each a ``Finding.code``): numbers (values, ASCII and full-width digits, decimals,
thousands separators), links (same URLs, no javascript:/data:/vbscript:), html (no raw HTML),
markup (same Markdown emphasis, code, links and list items) and glossary (required renderings).
English number words ("two", "once") may account for a digit in the translation but are not
required there. Units, frequencies, routes, comparisons and Chinese numerals are not checked yet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problem, error


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    hint: str = ""


@dataclass(frozen=True)
class GlossaryTerm:
    source: str
    target: str = ""
    keep: bool = False
    note: str = ""


@dataclass(frozen=True)
class Glossary:
    locale: str
    terms: tuple[GlossaryTerm, ...] = ()


_URL = re.compile(r"\]\(\s*([^)\s]+)|(https?://[^\s)>\]，。]+)")
_UNSAFE_URL = re.compile(r"\b(?:javascript|vbscript)\s*:|\bdata:[a-z]+/", re.IGNORECASE)
_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(\d{1,3}(?:[,\u202f ]\d{3})+|\d+)(?:[.,](\d+))?(?![A-Za-z]*\d)")
# NEWS2, SpO2, HbA1c: names, compared as tokens. ASCII look-arounds: CJK characters are \w too.
_NAME = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+\d+[A-Za-z0-9]*(?![A-Za-z0-9])")
# English number words are "soft": a translator may write 2 or 两 or 双方 for "two". They may
# account for a digit in the translation, but their absence there is not an error. Digits are
# "hard": every digit-number of the source must appear in the translation, and vice versa.
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
_NUMBER_WORDS.update({w: str(i + 1) for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"])})
_NUMBER_WORDS.update({"once": "1", "twice": "2", "single": "1", "both": "2", "half": "0.5"})
_ALLOW = re.compile(r"^\s*carebridge-allow:\s*([a-z, -]+?)\s*(?:—|--|-|:)\s*(.+)$")


def _strip_urls(text: str) -> str:
    return _URL.sub(" ", text)


def _prepare(text: str) -> str:
    return _NAME.sub(" ", unicodedata.normalize("NFKC", _strip_urls(text)))


def numbers(text: str) -> Counter[str]:
    """The numbers written in digits in ``text`` (any width; names like NEWS2 excluded).

    >>> sorted(numbers("Give 1,000 mL then ０.５ g once; NEWS2 of 5"))
    ['0.5', '1000', '5']
    """
    out: Counter[str] = Counter()
    for match in _NUMBER.finditer(_prepare(text)):
        whole = re.sub(r"[,\u202f ]", "", match.group(1))
        value = f"{int(whole)}" + (f".{match.group(2).rstrip('0')}" if match.group(2) and match.group(2).rstrip("0") else "")
        out[value] += 1
    return out


def number_words(text: str) -> Counter[str]:
    """Values of English number words ("two", "once", "first"): soft evidence for a digit.

    >>> sorted(number_words("Take two sets once; the first dose").elements())
    ['1', '1', '2']
    """
    out: Counter[str] = Counter()
    for word in re.findall(r"[A-Za-z]+", _prepare(text)):
        if word.lower() in _NUMBER_WORDS:
            out[_NUMBER_WORDS[word.lower()]] += 1
    return out


def number_mismatch(source: str, translation: str) -> tuple[Counter[str], Counter[str]]:
    """(source digits missing from the translation, translation digits the source does not support).

    >>> number_mismatch("Give 10 mg", "给予1 mg")
    (Counter({'10': 1}), Counter({'1': 1}))
    >>> number_mismatch("Make one call", "拨打1个电话")
    (Counter(), Counter())
    """
    src, tr = numbers(source), numbers(translation)
    missing = src - tr
    extra = (tr - src) - number_words(source)
    return missing, extra


def _urls(text: str) -> Counter[str]:
    return Counter(a or b for a, b in _URL.findall(text))


def _markup(text: str) -> Counter[str]:
    return Counter({"bold": len(re.findall(r"\*\*[^*]+\*\*", text)), "code": len(re.findall(r"`[^`]+`", text)),
                    "links": len(re.findall(r"\]\(", text)),
                    "list items": len(re.findall(r"^\s*(?:[-*]|\d+\.)\s", text, re.MULTILINE))})


def check_translation(source: str, translation: str, *, locale: str = "zh_CN",
                      glossary: Glossary | None = None, markup: bool = False) -> list[Finding]:
    """Compare one English msgid with its translation.

    >>> [f.code for f in check_translation("Give 1 g IV.", "静脉注射1 g。")]
    []
    >>> [f.message for f in check_translation("Give 1 g IV.", "静脉注射10 g。")]
    ['number mismatch: source has 1 not found in the translation; translation has 10 not in the source']
    """
    findings: list[Finding] = []
    if _HTML.search(translation):
        findings.append(Finding("html", "error", "raw HTML in the translation", "write plain text or Markdown only"))
    if _UNSAFE_URL.search(translation):
        findings.append(Finding("links", "error", "unsafe URL (javascript:, vbscript: or data:) in the translation",
                                "use the same https:// link as the English"))
    src_urls, tr_urls = _urls(source), _urls(translation)
    if src_urls != tr_urls:
        findings.append(Finding("links", "error", f"links differ: source has {', '.join(sorted(src_urls)) or 'none'}; "
                                f"translation has {', '.join(sorted(tr_urls)) or 'none'}", "keep every link target as in the English"))
    missing, extra = number_mismatch(source, translation)
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"source has {', '.join(sorted(missing.elements(), key=float))} not found in the translation")
        if extra:
            parts.append(f"translation has {', '.join(sorted(extra.elements(), key=float))} not in the source")
        findings.append(Finding("numbers", "error", "number mismatch: " + "; ".join(parts),
                                "every number, dose and threshold must be the same as in the English"))
    src_names, tr_names = Counter(_NAME.findall(source)), Counter(_NAME.findall(translation))
    if src_names - tr_names:
        findings.append(Finding("numbers", "error", f"missing: {', '.join(sorted((src_names - tr_names).elements()))}",
                                "keep names such as NEWS2 or SpO2 as they are"))
    if markup and _markup(source) != _markup(translation):
        diff = [k for k in _markup(source) if _markup(source)[k] != _markup(translation)[k]]
        findings.append(Finding("markup", "error", f"Markdown differs: {', '.join(diff)}",
                                "keep **bold**, `code`, [links](…) and list items as in the English"))
    for term in glossary.terms if glossary else ():
        pattern = re.compile(rf"(?<![A-Za-z]){re.escape(term.source)}(?![A-Za-z])", re.IGNORECASE)
        if not pattern.search(source):
            continue
        wanted = term.source if term.keep else term.target
        if wanted and wanted.lower() not in translation.lower():
            findings.append(Finding("glossary", "error", f"glossary: '{term.source}' must be rendered as '{wanted}'",
                                    term.note))
    return findings


def parse_allowances(translator_comments: list[str]) -> dict[str, str]:
    """``carebridge-allow: numbers — reason`` comments → {check: reason}; no reason, no allowance.

    >>> parse_allowances(["carebridge-allow: numbers — dose per kg in this locale", "carebridge-allow: units"])
    {'numbers': 'dose per kg in this locale'}
    """
    out: dict[str, str] = {}
    for comment in translator_comments:
        match = _ALLOW.match(comment)
        if match:
            for code in (c.strip() for c in match.group(1).split(",")):
                if code:
                    out[code] = match.group(2).strip()
    return out


def load_glossary(path: Path, display: str, locale: str) -> tuple[Glossary, list[Problem]]:
    """Read ``locales/<locale>/glossary.yaml``; a missing file is an empty glossary."""
    if not path.exists():
        return Glossary(locale), []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return Glossary(locale), [error(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                                        f"YAML syntax: {exc.problem}", code="glossary")]
    except UnicodeDecodeError:
        return Glossary(locale), [error(display, 1, 1, "glossary is not valid UTF-8", code="glossary")]
    key = locale.split("_")[0]
    terms: list[GlossaryTerm] = []
    problems: list[Problem] = []
    for index, item in enumerate(data.get("terms", []) if isinstance(data, dict) else []):
        if not isinstance(item, dict) or not item.get("en") or not (item.get(key) or item.get("keep")):
            problems.append(error(display, None, None, f"terms[{index}]: needs en and {key} (or keep: true)",
                                  code="glossary"))
            continue
        terms.append(GlossaryTerm(str(item["en"]), str(item.get(key, "")), bool(item.get("keep")), str(item.get("note", ""))))
    return Glossary(locale, tuple(terms)), problems
