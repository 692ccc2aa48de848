"""A source read through a record of its answers (site/reading.py), and pages kept by that record
(``Kept.remember_reading``): reused while every answer is the same, made again when one differs,
never kept when the answers cannot be vouched for."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from carebridge.site.pagecache import Kept
from carebridge.site.reading import Reading, Record, answers, questions, record_key


def same_answers(source: object, record: Record) -> bool:
    """Whether ``source`` answers the record's questions as they were answered then."""
    return answers(source, questions(record)) == record


@dataclass
class Hospital:
    """Stands for an edition view: attributes, methods with arguments, answers that are objects."""

    version: str = "1.0"
    phones: dict[str, str] = field(default_factory=lambda: {"pci": "8180", "icu": "8100"})
    stocked: set[str] = field(default_factory=lambda: {"tamsulosin"})

    def contact(self, role: str) -> tuple[str, str] | None:
        return (role.upper(), self.phones[role]) if role in self.phones else None

    def stock(self, drug: str, *, local: bool = False) -> bool:
        return drug in self.stocked


def _page(here: Reading | Hospital) -> str:
    """A page that names the PCI centre and one drug."""
    pci = here.contact("pci")
    return f"call {pci[0] if pci else '-'} {pci[1] if pci else ''}; tamsulosin {here.stock('tamsulosin', local=True)}"


def _counted(calls: list[str], page: Callable[[Reading], str] = _page) -> Callable[[Reading], str]:
    """``page`` as a making that notes each time it runs."""
    def make(here: Reading) -> str:
        calls.append("made")
        return page(here)

    return make


def test_what_is_asked_is_recorded_with_its_answer() -> None:
    reading = Reading(Hospital())
    assert _page(reading) == _page(Hospital())
    record = reading.record()
    assert record is not None and len(record) == 2
    assert same_answers(Hospital(), record)
    # Only what was asked counts: another role's number and the version were never read.
    assert same_answers(Hospital(version="2.0", phones={"pci": "8180", "icu": "9999"}), record)
    assert not same_answers(Hospital(phones={"pci": "8188"}), record)
    assert not same_answers(Hospital(stocked=set()), record)


def test_an_attribute_read_is_a_question_too() -> None:
    reading = Reading(Hospital())
    assert reading.version == "1.0"
    record = reading.record()
    assert record is not None
    assert same_answers(Hospital(), record) and not same_answers(Hospital(version="1.1"), record)


def test_a_question_the_source_cannot_answer_now_is_a_different_answer() -> None:
    reading = Reading(Hospital())
    reading.contact("pci")
    record = reading.record()
    assert record is not None
    assert not same_answers(object(), record)  # no such method
    assert not same_answers(Hospital(phones={}), record)  # None now, a contact then


def test_private_names_are_not_questions() -> None:
    reading = Reading(Hospital())
    with pytest.raises(AttributeError):
        reading.__html__  # noqa: B018 - Jinja's probe for markup
    assert reading.record() == ()


def test_an_answer_that_cannot_be_pickled_leaves_no_record() -> None:
    class Locked(Hospital):
        def lock(self) -> object:
            return threading.Lock()

    reading = Reading(Locked())
    reading.contact("pci")
    reading.lock()
    assert reading.record() is None


def test_one_question_answered_two_ways_leaves_no_record() -> None:
    source = Hospital()
    reading = Reading(source)
    reading.contact("pci")
    source.phones["pci"] = "8188"  # the source changed while the pages were made
    reading.contact("pci")
    assert reading.record() is None


def test_record_key_is_the_whole_record() -> None:
    one, two = Reading(Hospital()), Reading(Hospital(phones={"pci": "8188"}))
    _page(one), _page(two)
    a, b = one.record(), two.record()
    assert a is not None and b is not None
    assert record_key(a) == record_key(a) and record_key(a) != record_key(b)
    assert record_key(a) != record_key(a[:1])


@pytest.fixture
def kept(_cache: Path) -> Kept:
    store = Kept.open(list, "settings")
    assert store.folder is not None
    return store


