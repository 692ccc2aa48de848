"""Mutation testing on the real library: seeded dose, number, unit, comparison and markup errors in
the zh_CN translations (tests/mutants.py) must each be an error; the translations as they stand
must pass. A fixed-seed sample per class keeps this to a few seconds; ``python tests/mutants.py -v``
runs every mutant and prints the survivors."""

from __future__ import annotations

import random

import pytest

from carebridge.safety.equivalence import Glossary

from .meaning_mutations import Entry, errors, library
from .mutants import MUTANTS, Mutant, mutants

# Classes every mutant of which is killed on the whole library. Left out, with survivors:
# "chinese numeral other value" (a lone 一/二 before a classifier is weak by design: 二次 is also
# "secondary"), "per day to per dose" and "comparison reversed" without a number (每日称体重 as 每次称体重,
# 少于 for "narrower"), "per kg dropped" (the label "units/kg" as 单位: 单位 alone is also "IU"), negation (measured with floors in test_meaning), "link changed" (no real translation has a link).
COVERED = ("number changed", "order of magnitude", "decimal point dropped", "decimal point added", "ratio changed",
           "dose unit swapped", "time unit swapped", "frequency changed", "range changed",
           "side swapped", "route swapped", "percent changed", "temperature changed", "time limit changed", "markup changed")
PER_CLASS = 30
SEED = 20250


@pytest.fixture(scope="module")
def real() -> tuple[list[Entry], Glossary]:
    return library()


def _sample(entries: list[Entry]) -> list[Mutant]:
    by_kind: dict[str, list[Mutant]] = {kind: [] for kind in COVERED}
    for mutant in mutants(entries):
        if mutant.kind in by_kind:
            by_kind[mutant.kind].append(mutant)
    rng = random.Random(SEED)
    return [m for kind in COVERED for m in rng.sample(by_kind[kind], min(PER_CLASS, len(by_kind[kind])))]


def test_every_covered_class_is_seeded_somewhere(real: tuple[list[Entry], Glossary]) -> None:
    assert set(COVERED) <= set(MUTANTS)
    seeded = {m.kind for m in mutants(real[0]) if m.kind in COVERED}
    assert seeded == set(COVERED)


def test_every_real_translation_passes_as_it_stands(real: tuple[list[Entry], Glossary]) -> None:
    entries, glossary = real
    assert [(e.catalog, e.line, [f.message for f in errors(e, e.translation, glossary)])
            for e in entries if errors(e, e.translation, glossary)] == []


def test_every_sampled_mutant_of_the_covered_classes_is_an_error(real: tuple[list[Entry], Glossary]) -> None:
    entries, glossary = real
    sample = _sample(entries)
    assert len(sample) >= 200
    survivors = [(m.kind, m.entry.catalog, m.entry.line, m.note) for m in sample if not errors(m.entry, m.text, glossary)]
    assert survivors == []
