"""Jurisdiction variants and hospital editions: schema, validation with positions and hints,
extraction, the safety check on a variant's own text, and what a page shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from carebridge.i18n.extract import protocol_messages
from carebridge.safety.equivalence import check_translation
from carebridge.site.edition_view import References, dose_view
from carebridge.site.localize import State, Text
from carebridge.source.edition import load_editions
from carebridge.source.library import Project, load_library
from carebridge.source.loader import load_text
from carebridge.source.model import build_protocol
from carebridge.source.validate import validate_document

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / "tests/examples/good/protocols/nursing/example-escalation.yaml").read_text(encoding="utf-8")
COUNTY = (REPO / "editions/qingshan-county.yaml").read_text(encoding="utf-8")


def with_variant(variant: str) -> str:
    anchor = "        source: {ref: "
    first_med = GOOD.index("    medications:")
    at = GOOD.index(anchor, first_med)
    end = GOOD.index("\n", at) + 1
    return GOOD[:end] + variant + GOOD[end:]


CN_VARIANT = ("        variants:\n          CN:\n            label: China label\n            amount: 0.5\n"
              "            frequency: every 6 hours\n            source: {ref: %s, section: \"2\"}\n")


def source_id() -> str:
    return GOOD.split("sources:\n", 1)[1].split("id: ", 1)[1].split("\n", 1)[0].strip()


def test_a_variant_is_its_own_message_with_its_dose_in_the_translator_comment() -> None:
    doc, _ = load_text(with_variant(CN_VARIANT % source_id()), "p.yaml")
    assert doc is not None and validate_document(doc) == []
    messages = {m.context: m for m in protocol_messages(doc)}
    freq = next(m for c, m in messages.items() if c.endswith(".variants.CN.frequency"))
    assert freq.msgid == "every 6 hours"
    assert any(c.startswith("CN dose shown beside this text:") and "0.5" in c for c in freq.comments)


def test_the_check_compares_a_variant_translation_with_the_variant_not_the_base() -> None:
    assert not [f for f in check_translation("every 6 hours", "每6小时", locale="zh_CN") if f.severity == "error"]
    assert [f for f in check_translation("every 6 hours", "每8小时", locale="zh_CN") if f.severity == "error"]


def test_the_page_jurisdiction_shows_its_variant_first() -> None:
    doc, _ = load_text(with_variant(CN_VARIANT % source_id()), "p.yaml")
    assert doc is not None
    protocol = build_protocol(doc.data)
    step = next(i for i, s in enumerate(protocol.steps) if s.medications)
    med = protocol.steps[step].medications[0]

    def text(path: tuple[str | int, ...], source: str) -> Text:
        return Text(source, "en", State.SOURCE)

    base = ("steps", step, "medications", 0)
    cn = dose_view(med, base, "CN", text, str)
    assert cn.primary.amount == "0.5" and cn.primary.label is not None and cn.primary.label.value == "China label"
    assert cn.others[0].label is None and cn.others[0].amount == f"{med.amount:g}"
    assert cn.frequency is not None and cn.frequency.value == "every 6 hours"
    en = dose_view(med, base, "", text, str)
    assert en.primary.label is None and en.others[0].amount == "0.5"


@pytest.mark.parametrize(("variant", "message"), [
    (CN_VARIANT % "no-such-source", "no source with id 'no-such-source'"),
    ("        variants:\n          China:\n            label: China label\n            source: {ref: x, section: \"1\"}\n",
     "not a valid"),
    ("        alternative: nothing-like-it\n", "no medication with id 'nothing-like-it'"),
])
def test_bad_variants_are_errors_at_their_line(variant: str, message: str) -> None:
    text = with_variant(variant)
    doc, _ = load_text(text, "p.yaml")
    assert doc is not None
    problems = validate_document(doc)
    assert problems and message in problems[0].message, problems
    first_line = text.splitlines()[problems[0].line - 1]
    assert any(word in first_line for word in ("ref", "China", "alternative", "source"))
    assert problems[0].hint


def test_a_placeholder_naming_an_unknown_role_is_an_error_with_a_suggestion() -> None:
    text = GOOD.replace("instructions: ", "instructions: Call {contact:rapid-respons}. ", 1)
    doc, _ = load_text(text, "p.yaml")
    assert doc is not None
    problems = validate_document(doc)
    assert [p.message for p in problems] == ["no role with id 'rapid-respons'"]
    assert problems[0].hint == "did you mean 'rapid-response'?"


@pytest.fixture(scope="module")
def library_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("editions")
    shutil.copytree(REPO / "protocols", root / "protocols")
    (root / "editions").mkdir()
    return Project.at(root)


def edition_problems(project: Project, text: str) -> list[str]:
    (project.root / "editions" / "qingshan-county.yaml").write_text(text, encoding="utf-8")
    library, _ = load_library(project)
    editions, problems = load_editions(project, library)
    assert not editions or not problems
    return [f"{p.line}:{p.col}: {p.message} | {p.hint}" for p in problems]


def test_the_demonstration_editions_are_clean() -> None:
    project = Project.at(REPO)
    library, _ = load_library(project)
    editions, problems = load_editions(project, library)
    assert problems == [] and [e.edition.id for e in editions] == ["qingshan-county", "riverside-international"]
    assert all(e.edition.demonstration and "(fictional)" in e.edition.name for e in editions)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("protocol: stemi-first-90-minutes", "protocol: stemi-first-90", "no protocol 'stemi-first-90' | did you mean"),
    ("step: fibrinolysis", "step: fibrinolysys", "no step 'fibrinolysys' | did you mean 'fibrinolysis'?"),
    ("  - drug: misoprostol", "  - drug: misoprostal", "no drug in the protocols 'misoprostal' | did you mean 'misoprostol'?"),
    ("  icu: {available: true}", "  icu-beds: {available: true}", "no resource 'icu-beds'"),
    ("  rapid-response:\n", "  rapid-responder:\n", "no role 'rapid-responder' | did you mean 'rapid-response'?"),
    ("    available: true\n    local_name", "    available: true\n    local_dose: {text: See the ward's dose table}\n    local_name",
     "missing required field 'source'"),
    ("    name: Rapid response team (fictional)", "    name: Rapid *response* team",
     "is not a valid"),
    # put into a step's text, a line break or a leading # or - made the rest of the step a heading or a list
    ("    name: Rapid response team (fictional)", '    name: "Rapid response team\\n\\n# Heading\\n\\n- item"',
     "is not a valid"),
    ("    name: Rapid response team (fictional)", '    name: "# Rapid response team"', "is not a valid"),
    ("    name: Rapid response team (fictional)", '    name: "- Rapid response team"', "is not a valid"),
    ("jurisdiction: CN", "jurisdiction: ZZ", "'ZZ' is no country code | write the ISO 3166 code"),
    # listed twice, stocked and not: the page showed one and dropped the other's local name
    ("  - drug: misoprostol\n", "  - drug: misoprostol\n    available: true\n    local_name: MISOLOCAL\n  - drug: Misoprostol\n",
     "'Misoprostol' is listed twice in the formulary (first as formulary[1]) | keep one entry per drug"),
])
def test_bad_editions_are_errors_at_their_line_with_a_hint(library_project: Project, old: str, new: str,
                                                          expected: str) -> None:
    assert COUNTY.count(old) == 1, old
    text = COUNTY.replace(old, new)
    found = edition_problems(library_project, text)
    assert len(found) == 1 and expected in found[0], found
    line = int(found[0].split(":", 1)[0])
    assert new.strip().split("\n")[0].split(":")[0].strip(" -") in text.splitlines()[line - 1] or "local_dose" in new


@pytest.mark.parametrize("link", ["[click](javascript:alert(1))", '![x](x" onerror="alert(1))',
                                  "[y](JaVaScRiPt&#58;alert(1))", "[z](data:text/html,x)", "j a v a script:alert(1)"])
def test_an_edition_note_links_only_to_https_pages(library_project: Project, link: str) -> None:
    # The page drops such a link (and an image ate the rest of the note): validate says so first.
    text = COUNTY.replace("      Demonstration note:", f"      {link} Demonstration note:")
    found = edition_problems(library_project, text)
    assert len(found) == 1 and "is not allowed in edition text: only http:// or https:// links" in found[0], found
    assert "note:" in text.splitlines()[int(found[0].split(":", 1)[0]) - 1]
    safe = COUNTY.replace("      Demonstration note:", "      [The guide](https://example.org/guide) Demonstration note:")
    assert edition_problems(library_project, safe) == []


def test_a_phone_that_is_no_number_gets_the_fields_description_as_hint_not_its_pattern(library_project: Project) -> None:
    found = edition_problems(library_project, COUNTY.replace("phone: ext. 8180", 'phone: "call 8180 <b>"'))
    assert len(found) == 1 and "is not a valid value" in found[0], found
    assert "An internal extension ('ext. 8123') or a full number" in found[0] and "^(ext" not in found[0]


def test_a_protocol_role_the_edition_lacks_is_reported_in_the_protocol(library_project: Project) -> None:
    text = COUNTY.replace("  pci-centre:\n    name: Transfer desk for the network PCI centre (fictional)\n"
                          "    phone: ext. 8180\n", "")
    (library_project.root / "editions" / "qingshan-county.yaml").write_text(text, encoding="utf-8")
    library, _ = load_library(library_project)
    _, problems = load_editions(library_project, library)
    # the edition's own note names the role too: reported in the edition
    assert {p.file for p in problems} == {"protocols/cardiology/stemi-first-90-minutes.yaml", "editions/qingshan-county.yaml"}
    in_protocol = [p for p in problems if p.file.startswith("protocols/")]
    assert len(in_protocol) == 2  # the cath lab activation and the transfer after fibrinolysis
    assert all("names role 'pci-centre', which edition 'qingshan-county' does not define" in p.message for p in in_protocol)
    assert all(p.line and "add `pci-centre:" in p.hint for p in in_protocol)


def test_references_name_the_role_and_in_an_edition_its_team_and_number() -> None:
    labels = {"contact": {"pci-centre": "the PCI centre"}, "resource": {}}
    text = Text("Call {contact:pci-centre}.", "en", State.SOURCE)
    assert References(labels).fill(text).value == "Call the PCI centre."
    project = Project.at(REPO)
    library, _ = load_library(project)
    editions, _ = load_editions(project, library, ["qingshan-county"])
    from carebridge.site.editions import edition_view

    view = edition_view(editions[0], None, "en", None)
    filled = References(labels, view).fill(text).value
    assert filled == "Call the PCI centre (Transfer desk for the network PCI centre (fictional), ext. 8180)."
    assert view.missing("cath-lab-24h") and not view.missing("ct") and not view.missing("urology-theatre")


def test_an_edition_name_cannot_break_out_of_materials_unescaped_site_name() -> None:
    """Material writes config.site_name unescaped in aria-label and <title> and escaped (| e) in title=."""
    from html.parser import HTMLParser

    from mkdocs.theme import Theme

    from carebridge.site.edition_view import SITE_NAME_MARK
    from carebridge.site.editions import edition_site_name, site_name_text

    name = 'Qingshan" onmouseover="alert(1)" x="<b>&amp;'
    snippet = ('<a title="{{ config.site_name | e }}" aria-label="{{ config.site_name }}">'
               "{{ config.site_name }}</a>")
    html = Theme(name="material").get_env().from_string(snippet).render(
        config={"site_name": edition_site_name("CareBridge")}).replace(SITE_NAME_MARK, site_name_text(name))
    found: list[tuple[list[tuple[str, str | None]], str]] = []

    class Anchor(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((attrs, ""))

        def handle_data(self, data: str) -> None:
            found[-1] = (found[-1][0], found[-1][1] + data)

    Anchor().feed(html)
    expected = f"CareBridge: {name}"
    assert found == [([("title", expected), ("aria-label", expected)], expected)], html


def test_mkdocs_yml_lists_each_edition_once_and_only_editions_that_exist(library_project: Project) -> None:
    from carebridge.source.editionlist import listed_problems

    (library_project.root / "editions" / "qingshan-county.yaml").write_text(COUNTY, encoding="utf-8")
    config = library_project.root / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - search\n  - carebridge:\n      languages: !ENV [NONE, []]\n"
                      "      editions: [qingshan-county, qingshan-county, qingshan-countee, ../x]\n", encoding="utf-8")
    found = [(p.file, p.line, p.col, p.message, p.hint) for p in listed_problems(library_project, config)]
    assert found == [
        ("mkdocs.yml", 6, 35, "edition 'qingshan-county' is listed twice", "remove the second entry"),
        ("mkdocs.yml", 6, 52, "no edition 'qingshan-countee' (editions/qingshan-countee.yaml)",
         "did you mean 'qingshan-county'?"),
        # `../x` (or ../../etc/passwd) was told to "add editions/../x.yaml": it is no id to make a file for
        ("mkdocs.yml", 6, 70, "'../x' is not an edition id",
         "an edition id is the name of its file in editions/ without .yaml: lowercase letters, digits and hyphens "
         "(e.g. qingshan-county); editions: qingshan-county"),
    ]
    config.write_text("plugins:\n  - carebridge:\n      editions: [qingshan-county]\n", encoding="utf-8")
    assert listed_problems(library_project, config) == []
    config.write_text("plugins:\n  - carebridge:\n      editions: qingshan-county\n", encoding="utf-8")  # a text
    assert [(p.line, p.col, p.message) for p in listed_problems(library_project, config)] == [
        (3, 17, "editions must be a list of edition ids")]
    for empty in ("", "~", "[]", "!ENV [EDITIONS, []]"):
        config.write_text(f"plugins:\n  - carebridge:\n      editions: {empty}\n", encoding="utf-8")
        assert listed_problems(library_project, config) == [], empty


def _count_loads(monkeypatch: pytest.MonkeyPatch, *modules: Any) -> list[Path]:
    """Every protocol file loaded through ``modules``' ``load_protocol``, in order."""
    from carebridge.source import library as library_module

    loads: list[Path] = []
    real = library_module.load_protocol

    def counted(project: Project, path: Path) -> Any:
        loads.append(path)
        return real(project, path)

    for module in modules:
        monkeypatch.setattr(module, "load_protocol", counted)
    return loads


