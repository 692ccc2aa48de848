"""Provenance records: who translated, how, from which English version."""

from __future__ import annotations

from pathlib import Path

from carebridge.i18n.provenance import load_provenance

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "locales" / "zh_CN" / "provenance.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_no_records(tmp_path: Path) -> None:
    assert load_provenance(tmp_path / "none.yaml", "none.yaml") == ({}, [])


def test_record_is_read_and_knows_when_it_is_stale(tmp_path: Path) -> None:
    path = _write(tmp_path, "pph:\n  translated_from: 1.2.0\n  method: [forward, review]\n"
                            "  translators: [{name: 王医生, role: obstetrician}]\n")
    records, problems = load_provenance(path, "p.yaml")
    assert problems == []
    assert records["pph"].translators == ("王医生 (obstetrician)",)
    assert records["pph"].stale("1.3.0") and not records["pph"].stale("1.2.0")


def test_bad_records_are_reported_with_their_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok:\n  translated_from: 1.0.0\nbad:\n  method: [forward]\n"
                            "odd:\n  translated_from: 1.0.0\n  method: [telepathy]\n"
                            "bt:\n  translated_from: 1.0.0\n  method: [back-translation]\n")
    records, problems = load_provenance(path, "p.yaml")
    assert sorted(records) == ["bt", "odd", "ok"]
    assert [(p.line, p.code) for p in problems] == [(3, "provenance"), (7, "provenance"), (8, "provenance")]
    assert "translated_from" in problems[0].message
    assert "telepathy" in problems[1].message
    assert "back_translation" in problems[2].message


def test_a_field_of_the_wrong_shape_is_an_error_at_its_value(tmp_path: Path) -> None:
    # method: 5 was an internal error (exit 2); translators: 王医生 listed three people, one a character.
    path = _write(tmp_path, "a:\n  translated_from: 1.0.0\n  method: 5\n"
                            "b:\n  translated_from: 1.0.0\n  translators: 王医生\n  reviewers: [{role: midwife}]\n"
                            "c:\n  translated_from: 1.0.0\n  notes: [one, two]\n  back_translation: 7\n"
                            "d:\n  translated_from: [1.0.0]\n"
                            "e:\n  translated_from: 1.0.0\n  method:\n  translators:\n  notes:\n")
    records, problems = load_provenance(path, "p.yaml")
    assert [(p.line, p.col, p.path) for p in problems] == [
        (3, 11, "a.method"), (6, 16, "b.translators"), (7, 14, "b.reviewers"), (10, 10, "c.notes"),
        (11, 21, "c.back_translation"), (13, 20, "d.translated_from")]
    assert "method must be a list of steps" in problems[0].message and all(p.hint for p in problems)
    assert sorted(records) == ["a", "b", "c", "e"]  # an empty field is no field
    assert (records["a"].method, records["b"].translators, records["b"].reviewers) == ((), (), ())


def test_back_translation_file_must_exist(tmp_path: Path) -> None:
    path = _write(tmp_path, "x:\n  translated_from: 1.0.0\n  method: [forward, back-translation]\n"
                            "  back_translation: locales/zh_CN/back-translation/x.po\n")
    _, problems = load_provenance(path, "p.yaml")
    assert ["does not exist" in p.message for p in problems] == [True]
    (tmp_path / "locales" / "zh_CN" / "back-translation").mkdir()
    (tmp_path / "locales" / "zh_CN" / "back-translation" / "x.po").write_text("", encoding="utf-8")
    assert load_provenance(path, "p.yaml")[1] == []


def test_the_library_records_every_protocol_honestly() -> None:
    records, problems = load_provenance(ROOT / "locales" / "zh_CN" / "provenance.yaml", "provenance.yaml")
    assert problems == []
    protocols = {p.stem for p in (ROOT / "protocols").rglob("*.yaml")}
    assert set(records) == protocols
    # Drafted with AI assistance and not yet reviewed by a person: the records must say so.
    assert all("machine-assisted" in r.method for r in records.values())
    assert any("back-translation" in r.method and r.back_translation for r in records.values())


def test_a_version_written_as_a_number_is_refused_not_misread(tmp_path: Path) -> None:
    # 1.10 read as a number is 1.1: the page would say "translated from version 1.1".
    path = _write(tmp_path, "ok:\n  translated_from: 1.0.0\npph:\n  translated_from: 1.10\n")
    records, problems = load_provenance(path, "p.yaml")
    assert sorted(records) == ["ok"]
    assert [(p.line, p.col, p.code) for p in problems] == [(4, 20, "provenance")]
    assert "MAJOR.MINOR.PATCH" in problems[0].hint


def test_provenance_is_read_by_the_protocols_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, "base: &base\n  translated_from: 1.0.0\npph: *base\n")
    records, problems = load_provenance(path, "p.yaml")
    assert records == {}
    assert [(p.line, p.col) for p in problems] == [(1, 7)]
    assert "anchor &base" in problems[0].message


def test_a_provenance_file_that_is_a_list_is_refused_with_a_hint(tmp_path: Path) -> None:
    # The refusal had no hint, so `build` printed "provenance must map protocol ids to records" and nothing to do.
    records, problems = load_provenance(_write(tmp_path, "- 1\n"), "p.yaml")
    assert records == {} and [(p.line, p.col, p.code) for p in problems] == [(1, 1, "provenance")]
    assert problems[0].hint.startswith("write one record per protocol")


def test_a_key_that_is_no_protocol_id_is_reported_at_its_line(tmp_path: Path) -> None:
    # `../../etc:` (or `PPH:`, `a b:`) was read as a record for a protocol of that name, silently.
    path = _write(tmp_path, "ok:\n  translated_from: 1.0.0\n../../etc:\n  translated_from: 1.0.0\n"
                            "PPH:\n  translated_from: 1.0.0\n")
    records, problems = load_provenance(path, "p.yaml")
    assert sorted(records) == ["ok"]
    assert [(p.line, p.col, p.message) for p in problems] == [(3, 1, "'../../etc' is not a protocol id"),
                                                              (5, 1, "'PPH' is not a protocol id")]
    assert all("lowercase letters, digits and hyphens" in p.hint for p in problems)


def test_validate_warns_about_a_record_for_an_id_no_protocol_has(project_tree: Path, run_cli) -> None:
    path = project_tree / "locales" / "zh_CN" / "provenance.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("example-escalation:\n  translated_from: 1.0.0\n"
                    "example-escalaton:\n  translated_from: 1.0.0\n"
                    "retired-protocol:\n  translated_from: 1.0.0\n", encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 0, run.output  # a warning: a record may outlive a removed protocol
    lines = [line for line in run.stdout.splitlines() if "no protocol has" in line]
    assert lines == [
        "locales/zh_CN/provenance.yaml:3:1: warning: [provenance] example-escalaton: record for an id no protocol has",
        "locales/zh_CN/provenance.yaml:5:1: warning: [provenance] retired-protocol: record for an id no protocol has",
    ]
    assert "did you mean 'example-escalation'?" in run.stdout


def test_validate_reports_a_broken_provenance_file(project_tree: Path, run_cli) -> None:
    path = project_tree / "locales" / "zh_CN" / "provenance.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("example-escalation:\n  translated_from: 1.10\n", encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert "locales/zh_CN/provenance.yaml:2:20: error: [provenance] example-escalation.translated_from: " \
           "example-escalation: translated_from must be a version" in run.stdout
