"""reviews.py: clinicians' sign-offs read strictly from provenance, and what they still cover."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from carebridge.i18n.provenance import parse_provenance
from carebridge.i18n.reviews import ReviewStatus, fingerprint, review_state

TITLE = ("x:title", "Hand hygiene")
FLAGS = [("x:red_flags", "Fever"), ("x:red_flags", "Rash")]
STRINGS = [TITLE, *FLAGS]


def catalog(**changes: str) -> Catalog:
    out = Catalog(locale="zh_CN")
    texts = {"Hand hygiene": "手卫生", "Fever": "发热", "Rash": "皮疹"}
    texts.update(changes)
    for context, msgid in STRINGS:
        out.add(msgid, texts[msgid], context=context)
    return out


def fp(context: str, msgid: str, **changes: str) -> str:
    entry = catalog(**changes).get(msgid, context)
    assert entry is not None
    return fingerprint(context, msgid, str(entry.string))


def provenance(reviews: str) -> str:
    return "x:\n  translated_from: 1.0.0\n  reviews:\n" + reviews


def signed_all(name: str = "李医生", date: str = "2026-12-01") -> str:
    flags = ", ".join(f'"{fp(*s)}"' for s in FLAGS)
    return (f"    - reviewer: {name}\n      role: obstetrician\n      date: {date}\n      method: [review]\n"
            f'      strings:\n        "x:title": "{fp(*TITLE)}"\n        "x:red_flags": [{flags}]\n')


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_provenance(text, "locales/zh_CN/provenance.yaml", Path("/nonexistent"))


def test_fingerprint_covers_context_source_and_translation() -> None:
    base = fingerprint("x:title", "Hand hygiene", "手卫生")
    assert len(base) == 16 and int(base, 16) >= 0
    assert base != fingerprint("x:summary", "Hand hygiene", "手卫生")
    assert base != fingerprint("x:title", "Hand hygiene!", "手卫生")
    assert base != fingerprint("x:title", "Hand hygiene", "手部卫生")
    # NUL separates the parts, so moving text from one part to the next changes the fingerprint.
    assert fingerprint("a", "bc", "d") != fingerprint("a", "b", "cd")


def test_a_complete_sign_off_reviews_every_string() -> None:
    records, problems = parse(provenance(signed_all()))
    assert problems == []
    review = records["x"].reviews[0]
    assert (review.reviewer, review.role, review.date, review.method) == ("李医生", "obstetrician", "2026-12-01",
                                                                           ("review",))
    state = review_state(STRINGS, catalog(), records["x"], "x")
    assert state.complete and state.problems == []
    assert state.as_json() == {"strings": 3, "reviewed": 3, "changed": 0, "unreviewed": 0, "untranslated": 0}
    assert [(r.name, r.date, r.strings) for r in state.reviewers] == [("李医生", "2026-12-01", 3)]


def test_a_changed_translation_invalidates_only_its_own_review() -> None:
    records, _ = parse(provenance(signed_all()))
    state = review_state(STRINGS, catalog(Rash="红疹"), records["x"], "x")
    assert state.status == {TITLE: ReviewStatus.REVIEWED, FLAGS[0]: ReviewStatus.REVIEWED,
                            FLAGS[1]: ReviewStatus.CHANGED}
    assert not state.complete
    assert state.reviewers[0].strings == 2


def test_a_changed_english_source_invalidates_its_review() -> None:
    records, _ = parse(provenance(signed_all()))
    strings = [("x:title", "Hand hygiene before care"), *FLAGS]
    changed = Catalog(locale="zh_CN")
    changed.add("Hand hygiene before care", "手卫生", context="x:title")
    for context, msgid in FLAGS:
        changed.add(msgid, {"Fever": "发热", "Rash": "皮疹"}[msgid], context=context)
    state = review_state(strings, changed, records["x"], "x")
    assert state.status[("x:title", "Hand hygiene before care")] is ReviewStatus.CHANGED
    assert state.counts()[ReviewStatus.REVIEWED] == 2


def test_fuzzy_and_untranslated_strings_are_never_reviewed() -> None:
    records, _ = parse(provenance(signed_all()))
    cat = catalog()
    title = cat.get("Hand hygiene", "x:title")
    assert title is not None
    title.flags.add("fuzzy")
    cat.get("Fever", "x:red_flags").string = ""  # type: ignore[union-attr]
    state = review_state(STRINGS, cat, records["x"], "x")
    # The title's text is unchanged but fuzzy: its signed fingerprint no longer covers a shown string.
    assert state.status[TITLE] is ReviewStatus.CHANGED
    assert state.status[FLAGS[0]] is ReviewStatus.CHANGED
    assert review_state(STRINGS, catalog(), None, "x").counts()[ReviewStatus.UNREVIEWED] == 3
    assert review_state(STRINGS, None, None, "x").counts()[ReviewStatus.UNTRANSLATED] == 3


def test_reviewers_are_listed_newest_first_and_only_while_they_cover_a_string() -> None:
    later = (f'    - reviewer: Dr Smith\n      role: nurse\n      date: 2026-12-05\n      method: review\n'
             f'      strings: {{"x:title": "{fp(*TITLE)}"}}\n')
    records, problems = parse(provenance(signed_all() + later))
    assert problems == []
    state = review_state(STRINGS, catalog(), records["x"], "x")
    assert [(r.name, r.strings) for r in state.reviewers] == [("Dr Smith", 1), ("李医生", 3)]
    state = review_state(STRINGS, catalog(**{"Hand hygiene": "洗手"}), records["x"], "x")
    assert [r.name for r in state.reviewers] == ["李医生"]


def test_a_review_of_a_removed_string_is_reported_at_its_line() -> None:
    records, _ = parse(provenance(signed_all()))
    state = review_state([TITLE], catalog(), records["x"], "x")
    assert [(p.file, p.line, p.col) for p in state.problems] == [("locales/zh_CN/provenance.yaml", 10, 9)]
    assert "x:red_flags is not a string of x any more" in state.problems[0].message


def test_broken_fingerprints_and_unknown_fields_are_errors_at_their_position() -> None:
    text = provenance(signed_all().replace(fp(*TITLE), "not-a-fingerprint")
                      .replace("      method: [review]\n", "      method: [review]\n      signature: yes\n"))
    records, problems = parse(text)
    assert sorted((p.line, p.col, p.message) for p in problems) == [
        (8, 7, "unknown review field 'signature'"),
        (10, 20, "malformed fingerprint 'not-a-fingerprint' for x:title"),
    ]
    assert all(p.code == "provenance" and p.hint for p in problems)
    assert records["x"].reviews == ()  # a broken review counts for nothing


def test_every_review_field_is_checked() -> None:
    bad = ("    - reviewer: ''\n      role: nurse\n      date: 2026-13-01\n      method: [telepathy]\n"
           "      strings: {}\n    - just text\n")
    _, problems = parse(provenance(bad))
    assert [(p.line, p.message.split(",")[0]) for p in sorted(problems)] == [
        (4, "a review needs a non-empty reviewer"),
        (6, "date must be YYYY-MM-DD"),
        (7, "method must list one or more of review"),
        (8, "strings must map each reviewed msgctxt to its fingerprint"),
        (9, "a review must be a mapping"),
    ]
    _, problems = parse("x:\n  translated_from: 1.0.0\n  reviews: yes\n")
    assert [(p.line, p.col, p.message) for p in problems] == [(3, 12, "reviews must be a list of review records")]


def test_an_unquoted_numeric_fingerprint_is_malformed() -> None:
    _, problems = parse(provenance('    - {reviewer: a, role: b, date: 2026-12-01, method: [review], '
                                   'strings: {"x:title": 1234567890123456}}\n'))
    assert [p.message for p in problems] == ["malformed fingerprint 1234567890123456 for x:title"]


def test_unknown_record_fields_are_errors() -> None:
    records, problems = parse("x:\n  translated_from: 1.0.0\n  reviewed_by: someone\n")
    assert [(p.line, p.col, p.message) for p in problems] == [(3, 3, "x: unknown field 'reviewed_by'")]
    assert "x" in records


def test_provenance_that_is_not_a_mapping_or_only_comments() -> None:
    assert parse("# nothing recorded yet\n") == ({}, [])
    _, problems = parse("- x\n")
    assert [p.message for p in problems] == ["provenance must map protocol ids to records"]