def test_validate_checks_editions_without_loading_the_library_twice(tmp_path: Path, run_cli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.source import library as library_module
    from carebridge.source import librarycheck

    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copytree(REPO / "editions", tmp_path / "editions")
    (tmp_path / "editions" / "qingshan-county.yaml").write_text(
        COUNTY.replace("protocol: stemi-first-90-minutes", "protocol: stemi-first-90"), encoding="utf-8")
    loads = _count_loads(monkeypatch, library_module, librarycheck)
    run = run_cli(["validate"], cwd=tmp_path)
    assert run.code == 1 and "no protocol 'stemi-first-90'" in run.stderr + run.stdout
    protocols = sorted((tmp_path / "protocols").rglob("*.yaml"))
    assert sorted(loads) == protocols  # each protocol read once: the editions' check takes them from validation


@pytest.mark.parametrize("args", [["validate"], ["validate", "editions/"], ["validate", "editions/qingshan-county.yaml"],
                                  ["validate", "protocols/nursing", "editions/"]])
def test_validate_checks_an_edition_against_the_whole_library_however_it_is_named(tmp_path: Path, run_cli,
                                                                                   args: list[str]) -> None:
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copytree(REPO / "editions", tmp_path / "editions")
    # a role the cardiology protocol names and the county lacks: reported in the protocol (outside the
    # paths named), and a note on a step the protocol does not have: reported in the edition
    text = COUNTY.replace("  pci-centre:\n    name: Transfer desk for the network PCI centre (fictional)\n"
                          "    phone: ext. 8180\n", "")
    note = text.index("step: ", text.index("\nnotes:"))
    text = text[:note] + "step: no-such-step" + text[text.index("\n", note):]
    (tmp_path / "editions" / "qingshan-county.yaml").write_text(text, encoding="utf-8")
    run = run_cli([*args, "--format", "json"], cwd=tmp_path)
    assert run.code == 1
    found = json.loads(run.stdout)["problems"]
    roles = [p for p in found if p["code"] == "edition-role"]
    assert roles and all(p["file"] == "protocols/cardiology/stemi-first-90-minutes.yaml" and p["line"] for p in roles)
    assert any(p["code"] == "unknown-step" and p["file"] == "editions/qingshan-county.yaml" for p in found)


def test_an_edition_is_not_judged_against_a_library_with_a_broken_protocol(tmp_path: Path, run_cli) -> None:
    shutil.copytree(REPO / "protocols", tmp_path / "protocols")
    shutil.copytree(REPO / "editions", tmp_path / "editions")
    stemi = tmp_path / "protocols/cardiology/stemi-first-90-minutes.yaml"
    stemi.write_text(stemi.read_text(encoding="utf-8").replace("\nsteps:", "\nsteps: 5\nx:", 1), encoding="utf-8")
    run = run_cli(["validate", "editions/", "--format", "json"], cwd=tmp_path)
    found = json.loads(run.stdout)["problems"]
    assert run.code == 1 and any(p["file"] == stemi.relative_to(tmp_path).as_posix() for p in found)
    # its steps and drugs are gone with it: the notes naming them are not called unknown
    assert not [p for p in found if p["file"].startswith("editions/")], found


def test_a_second_protocol_with_an_id_does_not_stand_in_for_the_first(library_project: Project) -> None:
    from carebridge.source.edition import LibraryFacts, ProtocolFacts

    library, _ = load_library(library_project)
    first = ProtocolFacts.of(library[0])
    stranger = ProtocolFacts(first.id, "protocols/other/copy.yaml", frozenset({"only-here"}), frozenset(), ())
    facts = LibraryFacts.gather([first, stranger])
    assert facts.protocols[first.id] is first and "only-here" not in facts.protocols[first.id].steps


def test_update_merges_an_edition_catalog_reading_each_protocol_once(tmp_path: Path, run_cli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.i18n import commands as i18n_commands
    from carebridge.source import library as library_module

    for folder in ("protocols", "editions", "locales"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    edition = tmp_path / "editions" / "qingshan-county.yaml"
    edition.write_text(COUNTY.replace("Demonstration note: before", "Demonstration note (revised): before"),
                       encoding="utf-8")
    loads = _count_loads(monkeypatch, library_module, i18n_commands)  # update's workers load through their own name
    run = run_cli(["i18n", "update"], cwd=tmp_path)
    assert run.code == 0, run.stdout + run.stderr
    assert sorted(loads) == sorted((tmp_path / "protocols").rglob("*.yaml"))
    po = (tmp_path / "locales/zh_CN/LC_MESSAGES/edition-qingshan-county.po").read_text(encoding="utf-8")
    assert "Demonstration note (revised): before" in po and "#, fuzzy" in po  # the old translation kept, for review
    # an edition naming a step no protocol has stops the update: nothing is written
    edition.write_text(COUNTY.replace("step: ", "step: no-such-", 1), encoding="utf-8")
    before = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()}
    run = run_cli(["i18n", "update"], cwd=tmp_path)
    assert run.code == 1 and "no step 'no-such-" in run.stdout + run.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*") if p.is_file()} == before


def test_every_edition_mark_is_put_in_and_a_mark_a_theme_changed_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """The edition's name and version go into each page after it is HTML (plugin._marked): a mark
    left in the output, cut or changed by a theme's filter, would show; it is a warning, so
    --strict fails."""
    import logging

    from carebridge.site.edition_view import NAME_MARK, SITE_NAME_MARK, VERSION_MARK
    from carebridge.site.plugin import CareBridgePlugin

    plugin = CareBridgePlugin()
    plugin.marks = {VERSION_MARK: "0.2.0", NAME_MARK: "Q &amp; R", SITE_NAME_MARK: "Q &amp; R"}
    page = f"<title>P - CareBridge: {SITE_NAME_MARK}</title><p>{NAME_MARK}, {VERSION_MARK}</p>"
    with caplog.at_level(logging.WARNING):
        assert plugin._marked(page, "p.html") == "<title>P - CareBridge: Q &amp; R</title><p>Q &amp; R, 0.2.0</p>"
    assert not caplog.records
    with caplog.at_level(logging.WARNING):
        plugin._marked(f"<title>{SITE_NAME_MARK[:12]}…</title>", "p.html")  # a theme's truncate
    assert ["p.html: an edition mark is left" in r.getMessage() for r in caplog.records] == [True]
