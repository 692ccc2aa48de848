"""Hostile input found by a sweep over every command: each is a clear problem at its line and column
with a hint (exit 1), never exit 2, a traceback, a file written half-way, or markup on a page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import copy_library, edit, snapshot

from carebridge.problems import Problem

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")
EDITION = Path("editions/qingshan-county.yaml")


@pytest.fixture
def library_tree(tmp_path: Path) -> Path:
    """The repository's library, editions and catalogs, to change one file of."""
    tree = tmp_path / "library"
    copy_library(tree)
    return tree


def _problems(run) -> list[dict[str, object]]:
    return json.loads(run.stdout)["problems"]


@pytest.mark.parametrize(("written", "char"), [
    ("Repeat observations every 1\u200b0 hours.", "U+200B"),   # as typed (a copy and paste)
    ('"Repeat observations every 1\\u200b0 hours."', "U+200B"),  # as an escape in a quoted string
    ("Repeat observations every 1\u20620 hours.", "U+2062"),   # an invisible times sign
    ("Repeat observations every \uff11\u2060\uff10 hours.", "U+2060"),
    ("Repeat observations every 1\u034f0 hours.", "U+034F"),   # a combining grapheme joiner
    ("Repeat observations every 1\ufe0f0 hours.", "U+FE0F"),   # a variation selector
    ("Repeat observations every 1\U000e00200 hours.", "U+E0020"),  # a tag character
    ("Repeat observations every 1\u31640 hours.", "U+3164"),   # a Hangul filler
])
def test_an_invisible_character_inside_a_number_of_a_protocol_is_refused_where_it_is(
        project_tree: Path, run_cli, written: str, char: str) -> None:
    # The page would show 10 where the translation checks and search read 1 and 0.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.", f"    instructions: {written}")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "character"]
    assert char in str(problem["message"]) and "inside a number" in str(problem["message"])
    assert problem["line"] == 64 and problem["hint"]
    assert problem["col"] == (19 if written.startswith('"') else 19 + written.index(chr(int(char[2:], 16))))


@pytest.mark.parametrize(("written", "char"), [
    ("Repeat observations every \U0001d7e34 hours.", "U+1D7E3"),   # a mathematical sans-serif 1 before the 4
    ("Repeat observations every \u0661\u0664 hours.", "U+0661"),    # Arabic-Indic digits
    ("Repeat observations every \u20814 hours.", "U+2081"),         # a subscript one before the 4
    ('"Repeat observations every \\U0001D7CF4 hours."', "U+1D7CF"),   # a mathematical bold 1, as an escape
])
def test_a_look_alike_digit_in_a_protocol_is_refused_where_it_is(project_tree: Path, run_cli, written: str,
                                                                  char: str) -> None:
    # The page would show 14 where the translation checks and search read 4.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.", f"    instructions: {written}")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "character"]
    assert char in str(problem["message"]) and problem["line"] == 64 and "0-9" in str(problem["hint"])


def test_exponents_and_formula_indices_stay_allowed(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.",
         "Repeat observations every 4 hours; keep SpO₂ above 94% and platelets above 50 × 10⁹/L.")
    assert run_cli(["validate"], cwd=project_tree).code == 0


@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"])
def test_a_bidirectional_mark_is_refused_anywhere_in_a_protocol(project_tree: Path, run_cli, mark: str) -> None:
    # an unseen right-to-left letter: around "<" and numbers it reorders what the reader sees
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.", f"Repeat observations{mark} every 4 hours.")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "character"]
    assert f"U+{ord(mark):04X}" in str(problem["message"]) and problem["line"] == 64


def test_an_invisible_character_between_words_stays_allowed(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.", "Repeat observa\u00adtions every 4 hours.")
    assert run_cli(["validate"], cwd=project_tree).code == 0


@pytest.mark.parametrize("definition", ["[c]: ftp://example.org/chart", "  [c]: <file:///etc/passwd>",
                                        "[c]:\n      vbscript:msgbox(1)", "[c]: chart.html"])
def test_a_link_given_by_a_reference_definition_is_held_to_the_link_rule(
        project_tree: Path, run_cli, definition: str) -> None:
    # [text][c] takes its target from the definition: it passed validation where [text](ftp://…) did not.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.",
         f"    instructions: |\n      Repeat observations every 4 hours ([chart][c]).\n\n      {definition}")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = [p for p in _problems(run) if p["code"] == "unsafe-link"]
    assert problem["path"] == "steps[2].instructions" and problem["line"] == 64 and problem["hint"]


def test_a_reference_definition_to_a_public_page_stays_allowed(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.",
         "    instructions: |\n      Repeat observations every 4 hours ([chart][c]).\n\n"
         "      [c]: https://example.org/chart")
    assert run_cli(["validate"], cwd=project_tree).code == 0


@pytest.mark.parametrize("image", ["![the chart](https://example.org/chart.png)", "![the chart][c]", "![c]"])
def test_an_image_in_protocol_text_is_an_error_not_a_silent_gap_in_the_page(
        project_tree: Path, run_cli, image: str) -> None:
    # The page keeps no img (and makes no request): the image vanished, alt text and all.
    edit(project_tree / PROTOCOL, "    instructions: Repeat observations every 4 hours.",
         f"    instructions: |\n      Repeat observations every 4 hours. {image}\n\n      [c]: https://example.org/c.png")
    run = run_cli(["validate", "--format", "json"], cwd=project_tree)
    assert run.code == 1, run.output
    [problem] = _problems(run)
    assert problem["code"] == "image" and problem["path"] == "steps[2].instructions" and problem["line"] == 64
    assert "images are not shown" in str(problem["message"]) and "[the chart](https://" in str(problem["hint"])


def test_an_image_in_an_edition_note_is_an_error(library_tree: Path, run_cli) -> None:
    edit(library_tree / EDITION, "      Demonstration note:", "      ![map](https://example.org/map.png) Demonstration note:")
    run = run_cli(["validate", "--format", "json", "editions/"], cwd=library_tree)
    assert run.code == 1, run.output
    [problem] = _problems(run)
    assert problem["code"] == "image" and problem["file"] == str(EDITION) and problem["path"] == "notes[0].note"


def test_an_exclamation_mark_before_brackets_is_no_image(project_tree: Path, run_cli) -> None:
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.", "Repeat observations every 4 hours![see above]")
    assert run_cli(["validate"], cwd=project_tree).code == 0


