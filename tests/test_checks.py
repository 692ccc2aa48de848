"""`carebridge i18n check` over catalogs: errors by line, reviewed exceptions listed, unsafe markup
never allowed; and the real library passes with no error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from carebridge.i18n.checks import check_library
from carebridge.source.library import Project

REPO = Path(__file__).resolve().parents[1]
PO = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")


def _translate(tree: Path, msgid: str, msgstr: str, comment: str = "", fuzzy: bool = False) -> int:
    """Set one msgstr (and a translator comment) in the fixture catalog; return its msgid's line."""
    text = (tree / PO).read_text(encoding="utf-8")
    anchor = f'msgid "{msgid}"\nmsgstr ""'
    assert anchor in text, msgid
    replacement = f'msgid "{msgid}"\nmsgstr "{msgstr}"'
    head, tail = text.split(anchor, 1)
    block_start = head.rfind("\n\n") + 2
    prefix = (f"# {comment}\n" if comment else "") + ("#, fuzzy\n" if fuzzy else "")
    text = head[:block_start] + prefix + head[block_start:] + replacement + tail
    (tree / PO).write_text(text, encoding="utf-8")
    return text.split(replacement, 1)[0].count("\n") + 1


@pytest.fixture
def library(project_tree: Path, run_cli) -> Path:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    return project_tree


def test_a_changed_dose_is_an_error_at_its_line(library: Path, run_cli) -> None:
    line = _translate(library, "4 g in 24 hours", "24小时内最多4 mg")
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 1
    assert f"{PO.as_posix()}:{line}:1: error: [units]" in run.stdout
    assert "example-escalation:steps.escalate.medications.paracetamol.max_dose" in run.stdout


def test_a_faithful_translation_passes(library: Path, run_cli) -> None:
    _translate(library, "4 g in 24 hours", "24小时内最多4 g")
    _translate(library, "Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg")
    run = run_cli(["i18n", "check", "--format", "json"], cwd=library)
    assert run.code == 0, run.stdout
    assert json.loads(run.stdout)["errors"] == 0


def test_a_reviewed_exception_is_allowed_and_listed(library: Path, run_cli) -> None:
    _translate(library, "4 g in 24 hours", "24小时内最多4000 mg",
               comment="carebridge-allow: numbers, units — written in mg on this hospital's charts")
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 0, run.stdout
    assert "allowed by reviewer" in run.stdout


@pytest.mark.parametrize(("comment", "said"), [
    ("carebridge-allow: numbers, units", "numbers: no reason given"),
    ("carebridge-allow: numbers, units — .", "numbers: the reason '.' says nothing"),
    ("carebridge-allow: nmbers, units — written in mg on this ward's charts", "nmbers: unknown check"),
])
def test_an_exception_without_a_reason_or_with_an_unknown_check_allows_nothing_and_says_so(
        library: Path, run_cli, comment: str, said: str) -> None:
    line = _translate(library, "4 g in 24 hours", "24小时内最多4000 mg", comment=comment)
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 1 and "error: [numbers]" in run.stdout
    assert f"{PO.as_posix()}:{line}:1: warning: [allow-ignored]" in run.stdout and said in run.stdout, run.stdout


def test_unsafe_markup_can_never_be_allowed_even_when_fuzzy(library: Path, run_cli) -> None:
    _translate(library, "Continue monitoring", "继续监测<script>alert(1)</script>",
               comment="carebridge-allow: html — trust me", fuzzy=True)
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 1
    assert "error: [html]" in run.stdout


@pytest.mark.parametrize(("msgstr", "shown"), [
    ("24小时内最多\u202e4 g", "U+202E"),   # a right-to-left override: the page could show the dose reversed
    ("24小时内最多4\u200b0 g", "U+200B"),  # a zero-width space inside a number
    ("24小时内最多4\u20620 g", "U+2062"),  # an invisible times sign inside a number
    ("24小时内最多4\ufe000 g", "U+FE00"),  # a variation selector inside a number
    ("24小时内\u200f最多40 g", "U+200F"),  # a right-to-left mark, anywhere
    ("24小时内最多4 g\u0007", "U+0007"),   # a control character
])
def test_a_hidden_character_in_a_translation_blocks_whatever_a_comment_says(library: Path, run_cli, msgstr: str,
                                                                            shown: str) -> None:
    line = _translate(library, "4 g in 24 hours", msgstr, comment="carebridge-allow: character, numbers — pasted")
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 1, run.stdout
    assert f"{PO.as_posix()}:{line}:1: error: [character]" in run.stdout and shown in run.stdout


