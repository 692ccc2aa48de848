"""The locale glossary: required renderings of drug names and key terms, and the check on them.

``load_glossary`` reads ``locales/<locale>/glossary.yaml`` into a ``Glossary`` of
``GlossaryTerm``s (problems carry line numbers), and ``check_glossary`` reports a translation
that lacks a term's rendering, translates a term that must stay in English, or names a term the
source never mentions. ``equivalence`` runs the check and re-exports the public names.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .. import markup
from ..problems import Problem, error, warning
from ..source.loader import Document, JsonPath, format_path, parse_yaml, read_text
from .findings import Finding


@dataclass(frozen=True)
class GlossaryTerm:
    """A required rendering: ``target`` in the translation, or the English kept as is (``keep``)."""

    source: str
    target: str = ""
    keep: bool = False
    note: str = ""
    kind: str = ""  # "drug" or "site": also compared by the meaning checks (``vocabulary``)
    also: tuple[str, ...] = ()  # other renderings the project accepts (发热性中性粒细胞减少 beside 中性粒细胞缺乏伴发热)

    @property
    def renderings(self) -> tuple[str, ...]:
        return (self.target, *self.also) if self.target else ()


@dataclass(frozen=True)
class Glossary:
    locale: str
    terms: tuple[GlossaryTerm, ...] = ()
    # Caches of compiled patterns are keyed by the glossary, asked once per message: hashing 20,000
    # terms each time took longer than the checks. The hash is taken once.
    _hash: int = field(default=0, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.locale, self.terms)))
        _LIVE.setdefault(self._hash, self)

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> tuple[Callable[..., Glossary], tuple[str, tuple[GlossaryTerm, ...]]]:
        return _revive, (self.locale, self.terms)


# Glossaries alive in this process, by hash. A worker process unpickles the glossary it is sent; if
# it forked from a process that already had it, the caches it inherited are keyed by that object.
# Reviving the same object keeps each lookup an identity check instead of comparing 20,000 terms.
_LIVE: weakref.WeakValueDictionary[int, Glossary] = weakref.WeakValueDictionary()


def _revive(locale: str, terms: tuple[GlossaryTerm, ...]) -> Glossary:
    glossary = Glossary(locale, terms)
    known = _LIVE.get(glossary._hash)
    return known if known is not None and known == glossary else glossary


# ---------------------------------------------------------------- glossary file

_TERM_KEYS = ("en", "keep", "note", "kind", "also")
_KINDS = ("drug", "site", "term")
MAX_BYTES = 8 * 1024 * 1024
Report = Callable[..., None]  # (path, message, hint, key=False)


def load_glossary(path: Path, display: str, locale: str) -> tuple[Glossary, list[Problem]]:
    """Read ``locales/<locale>/glossary.yaml``; a missing file is an empty glossary.

    Terms are a list of mappings with ``en`` and either the language key (``zh`` for ``zh_CN``,
    the full locale also works) or ``keep: true``; ``note`` is optional, and ``also`` lists other
    renderings the project accepts (a name a national guideline or label uses). Problems carry line
    numbers; a bad term is left out and the good ones are kept. The file is read by the same
    reader as the protocols (YAML 1.2 values: ``keep: yes`` is text, not true).
    """
    empty = Glossary(locale)
    if not path.exists():
        return empty, []  # a language may start without one; a file that requires nothing is said below
    text, problems = read_text(path, display, MAX_BYTES)
    doc = None
    if text is not None:
        doc, problems = parse_yaml(text, display)
    problems = [replace(p, code="glossary") for p in problems]
    if doc is None or doc.data is None:
        return empty, problems or [_no_terms(display, "the glossary is empty")]

    def report(where: JsonPath, message: str, hint: str = "", key: bool = False) -> None:
        line, col = doc.locate(where, key=key)
        problems.append(error(display, line, col, message, path=format_path(where), hint=hint, code="glossary"))

    if not isinstance(doc.data, dict):
        report((), "a glossary is a mapping with a `terms:` list", "start the file with `terms:`")
        return empty, problems
    for name in doc.data:
        if name != "terms":
            report((name,), f"unknown key '{name}'", "a glossary has only `terms:`", key=True)
    items = doc.data.get("terms")
    if items is None:
        return empty, problems + [_no_terms(display, "the glossary has no `terms:`")]
    if not isinstance(items, list):
        report(("terms",), "`terms` must be a list of terms", "write each term as `- en: ...`")
        return empty, problems
    language = re.split(r"[_-]", locale)[0]
    seen: dict[str, int] = {}
    terms: list[GlossaryTerm] = []
    for index, item in enumerate(items):
        where: JsonPath = ("terms", index)
        term = _read_term(item, where, doc, language, locale, report)
        if term is None:
            continue
        line = doc.locate(where)[0]
        first = seen.setdefault(term.source.casefold(), line)
        if first != line:
            report((*where, "en"), f"duplicate term '{term.source}' (first defined on line {first})",
                   "keep one entry per English term")
            continue
        terms.append(term)
    return Glossary(locale, tuple(terms)), problems + ([] if terms or items else [_no_terms(display, "the glossary has no terms")])


def _no_terms(display: str, what: str) -> Problem:
    """A glossary file that requires nothing turns the glossary check off: said, not silent."""
    return warning(display, 1, 1, f"{what}: no required rendering is checked in this language", code="glossary",
                   hint="list the terms each translation must render the same way (`terms:` with `- en: …`)")


def _read_term(item: object, where: JsonPath, doc: Document, language: str, locale: str,
               report: Report) -> GlossaryTerm | None:
    if not isinstance(item, dict):
        report(where, "a term must be a mapping", f"write `- en: oxytocin` and `  {language}: ...`")
        return None
    fields: dict[str, tuple[str, object]] = {}  # en, zh, keep, note -> (the key as written, value)
    ok = True
    for name, value in item.items():
        if name not in (*_TERM_KEYS, language, locale):
            report((*where, name), f"unknown key '{name}'", f"expected en, {language}, also, keep, kind or note",
                   key=True)
            ok = False
            continue
        short = language if name == locale else name
        if short in fields:
            report((*where, name), f"duplicate key '{short}'", "remove one of the two", key=True)
            ok = False
        fields[short] = (name, value)
    strings: dict[str, str] = {}
    for name in ("en", language, "note", "kind"):
        if name in fields:
            written, value = fields[name]
            if not isinstance(value, str) or (name != "note" and not value.strip()):
                report((*where, written), f"'{name}' must be non-empty text", "quote it if needed")
                ok = False
            elif markup.raw_html(value):  # a term is shown in the search manifest and hints, never as HTML
                report((*where, written), "raw HTML is not allowed in a glossary", "write the term as text")
                ok = False
            else:
                strings[name] = value.strip()
    keep = False
    if "keep" in fields:
        _, value = fields["keep"]
        if isinstance(value, bool):
            keep = value
        else:
            report((*where, "keep"), "'keep' must be true or false", "write keep: true")
            ok = False
    if "en" not in fields:
        report(where, "term has no 'en'", "add the English term: en: oxytocin")
        ok = False
    if keep and language in fields:
        report((*where, fields[language][0]), f"a kept term has no '{language}' rendering",
               f"remove '{language}' or keep: true")
        ok = False
    elif not keep and language not in fields:
        report(where, f"term has no '{language}' rendering",
               f"add {language}: ... or keep: true for a term left in English")
        ok = False
    also = _also(fields.get("also"), where, report)
    if also is None:
        ok = False
    elif also and keep:
        report((*where, fields["also"][0]), "a kept term has no other renderings", "remove 'also' or keep: true")
        ok = False
    kind = strings.get("kind", "")
    if kind and kind not in _KINDS:
        report((*where, fields["kind"][0]), f"unknown kind '{kind}'", "kind is drug, site or term")
        ok = False
    if not ok:
        return None
    return GlossaryTerm(strings["en"], strings.get(language, ""), keep, strings.get("note", ""),
                        "" if kind == "term" else kind, tuple(also or ()))


def _also(field: tuple[str, object] | None, where: JsonPath, report: Report) -> list[str] | None:
    """``also``: one rendering or a list of them, each non-empty text; None when it is not."""
    if field is None:
        return []
    written, value = field
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v.strip() and not markup.raw_html(v) for v in values):
        report((*where, written), "'also' must be a rendering or a list of renderings (non-empty text)",
               "write also: [中性粒细胞减少伴发热, 发热性中性粒细胞减少]")
        return None
    return [str(v).strip() for v in values]


# ---------------------------------------------------------------- glossary

@lru_cache(maxsize=1 << 16)  # bounded: a long serve sees many glossaries
def _term_pattern(term: str) -> re.Pattern[str]:
    plural = r"(?:s|es)?" if term[-1:].isalpha() else ""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}{plural}(?![A-Za-z0-9])", re.I)


@dataclass(frozen=True)
class _Needles:
    """A glossary's terms (or renderings), longest first, indexed by their first three letters
    (casefolded): a message looks only at the terms whose start it holds. With 20,000 terms,
    trying each on each message took ``i18n check`` 105 s."""

    ordered: tuple[tuple[str, Callable[[str], re.Pattern[str]]], ...]  # compiled when a message may hold it
    index: dict[str, tuple[int, ...]]

    @classmethod
    def of(cls, needles: Iterable[tuple[str, Callable[[str], re.Pattern[str]]]]) -> _Needles:
        ordered = tuple(sorted(needles, key=lambda n: -len(n[0])))
        index: dict[str, list[int]] = {}
        for position, (key, _) in enumerate(ordered):
            index.setdefault(key.casefold()[:3], []).append(position)
        return cls(ordered, {start: tuple(found) for start, found in index.items()})


def _found(text: str, needles: _Needles) -> set[str]:
    """Which needles occur, longest first, so 缩宫素 inside 卡贝缩宫素 does not count."""
    folded = text.casefold()
    starts = {folded[i:i + n] for n in (1, 2, 3) for i in range(len(folded) - n + 1)}
    candidates = sorted(p for start in starts & needles.index.keys() for p in needles.index[start])
    found: set[str] = set()
    for key, compiled in (needles.ordered[p] for p in candidates):
        text, hits = compiled(key).subn(lambda m: "\0" * len(m.group()), text)
        if hits:
            found.add(key)
    return found


def _mentions(source: str, term: str) -> bool:
    return any(re.search(rf"(?<![A-Za-z]){re.escape(w)}", source, re.I) for w in re.findall(r"[A-Za-z]{4,}", term))


@dataclass(frozen=True)
class _Compiled:
    """What every message's check reads from one glossary, made once per glossary."""

    sources: _Needles
    targets: _Needles
    owners: dict[str, list[str]]  # each rendering's English terms
    entries: dict[str, list[tuple[int, GlossaryTerm]]]  # each English term's entries, with their place


