"""catalog.py: POT/PO files that gettext, translate-toolkit and Weblate accept byte for byte,
merged like msgmerge (translations, comments and obsolete entries kept; changed text fuzzy)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carebridge.i18n.catalog import (
    lookup,
    merge,
    new_catalog,
    parse_catalog,
    protocol_template,
    read_catalog,
    render_catalog,
    stats,
)
from carebridge.source.library import Loaded, Project, load_library

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")
SUMMARY = "A fixture that exercises every field of the schema. Not clinical content."
HEADER = ('msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')  # 6 lines


def load(tree: Path) -> tuple[Loaded, Project]:
    project = Project.at(tree)
    loaded, problems = load_library(project)
    assert problems == []
    return loaded[0], project


def template_of(tree: Path) -> Catalog:
    loaded, project = load(tree)
    return protocol_template(loaded, project)


def edit(tree: Path, old: str, new: str) -> None:
    path = tree / PROTOCOL
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def reparse(text: str) -> Catalog:
    catalog, problems = parse_catalog(text, "locales/zh_CN/LC_MESSAGES/example-escalation.po", "zh_CN")
    assert problems == [] and catalog is not None
    return catalog


def translated(tree: Path) -> str:
    """A zh_CN catalog with every message translated and one translator comment."""
    catalog = new_catalog(template_of(tree), "zh_CN", "example-escalation")
    for number, message in enumerate(catalog):
        if message.id:
            message.string = f"译文{number}"
    catalog.get("Continue monitoring", "example-escalation:steps.monitor.title").user_comments = ["审校：李护士"]
    return render_catalog(catalog)


def test_template_is_deterministic_and_dated_by_history(project_tree: Path) -> None:
    first = render_catalog(template_of(project_tree))
    assert render_catalog(template_of(project_tree)) == first
    assert '"POT-Creation-Date: 2026-11-01 00:00+0000\\n"' in first
    assert '"Project-Id-Version: CareBridge 1.1.0\\n"' in first
    assert first.endswith('msgstr ""\n') and not first.endswith("\n\n")


def test_template_entries_carry_context_reference_and_hint(project_tree: Path) -> None:
    pot = render_catalog(template_of(project_tree))
    assert ("#. Protocol title, shown as the page heading.\n"
            "#: protocols/nursing/example-escalation.yaml:10\n"
            'msgctxt "example-escalation:title"\n'
            'msgid "Example escalation protocol"\n'
            'msgstr ""\n') in pot


def test_new_catalog_header(project_tree: Path) -> None:
    po = render_catalog(new_catalog(template_of(project_tree), "zh_CN", "example-escalation"))
    header = po.split("\n\n", 1)[0]
    assert '"Language: zh_CN\\n"' in header
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in header
    assert "#, fuzzy" not in header
    catalog = reparse(po)
    assert stats(catalog).total == 23 and stats(catalog).untranslated == 23


def test_merge_keeps_translations_comments_and_obsolete_entries(project_tree: Path) -> None:
    before = translated(project_tree)
    adaptation = before.split('msgctxt "example-escalation:adaptations.family-carer.note"', 1)[1]
    old_note = adaptation.split('msgstr "', 1)[1].split('"', 1)[0]
    edit(project_tree, "adaptations:\n  - id: family-carer\n    locale: zh_CN\n    step: assess\n"
         "    category: family-role\n    note: Family carers at the bedside are asked to tell the nurse about "
         "any change.\n    rationale: Family carers are often present around the clock on Chinese wards.\n", "")
    after = render_catalog(merge(reparse(before), template_of(project_tree)))
    catalog = reparse(after)
    title = lookup(catalog, "example-escalation:title", "Example escalation protocol")
    assert title is not None and title.string.startswith("译文") and not title.fuzzy
    assert "# 审校：李护士\n" in after
    assert '#~ msgctxt "example-escalation:adaptations.family-carer.note"\n' in after
    assert f'#~ msgstr "{old_note}"' in after
    assert stats(catalog).obsolete == 2 and stats(catalog).total == 21 and stats(catalog).translated == 21


def test_changed_text_at_the_same_place_becomes_fuzzy_with_previous_msgid(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Continue close monitoring")
    after = render_catalog(merge(reparse(before), template_of(project_tree)))
    assert ("# 审校：李护士\n"
            "#. Step heading.\n"
            "#: protocols/nursing/example-escalation.yaml:63\n"
            "#, fuzzy\n"
            '#| msgid "Continue monitoring"\n'
            'msgctxt "example-escalation:steps.monitor.title"\n'
            'msgid "Continue close monitoring"\n') in after
    assert "Continue monitoring" not in after.replace('#| msgid "Continue monitoring"', "")  # not also obsolete
    counts = stats(reparse(after))
    assert (counts.fuzzy, counts.translated, counts.obsolete) == (1, 22, 0)


def test_renamed_step_offers_its_old_translation_as_fuzzy(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "  - id: monitor\n", "  - id: observe\n")
    edit(project_tree, "goto: monitor", "goto: observe")
    catalog = merge(reparse(before), template_of(project_tree))
    title = lookup(catalog, "example-escalation:steps.observe.title", "Continue monitoring")
    assert title is not None and title.fuzzy and title.string.startswith("译文")
    assert title.previous_id == ["Continue monitoring"]
    assert title.user_comments == ["审校：李护士"]
    written = render_catalog(catalog)
    assert '#~ msgctxt "example-escalation:steps.monitor.title"' not in written  # taken from the obsolete entries
    # GNU msgmerge's form: the translator sees where the translation came from
    assert ('#| msgctxt "example-escalation:steps.monitor.title"\n#| msgid "Continue monitoring"\n'
            'msgctxt "example-escalation:steps.observe.title"\n') in written


def test_no_fuzzy_leaves_changed_text_untranslated(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Continue close monitoring")
    catalog = merge(reparse(before), template_of(project_tree), fuzzy=False)
    entry = lookup(catalog, "example-escalation:steps.monitor.title", "Continue close monitoring")
    assert entry is not None and not entry.string and not entry.fuzzy
    assert [m.id for m in catalog.obsolete.values()] == ["Continue monitoring"]


def test_an_entry_that_comes_back_revives_its_translation(project_tree: Path) -> None:
    before = translated(project_tree)
    original = (project_tree / PROTOCOL).read_text(encoding="utf-8")
    edit(project_tree, "title: Continue monitoring", "title: Something else entirely, nothing alike")
    middle = render_catalog(merge(reparse(before), template_of(project_tree), fuzzy=False))
    (project_tree / PROTOCOL).write_text(original, encoding="utf-8")
    back = reparse(render_catalog(merge(reparse(middle), template_of(project_tree))))
    entry = lookup(back, "example-escalation:steps.monitor.title", "Continue monitoring")
    assert entry is not None and entry.string.startswith("译文") and not entry.fuzzy
    assert entry.user_comments == ["审校：李护士"]
    assert "Continue monitoring" not in [m.id for m in back.obsolete.values()]


def test_untranslated_entries_that_go_away_leave_no_obsolete_entry(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Something else entirely, nothing alike")
    middle = render_catalog(merge(reparse(before), template_of(project_tree), fuzzy=False))
    edit(project_tree, "title: Something else entirely, nothing alike", "title: A third title, also untranslated")
    after = reparse(render_catalog(merge(reparse(middle), template_of(project_tree), fuzzy=False)))
    assert [m.id for m in after.obsolete.values()] == ["Continue monitoring"]


def test_update_twice_gives_identical_bytes(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "    - Patients receiving end-of-life care\n", "")
    edit(project_tree, "title: Continue monitoring", "title: A new title, not a variant of the old one")
    template = template_of(project_tree)
    once = render_catalog(merge(reparse(before), template))
    twice = render_catalog(merge(reparse(once), template))
    assert twice == once
    assert render_catalog(reparse(once)) == once  # reading and writing alone changes nothing


def test_update_twice_keeps_a_fuzzy_entry_identical(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Continue close monitoring")
    template = template_of(project_tree)
    once = render_catalog(merge(reparse(before), template))
    assert '#| msgid "Continue monitoring"' in once
    assert render_catalog(merge(reparse(once), template)) == once


def test_percent_sign_is_not_python_format(project_tree: Path) -> None:
    edit(project_tree, "title: Escalate to the doctor", "title: Keep saturation above 94% (100% of patients)")
    pot = render_catalog(template_of(project_tree))
    assert "90%" in pot and "94%" in pot
    assert "python-format" not in pot
    catalog = reparse(translated(project_tree))
    assert "python-format" not in render_catalog(catalog)
    # a flag written by another tool is dropped on read
    flagged = HEADER + '#, python-format\nmsgctxt "x"\nmsgid "below 90% of"\nmsgstr "低于90%"\n'
    assert "python-format" not in render_catalog(reparse(flagged))


def _msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        if os.environ.get("CAREBRIDGE_REQUIRE_BROWSER"):
            pytest.fail("msgfmt (GNU gettext) is required when CAREBRIDGE_REQUIRE_BROWSER is set")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    return found


def test_msgfmt_check_accepts_generated_catalogs(project_tree: Path, tmp_path: Path) -> None:
    msgfmt = _msgfmt()
    template = template_of(project_tree)
    catalog = reparse(translated(project_tree))
    lookup(catalog, "example-escalation:steps.escalate.red_flags", "Oxygen saturation below 90%").string = "血氧饱和度低于90%"
    files = {"t.pot": render_catalog(template), "empty.po": render_catalog(new_catalog(template, "zh_CN", "x")),
             "full.po": render_catalog(catalog)}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name in ("empty.po", "full.po"):
        done = subprocess.run([msgfmt, "-c", "-o", os.devnull, name], cwd=tmp_path, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([msgfmt, "-o", os.devnull, "t.pot"], cwd=tmp_path, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


def test_translate_toolkit_round_trip_is_byte_identical(project_tree: Path, tmp_path: Path) -> None:
    from translate.storage import pypo

    long_en = ("Record the early warning score, the time, and the name of the nurse who measured it, and tell the "
               "nurse in charge at once if the score has risen by 2 or more since the last set of observations.")
    edit(project_tree, "summary: A fixture that exercises every field of the schema. Not clinical content.",
         f"summary: {long_en}")
    edit(project_tree, "    instructions: Repeat observations every 4 hours.\n",
         "    instructions: |\n      Repeat observations **every 4 hours** and record them on the chart, "
         "including \"refused\" when the patient declines.\n\n      1. Temperature\n      2. Pulse — "
         "count for a full 60 seconds if irregular\n      3. See [the chart](https://example.org/chart)\n")
    catalog = new_catalog(template_of(project_tree), "zh_CN", "example-escalation")
    long_zh = ("记录早期预警评分、时间以及测量该评分的护士姓名；如果评分自上次观察以来上升2分或以上，"
               "应立即告知责任护士。本句故意写得很长，用来检验换行宽度与翻译工具包是否一致，往返时不改变任何字节。")
    for message in catalog:
        if message.context == "example-escalation:summary":
            message.string = long_zh
        elif message.context == "example-escalation:steps.monitor.instructions":
            message.string = ("每 4 小时重复观察**一次**并记录在体温单上，患者拒绝时记录“拒绝”（\"refused\"）。\n\n"
                              "1. 体温\n2. 脉搏 — 如不规则，数满 60 秒\n3. 参见[体温单](https://example.org/chart)")
        elif message.id:
            message.string = "中文 " + message.id
    path = tmp_path / "example-escalation.po"
    original = render_catalog(catalog).encode("utf-8")
    path.write_bytes(original)
    assert b"\\n\"\n\"" in original and long_zh[:10].encode() in original  # multi-line, long Chinese
    assert bytes(pypo.pofile.parsefile(str(path))) == original


# --- reading: problems with line numbers, never exceptions -----------------------------------

@pytest.mark.parametrize(("body", "line", "fragment"), [
    pytest.param('msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "b"\nmsgid "z"\nmsgstrr "w"\n', 13,
                 "Unknown or misformatted keyword", id="bad-keyword"),
    pytest.param('msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "b"\nmsgid "z"\n', 12, "missing msgstr",
                 id="missing-msgstr"),
    pytest.param('msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\n', 7,
                 "more translations than num_plurals", id="too-many-plurals"),
])
def test_po_syntax_errors_have_line_numbers(body: str, line: int, fragment: str) -> None:
    catalog, problems = parse_catalog(HEADER + body, "x.po", "zh_CN")
    assert catalog is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.code) == ("x.po", line, "po-syntax")
    assert fragment in problem.message
    assert problem.hint


@pytest.mark.parametrize("body", ['msgctxt "b"\nmsgid "z\nmsgstr "w"\n', 'msgctxt "b"\nmsgid "z"\nmsgstr "w\n'])
def test_unterminated_string_is_a_syntax_error(body: str) -> None:
    _, problems = parse_catalog(HEADER + body, "x.po", "zh_CN")
    assert [(p.line, p.code) for p in problems] == [(8 if 'msgid "z\n' in body else 9, "po-syntax")]


def test_too_few_plural_forms_is_reported() -> None:
    header = HEADER.replace("nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);").replace("zh_CN", "en")
    _, problems = parse_catalog(header + 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\n', "x.po", "en")
    assert [(p.line, p.code) for p in problems] == [(7, "po-plural")]


def test_conflict_markers_are_reported_at_their_line() -> None:
    body = 'msgctxt "a"\nmsgid "x"\n<<<<<<< HEAD\nmsgstr "y"\n=======\nmsgstr "z"\n>>>>>>> theirs\n'
    catalog, problems = parse_catalog(HEADER + body, "x.po", "zh_CN")
    assert catalog is None
    assert [(p.line, p.code) for p in problems] == [(9, "po-syntax")]
    assert "conflict" in problems[0].message and "<<<<<<<" in problems[0].hint


@pytest.mark.parametrize(("header", "fragment"), [
    (HEADER.replace('"Language: zh_CN\\n"\n', ""), "header has no Language field"),
    (HEADER.replace("Language: zh_CN", "Language: zh_TW"), "header Language is zh_TW, folder says zh_CN"),
    (HEADER.replace('"Plural-Forms: nplurals=1; plural=0;\\n"\n', ""), "header has no Plural-Forms field"),
    (HEADER.replace("charset=UTF-8", "charset=GB2312"), "catalog charset is gb2312, expected UTF-8"),
])
def test_header_problems(header: str, fragment: str) -> None:
    catalog, problems = parse_catalog(header + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n', "x.po", "zh_CN")
    assert catalog is not None
    assert [(p.line, p.code, p.message) for p in problems] == [(1, "po-header", fragment)]


def test_missing_catalog_is_po_missing(tmp_path: Path) -> None:
    catalog, problems = read_catalog(tmp_path / "nope.po", "locales/zh_CN/LC_MESSAGES/nope.po", "zh_CN")
    assert catalog is None
    (problem,) = problems
    assert (problem.file, problem.line, problem.code) == ("locales/zh_CN/LC_MESSAGES/nope.po", None, "po-missing")
    assert "carebridge i18n init --locale zh_CN" in problem.hint


def test_catalog_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(HEADER.encode() + b'msgctxt "a"\nmsgid "x"\nmsgstr "caf' + b'\xe9"\n')
    catalog, problems = read_catalog(path, "x.po", "zh_CN")
    assert catalog is None
    assert [(p.line, p.col, p.code) for p in problems] == [(9, 12, "encoding")]


@pytest.mark.parametrize(("entries", "refused"), [(40_000, False), (70_000, True)])
def test_a_catalog_past_4_mb_is_refused_before_it_is_parsed(tmp_path: Path, entries: int, refused: bool) -> None:
    # 40,000 entries of ~70 bytes (2.7 MB) are read; 70,000 (4.8 MB) would keep the checks busy for minutes.
    path = tmp_path / "x.po"
    body = "".join(f'msgctxt "junk:{i}"\nmsgid "word {i:08d} abc"\nmsgstr "词 {i:08d}"\n\n' for i in range(entries))
    path.write_text(HEADER + body, encoding="utf-8")
    catalog, problems = read_catalog(path, "x.po", "zh_CN")
    if refused:
        assert catalog is None
        assert [(p.line, p.col, p.code, p.message) for p in problems] == [(1, 1, "size", "catalog is larger than 4 MB")]
    else:
        assert catalog is not None and not [p for p in problems if p.code == "size"]


def test_stats_counts_each_state(project_tree: Path) -> None:
    catalog = reparse(translated(project_tree))
    title = lookup(catalog, "example-escalation:title", "Example escalation protocol")
    title.flags.add("fuzzy")
    lookup(catalog, "example-escalation:summary",
           "A fixture that exercises every field of the schema. Not clinical content.").string = ""
    counts = stats(catalog)
    assert (counts.total, counts.translated, counts.fuzzy, counts.untranslated, counts.obsolete) == (23, 21, 1, 1, 0)
    assert counts.percent == pytest.approx(100 * 21 / 23)


def test_lookup_strips_block_scalar_newline(project_tree: Path) -> None:
    catalog = reparse(translated(project_tree))
    source = "Measure **all** observations within 15 minutes.\n\n- Respiratory rate\n- Oxygen saturation\n"
    entry = lookup(catalog, "example-escalation:steps.assess.instructions", source)
    assert entry is not None and entry.string.startswith("译文")
    assert lookup(catalog, "example-escalation:steps.monitor.instructions", source) is None


# --- merge: #| kept, nothing shared, nothing duplicated ------------------------------------------

def test_update_twice_keeps_previous_msgid_with_a_fresh_template(project_tree: Path) -> None:
    # As the CLI runs it: a new template object each time (a shared one hid the bug).
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Continue close monitoring")
    once = render_catalog(merge(reparse(before), template_of(project_tree)))
    twice = render_catalog(merge(reparse(once), template_of(project_tree)))
    assert '#| msgid "Continue monitoring"' in twice
    assert twice == once


def test_merging_one_template_into_two_locales_shares_no_suggestion(project_tree: Path) -> None:
    before = translated(project_tree)
    untouched = render_catalog(new_catalog(template_of(project_tree), "zh_TW", "example-escalation"))
    edit(project_tree, "  - id: monitor\n", "  - id: observe\n")
    edit(project_tree, "goto: monitor", "goto: observe")
    template = template_of(project_tree)
    merge(reparse(before), template)  # zh_CN: the renamed step gets its old translation as fuzzy
    other, problems = parse_catalog(untouched, "zh_TW.po", "zh_TW")
    assert problems == [] and other is not None
    merge(other, template)  # zh_TW had nothing there: the new entry must be empty, not zh_CN's
    entry = lookup(other, "example-escalation:steps.observe.title", "Continue monitoring")
    assert entry is not None and not entry.string and not entry.fuzzy and not entry.previous_id
    assert not any(m.string for m in template if m.id)


def test_text_changed_twice_keeps_the_text_the_translation_was_made_for(project_tree: Path) -> None:
    before = translated(project_tree)
    edit(project_tree, "title: Continue monitoring", "title: Continue close monitoring")
    once = render_catalog(merge(reparse(before), template_of(project_tree)))
    edit(project_tree, "title: Continue close monitoring", "title: Continue very close monitoring")
    twice = reparse(render_catalog(merge(reparse(once), template_of(project_tree))))
    entry = lookup(twice, "example-escalation:steps.monitor.title", "Continue very close monitoring")
    assert entry is not None and entry.fuzzy and entry.previous_id == ["Continue monitoring"]  # like msgmerge


def test_a_fuzzy_entry_that_goes_obsolete_comes_back_fuzzy(project_tree: Path) -> None:
    catalog = reparse(translated(project_tree))
    title = lookup(catalog, "example-escalation:steps.monitor.title", "Continue monitoring")
    title.flags.add("fuzzy")  # not reviewed yet: must never be shown as a translation
    original = (project_tree / PROTOCOL).read_text(encoding="utf-8")
    edit(project_tree, "title: Continue monitoring", "title: Something else entirely, nothing alike")
    middle = render_catalog(merge(catalog, template_of(project_tree), fuzzy=False))
    assert '#, fuzzy\n#~ msgctxt "example-escalation:steps.monitor.title"' in middle
    (project_tree / PROTOCOL).write_text(original, encoding="utf-8")
    back = merge(reparse(middle), template_of(project_tree))
    entry = lookup(back, "example-escalation:steps.monitor.title", "Continue monitoring")
    assert entry is not None and entry.string.startswith("译文") and entry.fuzzy


def test_an_entry_that_comes_back_untranslated_leaves_no_obsolete_copy(project_tree: Path) -> None:
    # msgfmt refuses an obsolete entry beside a live one with the same msgctxt and msgid.
    catalog = new_catalog(template_of(project_tree), "zh_CN", "example-escalation")
    title = lookup(catalog, "example-escalation:steps.monitor.title", "Continue monitoring")
    title.user_comments = ["术语待定"]  # work without a translation yet
    original = (project_tree / PROTOCOL).read_text(encoding="utf-8")
    edit(project_tree, "title: Continue monitoring", "title: Something else entirely, nothing alike")
    middle = render_catalog(merge(reparse(render_catalog(catalog)), template_of(project_tree), fuzzy=False))
    assert "#~ msgid \"Continue monitoring\"" in middle
    (project_tree / PROTOCOL).write_text(original, encoding="utf-8")
    back = reparse(render_catalog(merge(reparse(middle), template_of(project_tree))))
    assert not back.obsolete
    entry = lookup(back, "example-escalation:steps.monitor.title", "Continue monitoring")
    assert entry is not None and entry.user_comments == ["术语待定"]


def test_very_long_text_is_not_fuzzy_matched(project_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Similarity costs length x length; past FUZZY_MAX_LENGTH the old translation stays obsolete.
    from carebridge.i18n import catalog as catalog_module

    long_summary = "x" * 9_000  # past FUZZY_MAX_LENGTH, short of the longest text a file may hold
    edit(project_tree, f"summary: {SUMMARY}", f"summary: {long_summary}")
    before = translated(project_tree)
    edit(project_tree, f"summary: {long_summary}", f"summary: {long_summary}y")
    compared: list[int] = []
    real = catalog_module.process.extractOne

    def recording(query: str, choices: dict[int, str], **kwargs: object) -> object:
        compared.append(max(len(query), *map(len, choices.values())))
        return real(query, choices, **kwargs)

    monkeypatch.setattr(catalog_module.process, "extractOne", recording)
    merged = merge(reparse(before), template_of(project_tree))
    assert all(length <= catalog_module.FUZZY_MAX_LENGTH for length in compared)
    entry = lookup(merged, "example-escalation:summary", f"{long_summary}y")
    assert entry is not None and not entry.string
    assert [m.id for m in merged.obsolete.values()] == [long_summary]  # the translation is kept, not lost


def test_one_line_header_is_read_like_a_multi_line_one() -> None:
    one_line = ('msgid ""\nmsgstr "Language: zh_CN\\nPlural-Forms: nplurals=1; plural=0;\\n'
                'Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "y"\n')
    for text in (one_line, HEADER + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n'):
        catalog, problems = parse_catalog(text, "x.po", "zh_CN")
        assert problems == [] and catalog is not None
        assert (str(catalog.locale_identifier), catalog.num_plurals) == ("zh_CN", 1)


@pytest.mark.parametrize("forms", ["nplurals=0; plural=0;", "plural=0;", "nplurals=1;"])
def test_plural_forms_without_a_usable_nplurals_is_an_error(forms: str) -> None:
    _, problems = parse_catalog(HEADER.replace("nplurals=1; plural=0;", forms) + 'msgid "x"\nmsgstr "y"\n',
                                "x.po", "zh_CN")
    assert [(p.line, p.code) for p in problems] == [(1, "po-header")]
    assert "needs nplurals of 1 or more" in problems[0].message


def test_catalog_that_cannot_be_read_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "x.po").mkdir()  # e.g. a folder where the catalog should be
    catalog, problems = read_catalog(tmp_path / "x.po", "x.po", "zh_CN")
    assert catalog is None
    assert [(p.code, p.message) for p in problems] == [("po-read", "is a folder, not a file")]


def test_translator_comment_starting_with_a_bar_is_kept() -> None:
    # "# | ..." is a translator's comment; only "#|" is previous text.
    text = HEADER + '# | 表格：剂量 | 频次\n#, fuzzy\n#| msgid "old"\nmsgctxt "a"\nmsgid "x"\nmsgstr "y"\n'
    catalog = reparse(text)
    entry = catalog.get("x", "a")
    assert (entry.user_comments, entry.previous_id) == (["| 表格：剂量 | 频次"], ["old"])
    assert "# | 表格：剂量 | 频次\n#, fuzzy\n#| msgid \"old\"\n" in render_catalog(catalog)


PARAGRAPHS = "#\n# 审校：李护士\n#\n# 第二段：剂量已核对\n#\n# 第二段：剂量已核对\n"  # empty lines and a line said twice


def test_a_translators_comment_is_kept_line_for_line_through_read_and_write() -> None:
    # Babel keeps one of each repeated comment line: the second "#" parting paragraphs would vanish
    text = HEADER + PARAGRAPHS + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n'
    entry = reparse(text).get("x", "a")
    assert entry.user_comments == ["", "审校：李护士", "", "第二段：剂量已核对", "", "第二段：剂量已核对"]
    assert render_catalog(reparse(text)).endswith(PARAGRAPHS + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n')


def test_merge_keeps_a_translators_comment_line_for_line_whatever_becomes_of_its_entry(project_tree: Path) -> None:
    before = translated(project_tree).replace("# 审校：李护士\n", PARAGRAPHS, 1)
    for old, new in (("title: Continue monitoring", "title: Continue monitoring closely"),  # fuzzy
                     ("title: Example escalation protocol", "title: Example escalation protocol")):  # kept
        edit(project_tree, old, new)
    after = render_catalog(merge(reparse(before), template_of(project_tree)))
    assert after.count(PARAGRAPHS) == 1
    assert PARAGRAPHS + "#. " in after  # still above the same (now fuzzy) entry's extracted comment
    edit(project_tree, "title: Continue monitoring closely", "title: Something else altogether, to be obsolete")
    gone = render_catalog(merge(reparse(after), template_of(project_tree), fuzzy=False))
    assert gone.count(PARAGRAPHS) == 1 and PARAGRAPHS + '#, fuzzy\n#~| msgid "Continue monitoring"\n' in gone
    assert render_catalog(reparse(gone)) == gone


# A tab, two spaces, trailing spaces and a line longer than the writer's width: Babel strips and wraps them.
AS_WRITTEN = ("#\ttab note\n#  two-space note  \n# " + "剂量已由两名护士核对并记录在用药单上，" * 5 + "\n"
              "#no space after the hash\n")


def test_a_translators_comment_is_kept_as_written_whatever_becomes_of_its_entry(project_tree: Path) -> None:
    before = translated(project_tree).replace("# 审校：李护士\n", AS_WRITTEN, 1)
    assert render_catalog(reparse(before)) == before  # read and written back: byte for byte
    edit(project_tree, "title: Continue monitoring", "title: Continue monitoring closely")  # fuzzy now
    after = render_catalog(merge(reparse(before), template_of(project_tree)))
    assert after.count(AS_WRITTEN) == 1 and AS_WRITTEN + "#. " in after
    edit(project_tree, "title: Continue monitoring closely", "title: Something else altogether, to be obsolete")
    gone = render_catalog(merge(reparse(after), template_of(project_tree), fuzzy=False))
    assert gone.count(AS_WRITTEN) == 1 and AS_WRITTEN + '#, fuzzy\n#~| msgid "Continue monitoring"\n' in gone
    assert render_catalog(reparse(gone)) == gone


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_a_catalog_saved_with_crlf_or_cr_line_ends_keeps_every_translation(ending: str) -> None:
    repo = Path(__file__).resolve().parents[1]
    text = (repo / "locales" / "zh_CN" / "LC_MESSAGES" / "fever-under-five.po").read_text(encoding="utf-8")
    expected, _ = parse_catalog(text, "x.po", "zh_CN", "fever-under-five")
    found, problems = parse_catalog(text.replace("\n", ending), "x.po", "zh_CN", "fever-under-five")
    assert problems == [] and expected is not None and found is not None
    assert [(m.context, m.id, m.string, m.lineno) for m in found] == [(m.context, m.id, m.string, m.lineno)
                                                                       for m in expected]
    assert sum(1 for m in found if m.id and m.string) >= 30


def test_a_catalog_with_a_byte_order_mark_is_read_and_warned_at_its_first_byte(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    raw = (repo / "locales" / "zh_CN" / "LC_MESSAGES" / "fever-under-five.po").read_bytes()
    plain, bom = tmp_path / "plain.po", tmp_path / "bom.po"
    plain.write_bytes(raw)
    bom.write_bytes(b"\xef\xbb\xbf" + raw)
    expected, none = read_catalog(plain, "plain.po", "zh_CN")
    found, problems = read_catalog(bom, "bom.po", "zh_CN")
    assert none == [] and expected is not None and found is not None
    assert [(m.context, m.string) for m in found] == [(m.context, m.string) for m in expected]
    assert [(p.line, p.col, p.code, p.severity.value) for p in problems] == [(1, 1, "po-bom", "warning")]


_PLAIN_HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: zh_CN\\n"\n'
                 '"Plural-Forms: {forms}\\n"\n\n')


@pytest.mark.parametrize(("forms", "body", "said"), [
    ("nplurals=1; plural=0;", 'msgid "a"\nmsgstr[5] "b"\n', "msgstr[N] in an entry without msgid_plural"),
    ("nplurals=1; plural=0;", 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "needs msgstr[0]"),
    ("nplurals=1; plural=__import__('os').getpid();", 'msgid "a"\nmsgstr "b"\n', "is not a gettext expression"),
])
def test_what_msgfmt_refuses_in_plurals_is_reported_by_line(forms: str, body: str, said: str) -> None:
    _, problems = parse_catalog(_PLAIN_HEADER.format(forms=forms) + body, "x.po", "zh_CN", "x")
    assert any(said in p.message and p.line is not None for p in problems), problems


@pytest.mark.parametrize("forms", ["nplurals=1; plural=0;", "nplurals=2; plural=(n != 1);",
                                   "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                                   "(n%100<10 || n%100>=20) ? 1 : 2);"])
def test_gettext_plural_expressions_are_accepted(forms: str) -> None:
    _, problems = parse_catalog(_PLAIN_HEADER.format(forms=forms) + 'msgid "a"\nmsgstr "b"\n', "x.po", "zh_CN", "x")
    assert [p for p in problems if "Plural-Forms" in p.message] == []


@pytest.mark.parametrize("field", ["msgid", "msgstr"])
def test_a_message_longer_than_any_protocol_text_refuses_the_catalog_quickly(field: str) -> None:
    # 10,001 "[": each Markdown link rule would scan the rest of the line from every one of them
    long = "[" * 10_001
    entry = f'msgid "{long}"\nmsgstr ""\n' if field == "msgid" else f'msgid "Give 1 g."\nmsgstr "{long}"\n'
    text = 'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n\nmsgid "short"\nmsgstr "短"\n\n' + entry
    catalog, problems = parse_catalog(text, "x.po", "zh_CN")
    assert catalog is None
    (problem,) = problems
    assert (problem.code, problem.line) == ("po-size", 8) and "10,001 characters" in problem.message


def test_a_message_as_long_as_a_protocol_text_is_read() -> None:
    text = f'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n\nmsgid "{"a" * 10_000}"\nmsgstr "{"文" * 10_000}"\n'
    catalog, problems = parse_catalog(text, "x.po", "zh_CN")
    assert catalog is not None and not [p for p in problems if p.code == "po-size"]


@pytest.mark.parametrize("flags", ["#, c-format fuzzy", "#,fuzzy", "#, fuzzy,", "#,  c-format,fuzzy  python-format",
                                   "#, fuzzy\tc-format"])
def test_a_flag_line_is_parted_as_msgfmt_parts_it_so_fuzzy_is_never_missed(flags: str) -> None:
    """msgfmt reads flags apart at commas and white space: "#, c-format fuzzy" is a fuzzy entry, which
    must never be shown as a current translation."""
    body = f'{flags}\nmsgctxt "a"\nmsgid "Give 1 g."\nmsgstr "给予1 g。"\n'
    catalog, problems = parse_catalog(HEADER + body, "x.po", "zh_CN")
    assert catalog is not None and [p for p in problems if p.severity.value == "error"] == []
    (message,) = [m for m in catalog if m.id]
    assert message.fuzzy and "fuzzy" in message.flags


def test_a_flag_that_only_contains_fuzzy_is_not_fuzzy() -> None:
    body = '#, no-fuzzy-format\nmsgctxt "a"\nmsgid "Give 1 g."\nmsgstr "给予1 g。"\n'
    catalog, _ = parse_catalog(HEADER + body, "x.po", "zh_CN")
    assert catalog is not None and not next(m for m in catalog if m.id).fuzzy