# --- translations that match nothing --------------------------------------------------------------

def _retarget(tree: Path, old: str, new: str) -> None:
    text = (tree / PO).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (tree / PO).write_text(text.replace(old, new), encoding="utf-8")


def test_a_translation_whose_msgctxt_was_edited_by_hand_is_named_at_its_line(library: Path, run_cli) -> None:
    line = _translate(library, "4 g in 24 hours", "24小时内最多4 g")
    context = "example-escalation:steps.escalate.medications.paracetamol.max_dose"
    _retarget(library, f'msgctxt "{context}"', f'msgctxt "{context}s"')
    run = run_cli(["i18n", "check", "--format", "json"], cwd=library)
    assert run.code == 0, run.stdout  # nothing unsafe is shown: the page shows the English, marked
    found = {(p["code"], p["line"]): p for p in json.loads(run.stdout)["problems"]}
    orphan = found[("po-orphan", line)]  # at its msgid line, as every finding of a catalog entry
    assert orphan["severity"] == "warning" and orphan["path"] == f"{context}s"
    assert "never shown" in orphan["message"] and "copy them back from the template" in orphan["hint"]
    stale = found[("po-stale", 1)]
    assert stale["message"].startswith("1 message(s) of the template are not in the catalog")
    text = run_cli(["i18n", "check"], cwd=library).stdout
    assert f"{PO.as_posix()}:{line}:1: warning: [po-orphan] {context}s: the template has no such message" in text


def test_a_translation_left_behind_by_an_english_change_is_named_until_update_keeps_it(library: Path,
                                                                                         run_cli) -> None:
    _translate(library, "Continue monitoring", "继续监测")
    protocol = next((library / "protocols").rglob("example-escalation.yaml"))
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("Continue monitoring",
                                                                     "Continue close monitoring"), encoding="utf-8")
    assert run_cli(["i18n", "extract"], cwd=library).code == 0
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 0 and "warning: [po-orphan]" in run.stdout and "warning: [po-stale] 1 message(s)" in run.stdout
    assert run_cli(["i18n", "update", "--locale", "zh_CN"], cwd=library).code == 0
    after = run_cli(["i18n", "check"], cwd=library)
    assert "po-orphan" not in after.stdout and "po-stale" not in after.stdout, after.stdout
    with (library / PO).open("rb") as handle:
        kept = [m for m in read_po(handle) if m.string == "继续监测"]
    assert [(m.id, m.fuzzy) for m in kept] == [("Continue close monitoring", True)]


def test_without_a_template_to_compare_there_is_no_orphan_warning(library: Path, run_cli) -> None:
    _translate(library, "Continue monitoring", "继续监测")
    next((library / "locales" / "templates").glob("example-escalation.pot")).unlink()
    run = run_cli(["i18n", "check"], cwd=library)
    assert run.code == 0 and "po-orphan" not in run.stdout and "po-stale" not in run.stdout, run.stdout


def test_the_real_library_passes_every_check() -> None:
    problems, count = check_library(Project.at(REPO))
    assert count >= 13
    assert [str(p) for p in problems if p.severity.value == "error"] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_every_real_catalog_passes_msgfmt_check() -> None:
    for po in sorted((REPO / "locales").rglob("*.po")):
        done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, (po, done.stderr)


def test_every_real_catalog_round_trips_through_translate_toolkit() -> None:
    """Weblate reads and writes PO files with translate-toolkit: ours come back byte for byte."""
    from translate.storage import pypo

    for po in sorted((REPO / "locales").rglob("*.po")):
        assert bytes(pypo.pofile.parsefile(str(po))) == po.read_bytes(), po