@pytest.fixture
def catalog_tree(project_tree: Path, run_cli) -> Path:
    """The example project with its zh_CN catalogs."""
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    return project_tree


CATALOG = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")
PLURAL_ENTRY = '\nmsgctxt "example-escalation:x"\nmsgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\n'


@pytest.mark.parametrize(("forms", "message"), [
    ("nplurals=999999999; plural=n;", "nplurals=999999999, but no language has more than 6 plural forms"),
    ("nplurals=abc; plural=((((n;", "nplurals 'abc' is not a whole number"),
])
@pytest.mark.parametrize("command", [["i18n", "check"], ["i18n", "update"], ["i18n", "stats"]])
def test_a_plural_forms_header_with_a_nonsense_count_is_a_header_problem(
        catalog_tree: Path, run_cli, forms: str, message: str, command: list[str]) -> None:
    # A huge count made Babel build a list of that many texts per plural entry: MemoryError, exit 2.
    catalog = catalog_tree / CATALOG
    edit(catalog, "nplurals=1; plural=0;", forms)
    catalog.write_text(catalog.read_text(encoding="utf-8") + PLURAL_ENTRY, encoding="utf-8")
    before = snapshot(catalog_tree, "locales")
    run = run_cli(command, cwd=catalog_tree)
    assert run.code == 1, run.output
    header_line = catalog.read_text(encoding="utf-8").splitlines().index('msgid ""') + 1
    assert f"{CATALOG}:{header_line}:1: error: [po-header] header Plural-Forms {message}" in run.output
    assert 'hint: set "Plural-Forms: nplurals=1; plural=0;\\n"' in run.output
    assert snapshot(catalog_tree, "locales") == before


@pytest.mark.parametrize(("forms", "message"), [
    ("nplurals=2; plural=n;", "'n' gives form 2 for n=2, but nplurals=2 has forms 0 to 1"),
    ("nplurals=2; plural=n-5;", "'n-5' gives form -5 for n=0, but nplurals=2 has forms 0 to 1"),
    ("nplurals=2; plural=n%0;", "'n%0' divides by zero for n=0"),
    ("nplurals=2; plural=" + "(" * 600 + "n" + ")" * 600 + ";", "cannot be read (plural form expression is too long)"),
])
@pytest.mark.parametrize("command", [["i18n", "check"], ["i18n", "update"], ["i18n", "stats"]])
def test_a_plural_expression_that_picks_no_form_is_a_header_problem(
        catalog_tree: Path, run_cli, forms: str, message: str, command: list[str]) -> None:
    # Only its characters were checked: check and stats passed (exit 0), and update refused the
    # catalog as msgfmt's complaint about "a CareBridge bug", with the header's line lost.
    catalog = catalog_tree / CATALOG
    edit(catalog, "nplurals=1; plural=0;", forms)
    catalog.write_text(catalog.read_text(encoding="utf-8") + PLURAL_ENTRY + 'msgstr[1] "y"\n', encoding="utf-8")
    before = snapshot(catalog_tree, "locales")
    run = run_cli(command, cwd=catalog_tree)
    assert run.code == 1, run.output
    header_line = catalog.read_text(encoding="utf-8").splitlines().index('msgid ""') + 1
    assert f"{CATALOG}:{header_line}:1: error: [po-header] header Plural-Forms plural expression " in run.output
    assert message in run.output and 'hint: set "Plural-Forms: nplurals=1; plural=0;\\n"' in run.output
    assert "CareBridge bug" not in run.output and snapshot(catalog_tree, "locales") == before


def test_the_last_of_two_plural_forms_fields_is_the_one_checked(catalog_tree: Path, run_cli) -> None:
    # Babel keeps the last field of a name; the check must read the same one.
    edit(catalog_tree / CATALOG, '"Plural-Forms: nplurals=1; plural=0;\\n"',
         '"Plural-Forms: nplurals=1; plural=0;\\n"\n"Plural-Forms: nplurals=99999999; plural=0;\\n"')
    run = run_cli(["i18n", "check"], cwd=catalog_tree)
    assert run.code == 1 and "nplurals=99999999, but no language" in run.output, run.output


@pytest.mark.parametrize(("language", "shown"), [("../../etc", "../../etc"), ("", "empty"), ("-", "_")])
@pytest.mark.parametrize("command", [["i18n", "check"], ["i18n", "update"], ["i18n", "stats"]])
def test_a_language_header_that_is_no_locale_identifier_is_a_header_problem_at_the_header(
        catalog_tree: Path, run_cli, language: str, shown: str, command: list[str]) -> None:
    # Babel's Locale.parse raised ValueError for "../../etc": reported as "PO syntax: expected only
    # letters, got ''" at the first entry after the header, with a hint about msgid and msgstr.
    catalog = catalog_tree / CATALOG
    edit(catalog, '"Language: zh_CN\\n"', f'"Language: {language}\\n"')
    before = snapshot(catalog_tree, "locales")
    run = run_cli(command, cwd=catalog_tree)
    assert run.code == 1, run.output
    header_line = catalog.read_text(encoding="utf-8").splitlines().index('msgid ""') + 1
    assert f"{CATALOG}:{header_line}:1: error: [po-header] header Language is {shown}, folder says zh_CN" in run.output
    assert 'hint: set "Language: zh_CN\\n"' in run.output and "po-syntax" not in run.output
    assert snapshot(catalog_tree, "locales") == before


def test_an_entry_with_an_empty_msgctxt_is_kept_by_update_as_written(catalog_tree: Path, run_cli) -> None:
    # msgctxt "" is a context of its own: the writer dropped it, so update refused as "a CareBridge bug"
    # with no line. The entry names no message of the protocol: it is kept, obsolete, with its msgctxt.
    catalog = catalog_tree / CATALOG
    catalog.write_text(catalog.read_text(encoding="utf-8") + '\nmsgctxt ""\nmsgid "Empty context"\nmsgstr "空"\n',
                       encoding="utf-8")
    run = run_cli(["i18n", "update"], cwd=catalog_tree)
    assert run.code == 0, run.output
    assert '#~ msgctxt ""\n#~ msgid "Empty context"\n#~ msgstr "空"\n' in catalog.read_text(encoding="utf-8")
    before = snapshot(catalog_tree, "locales")
    assert run_cli(["i18n", "update"], cwd=catalog_tree).code == 0
    assert snapshot(catalog_tree, "locales") == before


