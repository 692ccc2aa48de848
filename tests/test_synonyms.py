"""synonyms.py: editors' synonyms files, and every alias in the shipped files leads to a word the library uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from carebridge.site.synonyms import Synonym, load_synonyms, normalize, unused_terms

REPO = Path(__file__).resolve().parents[1]


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return []


def library_text(locale: str) -> list[str]:
    """What the protocols say in one language: the YAML for English, the catalogs' translations for others."""
    if locale == "en":
        return [s for path in sorted((REPO / "protocols").rglob("*.yaml"))
                for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    out: list[str] = []
    for path in sorted((REPO / "locales" / locale / "LC_MESSAGES").glob("*.po")):
        if path.stem != "site":
            with path.open("rb") as handle:
                out += [m.string for m in read_po(handle) if isinstance(m.string, str) and m.string]
    return out


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_every_alias_points_at_a_term_the_library_uses(locale: str) -> None:
    path = REPO / "locales" / locale / "synonyms.yaml"
    entries, problems = load_synonyms(path, str(path))
    assert problems == []
    assert len(entries) >= 10
    assert [s.term for s in unused_terms(entries, library_text(locale))] == []


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_an_alias_is_not_also_a_term_of_another_meaning(locale: str) -> None:
    entries, _ = load_synonyms(REPO / "locales" / locale / "synonyms.yaml", locale)
    for s in entries:
        assert normalize(s.term) not in {normalize(a) for a in s.aliases}, s


def test_the_issue_examples_are_declared() -> None:
    en, _ = load_synonyms(REPO / "locales" / "en" / "synonyms.yaml", "en")
    zh, _ = load_synonyms(REPO / "locales" / "zh_CN" / "synonyms.yaml", "zh_CN")
    pairs = {(normalize(a), normalize(s.term)) for s in en + zh for a in s.aliases}
    assert {("txa", "tranexamic acid"), ("lmwh", "low-molecular-weight heparin"), ("hemorrhage", "haemorrhage"),
            ("心梗", "心肌梗死"), ("催产素", "缩宫素")} <= pairs


def test_load_reports_bad_entries_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("terms:\n  - term: oxytocin\n    aliases: [Syntocinon]\n  - term: heparin\n"
                    "  - term: aspirin\n    aliases: ASA\n    colour: red\n", encoding="utf-8")
    entries, problems = load_synonyms(path, "synonyms.yaml")
    assert entries == [Synonym("oxytocin", ("Syntocinon",), 2)]
    assert [(p.line, p.path) for p in problems] == [(4, "terms[1].aliases"), (5, "terms[2]")]
    assert all(p.file == "synonyms.yaml" and p.hint for p in problems)


def test_missing_file_is_no_synonyms_and_broken_yaml_is_a_problem(tmp_path: Path) -> None:
    assert load_synonyms(tmp_path / "none.yaml", "none.yaml") == ([], [])
    bad = tmp_path / "bad.yaml"
    bad.write_text("terms: [\n", encoding="utf-8")
    entries, problems = load_synonyms(bad, "bad.yaml")
    assert entries == [] and problems[0].code == "synonyms"


def test_unused_terms_match_whole_words_and_plurals() -> None:
    entries = [Synonym("tumour", ("tumor",)), Synonym("mi", ("x",)), Synonym("心肌梗死", ("心梗",))]
    assert unused_terms(entries, ["solid tumours", "midwife", "急性心肌梗死"]) == [entries[1]]


def test_unused_terms_agree_with_a_whole_word_regex_on_random_texts() -> None:
    """The scan looks for the phrase as plain text and checks boundaries at its hits only; it must
    decide as one regex with word boundaries (and optional plural) over the whole text would."""
    import random
    import re

    def by_regex(text: str, phrase: str) -> bool:
        left = r"(?<![a-z0-9])" if phrase[:1].isascii() else ""
        right = r"(?:e?s)?(?![a-z0-9])" if phrase[-1:].isascii() else ""
        return re.search(left + re.escape(phrase) + right, text) is not None

    rnd = random.Random(7)
    alphabet = "ab s1-产后e.\n"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        term = "".join(rnd.choice(alphabet.strip()) for _ in range(rnd.randint(1, 4))).strip() or "a"
        entry = Synonym(term, ("x",))
        assert (unused_terms([entry], [text]) == []) == by_regex(normalize(text), normalize(term)), (text, term)


@pytest.mark.parametrize(("text", "where", "message"), [
    ("- term: oxytocin\n", (1, 1), "must be a mapping with `terms:`, not a list"),
    ("oxytocin\n", (1, 1), "must be a mapping with `terms:`, not a single value"),
    ("terms:\n  oxytocin: [Syntocinon]\n", (2, 3), "`terms` must be a list of entries, not a mapping"),
    ("terms: [\n", (2, 1), "YAML syntax: did not find expected node content"),
])
def test_a_malformed_synonyms_file_is_an_error_with_its_shape_as_hint(tmp_path: Path, text: str,
                                                                       where: tuple[int, int], message: str) -> None:
    # A list, a scalar, `terms:` as a mapping or broken YAML was a build warning with no hint (and
    # `terms:` as a mapping read "unknown key 'terms'"); validate said nothing.
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    entries, problems = load_synonyms(path, "synonyms.yaml")
    assert entries == [] and [(p.line, p.col) for p in problems] == [where] and message in problems[0].message
    assert "`terms:` then a list of `- term:" in problems[0].hint


def test_validate_reports_a_malformed_synonyms_file(project_tree: Path, run_cli) -> None:
    (project_tree / "locales" / "en").mkdir(parents=True)
    (project_tree / "locales" / "en" / "synonyms.yaml").write_text("- TXA\n", encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert run.stdout.startswith("locales/en/synonyms.yaml:1:1: error: [synonyms] a synonyms file must be a mapping")
    assert "hint: a synonyms file is `terms:` then a list" in run.stdout


@pytest.mark.parametrize(("text", "line", "message"), [
    ("terms:\n  - term: oxytocin\n    aliases: &a [Syntocinon]\n  - term: carbetocin\n    aliases: *a\n", 3,
     "anchors, aliases and tags"),
    ("terms:\n  - term: oxytocin\n    aliases: !!python/tuple [Syntocinon]\n", 3, "anchors, aliases and tags"),
    ("terms:\n  - term: oxytocin\n    aliases: [\"<img src=x onerror=alert(1)>\"]\n", 3, "raw HTML"),
    ("terms:\n  - term: emergency number\n    aliases: [EMS, 120]\n", 3, "alias '120' is a number"),
])
def test_a_synonyms_file_is_held_to_the_project_s_yaml_and_html_rules(tmp_path: Path, text: str, line: int,
                                                                       message: str) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    entries, problems = load_synonyms(path, "synonyms.yaml")
    assert entries == [] and [p.line for p in problems] == [line] and message in problems[0].message
    assert problems[0].hint


def test_a_term_is_not_found_across_two_texts_and_a_repeated_text_counts_once() -> None:
    # The texts are read as one corpus, each distinct text once: a term split between two texts
    # is not in the library, and whether a text repeats changes nothing.
    entries = [Synonym("oxytocin infusion", ()), Synonym("oxytocin", ())]
    assert unused_terms(entries, ["Give oxytocin", "infusion over 4 hours"]) == [entries[0]]
    assert unused_terms(entries, ["Give oxytocin"] * 3 + ["an oxytocin infusion"]) == []
