"""The literal prefilter must never say "cannot match" of a text a pattern matches.

Three ways to try to catch it out: random patterns from a small grammar, each with a text
generated to match it; every compiled pattern in the package against every text of the library
(English and Chinese) and case-mangled copies; and the jurisdiction check with and without it.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import carebridge
from carebridge.prefilter import Prefilter, fold, required_literals
from carebridge.source import jurisdiction
from carebridge.source.loader import load_file

REPO = Path(__file__).resolve().parents[1]
WORDS = ["call", "999", "nhs", "GP", "line", "ring", "mg", "kg", "ml", "每日", "口服", "ſt", "\u212aey", "x"]


def _random_pattern(rng: random.Random, depth: int = 0) -> tuple[str, str]:
    """A pattern and one text it matches."""
    choice = rng.randrange(9 if depth < 3 else 4)
    if choice <= 1:
        word = rng.choice(WORDS)
        return re.escape(word), word
    if choice == 2:
        return r"\d", str(rng.randrange(10))
    if choice == 3:
        return r"\W", rng.choice(" ,.;")
    if choice == 4:  # sequence
        parts = [_random_pattern(rng, depth + 1) for _ in range(rng.randint(2, 4))]
        return "".join(p for p, _ in parts), "".join(t for _, t in parts)
    if choice == 5:  # alternation: the text follows one branch
        parts = [_random_pattern(rng, depth + 1) for _ in range(rng.randint(2, 3))]
        return "(?:" + "|".join(p for p, _ in parts) + ")", rng.choice(parts)[1]
    if choice == 6:  # optional or repeated
        inner, text = _random_pattern(rng, depth + 1)
        low = rng.randint(0, 2)
        count = rng.randint(low, low + 2)
        return f"(?:{inner}){{{low},{low + 2}}}", text * count
    if choice == 7:  # case-insensitive group: the text is the match in another case
        inner, text = _random_pattern(rng, depth + 1)
        return f"(?i:{inner})", "".join(c.upper() if rng.random() < 0.5 else c for c in text)
    inner, text = _random_pattern(rng, depth + 1)  # a word boundary around a group
    return rf"\b(?:{inner})", text


def test_random_patterns_are_never_filtered_out_of_a_text_they_match() -> None:
    rng = random.Random(20261130)
    checked = promised = 0
    for _ in range(4000):
        pattern, sample = _random_pattern(rng)
        compiled = re.compile(pattern)
        text = f"{rng.choice(['', 'Give ', '先'])} {sample} {rng.choice(['', 'now.', '。'])}"
        if not compiled.search(text):  # \b beside the padding can fail: only matching texts count
            continue
        checked += 1
        promised += bool(required_literals(pattern))
        assert Prefilter([compiled]).might_match(text), (pattern, text)
    assert checked > 3000 and promised > 1000  # the test exercised real promises, not empty ones


def _library_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((REPO / "protocols").rglob("*.yaml")):
        doc, _ = load_file(path)
        assert doc is not None
        stack = [doc.data]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, str):
                texts.append(node)
    for path in sorted((REPO / "locales").rglob("*.po")):
        with path.open("rb") as handle:
            texts += [m.string for m in read_po(handle) if m.id and isinstance(m.string, str) and m.string]
    mangled = [t.upper() for t in texts[::7]] + [t.replace("s", "\u017f").replace("k", "\u212a") for t in texts[::5]]
    return texts + mangled


def _package_patterns() -> list[re.Pattern[str]]:
    patterns: dict[tuple[str, int], re.Pattern[str]] = {}
    for module in pkgutil.walk_packages(carebridge.__path__, "carebridge."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                patterns[(value.pattern, value.flags)] = value
    return list(patterns.values())


def test_every_pattern_in_the_package_keeps_every_library_text_it_matches() -> None:
    texts = _library_texts()
    patterns = _package_patterns()
    with_promise = 0
    for pattern in patterns:
        prefilter = Prefilter([pattern])
        if prefilter.clauses is None:
            continue
        with_promise += 1
        for text in texts:
            if pattern.search(text):
                assert prefilter.might_match(text), (pattern.pattern, text)
    assert len(texts) > 4000 and with_promise > 30


def test_the_jurisdiction_check_finds_the_same_with_and_without_its_prefilter() -> None:
    vocab = jurisdiction.vocabulary()
    assert vocab.prefilter is not None and vocab.prefilter.clauses is not None  # every term gives literals
    bare = jurisdiction.Vocabulary(vocab.terms, vocab.names, vocab.locales, vocab.any_term, None)
    texts = _library_texts() + ["Call 999 now.", "DIAL  112.", "the NATIONAL guideline", "a GP", "ask a regiſtrar"]
    found = 0
    for text in texts:
        fast, slow = jurisdiction.unnamed_terms(text, vocab), jurisdiction.unnamed_terms(text, bare)
        assert fast == slow, text
        found += bool(slow)
    assert found >= 5


@pytest.mark.parametrize(("pattern", "text"), [
    (r"(?i)\bconsultant\b", "CON\u017fULTANT"),      # long s matches s under IGNORECASE
    (r"(?i)kg", "\u212ag"),                          # Kelvin sign matches k
    (r"(?i)\bnational\b", "NAT\u0130ONAL"),          # dotted capital I matches i
    (r"(?i)\bconsultant\b", "请 CON\u017fULTANT 会诊"),  # beside Chinese: the text is folded the long way
    (r"(?i)\bconsultant\b", "请 Consultant 会诊"),       # and without such a letter, the short way
])
def test_case_folding_follows_ignorecase(pattern: str, text: str) -> None:
    assert re.search(pattern, text)
    assert Prefilter([re.compile(pattern)]).might_match(text)


def test_a_pattern_it_cannot_read_gets_no_promise() -> None:
    assert required_literals("(") == ()
    assert Prefilter([re.compile(r"\w+")]).clauses is None
    assert fold("ÉCOLE") == "école"
