"""English bound to one country's rules must say which country.

"Call 999", "the national guideline" or "a registrar" mean different things in London, Boston
and Shanghai. Each translatable text is split into sentences; a sentence holding a term from
``data/jurisdiction.yaml`` and naming no jurisdiction (UK, US, China, ...) is a warning, code
``jurisdiction``. An adaptation for a locale (zh_CN) is about that locale's country already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..prefilter import Prefilter
from ..problems import Problem, warning
from .loader import Document, JsonPath, format_path
from .schema import DEFAULT_SCHEMA, load_schema, translatable_fields

VOCABULARY = "jurisdiction.yaml"
# A sentence ends at a Markdown list item, at . ! ? ; followed by a space (not in U.S., e.g., i.e.)
# or at a blank line.
_SENTENCE_END = re.compile(r"\n\s*(?:[-*+]|\d+\.)\s+|(?<=[.!?;])(?<![A-Z]\.[A-Z]\.)(?<!e\.g\.)(?<!i\.e\.)\s+|\n\s*\n")


@dataclass(frozen=True)
class Term:
    id: str
    pattern: re.Pattern[str]
    note: str


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...]
    names: re.Pattern[str]
    locales: dict[str, str]
    any_term: re.Pattern[str] | None = None  # all terms in one pattern: one scan tells most texts hold none
    prefilter: Prefilter | None = None  # a substring test that tells it faster still


def _scoped(pattern: re.Pattern[str]) -> str:
    """A term's pattern as a group of a larger one: a leading (?i) becomes (?i:...)."""
    text = pattern.pattern
    return f"(?i:{text[4:]})" if text.startswith("(?i)") else f"(?:{text})"


def parse_vocabulary(data: dict[str, Any]) -> Vocabulary:
    """The vocabulary from its YAML data (see ``data/jurisdiction.yaml``).

    >>> v = parse_vocabulary({"terms": [{"id": "gp", "pattern": "\\\\bGP\\\\b", "note": "UK"}], "names": ["UK"]})
    >>> [t.id for t in v.terms], bool(v.names.search("a UK GP")), bool(v.names.search("UKULELE"))
    (['gp'], True, False)
    """
    terms = tuple(Term(str(t["id"]), re.compile(str(t["pattern"])), str(t.get("note", ""))) for t in data["terms"])
    names = sorted((str(n) for n in data["names"]), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    try:
        any_term: re.Pattern[str] | None = re.compile("|".join(_scoped(t.pattern) for t in terms)) if terms else None
    except re.error:  # a term with flags of its own elsewhere: each is searched alone
        any_term = None
    return Vocabulary(terms, pattern, {str(k): str(v) for k, v in (data.get("locales") or {}).items()}, any_term,
                      Prefilter(t.pattern for t in terms))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The packaged vocabulary, read once per process."""
    text = resources.files(__package__ or "carebridge.source").joinpath("data", VOCABULARY).read_text(encoding="utf-8")
    return parse_vocabulary(yaml.safe_load(text))


def sentences(text: str) -> list[str]:
    """The sentences of a text, Markdown list items apart.

    >>> sentences("Call 999. In China call 120; then wait.\\n\\n- Stay with them")
    ['Call 999.', 'In China call 120;', 'then wait.', 'Stay with them']
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


Trie = dict[str, "Trie"]
_LEAF = ""  # a key no field name can be: the path so far is a translatable field


@lru_cache(maxsize=8)
def _trie(fields: tuple[tuple[str, ...], ...]) -> Trie:
    """The translatable field patterns as a tree, so a protocol is walked once, not once a field."""
    root: Trie = {}
    for pattern in fields:
        node = root
        for head in pattern:
            node = node.setdefault(head, {})
        node[_LEAF] = {}
    return root


def translatable_texts(data: dict[str, Any], schema_path: Path = DEFAULT_SCHEMA) -> Iterator[tuple[JsonPath, str]]:
    """Every translatable English string of a protocol with its JSON path, in document order."""
    trie = _trie(tuple(pattern for pattern, _ in translatable_fields(load_schema(schema_path))))
    stack: list[tuple[Any, Trie, JsonPath]] = [(data, trie, ())]
    while stack:
        value, node, path = stack.pop()
        if _LEAF in node and isinstance(value, str) and value.strip():
            yield path, value
        children: list[tuple[Any, Trie, JsonPath]] = []
        if isinstance(value, list) and "*" in node:
            children = [(item, node["*"], path + (index,)) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            children = [(value[key], child, path + (key,)) for key, child in node.items() if key in value]
        stack.extend(reversed(children))


def unnamed_terms(text: str, vocab: Vocabulary) -> list[tuple[Term, str]]:
    """(term, matched words) for each term used in a sentence that names no jurisdiction.

    >>> [(t.id, w) for t, w in unnamed_terms("Call 999 at once. In the UK, call 999.", vocabulary())]
    [('emergency-number', 'Call 999')]
    >>> unnamed_terms("Give 120 mL over 120 minutes.", vocabulary())
    []
    """
    found: list[tuple[Term, str]] = []
    if vocab.prefilter is not None and not vocab.prefilter.might_match(text):
        return found
    if not (vocab.any_term.search(text) if vocab.any_term else any(t.pattern.search(text) for t in vocab.terms)):
        return found  # most texts: no term at all, so no sentence to look at
    for sentence in sentences(text):
        if vocab.names.search(sentence):
            continue
        for term in vocab.terms:
            match = term.pattern.search(sentence)
            if match:
                found.append((term, match.group(0)))
    return found


def _adaptation_country(data: dict[str, Any], path: JsonPath, vocab: Vocabulary) -> str:
    if len(path) >= 2 and path[0] == "adaptations" and isinstance(path[1], int):
        adaptation = data.get("adaptations", [])[path[1]]
        return vocab.locales.get(str(adaptation.get("locale", "")), "") if isinstance(adaptation, dict) else ""
    return ""


def check_jurisdiction(doc: Document, schema_path: Path = DEFAULT_SCHEMA, vocab: Vocabulary | None = None,
                       texts: Iterable[tuple[JsonPath, str]] | None = None) -> list[Problem]:
    """Warnings for jurisdiction-bound words in English text that does not say whose rule it is.
    ``texts`` are the document's ``translatable_texts`` when a caller has them already."""
    vocab = vocab or vocabulary()
    problems: list[Problem] = []
    for path, text in translatable_texts(doc.data, schema_path) if texts is None else texts:
        if _adaptation_country(doc.data, path, vocab):
            continue
        for term, words in unnamed_terms(text, vocab):
            line, col = doc.locate(path)
            problems.append(warning(
                doc.file, line, col, f"'{words}' is tied to one country's rules but the sentence does not say which",
                path=format_path(path), code="jurisdiction",
                hint=f"name the jurisdiction in the same sentence (e.g. UK, US, China): {term.note}"))
    return problems
