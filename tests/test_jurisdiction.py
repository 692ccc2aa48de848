"""jurisdiction.py: English tied to one country's rules must name the country in the same sentence."""

from __future__ import annotations

import pytest

from carebridge.source.jurisdiction import check_jurisdiction, parse_vocabulary, unnamed_terms, vocabulary
from carebridge.source.loader import load_text

from .conftest import GOOD_PROTOCOL, REPO

GOOD_TEXT = GOOD_PROTOCOL.read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "term"), [
    ("Call 999 at once.", "emergency-number"),
    ("If the child gets worse, ring 111 for advice.", "emergency-number"),
    ("Dial 112.", "emergency-number"),
    ("Ambulance (120) crews transmit the ECG.", "emergency-number"),
    ("Call an ambulance on 911.", "emergency-number"),
    ("Follow the national guideline.", "national"),
    ("Inform the registrar on call.", "registrar"),
    ("The consultant reviews within 14 hours.", "consultant"),
    ("Tell the patient's GP.", "gp"),
    ("Refer through the NHS e-Referral Service.", "nhs"),
    ("Medicare covers cardiac rehabilitation.", "medicare"),
    ("Give 0.4 mg once daily (FDA label).", "fda"),
])
def test_bound_words_without_a_country_are_found(text: str, term: str) -> None:
    assert [t.id for t, _ in unnamed_terms(text, vocabulary())] == [term]


@pytest.mark.parametrize("text", [
    "Give 120 mL over 120 minutes.",                     # numbers that are not phone numbers
    "Systolic 112 mmHg, heart rate 111 beats per minute.",
    "Is the expected time from diagnosis to PCI 120 minutes or less?",
    "In the UK, call 999; in China call 120.",           # each sentence names its country
    "Follow the Chinese national guideline WS/T 313-2019.",
    "The doctor should be at least a specialist registrar (a UK grade).",
    "Check the US FDA label.",
    "Under NHS England's framework, review within 3 months.",
    "A U.S. Medicare rule.",
    "The consultation lasts 20 minutes.",               # consultation is not consultant
])
def test_named_or_unbound_text_is_clean(text: str) -> None:
    assert unnamed_terms(text, vocabulary()) == []


def test_the_country_must_be_in_the_same_sentence() -> None:
    found = unnamed_terms("In the UK the emergency number is 999. Call 999 if she faints.", vocabulary())
    assert [(t.id, words) for t, words in found] == [("emergency-number", "Call 999")]


def test_markdown_list_items_are_separate_sentences() -> None:
    text = "In China:\n\n- call 120 for an ambulance\n- tell the ward"
    assert [t.id for t, _ in unnamed_terms(text, vocabulary())] == ["emergency-number"]


def doc_with(old: str, new: str):  # type: ignore[no-untyped-def]
    assert GOOD_TEXT.count(old) == 1, old
    doc, problems = load_text(GOOD_TEXT.replace(old, new), "protocols/nursing/example-escalation.yaml")
    assert doc is not None, problems
    return doc


def test_warning_points_at_the_field_with_a_hint() -> None:
    doc = doc_with("Call the responsible doctor and record the time of the call.",
                   "Call the registrar and record the time of the call.")
    [problem] = check_jurisdiction(doc)
    assert (problem.severity.value, problem.code, problem.path) == ("warning", "jurisdiction", "steps[1].instructions")
    assert str(problem).startswith("protocols/nursing/example-escalation.yaml:50:19: warning: [jurisdiction] ")
    assert "'registrar'" in problem.message
    assert "UK" in problem.hint and "training grade" in problem.hint


def test_untranslated_fields_are_not_checked() -> None:
    # A source's title is a citation, kept in its own words.
    doc = doc_with("title: A fixture source document", "title: National Early Warning Score 2")
    assert check_jurisdiction(doc) == []


def test_an_adaptation_for_a_locale_is_about_that_country() -> None:
    adaptation = ("  - id: call\n    locale: {locale}\n    category: workflow\n"
                  "    note: Call 120 for an ambulance.\n    rationale: The national number.\n")
    clean = doc_with("history:\n", adaptation.format(locale="zh_CN") + "history:\n")
    assert check_jurisdiction(clean) == []
    unknown = doc_with("history:\n", adaptation.format(locale="fr_FR") + "history:\n")
    assert sorted(p.path for p in check_jurisdiction(unknown)) == ["adaptations[1].note", "adaptations[1].rationale"]


def test_the_vocabulary_is_package_data_with_a_note_per_term() -> None:
    vocab = vocabulary()
    assert {"national", "emergency-number", "registrar", "consultant", "nhs", "gp", "medicare", "fda"} <= {
        t.id for t in vocab.terms}
    assert all(t.note for t in vocab.terms)
    assert vocab.locales["zh_CN"] == "China"


def test_a_custom_vocabulary_replaces_the_packaged_one() -> None:
    vocab = parse_vocabulary({"terms": [{"id": "ward", "pattern": r"\bward\b", "note": "x"}], "names": ["Ruritania"]})
    assert [t.id for t, _ in unnamed_terms("Go to the ward.", vocab)] == ["ward"]
    assert unnamed_terms("In Ruritania, go to the ward.", vocab) == []


def test_the_one_pattern_of_all_terms_finds_a_term_where_some_term_does() -> None:
    """The prefilter (every term in one pattern) must never skip a text one of the terms matches."""
    import random

    from carebridge.source.jurisdiction import parse_vocabulary

    vocab = vocabulary()
    assert vocab.any_term is not None
    texts = [line for path in (REPO / "protocols").rglob("*.yaml")
             for line in path.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(3)
    words = ["call", "Call", "999", "120", "NHS", "nhs", "national", "National", "registrar", "GP", "consultant",
             "ambulance", "a", "the", "UK", ".", " ", "\n", "(", ")", "dial", "crews"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(5000)]
    for text in texts:
        assert bool(vocab.any_term.search(text)) == any(t.pattern.search(text) for t in vocab.terms), text
    # A term whose flags the combined pattern cannot hold ((?x) here) leaves each term searched alone.
    odd = parse_vocabulary({"terms": [{"id": "gp", "pattern": "(?x) \\b G P \\b", "note": "UK"},
                                      {"id": "nhs", "pattern": "(?i)\\bNHS\\b", "note": "UK"}], "names": ["UK"]})
    assert odd.any_term is None
    assert [(t.id, w) for t, w in unnamed_terms("See a GP. The nhs pays.", odd)] == [("gp", "GP"), ("nhs", "nhs")]
