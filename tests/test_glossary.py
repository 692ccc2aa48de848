"""The glossary's other accepted renderings (``also``): read from the file, accepted by the check,
the medicine checks and the search, and refused when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.safety.equivalence import check_translation
from carebridge.safety.glossary import GlossaryTerm, check_glossary, load_glossary

FN = ("terms:\n  - en: febrile neutropenia\n    zh: 中性粒细胞缺乏伴发热\n"
      "    also: [中性粒细胞减少伴发热, 发热性中性粒细胞减少]\n"
      "  - en: dexrazoxane\n    zh: 右雷佐生\n    also: 右丙亚胺\n    kind: drug\n")


def load(tmp_path: Path, text: str = FN):  # type: ignore[no-untyped-def]
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return load_glossary(path, "g.yaml", "zh_CN")


def test_also_is_read_as_a_list_or_one_rendering(tmp_path: Path) -> None:
    glossary, problems = load(tmp_path)
    assert problems == []
    assert glossary.terms == (
        GlossaryTerm("febrile neutropenia", "中性粒细胞缺乏伴发热", also=("中性粒细胞减少伴发热", "发热性中性粒细胞减少")),
        GlossaryTerm("dexrazoxane", "右雷佐生", kind="drug", also=("右丙亚胺",)))


@pytest.mark.parametrize("translation", ["中性粒细胞缺乏伴发热：中性粒细胞计数低于0.5×10⁹/L且发热。",
                                         "中性粒细胞减少伴发热：中性粒细胞计数低于0.5×10⁹/L且发热。",
                                         "发热性中性粒细胞减少：中性粒细胞计数低于0.5×10⁹/L且发热。"])
def test_any_accepted_rendering_passes(tmp_path: Path, translation: str) -> None:
    glossary, _ = load(tmp_path)
    assert check_translation("Febrile neutropenia: a neutrophil count below 0.5 × 10⁹/L and fever.", translation,
                             glossary=glossary) == []


def test_a_rendering_the_glossary_does_not_accept_is_an_error_that_names_them_all(tmp_path: Path) -> None:
    glossary, _ = load(tmp_path)
    found = check_glossary("Febrile neutropenia is an emergency.", "粒缺发热是急症。", glossary)
    assert [(f.severity, f.message) for f in found] == [
        ("error", "glossary: source has 'febrile neutropenia', translation lacks 中性粒细胞缺乏伴发热 "
                  "(or 中性粒细胞减少伴发热, 发热性中性粒细胞减少)")]


def test_an_accepted_rendering_of_a_medicine_is_the_same_medicine(tmp_path: Path) -> None:
    glossary, _ = load(tmp_path)
    assert check_translation("Give dexrazoxane within 6 hours.", "6小时内给予右丙亚胺。", glossary=glossary) == []
    found = check_translation("Give dexrazoxane within 6 hours.", "6小时内给予二甲基亚砜。", glossary=glossary)
    assert any(f.code == "drug" and f.severity == "error" for f in found), found


def test_an_accepted_rendering_in_a_text_whose_source_lacks_the_term_is_a_warning(tmp_path: Path) -> None:
    glossary, _ = load(tmp_path)
    found = check_glossary("Fever after chemotherapy is an emergency.", "化疗后中性粒细胞减少伴发热是急症。", glossary)
    assert [(f.severity, f.message) for f in found] == [
        ("warning", "glossary: translation has 中性粒细胞减少伴发热 but source lacks 'febrile neutropenia'")]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("terms:\n  - en: dexrazoxane\n    zh: 右雷佐生\n    also: []\n", 4, "'also' must be a rendering or a list"),
    ("terms:\n  - en: dexrazoxane\n    zh: 右雷佐生\n    also: [右丙亚胺, 3]\n", 4, "'also' must be a rendering"),
    ("terms:\n  - en: dexrazoxane\n    zh: 右雷佐生\n    also: ['']\n", 4, "'also' must be a rendering"),
    ("terms:\n  - en: dexrazoxane\n    zh: 右雷佐生\n    also: ['<b>右丙亚胺</b>']\n", 4, "'also' must be a rendering"),
    ("terms:\n  - en: WeChat\n    keep: true\n    also: 微信\n", 4, "a kept term has no other renderings"),
])
def test_a_malformed_also_is_a_problem_with_a_line_and_the_term_is_left_out(tmp_path: Path, text: str, line: int,
                                                                          message: str) -> None:
    glossary, problems = load(tmp_path, text)
    assert glossary.terms == ()
    assert any(p.line == line and message in p.message and p.code == "glossary" for p in problems), problems
