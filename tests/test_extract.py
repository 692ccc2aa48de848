"""extract.py: translatable messages keyed by stable ids, with translator hints, and the Babel extractor."""

from __future__ import annotations

import io
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from carebridge.i18n.extract import babel_extract, protocol_messages
from carebridge.source.loader import Document, load_text

GOOD = Path(__file__).resolve().parent / "examples" / "good" / "protocols" / "nursing" / "example-escalation.yaml"
GOOD_TEXT = GOOD.read_text(encoding="utf-8")
MONITOR = ("  - id: monitor\n    title: Continue monitoring\n"
           "    instructions: Repeat observations every 4 hours.\n")


def doc_of(text: str) -> Document:
    doc, problems = load_text(text, "protocols/nursing/example-escalation.yaml")
    assert problems == [] and doc is not None
    return doc


def keys(text: str) -> set[tuple[str, str]]:
    return {(m.context, m.msgid) for m in protocol_messages(doc_of(text))}


def test_contexts_come_from_ids_not_indexes() -> None:
    contexts = [m.context.split(":", 1)[1] for m in protocol_messages(doc_of(GOOD_TEXT))]
    assert contexts == [
        "partnership", "title", "summary", "scope.population", "scope.setting",
        "scope.exclusions", "scope.exclusions", "red_flags",
        "steps.assess.title", "steps.assess.instructions", "steps.assess.decision.question",
        "steps.assess.decision.branches.when", "steps.assess.decision.branches.when",
        "steps.escalate.title", "steps.escalate.instructions",
        "steps.escalate.medications.paracetamol.drug", "steps.escalate.medications.paracetamol.frequency",
        "steps.escalate.medications.paracetamol.max_dose", "steps.escalate.red_flags",
        "steps.monitor.title", "steps.monitor.instructions",
        "adaptations.family-carer.note", "adaptations.family-carer.rationale",
    ]
    assert all(m.context.startswith("example-escalation:") for m in protocol_messages(doc_of(GOOD_TEXT)))


def test_line_numbers_point_at_the_value() -> None:
    lines = {m.context.split(":", 1)[1] + "|" + m.msgid: m.line for m in protocol_messages(doc_of(GOOD_TEXT))}
    assert lines["title|Example escalation protocol"] == 10
    assert lines["steps.escalate.medications.paracetamol.max_dose|4 g in 24 hours"] == 58
    assert lines["steps.assess.decision.branches.when|No"] == 45


def test_reordering_steps_keeps_every_context() -> None:
    moved = GOOD_TEXT.replace(MONITOR, "").replace("  - id: escalate\n", MONITOR + "  - id: escalate\n")
    assert moved != GOOD_TEXT
    assert keys(moved) == keys(GOOD_TEXT)


def test_reordering_branches_and_list_items_keeps_every_context() -> None:
    swapped = (GOOD_TEXT
               .replace('        - when: "Yes"\n          goto: escalate\n        - when: "No"\n          goto: monitor\n',
                        '        - when: "No"\n          goto: monitor\n        - when: "Yes"\n          goto: escalate\n')
               .replace("    - Patients in the intensive care unit\n    - Patients receiving end-of-life care\n",
                        "    - Patients receiving end-of-life care\n    - Patients in the intensive care unit\n"))
    assert swapped.count("when") == 2 and swapped != GOOD_TEXT
    assert keys(swapped) == keys(GOOD_TEXT)


def test_renaming_a_step_changes_only_that_steps_contexts() -> None:
    renamed = GOOD_TEXT.replace("id: monitor", "id: observe").replace("goto: monitor", "goto: observe")
    changed = keys(GOOD_TEXT) ^ keys(renamed)
    assert {ctx.split(":", 1)[1] for ctx, _ in changed} == {
        "steps.monitor.title", "steps.monitor.instructions", "steps.observe.title", "steps.observe.instructions"}


def test_list_of_strings_share_one_context_told_apart_by_text() -> None:
    messages = [m for m in protocol_messages(doc_of(GOOD_TEXT)) if m.context.endswith(":scope.exclusions")]
    assert [m.msgid for m in messages] == ["Patients in the intensive care unit", "Patients receiving end-of-life care"]


def test_the_same_text_twice_in_a_list_is_one_message_at_its_first_line() -> None:
    text = GOOD_TEXT.replace("    - Patients receiving end-of-life care\n",
                             "    - Patients receiving end-of-life care\n    - Patients in the intensive care unit\n")
    messages = [m for m in protocol_messages(doc_of(text)) if m.context.endswith(":scope.exclusions")]
    assert [(m.msgid, m.line) for m in messages] == [("Patients in the intensive care unit", 16),
                                                     ("Patients receiving end-of-life care", 17)]