def test_a_translation_made_two_ways_is_reported_at_line_and_column(catalog_tree: Path, run_cli) -> None:
    # The consistency warning named its line without a column: 'file:27: warning:'.
    catalog = catalog_tree / CATALOG
    edit(catalog, 'msgid "Assess the patient"\nmsgstr ""', 'msgid "Assess the patient"\nmsgstr "评估患者"')
    catalog.write_text(catalog.read_text(encoding="utf-8")
                       + '\nmsgctxt "example-escalation:other"\nmsgid "Assess the patient"\nmsgstr "检查病人"\n',
                       encoding="utf-8")
    run = run_cli(["i18n", "check", "--format", "json"], cwd=catalog_tree)
    found = [p for p in _problems(run) if p["code"] == "consistency"]
    assert found and all(p["line"] and p["col"] == 1 and p["hint"] for p in found), found
    text = run_cli(["i18n", "check"], cwd=catalog_tree).output
    assert f"{CATALOG}:{found[0]['line']}:1: warning: [consistency]" in text


@pytest.mark.parametrize("command", [["validate"], ["validate", "editions/"]])
def test_a_protocol_that_does_not_load_leaves_the_editions_naming_it_alone(
        library_tree: Path, run_cli, command: list[str]) -> None:
    # Both editions were told their tamsulosin was 'no drug in the protocols': the one protocol that
    # doses it had failed to load. Only the protocol's own error is reported now.
    edit(library_tree / "protocols/urology/acute-urinary-retention.yaml", "  - id: failed-trial", "  - id: Failed_Trial")
    run = run_cli([*command, "--format", "json"], cwd=library_tree)
    assert run.code == 1, run.output
    errors = [p for p in _problems(run) if p["severity"] == "error"]
    assert [(p["file"], p["path"]) for p in errors] == [("protocols/urology/acute-urinary-retention.yaml", "steps[5].id")]


@pytest.mark.parametrize(("record", "line", "message"), [
    ("  translated_from: \"<script>alert(1)</script>\"\n  date: 2026-11-30\n", 2,
     "translated_from must be a version such as 1.2.0"),
    ("  translated_from: 1.1.0\n  date: \"<img src=x onerror=alert(1)>\"\n", 3, "date must be a date such as 2026-11-30"),
    ("  translated_from: 1.1.0\n  date: 2026-02-30\n", 3, "date must be a date such as 2026-11-30"),
])
def test_a_provenance_record_that_is_no_version_or_no_date_is_refused(
        catalog_tree: Path, run_cli, record: str, line: int, message: str) -> None:
    # Any text passed as the version or date the status page and stats show.
    (catalog_tree / "locales/zh_CN/provenance.yaml").write_text("example-escalation:\n" + record, encoding="utf-8")
    run = run_cli(["i18n", "stats"], cwd=catalog_tree)
    assert run.code == 1, run.output
    assert f"locales/zh_CN/provenance.yaml:{line}:" in run.output and message in run.output
    assert "hint: write " in run.output


@pytest.mark.parametrize("command", [["i18n", "check"], ["i18n", "stats"], ["i18n", "review", "example-escalation"],
                                     ["i18n", "sign-off", "example-escalation", "--reviewer", "A", "--role", "B"]])
@pytest.mark.parametrize(("locale", "message"), [("zh-CN", "unknown locale 'zh-CN'"),
                                                 ("../../outside", "unknown locale '../../outside'")])
def test_a_locale_argument_that_is_no_locale_is_a_usage_error(
        catalog_tree: Path, run_cli, command: list[str], locale: str, message: str) -> None:
    # review and sign-off read locales/../../outside/… (and would write the packet there); check and
    # stats checked no catalog and said all was well.
    before = snapshot(catalog_tree)
    run = run_cli([*command, "--locale", locale], cwd=catalog_tree)
    assert run.code == 2, run.output
    assert f"<command line>: error: [usage] {message}" in run.output and "hint: " in run.output
    assert snapshot(catalog_tree) == before


@pytest.mark.parametrize("command", [["i18n", "check"], ["i18n", "stats"]])
def test_checking_a_locale_that_has_no_catalogs_is_a_usage_error_not_a_pass(
        catalog_tree: Path, run_cli, command: list[str]) -> None:
    # "i18n check --locale fr" (a typo in CI) said "0 catalogs checked: no problems" and exit 0.
    run = run_cli([*command, "--locale", "fr"], cwd=catalog_tree)
    assert run.code == 2, run.output
    assert "<command line>: error: [usage] locale fr does not exist yet" in run.output
    assert "hint: start it with `carebridge i18n init --locale fr`" in run.output


def test_a_bump_summary_with_an_invisible_character_inside_a_number_is_refused(project_tree: Path, run_cli) -> None:
    # The summary passed bump's own check, then the rewritten file failed the reader: internal error, exit 2.
    before = snapshot(project_tree)
    run = run_cli(["bump", PROTOCOL, "--summary", "Paracetamol 1\u200b0 mg dose"], cwd=project_tree)
    assert run.code == 1, run.output
    assert "<command line>: error: [summary] the summary holds the control, bidirectional or invisible character " \
           "U+200B, which validate refuses" in run.output and "hint: " in run.output
    assert snapshot(project_tree) == before