def test_pages_are_reused_while_every_answer_is_the_same(kept: Kept) -> None:
    calls: list[str] = []
    make = _counted(calls)

    key = kept.key("stemi", b"protocol digest")
    assert kept.remember_reading(key, Hospital(), make) == "call PCI 8180; tamsulosin True"
    assert kept.remember_reading(key, Hospital(version="1.1", phones={"pci": "8180"}), make) == \
        "call PCI 8180; tamsulosin True"
    assert calls == ["made"] and kept.hits == 1
    # The number the page shows changed: made again, and the new page kept in its turn.
    assert kept.remember_reading(key, Hospital(phones={"pci": "8188"}), make) == "call PCI 8188; tamsulosin True"
    assert kept.remember_reading(key, Hospital(phones={"pci": "8188"}), make) == "call PCI 8188; tamsulosin True"
    assert calls == ["made", "made"] and kept.hits == 2
    # Another protocol's key is another entry, whatever the edition answers.
    assert kept.remember_reading(kept.key("other", b"digest"), Hospital(phones={"pci": "8188"}), make)
    assert calls == ["made"] * 3


def test_pages_whose_answers_cannot_be_vouched_for_are_made_every_time(kept: Kept) -> None:
    calls: list[str] = []

    def make(here: Reading) -> str:
        calls.append("made")
        here.contact("pci")
        here.phones["pci"] = "8188"  # answered two ways in one making
        return str(here.contact("pci"))

    key = kept.key("stemi", b"protocol digest")
    for _ in range(2):
        kept.remember_reading(key, Hospital(), make)
    assert calls == ["made", "made"] and kept.hits == 0


def test_with_the_store_off_pages_are_made_and_nothing_is_kept() -> None:
    store = Kept(None)
    calls: list[str] = []
    make = _counted(calls)

    for _ in range(2):
        assert store.remember_reading(store.key("stemi"), Hospital(), make) == "call PCI 8180; tamsulosin True"
    assert calls == ["made", "made"]


def _alternately(kept: Kept, make: Callable[[Reading], str], rounds: int, *hospitals: tuple[Hospital, str]) -> None:
    """Each hospital's pages of one protocol in turn, ``rounds`` times: each shows its own page."""
    key = kept.key("stemi", b"protocol digest")
    for _ in range(rounds):
        for hospital, page in hospitals:
            assert kept.remember_reading(key, hospital, make) == page


def test_two_hospitals_answering_otherwise_each_keep_their_pages(kept: Kept) -> None:
    """Editions built one after the other (the base build's five): each one's answers have their own
    entry, so neither makes the other's page again on the next build."""
    calls: list[str] = []
    make = _counted(calls)

    _alternately(kept, make, 3, (Hospital(), "call PCI 8180; tamsulosin True"),
                 (Hospital(phones={"pci": "6600"}), "call PCI 6600; tamsulosin True"))
    assert calls == ["made", "made"] and kept.hits == 4


def test_a_hospital_whose_answers_lead_to_other_questions_is_kept_beside(kept: Kept) -> None:
    """A page that asks more when a resource is missing asks other questions of each hospital: both
    question lists are kept, and each hospital's page is found under its own."""
    calls: list[str] = []
    make = _counted(calls, lambda here: _page(here) if here.contact("pci") else f"no PCI; icu {here.contact('icu')}")

    _alternately(kept, make, 2, (Hospital(), "call PCI 8180; tamsulosin True"),
                 (Hospital(phones={"icu": "8100"}), "no PCI; icu ('ICU', '8100')"))
    assert calls == ["made", "made"] and kept.hits == 2
    key = kept.key("stemi", b"protocol digest")
    # An ICU number changed: only the hospital whose page showed it makes it again.
    assert kept.remember_reading(key, Hospital(phones={"icu": "8101"}), make) == "no PCI; icu ('ICU', '8101')"
    assert kept.remember_reading(key, Hospital(phones={"pci": "8180", "icu": "8101"}), make).startswith("call PCI 8180")
    assert calls == ["made"] * 3