@lru_cache(maxsize=8)
def _compiled(glossary: Glossary) -> _Compiled:
    owners: dict[str, list[str]] = {}
    entries: dict[str, list[tuple[int, GlossaryTerm]]] = {}
    for index, t in enumerate(glossary.terms):
        for rendering in t.renderings:
            owners.setdefault(rendering, []).append(t.source)
        entries.setdefault(t.source, []).append((index, t))
    return _Compiled(_Needles.of((t.source, _term_pattern) for t in glossary.terms),
                     _Needles.of(dict.fromkeys((r, _literal) for t in glossary.terms for r in t.renderings)), owners,
                     entries)


@lru_cache(maxsize=1 << 16)  # bounded: a long serve sees many glossaries
def _literal(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


def check_glossary(source: str, translation: str, glossary: Glossary) -> list[Finding]:
    findings: list[Finding] = []
    compiled = _compiled(glossary)
    in_source = _found(source, compiled.sources)
    targets = _found(translation, compiled.targets)
    for _, term in sorted((e for english in in_source for e in compiled.entries[english]), key=lambda e: e[0]):
        note = f" ({term.note})" if term.note else ""
        if term.keep:
            if not re.search(rf"(?<![A-Za-z0-9]){re.escape(term.source)}(?![A-Za-z0-9])", translation):
                findings.append(Finding("glossary", "error", f"glossary: keep '{term.source}' unchanged in the "
                                        "translation", f"do not translate '{term.source}'{note}"))
        elif not targets.intersection(term.renderings):
            also = f" (or {', '.join(term.also)})" if term.also else ""
            findings.append(Finding("glossary", "error", f"glossary: source has '{term.source}', translation lacks "
                                    f"{term.target}{also}", f"translate '{term.source}' as {term.target}{note}"))
    for target in sorted(targets):
        owners = compiled.owners[target]
        # "carboprost" for carboprost tromethamine, "clean your hands" for hand hygiene: a word of
        # the term in the source is enough; the warning is for a term the source never mentions
        if not any(owner in in_source or _mentions(source, owner) for owner in owners):
            findings.append(Finding("glossary", "warning", f"glossary: translation has {target} but source lacks "
                                    f"'{' / '.join(owners)}'", "check that the translation names the same drug or term"))
    return findings
