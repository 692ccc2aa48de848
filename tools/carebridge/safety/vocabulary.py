"""The words the meaning checks compare, per language pair: negation, sides and sites, conjunctions,
frequency words, units, medicines. Read from package data (``safety/data/en-zh-*.yaml``) and the
project glossary (terms with ``kind: drug`` or ``kind: site``), compiled once per glossary.

A *category* (``negation``, ``drug``, ...) holds *concepts* (``left``, ``drug:oxytocin``); each
concept has English and Chinese patterns, hard ones (must be matched on the other side) and soft
ones (may be), and a *family* (``left`` and ``right`` are both ``side``) so a swap within a family
can be told from a paraphrase. ``concepts.mentions`` finds them in a text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .alternation import Alternation
from .clinical_terms import ZH_ACT
from .glossary import Glossary

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

DATA_FILES = ("en-zh-negation.yaml", "en-zh-sides.yaml", "en-zh-words.yaml", "en-zh-anchors.yaml", "en-zh-conditions.yaml",
              "en-zh-contrasts.yaml", "en-zh-kinds.yaml", "en-zh-roles.yaml", "en-zh-actions.yaml", "en-zh-tests.yaml", "en-zh-drugs.yaml")


@dataclass(frozen=True)
class Concept:
    id: str
    family: str
    soft: bool = False
    # A soft word that only pairs with its counterpart (停止 with "stop"): left over, it excuses nothing.
    pairs_only: bool = False


@dataclass
class Category:
    """One category's patterns, compiled into one alternation per language (longest first)."""

    name: str
    ignore: dict[str, Alternation[None]] = field(default_factory=dict)
    patterns: dict[str, Alternation[Concept]] = field(default_factory=dict)


@dataclass(frozen=True)
class Vocabulary:
    categories: dict[str, Category]

    def __getitem__(self, name: str) -> Category:
        return self.categories[name]


# ---------------------------------------------------------------- building