def test_translator_hints_and_markup() -> None:
    by_context = {m.context.split(":", 1)[1]: m for m in protocol_messages(doc_of(GOOD_TEXT))}
    assert by_context["title"].comments == ("Protocol title, shown as the page heading.",)
    assert by_context["partnership"].comments == ()  # the schema gives no x-hint for it
    instructions = by_context["steps.assess.instructions"]
    assert instructions.markup and not by_context["title"].markup
    assert "Numbers, doses and units must match the English exactly." in instructions.comments[0]
    drug = by_context["steps.escalate.medications.paracetamol.drug"]
    assert drug.comments[0].startswith("Generic drug name")
    assert drug.comments[1] == "Dose shown beside this text: paracetamol 1 g PO"


def test_dose_hint_shows_a_range() -> None:
    text = GOOD_TEXT.replace("        amount: 1\n", "        amount: 0.5\n        amount_max: 1\n")
    freq = next(m for m in protocol_messages(doc_of(text)) if m.context.endswith("paracetamol.frequency"))
    assert freq.comments[-1] == "Dose shown beside this text: paracetamol 0.5–1 g PO"


def test_block_scalar_msgid_has_no_trailing_newline() -> None:
    instructions = next(m for m in protocol_messages(doc_of(GOOD_TEXT)) if m.context.endswith("assess.instructions"))
    assert instructions.msgid == ("Measure **all** observations within 15 minutes.\n\n"
                                  "- Respiratory rate\n- Oxygen saturation")


def test_ids_are_not_translatable() -> None:
    msgids = {m.msgid for m in protocol_messages(doc_of(GOOD_TEXT))}
    assert not msgids & {"example-escalation", "assess", "family-carer", "PO", "g", "fixture-source", "1.1.0", "zh_CN"}


def test_babel_extractor_is_registered() -> None:
    (found,) = [ep for ep in entry_points(group="babel.extractors") if ep.name == "carebridge"]
    assert found.load() is babel_extract


def test_babel_extract_yields_pgettext_calls() -> None:
    fileobj = io.BytesIO(GOOD_TEXT.encode("utf-8"))
    found = list(babel_extract(fileobj, {}, [], {}))
    assert found[1] == (10, "pgettext", ("example-escalation:title", "Example escalation protocol"),
                        ["Protocol title, shown as the page heading."])
    assert len(found) == 23


def test_babel_extract_refuses_broken_yaml_with_its_position() -> None:
    with pytest.raises(ValueError, match=r":2:14: error: YAML syntax"):
        list(babel_extract(io.BytesIO(b"id: x\ntitle: Step 1: call\n"), {}, [], {}))


def test_pybabel_extract_through_our_extractor(tmp_path: Path) -> None:
    protocols = tmp_path / "protocols" / "nursing"
    protocols.mkdir(parents=True)
    (protocols / "example-escalation.yaml").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "babel.cfg").write_text("[carebridge: protocols/**.yaml]\n", encoding="utf-8")
    pybabel = Path(sys.executable).parent / "pybabel"
    done = subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-o", "out.pot", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    with (tmp_path / "out.pot").open("rb") as handle:
        catalog = read_po(handle)
    entries = {(m.context, m.id): m for m in catalog if m.id}
    assert set(entries) == keys(GOOD_TEXT)
    title = entries[("example-escalation:title", "Example escalation protocol")]
    assert title.locations == [("protocols/nursing/example-escalation.yaml", 10)]
    assert title.auto_comments == ["Protocol title, shown as the page heading."]


def test_messages_by_path_are_read_once_per_document_and_domain() -> None:
    from carebridge.i18n.extract import messages_by_path, protocol_messages_by_path

    doc, _ = load_text("id: x\ntitle: Hand hygiene\nsteps:\n  - id: rub\n    title: Rub hands\n", "x.yaml")
    assert doc is not None
    first = messages_by_path(doc)
    assert first == list(protocol_messages_by_path(doc)) and messages_by_path(doc) is first
    other = messages_by_path(doc, domain="edition-county")  # another domain: its own contexts
    assert [m.context for _, m in other] == ["edition-county:title", "edition-county:steps.rub.title"]
    again, _ = load_text("id: x\ntitle: Hand hygiene, revised\n", "x.yaml")  # another document: read anew
    assert again is not None and [m.msgid for _, m in messages_by_path(again)] == ["Hand hygiene, revised"]
