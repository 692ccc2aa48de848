"""sitewords.py: every word the site prints reaches site.pot, every schema enum has a label, and
every label and word is translated in every locale; committed templates are never stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from tests.conftest import REPO, RunCli

from carebridge.i18n.sitewords import site_template, site_words, template_calls
from carebridge.source.library import Project
from carebridge.source.schema import DEFAULT_SCHEMA, ENUM_FIELDS, enum_labels, load_schema

LOCALES = sorted(p.name for p in (REPO / "locales").iterdir() if (p / "LC_MESSAGES" / "site.po").is_file())


def test_every_enum_value_has_an_english_label_in_the_schema() -> None:
    schema = load_schema(DEFAULT_SCHEMA)
    for field, path in ENUM_FIELDS.items():
        node = schema
        for key in path:
            node = node[key]
        assert set(node["x-labels"]) == set(node["enum"]), field
        assert all(label.strip() for label in node["x-labels"].values()), field


@pytest.mark.parametrize("locale", LOCALES)
def test_every_site_word_and_enum_label_is_translated(locale: str) -> None:
    with (REPO / "locales" / locale / "LC_MESSAGES" / "site.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = sorted({word for _, word in site_words()
                      if not (catalog.get(word) and catalog.get(word).string and not catalog.get(word).fuzzy)})
    assert missing == [], f"untranslated site words in {locale}: {missing}"


def test_committed_site_pot_holds_every_word_the_site_prints() -> None:
    with (REPO / "locales" / "templates" / "site.pot").open("rb") as handle:
        committed = {m.id for m in read_po(handle) if m.id}
    assert {word for _, word in site_words()} <= committed
    assert {"Not yet translated", "Translation awaits review", "Translation failed a safety check"} <= committed


def test_template_words_are_extracted_from_the_syntax_tree() -> None:
    source = '{{ tr("Doses") }} {## tr("a comment") ##} {{ word("{n} left", n=x) }} {{ tr(variable) }} {#step-1}'
    assert template_calls(source) == ["Doses", "{n} left"]


def test_a_new_enum_value_gets_a_label_without_code(tmp_path: Path) -> None:
    schema = load_schema(DEFAULT_SCHEMA)
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8").replace('"governance": "Clinical governance"',
                                                               '"governance": "Clinical governance", "midwifery": "Midwifery"')
    text = text.replace('"governance", "patient-education"]', '"governance", "patient-education", "midwifery"]')
    own = tmp_path / "protocol.schema.json"
    own.write_text(text, encoding="utf-8")
    assert enum_labels(load_schema(own))["specialty"]["midwifery"] == "Midwifery"
    assert "midwifery" not in enum_labels(schema)["specialty"]
    assert site_template(own).get("Midwifery") is not None


def test_extract_check_passes_on_the_committed_library(run_cli: RunCli) -> None:
    run = run_cli(["i18n", "extract", "--check"], cwd=REPO)
    assert run.code == 0, run.output


def test_extract_check_fails_when_a_protocol_changed_and_writes_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    tree = tmp_path / "repo"
    for name in ("protocols", "locales", "docs", "overrides"):
        shutil.copytree(REPO / name, tree / name)
    shutil.copy2(REPO / "mkdocs.yml", tree / "mkdocs.yml")
    protocol = tree / "protocols" / "urology" / "acute-urinary-retention.yaml"
    protocol.write_text(protocol.read_text(encoding="utf-8").replace("Confirm acute retention", "Confirm retention"),
                        encoding="utf-8")
    template = tree / "locales" / "templates" / "acute-urinary-retention.pot"
    before = template.read_bytes()
    run = run_cli(["i18n", "extract", "--check"], cwd=tree)
    assert run.code == 1
    assert "locales/templates/acute-urinary-retention.pot:1:1: error: [stale-template] template is out of date" in run.stdout
    assert "carebridge i18n extract" in run.stdout
    assert template.read_bytes() == before
    assert Project.at(tree).template_path("acute-urinary-retention") == template