@pytest.mark.parametrize("target", ["mkdocs.yml", "glossary.yaml"])
def test_bump_of_a_file_with_no_version_says_what_it_bumps(project_tree: Path, run_cli, target: str) -> None:
    # bump of a glossary said "cannot bump version 'None'" and that its history was no list.
    path = project_tree / target
    if not path.exists():
        path.write_text("terms:\n  - en: oxytocin\n    zh: 缩宫素\n", encoding="utf-8")
    before = snapshot(project_tree)
    run = run_cli(["bump", target, "--summary", "Wording"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{target}:1:1: error: [version] not a protocol or hospital edition: it has no version or history" \
        in run.output and "hint: bump a file of protocols/ or editions/" in run.output
    assert "None" not in run.output and snapshot(project_tree) == before


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bump_keeps_a_windows_files_line_ends_and_byte_order_mark(project_tree: Path, run_cli, bom: bytes) -> None:
    # ruamel kept the CR only on comment lines: a CRLF file came back with mixed line ends, every
    # line of it changed in the diff; the byte order mark was dropped.
    path = project_tree / PROTOCOL
    plain = path.read_bytes()
    path.write_bytes(bom + plain.replace(b"\n", b"\r\n"))
    run = run_cli(["bump", PROTOCOL, "--summary", "Wording"], cwd=project_tree)
    assert run.code == 0, run.output
    written = path.read_bytes()
    assert written.startswith(bom + b"# yaml-language-server") and written.count(b"\r\n") == written.count(b"\n")
    assert written.count(b"\n") == plain.count(b"\n") + 3  # the history entry, nothing else
    assert run_cli(["validate", PROTOCOL], cwd=project_tree).code == 0


def test_bump_keeps_an_old_mac_files_line_ends_and_a_closing_document_marker(project_tree: Path, run_cli) -> None:
    # A CR-only file came back with mixed line ends (4 CRLF, 14 CR, 228 LF), and "..." was dropped.
    path = project_tree / PROTOCOL
    plain = path.read_bytes() + b"...\n"
    path.write_bytes(plain.replace(b"\n", b"\r"))
    run = run_cli(["bump", PROTOCOL, "--summary", "Wording"], cwd=project_tree)
    assert run.code == 0, run.output
    written = path.read_bytes()
    assert b"\n" not in written and written.count(b"\r") == plain.count(b"\n") + 3
    assert written.endswith(b"\r...\r")
    path.write_bytes(written.replace(b"\r", b"\n"))
    assert run_cli(["validate", PROTOCOL], cwd=project_tree).code == 0


@pytest.mark.parametrize("prefix", ["../locales", "/tmp/carebridge-elsewhere", "zh/../../docs"])
def test_a_language_prefix_outside_the_site_is_refused_before_anything_is_written(
        catalog_tree: Path, run_cli, prefix: str) -> None:
    # The language was built into site/<prefix>/, emptied first: "../locales" deleted every catalog
    # and template of the project (exit 0); an absolute prefix wrote anywhere on the disk.
    edit(catalog_tree / "mkdocs.yml", "          prefix: zh\n", f"          prefix: {prefix}\n")
    line = (catalog_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(f"          prefix: {prefix}") + 1
    before = snapshot(catalog_tree)
    for command in (["build"], ["validate"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, run.output
        assert f"mkdocs.yml:{line}:19: error: [config] plugins.carebridge.languages[1].prefix: prefix '{prefix}' is " \
               "not a folder inside the site" in run.output and "hint: write a folder name inside the site" in run.output
    assert snapshot(catalog_tree) == before and not Path("/tmp/carebridge-elsewhere").exists()


def test_mkdocs_itself_refuses_a_language_prefix_outside_the_site(catalog_tree: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    edit(catalog_tree / "mkdocs.yml", "          prefix: zh\n", "          prefix: ../locales\n")
    with pytest.raises((Abort, ConfigurationError)):
        load_config(config_file=str(catalog_tree / "mkdocs.yml"))


@pytest.mark.parametrize(("old", "new", "field"), [
    ("          name: 简体中文\n", "          name: \"<img src=x onerror=alert(1)>简体\"\n", "name"),  # the menu, as markup
    ("          lang: zh-Hans\n", "          lang: 'zh\" onfocus=\"alert(1)'\n", "lang"),  # out of hreflang="…"
    ("          theme_language: zh\n", "          theme_language: ../../../etc/passwd\n", "theme_language"),  # traceback
    ("        - locale: zh_CN\n", "        - locale: ../../x\n", "locale"),  # internal error, exit 2
])
def test_a_language_option_that_would_become_markup_or_a_path_is_refused_at_its_line(
        catalog_tree: Path, run_cli, old: str, new: str, field: str) -> None:
    edit(catalog_tree / "mkdocs.yml", old, new)
    line = (catalog_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(new.rstrip("\n")) + 1
    before = snapshot(catalog_tree)
    for command in (["build"], ["validate"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)
        assert f"mkdocs.yml:{line}:" in run.output and f"error: [config] plugins.carebridge.languages[1].{field}: " \
               f"{field} " in run.output and "hint: write " in run.output and "Traceback" not in run.output
    assert snapshot(catalog_tree) == before


def test_a_site_name_with_markup_is_refused_at_its_line(catalog_tree: Path, run_cli, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    # Material prints site_name into every page's header unescaped: an <img> from a tracker loaded on
    # every page (a third-party request), and the build said nothing (exit 0).
    edit(catalog_tree / "mkdocs.yml", "site_name: CareBridge\n",
         'site_name: "CareBridge<img src=https://tracker.example/p.png>"\n')
    before = snapshot(catalog_tree)
    for command in (["build"], ["validate"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)
        assert "mkdocs.yml:2:12: error: [config] site_name: site_name 'CareBridge<img src=https://tracker.example/" \
               "p.png>' holds markup, which every page would show as it is" in run.output
        assert "hint: write the site's name as plain text" in run.output
    assert snapshot(catalog_tree) == before

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = load_config(config_file=str(catalog_tree / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):  # mkdocs build refuses too (the plugin's error is logged)
        build(config)
    assert "holds markup" in caplog.text and not (tmp_path / "site").exists()


def test_a_quote_in_the_translation_of_a_colour_scheme_toggle_stays_inside_its_attribute(
        catalog_tree: Path, run_cli) -> None:
    # Material prints the toggle's name into title="…" and aria-label="…" as it is: the translation
    # below added onmouseover="alert(…)" to every page of the Chinese site (check and build exit 0).
    attack = '切换到浅色" onmouseover="alert(document.domain)" x="'
    edit(catalog_tree / "locales/zh_CN/LC_MESSAGES/site.po", 'msgid "Switch to the light scheme"\nmsgstr ""',
         'msgid "Switch to the light scheme"\nmsgstr "' + attack.replace('"', '\\"') + '"')
    edit(catalog_tree / "mkdocs.yml", "name: Switch to the dark scheme (night shift)",
         "name: 'Night \"shift\" <b>'")  # a project's own name, as written in mkdocs.yml
    assert run_cli(["build"], cwd=catalog_tree).code == 0
    for page in ("site/index.html", "site/zh/index.html", "site/zh/protocols/nursing/example-escalation/index.html"):
        text = (catalog_tree / page).read_text(encoding="utf-8")
        assert 'onmouseover="' not in text and "<b>" not in text, page
        assert 'title="Night &#34;shift&#34; &lt;b&gt;"' in text, page
    zh = (catalog_tree / "site/zh/index.html").read_text(encoding="utf-8")
    assert 'title="切换到浅色&#34; onmouseover=&#34;alert(document.domain)&#34; x=&#34;"' in zh


@pytest.mark.parametrize(("option", "value", "char"), [
    ("--reviewer", "Dr \u202eLi Wei", "U+202E"),       # a bidirectional override, copied from a web page
    ("--role", "obstetri\u200bcian 2\u200b0", "U+200B"),  # an invisible character inside a number
    ("--notes", "checked\x07", "U+0007"),
    ("--reviewer", "Dr Li\udcff", "U+DCFF"),          # a byte the terminal could not decode as UTF-8
])
def test_a_sign_off_whose_reviewer_role_or_notes_holds_a_hidden_character_is_refused(
        catalog_tree: Path, run_cli, option: str, value: str, char: str) -> None:
    # The rewritten provenance.yaml failed its own reader: internal error (exit 2), file left as it was.
    edit(catalog_tree / CATALOG, 'msgid "Assess the patient"\nmsgstr ""', 'msgid "Assess the patient"\nmsgstr "评估患者"')
    (catalog_tree / "locales/zh_CN/provenance.yaml").write_text(
        "example-escalation:\n  translated_from: 1.1.0\n  date: 2026-11-30\n", encoding="utf-8")
    before = snapshot(catalog_tree)
    options = {"--reviewer": "Dr Li Wei", "--role": "obstetrician", "--notes": "", option: value}
    run = run_cli(["i18n", "sign-off", "example-escalation", "--locale", "zh_CN", *sum(options.items(), ())],
                  cwd=catalog_tree)
    assert run.code == 1, run.output
    assert f"<command line>: error: [sign-off] {option} holds the control, bidirectional or invisible character " \
           f"{char}, which provenance.yaml may not hold" in run.output and "hint: type the " in run.output
    assert snapshot(catalog_tree) == before


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--reviewer", "<img src=x onerror=alert(1)>", "holds raw HTML"),
    ("--role", '"><script>alert(1)</script>', "holds raw HTML"),
    ("--reviewer", "Dr " + "Li" * 5_001, "is 10,005 characters long (at most 200)"),   # was an internal error (exit 2)
    ("--role", "obstetrician " * 20, "is 259 characters long (at most 200)"),   # (a line break is a space: collapsed)
])
def test_a_sign_off_whose_reviewer_or_role_is_no_plain_name_is_refused(catalog_tree: Path, run_cli, option: str,
                                                                       value: str, said: str) -> None:
    edit(catalog_tree / CATALOG, 'msgid "Assess the patient"\nmsgstr ""', 'msgid "Assess the patient"\nmsgstr "评估患者"')
    before = snapshot(catalog_tree)
    options = {"--reviewer": "Dr Li Wei", "--role": "obstetrician", option: value}
    run = run_cli(["i18n", "sign-off", "example-escalation", "--locale", "zh_CN", *sum(options.items(), ())],
                  cwd=catalog_tree)
    assert run.code == 1 and f"<command line>: error: [sign-off] {option} {said}" in run.output, run.output
    assert snapshot(catalog_tree) == before


@pytest.mark.parametrize(("step_id", "other"), [
    ("sources", "the Sources section"), ("cb-arrow", "the flowchart's arrowheads"),
    ("source-fixture-source", "source fixture-source's entry"), ("step-assess-body", "step assess's text"),
])
def test_a_step_id_that_is_already_an_anchor_of_its_page_is_refused(
        project_tree: Path, run_cli, step_id: str, other: str) -> None:
    # The page then had two elements with the id: the decision's "go to" link and the flowchart's
    # jumped to the Sources section (or the arrowheads vanished), and validate said nothing (exit 0).
    path = project_tree / PROTOCOL
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: monitor\n", f"  - id: {step_id}\n")
                    .replace("goto: monitor", f"goto: {step_id}"), encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{PROTOCOL}:62:9: error: [step-anchor] steps[2].id: step id '{step_id}' is the page's anchor for " \
           f"{other}: links to the step would go there" in run.output
    assert f"hint: give the step another id, e.g. '{step_id}-step'" in run.output


def test_every_anchor_of_a_protocol_page_but_its_steps_is_one_a_step_may_not_take(catalog_tree: Path, run_cli) -> None:
    # Keeps validate's list of the page's own anchors in step with the templates.
    import re

    from carebridge.source.validate import page_anchor

    assert run_cli(["build"], cwd=catalog_tree).code == 0
    steps = {"assess", "escalate", "monitor"}
    for page in ("protocols/nursing/example-escalation", "zh/protocols/nursing/example-escalation",
                 "compare/example-escalation"):
        html = (catalog_tree / "site" / page / "index.html").read_text(encoding="utf-8")
        title = re.search(r'<h1 id="([^"]+)"', html)
        ids = set(re.findall(r' id="([^"]+)"', html)) - steps - {title.group(1) if title else ""}
        assert {i for i in ids if not i.startswith("__") and page_anchor(i) is None} == set(), page


@pytest.mark.parametrize(("field", "value"), [("locales_dir", "../shared-locales"), ("protocols_dir", "/tmp"),
                                              ("locales_dir", "locales/../../x")])
@pytest.mark.parametrize("command", [["i18n", "extract"], ["i18n", "init", "--locale", "fr"], ["validate"], ["build"]])
def test_a_plugin_folder_outside_the_project_is_refused_before_anything_is_read_or_written(
        project_tree: Path, run_cli, field: str, value: str, command: list[str]) -> None:
    # extract and init wrote templates and catalogs into ../shared-locales (exit 0); validate read
    # every YAML file under /tmp as a protocol, and bump would have rewritten one there.
    default = {"locales_dir": "locales", "protocols_dir": "protocols"}[field]
    edit(project_tree / "mkdocs.yml", f"      {field}: {default}\n", f"      {field}: {value}\n")
    line = (project_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(f"      {field}: {value}") + 1
    outside = project_tree.parent / "shared-locales"
    before = snapshot(project_tree)
    run = run_cli(command, cwd=project_tree)
    assert run.code == 1, run.output
    assert f"mkdocs.yml:{line}:{len(field) + 9}: error: [config] plugins.carebridge.{field}: {field} '{value}' is not " \
           "a folder inside the project" in run.output
    assert f"hint: write a folder of the project, relative to mkdocs.yml, such as {default}" in run.output
    assert snapshot(project_tree) == before and not outside.exists() and not (project_tree.parent / "x").exists()


def test_python_tags_in_mkdocs_yml_never_run_outside_a_build(catalog_tree: Path, run_cli, tmp_path: Path) -> None:
    # validate, i18n and sources run on pull requests (pre-commit, CI): mkdocs.yml was read with
    # MkDocs' loader, which runs !!python/object/apply, so validate ran a command from the file.
    marker = tmp_path / "ran"
    text = (catalog_tree / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("site_name: CareBridge\n", f'site_name: !!python/object/apply:os.system ["touch {marker}"]\n', 1)
    # a Python tag MkDocs users write for extension options is read as text, not refused
    text += ("markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
             "          class: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n")
    (catalog_tree / "mkdocs.yml").write_text(text, encoding="utf-8")
    for command in (["validate"], ["i18n", "check"], ["i18n", "stats"], ["sources"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code in (0, 1) and "Traceback" not in run.output and "internal error" not in run.output, \
            (command, run.output)
        assert not marker.exists(), command

    from carebridge.site.config import read_config

    raw = read_config(catalog_tree / "mkdocs.yml")
    assert raw["site_name"] == "!!python/object/apply:os.system"
    assert raw["markdown_extensions"][0]["pymdownx.superfences"]["custom_fences"][0]["format"] == \
        "!!python/name:pymdownx.superfences.fence_code_format"
    assert not marker.exists()


@pytest.mark.parametrize(("old", "new", "where", "message"), [
    ("site_name: CareBridge\n", "site_name: CareBridge\nsite_url: 'https://x.example/\"><script>alert(1)</script>'\n",
     "site_url", "site_url 'https://x.example/\"><script>alert(1)</script>' is not a plain address"),
    ("site_name: CareBridge\n", "site_name: CareBridge\ncopyright: '<img src=https://tracker.example/p.png>'\n",
     "copyright", "holds markup, which every page would show as it is"),
    ("site_name: CareBridge\n", "site_name: CareBridge\nextra_javascript:\n  - https://cdn.example/x.js\n",
     "extra_javascript[0]", "extra_javascript 'https://cdn.example/x.js' is loaded from another server"),
    ("site_name: CareBridge\n", "site_name: CareBridge\nextra_css:\n  - //cdn.example/x.css\n",
     "extra_css[0]", "extra_css '//cdn.example/x.css' is loaded from another server"),
    ("site_name: CareBridge\n", "site_name: CareBridge\nextra_javascript:\n  - path: HTTPS://cdn.example/m.js\n    type: module\n",
     "extra_javascript[0]", "is loaded from another server"),
    ("theme:\n", "theme:\n  favicon: https://cdn.example/favicon.png\n", "theme.favicon", "is loaded from another server"),
])
def test_page_options_with_markup_or_another_server_are_refused_at_their_line(
        catalog_tree: Path, run_cli, old: str, new: str, where: str, message: str) -> None:
    # Material writes site_url into every page's links and copyright into every footer as they are,
    # and every page loads extra_javascript, extra_css, the logo and the favicon: a script from a
    # pull request's mkdocs.yml, or a request to another server from every page (exit 0 before).
    edit(catalog_tree / "mkdocs.yml", old, new)
    lines = (catalog_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if ("example" in text or "<img" in text) and "#" not in text)
    before = snapshot(catalog_tree)
    for command in (["validate"], ["build"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)
        assert f"mkdocs.yml:{line}:" in run.output and f"error: [config] {where}: " in run.output \
            and message in run.output and "hint: " in run.output and "Traceback" not in run.output, run.output
    assert snapshot(catalog_tree) == before


def test_page_options_of_the_project_itself_pass(catalog_tree: Path, run_cli) -> None:
    edit(catalog_tree / "mkdocs.yml", "site_name: CareBridge\n",
         "site_name: CareBridge\nsite_url: https://carebridge.example/\ncopyright: Copyright &copy; 2026 CareBridge\n"
         "extra_css:\n  - assets/local.css\n")
    assert run_cli(["validate"], cwd=catalog_tree).code == 0


def test_an_alias_bomb_in_mkdocs_yml_is_refused_before_mkdocs_reads_it(catalog_tree: Path, run_cli) -> None:
    # MkDocs expands every alias while it checks its settings: nine levels of ten were a build that
    # never ended (killed after 300 s).
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = (catalog_tree / "mkdocs.yml").read_text(encoding="utf-8")
    (catalog_tree / "mkdocs.yml").write_text(text + "extra:\n" + "".join(f"  {level}\n" for level in levels),
                                             encoding="utf-8")
    before = snapshot(catalog_tree)
    for command in (["validate"], ["build"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)
        assert "error: [config] mkdocs.yml's aliases expand to more than 100,000 values" in run.output, run.output
        assert "mkdocs.yml:" in run.output and "Traceback" not in run.output
    assert snapshot(catalog_tree) == before
    # aliases that stay small are MkDocs' business, and pass
    (catalog_tree / "mkdocs.yml").write_text(text + "extra:\n  a: &a [x, y]\n  b: *a\n", encoding="utf-8")
    assert run_cli(["validate"], cwd=catalog_tree).code == 0


def test_a_mkdocs_yml_that_is_a_folder_is_refused(catalog_tree: Path, run_cli) -> None:
    (catalog_tree / "mkdocs.yml").unlink()
    (catalog_tree / "mkdocs.yml").mkdir()
    for command in (["validate"], ["build"], ["i18n", "check"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)  # build ended in IsADirectoryError (exit 2)
        assert "mkdocs.yml:1:1: error: [config] mkdocs.yml is not a file" in run.output and "hint: " in run.output, run.output


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_inside_a_translation_is_a_hidden_character_not_a_broken_line(
        catalog_tree: Path, run_cli, separator: str) -> None:
    # PO lines end at \n only (msgfmt, Babel); the grammar also ended one at U+2028 or U+0085 and
    # called the string unclosed, and update refused its own file ("does not read back").
    path = catalog_tree / CATALOG
    text = path.read_text(encoding="utf-8")
    anchor = 'msgid "Systolic blood pressure below 90 mmHg"\nmsgstr ""'
    assert anchor in text
    path.write_text(text.replace(anchor, anchor[:-2] + f'"收缩压低于{separator}90 mmHg"'), encoding="utf-8")
    line = path.read_text(encoding="utf-8").split("\n").index('msgid "Systolic blood pressure below 90 mmHg"') + 1
    run = run_cli(["i18n", "check"], cwd=catalog_tree)
    assert run.code == 1 and "not closed" not in run.output, run.output
    assert f"{CATALOG.as_posix()}:{line}:1: error: [character]" in run.output
    assert f"U+{ord(separator):04X} in translation" in run.output
    run = run_cli(["i18n", "update"], cwd=catalog_tree)
    assert run.code == 0 and "read back" not in run.output, run.output
    from carebridge.i18n.catalog import read_catalog

    catalog, problems = read_catalog(path, CATALOG.as_posix(), "zh_CN")  # kept: the check says what to do
    assert catalog is not None and not [p for p in problems if p.severity.value == "error"]
    assert [m.string for m in catalog if m.id == "Systolic blood pressure below 90 mmHg"] == [f"收缩压低于{separator}90 mmHg"]


HUGE = "1" + "0" * 5000  # more digits than Python turns into an int (4,300)


def test_a_version_thousands_of_digits_long_is_refused_by_validate_and_bump(project_tree: Path, run_cli) -> None:
    # validate passed it (the schema's pattern has no length), and bump ended in ValueError
    # ("Exceeds the limit (4300 digits) for integer string conversion"): internal error, exit 2.
    path = project_tree / PROTOCOL
    path.write_text(path.read_text(encoding="utf-8").replace("1.1.0", f"{HUGE}.0.0"), encoding="utf-8")
    before = snapshot(project_tree)
    for command in (["validate"], ["bump", PROTOCOL, "--summary", "Wording"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1 and "internal error" not in run.output, run.output
        assert f"{PROTOCOL}:5:10: error: [number] a number of more than 100 digits" in run.output and "hint: " in run.output
    assert snapshot(project_tree) == before
    # a version the reader lets through is held to the schema's nine digits a part, and bump to the same
    path.write_text(path.read_text(encoding="utf-8").replace(f"{HUGE}.0.0", f"{HUGE[:60]}.0.0"), encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{PROTOCOL}:5:10: error: version: string \"10000" in run.output and "hint: write MAJOR.MINOR.PATCH" in run.output
    run = run_cli(["bump", PROTOCOL, "--summary", "Wording"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{PROTOCOL}:5:10: error: [version] version: cannot bump version '{HUGE[:37]}...': not " \
           "MAJOR.MINOR.PATCH" in run.output and "hint: " in run.output

    from carebridge.workflow.versioning import Version

    assert Version.parse(f"{HUGE}.0.0") is None and Version.parse("999999999.0.1") == Version(999999999, 0, 1)


@pytest.mark.parametrize("number", [HUGE, f"{HUGE}/3", "1" + ",000" * 1500, "１" * 5000])
def test_a_number_thousands_of_digits_long_in_protocol_text_is_refused_where_it_is(
        project_tree: Path, run_cli, number: str) -> None:
    # validate and extract passed it (exit 0); the translation checks then read it as an int.
    edit(project_tree / PROTOCOL, "Repeat observations every 4 hours.", f"Repeat observations every {number} hours.")
    for command in (["validate"], ["i18n", "extract"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1, (command, run.output)
        assert f"{PROTOCOL}:64:45: error: [number] a number of more than 100 digits" in run.output
        assert "hint: no dose, count or code has more than 100 digits" in run.output


@pytest.mark.parametrize("number", [HUGE, f"{HUGE}/7", "1" + ",000" * 1500, "九" * 5000, "１" * 5000, "0." + HUGE])
def test_a_number_thousands_of_digits_long_in_a_translation_is_a_finding_not_a_crash(
        catalog_tree: Path, run_cli, number: str) -> None:
    # i18n check (and a build, which checks every translation it shows) ended in ValueError
    # "Exceeds the limit (4300 digits) for integer string conversion": internal error, exit 2.
    edit(catalog_tree / CATALOG, 'msgid "Repeat observations every 4 hours."\nmsgstr ""',
         f'msgid "Repeat observations every 4 hours."\nmsgstr "每{number}小时重复观察一次。"')
    line = (catalog_tree / CATALOG).read_text(encoding="utf-8").splitlines().index(
        'msgid "Repeat observations every 4 hours."') + 1
    run = run_cli(["i18n", "check"], cwd=catalog_tree)
    assert run.code == 1 and "internal error" not in run.output, run.output
    assert f"{CATALOG}:{line}:1: error: [numbers] example-escalation:steps.monitor.instructions: a number " \
           "of more than 100 digits in the translation" in run.output and "hint: " in run.output

    from carebridge.safety.equivalence import check_translation

    assert [f.code for f in check_translation(f"Repeat every {number} hours.", "每4小时重复。")] == ["numbers"]


def test_a_file_name_that_is_not_utf8_is_shown_as_its_bytes_in_valid_utf8_output(project_tree: Path, run_console) -> None:
    # The byte reached the output as it was: validate's text and --format json were not UTF-8, so a
    # CI step reading the JSON failed on it (UnicodeDecodeError) instead of reporting the problem.
    folder = bytes(project_tree / PROTOCOL.parent)
    (project_tree / PROTOCOL).rename(Path(folder.decode("utf-8", "surrogateescape") + "/ex\udcffample.yaml"))
    run = run_console(["validate", "--format", "json"], cwd=project_tree)  # text=True: strict UTF-8
    assert run.code == 1, run.output
    [problem] = _problems(run)
    assert problem["file"] == "protocols/nursing/ex\\xffample.yaml" and problem["code"] == "id-mismatch"
    run = run_console(["validate"], cwd=project_tree)
    assert run.code == 1 and "protocols/nursing/ex\\xffample.yaml:3:5: error: [id-mismatch]" in run.output, run.output

    from carebridge.problems import Severity
    from carebridge.report import as_github

    github = as_github([Problem(Severity.ERROR, "a\udcff.yaml", 1, 1, "", "bad \ud800", "", "x")])
    assert github.encode("utf-8") and "a\\xff.yaml" in github and "bad \\ud800" in github


@pytest.mark.parametrize(("extra", "line", "col", "message"), [
    ('msgctxt "example-escalation:dangling"\n', 1, 1, "msgctxt without a msgid after it"),
    ('msgctxt "example-escalation:a"\nmsgstr "译文"\n', 2, 1, "msgstr without a msgid before it"),
    ('msgstr "stray"\n', 1, 1, "msgstr without a msgid before it"),
    ('msgid_plural "stray"\n', 1, 1, "msgid_plural without a msgid before it"),
    ('#~ msgctxt "example-escalation:gone"\n', 1, 4, "msgctxt without a msgid after it"),
    ('msgctxt "a"\nmsgctxt "b"\nmsgid "c"\nmsgstr "d"\n', 1, 1, "msgctxt without a msgid after it"),
])
def test_a_po_entry_without_its_msgid_is_a_syntax_error_as_for_msgfmt(
        catalog_tree: Path, run_cli, extra: str, line: int, col: int, message: str) -> None:
    # msgfmt (and so Weblate) refuses these files; check passed them (exit 0) and update dropped the
    # lines, the translation in them included, without a word.
    path = catalog_tree / CATALOG
    text = path.read_text(encoding="utf-8") + "\n"
    path.write_text(text + extra, encoding="utf-8")
    line += text.count("\n")
    before = snapshot(catalog_tree, "locales")
    for command in (["i18n", "check"], ["i18n", "update"], ["i18n", "stats"]):
        run = run_cli(command, cwd=catalog_tree)
        assert run.code == 1, (command, run.output)
        assert f"{CATALOG}:{line}:{col}: error: [po-syntax] {message}" in run.output and "hint: " in run.output, \
            run.output
    assert snapshot(catalog_tree, "locales") == before


def test_terminal_control_sequences_from_a_file_are_written_out_as_escapes(catalog_tree: Path, run_cli) -> None:
    # A msgctxt quoted in a problem (or a file name) reached the terminal as it was: ESC ] 0 ; … BEL set
    # the title of the reviewer's terminal, and other sequences can rewrite what the log shows.
    edit(catalog_tree / CATALOG, 'msgctxt "example-escalation:title"\nmsgid "Example escalation protocol"\nmsgstr ""',
         'msgctxt "example-escalation:title\x1b]0;all checks passed\x07"\nmsgid "Example escalation protocol"\n'
         'msgstr "示例\x1b[2J方案"')
    run = run_cli(["i18n", "check"], cwd=catalog_tree)
    assert run.code == 1, run.output
    assert "\x1b" not in run.output and "\x07" not in run.output, run.output
    assert "example-escalation:title\\x1b]0;all checks passed\\x07" in run.output

    from carebridge.problems import Severity
    from carebridge.report import as_github, as_text

    problem = Problem(Severity.ERROR, "x\x1b[31m.yaml", 1, 1, "", "bad \x9b2J \u202eevil", "", "x")
    for shown in (as_text([problem]), as_github([problem])):
        assert not any(c in shown for c in "\x1b\x9b\u202e") and "x\\x1b[31m.yaml" in shown and "\\u202e" in shown


_ZH_LANGUAGE = "        - locale: zh_CN\n"


@pytest.mark.parametrize(("prefix", "fragment"), [
    ("assets", "prefix 'assets' is a folder or page the site already has (assets/)"),  # took the pages' scripts
    ("search", "prefix 'search' is a folder or page the site already has (search/)"),
    ("editions/zh", "prefix 'editions/zh' is a folder or page the site already has (editions/)"),
    ("about", "prefix 'about' is a folder or page the site already has (about/)"),  # a page of docs/en
])
@pytest.mark.parametrize("command", [["validate"], ["build"]])
def test_a_language_prefix_that_is_one_of_the_sites_own_folders_is_refused_before_anything_is_built(
        project_tree: Path, run_cli, prefix: str, fragment: str, command: list[str]) -> None:
    edit(project_tree / "mkdocs.yml", "          prefix: zh\n", f"          prefix: {prefix}\n")
    line = (project_tree / "mkdocs.yml").read_text(encoding="utf-8").splitlines().index(f"          prefix: {prefix}") + 1
    run = run_cli(command, cwd=project_tree)
    assert run.code == 1, run.output
    assert f"mkdocs.yml:{line}:19: error: [config] plugins.carebridge.languages[1].prefix: {fragment}" in run.output
    assert not (project_tree / "site").exists()


@pytest.mark.parametrize(("locale", "prefix", "fragment"), [
    ("zh_Hant", "zh", "prefix 'zh' is also languages[1]'s: the two languages would build into one place"),
    ("zh_Hant", "zh/hant", "prefix 'zh/hant' and 'zh' lie one inside the other"),
    ("zh_CN", "zh-cn", "locale 'zh_CN' is also languages[1]'s"),
    ("zh_Hant", "", "prefix '' is also languages[0]'s"),  # over the English site
])
def test_two_languages_that_would_build_into_one_place_are_refused(project_tree: Path, run_cli, locale: str,
                                                                  prefix: str, fragment: str) -> None:
    text = (project_tree / "mkdocs.yml").read_text(encoding="utf-8")
    block = text[text.index(_ZH_LANGUAGE):]
    block = block[:block.index("          prefix: zh\n") + len("          prefix: zh\n")]
    third = block.replace("locale: zh_CN", f"locale: {locale}").replace("prefix: zh\n", f'prefix: "{prefix}"\n')
    (project_tree / "mkdocs.yml").write_text(text.replace(block, block + third), encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert "error: [config] plugins.carebridge.languages[2]." in run.output and fragment in run.output, run.output


def test_a_language_prefix_of_its_own_still_validates(project_tree: Path, run_cli) -> None:
    edit(project_tree / "mkdocs.yml", "          prefix: zh\n", "          prefix: zh-hans\n")
    run = run_cli(["validate"], cwd=project_tree)
    assert "[config]" not in run.output, run.output


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ("  font: false", "  font: {text: Roboto}", "Material loads its fonts from Google Fonts unless theme.font is false"),
    ("  font: false", "  font: true", "Material loads its fonts from Google Fonts unless theme.font is false"),
    ("  font: false", "", "Material loads its fonts from Google Fonts unless theme.font is false"),  # Roboto by default
    ("site_name:", "extra:\n  analytics: {provider: google, property: G-XXXXXXX}\nsite_name:",
     "extra.analytics loads a script from another server on every page"),
])
def test_material_options_that_call_another_server_are_refused(project_tree: Path, run_cli, old: str, new: str,
                                                                fragment: str) -> None:
    text = (project_tree / "mkdocs.yml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(old))
    (project_tree / "mkdocs.yml").write_text(text.replace(line, new, 1), encoding="utf-8")
    for command in (["validate"], ["build"]):
        run = run_cli(command, cwd=project_tree)
        assert run.code == 1 and "error: [config] " in run.output and fragment in run.output, run.output
    assert not (project_tree / "site").exists()
