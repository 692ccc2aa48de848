"""Limits said beside a number (safety/limits.py): a span ("for 4 weeks") turned into the moment it
ends (四周后), with the rule still pointing the same way."""

from __future__ import annotations

import pytest

from carebridge.safety.equivalence import check_translation


def turned(source: str, translation: str) -> bool:
    return any(f.code == "comparison" and f.severity == "error" and f.message.startswith("span turned into its end")
               for f in check_translation(source, translation))


@pytest.mark.parametrize(("source", "translation"), [
    ("Do not drive for 4 weeks after your heart attack.", "心梗后四周后请不要开车。"),
    ("Avoid heavy lifting for 6 weeks.", "6周后避免提重物。"),
    ("Take aspirin for 4 weeks.", "4周后服用阿司匹林。"),
    ("Keep the dressing dry for the first 48 hours.", "48小时后保持敷料干燥。"),
    ("Do not have sex for 2 weeks after the procedure.", "术后两周以后不要同房。"),
])
def test_a_span_said_as_its_end_is_an_error(source: str, translation: str) -> None:
    assert turned(source, translation)


@pytest.mark.parametrize(("source", "translation"), [
    ("Do not drive for 4 weeks after your heart attack.", "心梗后四周内请不要开车。"),
    ("Do not drive for 4 weeks after your heart attack.", "心梗后四周后才能开车。"),   # the same rule the other way round
    ("Avoid heavy lifting for 6 weeks.", "6周后方可提重物。"),
    ("Take aspirin for 4 weeks.", "服用阿司匹林4周。"),
    ("Wait for 6 weeks before driving.", "6周后再开车。"),                           # a wait before an act
    ("Rest for 2 days before you go back to work.", "休息2天后再返回工作岗位。"),
    ("Oral antibiotics may be considered once the child has been afebrile for 24 hours.",
     "患儿退热24小时后，可考虑使用口服抗菌药物。"),                                    # a state that has lasted
    ("Review the wound after 48 hours.", "48小时后复查伤口。"),                        # no span: a moment
])
def test_the_same_span_or_a_moment_passes(source: str, translation: str) -> None:
    assert not turned(source, translation)
