"""Unit and route labels (``safety/labels.py``): the site words printed beside every dose."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation
from carebridge.safety.labels import check_labels
from carebridge.source.library import DEFAULT_SCHEMA
from carebridge.source.schema import enum_labels, load_schema


@pytest.mark.parametrize(("source", "translation"), [
    ("g", "克"), ("g", "g"), ("mg", "毫克"), ("mcg", "μg"), ("mcg", "微克"), ("IU", "单位"), ("units", "单位"),
    ("units", "U"), ("mL", "毫升"), ("L", "升"), ("mmol", "毫摩尔"), ("mL/kg", "毫升/千克"), ("mcg/kg", "μg/kg"),
    ("units/kg", "单位/千克"), ("tablet", "片"), ("puff", "揿"), ("puff", "喷"),
    ("IV (intravenous)", "静脉给药（IV）"), ("PO (by mouth)", "口服（PO）"), ("IO (intraosseous)", "骨髓腔内给药（IO）"),
    ("SL (sublingual)", "舌下含服（SL）"), ("nebulised", "雾化吸入"), ("IV infusion", "静脉输注"), ("topical", "外用"),
])
def test_a_label_translated_as_the_same_unit_or_route_passes(source: str, translation: str) -> None:
    assert check_translation(source, translation) == []


@pytest.mark.parametrize(("source", "translation", "code"), [
    ("g", "mg", "units"), ("g", "毫克", "units"), ("mg", "μg", "units"), ("units", "毫升", "units"),
    ("IU", "毫单位", "units"), ("mmol", "μmol", "units"), ("mL", "L", "units"), ("mL/kg", "mg/kg", "units"),
    ("mcg/kg", "mg/kg", "units"), ("tablet", "毫克", "units"),
    ("PO (by mouth)", "静脉（PO）", "route"), ("IO (intraosseous)", "鞘内给药（IO）", "route"),
    ("SC (subcutaneous)", "皮内注射（SC）", "route"), ("IM (intramuscular)", "静脉给药", "route"),
    ("IV infusion", "静脉推注", "contrast"), ("IV infusion", "静脉注射", "contrast"),
])
def test_a_label_changed_is_an_error(source: str, translation: str, code: str) -> None:
    assert code in {f.code for f in check_translation(source, translation) if f.severity == "error"}


@pytest.mark.parametrize("text", ["Give 1 g IV.", "Oral care", "per day", "Dose", "Route", "IV access is needed",
                                  "Check the 2 g dose"])
def test_a_sentence_is_not_a_label(text: str) -> None:
    assert check_labels(text, "完全不同的译文") == []


def test_every_unit_and_route_label_of_the_schema_is_read_as_a_label() -> None:
    # A label the reader does not recognise would go unchecked: each must fail when changed.
    labels = enum_labels(load_schema(DEFAULT_SCHEMA))
    units = [label for key, values in labels.items() if key.endswith("unit") for label in values.values()]
    routes = [label for key, values in labels.items() if key.endswith("route") for label in values.values()]
    assert len(units) >= 10 and len(routes) >= 10
    for label in units:
        assert check_labels(label, "毫米汞柱"), label
    for label in routes:
        assert check_labels(label, "经阴道（PV）"), label