def test_every_real_catalog_is_complete_and_has_no_fuzzy_entry() -> None:
    for po in sorted((REPO / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        open_entries = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert open_entries == [], po


# --- verdicts reached once per build --------------------------------------------------------------

def test_precheck_reaches_the_verdicts_the_page_check_would_and_hands_them_on(library: Path, monkeypatch) -> None:
    from carebridge.i18n import checks, findingcache
    from carebridge.i18n.catalog import read_catalog
    from carebridge.i18n.extract import markup_fields

    _translate(library, "4 g in 24 hours", "24小时内最多4 mg")  # blocked: the unit changed
    _translate(library, "Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg")
    _translate(library, "Assess the patient", "评估患者", fuzzy=True)  # fuzzy: never shown, not checked
    project = Project.at(library)
    glossary = project.glossary_path("zh_CN")
    glossary.write_text("terms:\n  - en: paracetamol\n    zh: 对乙酰氨基酚\n    kind: drug\n", encoding="utf-8")
    catalog, problems = read_catalog(library / PO, PO.as_posix(), "zh_CN")
    assert catalog is not None and not problems
    monkeypatch.setattr(checks, "_VERDICTS", {})
    fields = markup_fields(project.schema_path)
    assert checks.precheck(project, "zh_CN", [catalog], fields) == 2  # the fuzzy one is not checked
    assert checks.precheck(project, "zh_CN", [catalog], fields) == 0  # nor anything twice
    handed = checks.export_verdicts()

    # A process that starts from them checks nothing itself, and says what the check says.
    monkeypatch.setattr(checks, "_VERDICTS", {})
    checks._cached_check.cache_clear()
    checks.import_verdicts(handed)
    monkeypatch.setattr(findingcache, "check_translation", lambda *a, **k: pytest.fail("checked again"))
    check = checks.safety_check(project, "zh_CN")
    assert check("Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg", False, []) == []
    blocked = check("4 g in 24 hours", "24小时内最多4 mg", False, [])
    assert blocked and blocked[0].startswith("[units]")

    # A glossary saved again is another set of verdicts in memory; with the same terms, the
    # findings kept on disk still hold.
    glossary.write_text(glossary.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    checks._cached_check.cache_clear()
    assert checks.safety_check(project, "zh_CN")("Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg",
                                                 False, []) == []
    # Other terms: the translation is checked against them anew.
    glossary.write_text(glossary.read_text(encoding="utf-8") + "  - en: oxygen\n    zh: 氧气\n", encoding="utf-8")
    checks._cached_check.cache_clear()
    with pytest.raises(pytest.fail.Exception, match="checked again"):
        checks.safety_check(project, "zh_CN")("Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg", False, [])


def test_a_plural_entry_no_template_has_is_an_error_and_its_text_no_escape_from_the_checks() -> None:
    from babel.messages.catalog import Catalog

    from carebridge.i18n.checks import check_catalog
    from carebridge.safety.glossary import Glossary

    catalog = Catalog(locale="zh_CN")
    catalog.add("Give 500 mg.", "给予500 mg。", context="p:steps.a", lineno=10)
    # a changed dose hidden in a plural form: the page never shows it, and no check reads it
    catalog.add(("Give 500 mg on day 3.", "x"), ("第3天给予50 mg。",), context="p:steps.b", lineno=20)
    problems = check_catalog(catalog, "p.po", "zh_CN", Glossary("zh_CN"), frozenset())
    assert [(p.line, p.code, p.path) for p in problems] == [(20, "po-plural", "p:steps.b")]
    assert "msgid_plural" in problems[0].message and problems[0].hint


def test_precheck_reads_the_site_words_as_plain_text_in_the_same_batch(library: Path, monkeypatch) -> None:
    """The site's words join the protocols' translations in one batch, each read as plain text: a
    context that ends like a markup field of a protocol does not make a site word markup."""
    from babel.messages.catalog import Catalog

    from carebridge.i18n import checks
    from carebridge.i18n.extract import markup_fields

    project = Project.at(library)
    fields = markup_fields(project.schema_path)
    field = sorted(fields)[0]
    catalog = Catalog(locale="zh_CN")
    catalog.add("Give 1 g", "给予1 g", context=f"p:steps.s1.{field}")
    monkeypatch.setattr(checks, "_VERDICTS", {})
    assert checks.precheck(project, "zh_CN", [], fields, [catalog]) == 1
    assert [key[2] for found in checks._VERDICTS.values() for key in found] == [False]
    assert checks.precheck(project, "zh_CN", [catalog], fields) == 1  # as a protocol's: markup, another verdict
    assert sorted(key[2] for found in checks._VERDICTS.values() for key in found) == [False, True]
