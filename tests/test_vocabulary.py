"""safety/vocabulary.py: the concept lists read together never share an id."""

from __future__ import annotations

from collections import Counter

import yaml

from carebridge.safety.vocabulary import DATA_FILES, vocabulary

# The contrast check counts the contrasts, the kinds (kinds and conditions) and the kinds of staff
# (roles) together, by concept id: one id in two of them would count two concepts as one.
LAYERS = ("contrast", "kind", "role")


def test_the_layers_read_together_share_no_concept_id() -> None:
    from importlib import resources

    folder = resources.files("carebridge.safety") / "data"
    ids: Counter[str] = Counter()
    for name in DATA_FILES[:-1]:
        data = yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8")) or {}
        for category, section in data.items():
            if category in LAYERS:
                ids.update(str(concept) for concept in (section.get("concepts") or {}))
    assert [concept for concept, n in ids.items() if n > 1] == []
    assert {"staff-doctor", "staff-nurse", "staff-assistant"} <= set(ids)


def test_a_doctor_named_by_grade_or_specialty_is_one_doctor() -> None:
    role = vocabulary()["role"].patterns["en"]
    text = "the consultant obstetrician, the nurse in charge and a healthcare assistant; not the doctor's orders"
    assert [(text[a:b], c.id) for a, b, c in role.finditer(text)] == [
        ("consultant obstetrician", "staff-doctor"), ("nurse in charge", "staff-nurse"),
        ("healthcare assistant", "staff-assistant"), ("doctor", "staff-doctor")]
    text = "the paediatric registrar and the ward nurse, not a nursing assistant"
    assert [(text[a:b], c.id) for a, b, c in role.finditer(text)] == [
        ("paediatric registrar", "staff-doctor"), ("ward nurse", "staff-nurse"), ("nursing assistant", "staff-assistant")]
