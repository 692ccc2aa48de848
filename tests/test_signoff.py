"""signoff.py: a clinician's review recorded in provenance.yaml, or nothing written at all."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from carebridge.i18n.provenance import load_provenance
from carebridge.i18n.reviews import ReviewStatus, fingerprint, review_state
from carebridge.i18n.signoff import _detach_trailing, sign_off
from carebridge.source.library import Project

ID = "example-escalation"
PO = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")
PROVENANCE = Path("locales/zh_CN/provenance.yaml")
DAY = dt.date(2026, 12, 1)
ZH = {
    "Example escalation protocol": "示例上报方案",
    "Patients in the intensive care unit": "重症监护病房的患者",
    "Patients receiving end-of-life care": "接受临终关怀的患者",
    "Systolic blood pressure below 90 mmHg": "收缩压低于90 mmHg",
    "paracetamol": "对乙酰氨基酚",
    "Continue monitoring": "继续监测",
}
HEADER = """\
# Provenance of the zh_CN translations (test copy).

example-escalation:   # the only protocol
  translated_from: 1.1.0
  date: 2026-11-30
  method: [forward, machine-assisted]
  translators:
    - {name: Test team, role: draft translation}
  notes: Drafted for the tests.   # kept

# A record for a protocol that is not in this tree, kept as written.
other-protocol:
  translated_from: 0.1.0
"""


def set_translations(tree: Path, texts: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    with (tree / PO).open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if isinstance(message.id, str) and message.id in texts:
            message.string = texts[message.id]
            if message.id in fuzzy:
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
    with (tree / PO).open("wb") as handle:
        write_po(handle, catalog, width=76)


@pytest.fixture
def tree(project_tree: Path, run_cli) -> Path:  # type: ignore[no-untyped-def]
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    set_translations(project_tree, ZH, fuzzy=("Continue monitoring",))
    (project_tree / PROVENANCE).write_text(HEADER, encoding="utf-8")
    return project_tree


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sign(tree: Path, *patterns: str, reviewer: str = "李医生", role: str = "obstetrician", date: dt.date = DAY):  # type: ignore[no-untyped-def]
    return sign_off(Project.at(tree), ID, "zh_CN", reviewer=reviewer, role=role, date=date, patterns=patterns)


def state(tree: Path):  # type: ignore[no-untyped-def]
    from carebridge.i18n.catalog import read_catalog
    from carebridge.i18n.extract import protocol_messages
    from carebridge.i18n.signoff import find_protocol

    project = Project.at(tree)
    loaded, _ = find_protocol(project, ID)
    assert loaded is not None
    catalog, _ = read_catalog(tree / PO, str(PO), "zh_CN")
    records, problems = load_provenance(tree / PROVENANCE, str(PROVENANCE))
    assert problems == []
    strings = [(m.context, m.msgid) for m in protocol_messages(loaded.document, project.schema_path)]
    return review_state(strings, catalog, records[ID], ID)


def test_sign_off_records_every_translated_string_and_keeps_the_file_as_written(tree: Path) -> None:
    done, problems = sign(tree)
    assert problems == [] and done is not None
    assert (done.strings, done.file, done.reviewer, done.date) == (5, str(PROVENANCE), "李医生", "2026-12-01")
    text = (tree / PROVENANCE).read_text(encoding="utf-8")
    title = fingerprint(f"{ID}:title", "Example escalation protocol", "示例上报方案")
    exclusions = [fingerprint(f"{ID}:scope.exclusions", e, ZH[e]) for e in
                  ("Patients in the intensive care unit", "Patients receiving end-of-life care")]
    assert text == HEADER.replace("# kept\n", f"""# kept
  reviews:
    - reviewer: 李医生
      role: obstetrician
      date: 2026-12-01
      method: [review]
      strings:
        "{ID}:title": "{title}"
        "{ID}:scope.exclusions": ["{exclusions[0]}", "{exclusions[1]}"]
        "{ID}:red_flags": "{fingerprint(f'{ID}:red_flags', 'Systolic blood pressure below 90 mmHg', '收缩压低于90 mmHg')}"
        "{ID}:steps.escalate.medications.paracetamol.drug": "{fingerprint(f'{ID}:steps.escalate.medications.paracetamol.drug', 'paracetamol', '对乙酰氨基酚')}"