class _Builder:
    """Collects (concept, language, pattern) and compiles each language into one regex."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ignore: dict[str, list[str]] = {"en": [], "zh": []}
        self.alternatives: dict[str, list[tuple[str, Concept]]] = {"en": [], "zh": []}

    def add(self, concept: Concept, language: str, patterns: list[str]) -> None:
        self.alternatives[language] += [(p, concept) for p in patterns if p]

    def build(self) -> Category:
        category = Category(self.name)
        for language in ("en", "zh"):
            # whole English words: "no" is not in "know", "mg" is not in "mgmt"
            english = language == "en"
            category.ignore[language] = Alternation([(p, None) for p in self.ignore[language]], english)
            # longest first, so 卡贝缩宫素 wins over 缩宫素 and "and/or" over "or"
            category.patterns[language] = Alternation(self.alternatives[language], english)
        return category


# Shared pieces a data file names instead of copying them; ``(?&name)`` is no Python regex syntax.
_SHARED = {"(?&act)": ZH_ACT}  # 一天检查两次: the acts between a period and its count


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else [str(v) for v in value]
    for name, pattern in _SHARED.items():
        values = [v.replace(name, pattern) for v in values]
    return values


def _read_concepts(builder: _Builder, section: dict[str, Any]) -> None:
    for language in ("en", "zh"):
        builder.ignore[language] += _strings((section.get("ignore") or {}).get(language))
    for concept_id, entry in (section.get("concepts") or {}).items():
        family = str(entry.get("family", concept_id))
        hard = Concept(str(concept_id), family)
        soft = Concept(str(concept_id), family, soft=True, pairs_only=bool(entry.get("pairs_only", False)))
        for language in ("en", "zh"):
            builder.add(hard, language, _strings(entry.get(language)))
            builder.add(soft, language, _strings(entry.get(f"{language}_soft")))


def _literal_alternatives(names: str, *, english: bool) -> list[str]:
    out = []
    for name in (n.strip() for n in names.split("|") if n.strip()):
        plurals = ("", "s", "es") if english and name[-1:].isalpha() else ("",)
        # piperacillin-tazobactam is also written with an en dash, a non-breaking hyphen or a space
        out += [re.escape(name + ending).replace(r"\-", "[-‐‑–— ]") for ending in plurals]
    return out


def _read_medicines(builder: _Builder, data: dict[str, Any], glossary: Glossary | None) -> None:
    for language in ("en", "zh"):
        builder.ignore[language] += _strings((data.get("ignore") or {}).get(language))
    entries: list[tuple[str, str, str]] = [(str(en), str(zh), "drug") for en, zh in data.get("drugs") or []]
    entries += [(str(en), str(zh), "class") for en, zh in data.get("classes") or []]
    by_name = {name.strip().casefold(): i for i, (en, _, _) in enumerate(entries) for name in en.split("|")}
    for term in glossary.terms if glossary else ():
        if term.kind != "drug":
            continue
        target = "|".join(term.renderings) or term.source
        i = by_name.get(term.source.casefold())
        if i is None:
            entries.append((term.source, target, "drug"))
        else:  # the glossary's rendering is the one the project requires
            en, zh, kind = entries[i]
            entries[i] = (en, f"{target}|{zh}", kind)
    for en, zh, kind in entries:
        concept = Concept(f"{kind}:{en.split('|')[0].strip().casefold()}", kind)
        builder.add(concept, "en", _literal_alternatives(en, english=True))
        builder.add(concept, "zh", _literal_alternatives(zh, english=False))


def _glossary_terms(builder: _Builder, glossary: Glossary | None) -> None:
    """Every other glossary term: what a number may belong to (``binding``)."""
    for term in glossary.terms if glossary else ():
        if term.kind not in ("drug", "site"):
            concept = Concept(f"term:{term.source.casefold()}", "term")
            builder.add(concept, "en", _literal_alternatives(term.source, english=True))
            builder.add(concept, "zh", _literal_alternatives("|".join(term.renderings) or term.source,
                                                             english=not term.target))


def _glossary_sites(builder: _Builder, glossary: Glossary | None) -> None:
    for term in glossary.terms if glossary else ():
        if term.kind != "site":
            continue
        # a site the package data already knows keeps its concept (and its family: upper ↔ lower)
        known = next((c for p, c in builder.alternatives["en"] if re.fullmatch(p, term.source, re.I)), None)
        concept = known or Concept(f"site:{term.source.casefold()}", "glossary-site")
        if known is None:
            builder.add(concept, "en", _literal_alternatives(term.source, english=True))
        if term.target:
            builder.add(concept, "zh", _literal_alternatives("|".join(term.renderings), english=False))


def medicine_names() -> list[str]:
    """Every English name of the packaged medicines (other names included: oxytocin, syntocinon)."""
    rows = _data()["en-zh-drugs.yaml"].get("drugs") or []
    return [name.strip() for row in rows for name in str(row[0]).split("|") if name.strip()]


@lru_cache(maxsize=4)
def _data() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    folder = resources.files("carebridge.safety").joinpath("data")
    for name in DATA_FILES:
        merged[name] = yaml.load(folder.joinpath(name).read_text(encoding="utf-8"), Loader=_Loader) or {}
    return merged


@lru_cache(maxsize=8)
def vocabulary(glossary: Glossary | None = None) -> Vocabulary:
    """The compiled vocabulary for English → Chinese, with the glossary's drugs and sites added.

    >>> v = vocabulary()
    >>> sorted(v.categories)[:3]
    ['action', 'anchor', 'answers']
    """
    data = _data()
    builders: dict[str, _Builder] = {}
    for name in DATA_FILES[:-1]:
        for category, section in data[name].items():
            builder = builders.setdefault(category, _Builder(category))
            _read_concepts(builder, section)
    drugs = builders.setdefault("drug", _Builder("drug"))
    _read_medicines(drugs, data["en-zh-drugs.yaml"], glossary)
    _glossary_sites(builders.setdefault("site", _Builder("site")), glossary)
    _glossary_terms(builders.setdefault("term", _Builder("term")), glossary)
    return Vocabulary({name: builder.build() for name, builder in builders.items()})