""")
    found = state(tree)
    assert found.as_json() == {"strings": 23, "reviewed": 5, "changed": 0, "unreviewed": 0, "untranslated": 18}


def test_a_second_sign_off_appends_and_a_changed_string_loses_only_its_review(tree: Path) -> None:
    assert sign(tree)[1] == []
    assert sign(tree, f"{ID}:title", reviewer="Dr Smith", role="nurse", date=dt.date(2026, 12, 2))[1] == []
    records, _ = load_provenance(tree / PROVENANCE, str(PROVENANCE))
    assert [r.reviewer for r in records[ID].reviews] == ["李医生", "Dr Smith"]
    set_translations(tree, {"Patients receiving end-of-life care": "接受安宁疗护的患者"})
    found = state(tree)
    changed = [key for key, status in found.status.items() if status is ReviewStatus.CHANGED]
    assert changed == [(f"{ID}:scope.exclusions", "Patients receiving end-of-life care")]
    assert found.reviewed == 4
    assert [(r.name, r.strings) for r in found.reviewers] == [("Dr Smith", 1), ("李医生", 4)]


def test_strings_take_msgctxt_globs_that_sign_what_is_translated(tree: Path) -> None:
    # scope.* also matches population and setting, not translated yet: a glob skips them.
    done, problems = sign(tree, f"{ID}:scope.*", f"{ID}:title")
    assert problems == [] and done is not None and (done.strings, done.skipped) == (3, 2)
    done, problems = sign(tree, f"{ID}:steps.monitor.*")
    assert done is None and [p.message for p in problems] == [
        f"--strings '{ID}:steps.monitor.*' matches no translated string of {ID}"]


@pytest.mark.parametrize(("patterns", "expected"), [
    ((f"{ID}:steps.monitor.title",), "cannot sign a string that is fuzzy"),
    ((f"{ID}:summary",), "cannot sign a string that is not translated"),
    ((f"{ID}:no.such.string",), f"--strings '{ID}:no.such.string' matches no string of {ID}"),
])
def test_refuses_strings_a_reader_would_not_see_and_writes_nothing(tree: Path, patterns: tuple[str, ...],
                                                                   expected: str) -> None:
    before = digest(tree / PROVENANCE)
    done, problems = sign(tree, *patterns)
    assert done is None and [expected in p.message for p in problems] == [True]
    assert digest(tree / PROVENANCE) == before


def test_refuses_a_translation_that_fails_a_safety_check(tree: Path) -> None:
    set_translations(tree, {"Systolic blood pressure below 90 mmHg": "收缩压低于80 mmHg"})
    before = digest(tree / PROVENANCE)
    done, problems = sign(tree)
    assert done is None
    assert [(p.file, p.code, p.path) for p in problems] == [(str(PO), "sign-off", f"{ID}:red_flags")]
    assert problems[0].line and "fails a safety check: [numbers]" in problems[0].message
    assert digest(tree / PROVENANCE) == before


def test_refuses_empty_reviewer_or_role_and_unknown_protocol(tree: Path) -> None:
    done, problems = sign(tree, reviewer="  ", role="")
    assert done is None and [(p.code, p.message) for p in problems] == [
        ("usage", "--reviewer must not be empty"), ("usage", "--role must not be empty")]
    done, problems = sign_off(Project.at(tree), "nope", "zh_CN", reviewer="a", role="b", date=DAY)
    assert done is None and "no protocol with id 'nope'" in problems[0].message


def test_refuses_when_provenance_is_broken_or_has_no_record(tree: Path) -> None:
    path = tree / PROVENANCE
    path.write_text(HEADER.replace("  notes:", "  reviewed: yes\n  notes:"), encoding="utf-8")
    before = digest(path)
    done, problems = sign(tree)
    assert done is None and [(p.line, p.col, p.message) for p in problems] == [
        (9, 3, "example-escalation: unknown field 'reviewed'")]
    assert digest(path) == before
    path.write_text("other-protocol:\n  translated_from: 0.1.0\n", encoding="utf-8")
    done, problems = sign(tree)
    assert done is None and problems[0].message == f"no provenance record for {ID}"


def test_refuses_while_a_review_names_a_removed_string(tree: Path) -> None:
    assert sign(tree)[1] == []
    path = tree / PROVENANCE
    path.write_text(path.read_text(encoding="utf-8").replace(f'"{ID}:title"', f'"{ID}:old.title"'), encoding="utf-8")
    before = digest(path)
    done, problems = sign(tree)
    assert done is None and [(p.line, p.col) for p in problems] == [(16, 9)]
    assert "is not a string of" in problems[0].message and digest(path) == before


def test_trailing_comments_of_any_shape_stay_after_the_record() -> None:
    from ruamel.yaml import YAML

    for text in ("a:\n  x: 1\n  t:\n    - {name: n}\n\n# next\nb: 2\n",
                 "a:\n  x: |\n    block\n\n# next\nb: 2\n",
                 "a:\n  l:\n    - one\n\n# next\nb: 2\n"):
        tree = YAML(typ="rt").load(text)
        assert _detach_trailing(tree["a"]).strip() == "# next", text
