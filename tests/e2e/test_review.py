"""A clinician's review, end to end: sign off a catalog, build the site, change one string, and see
exactly that string's review invalidated and the translated page say so."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest

from .conftest import ZH_CATALOG, carebridge, make_tree, translate

pytestmark = pytest.mark.slow

ID = "example-escalation"
PAGE = "zh/protocols/nursing/example-escalation/index.html"
STATUS = "zh/translation-status/index.html"
PROVENANCE = "locales/zh_CN/provenance.yaml"
# Every string of the example protocol, translated so that every safety check passes.
ZH: dict[str, str] = {
    "US medical centre with a Shenzhen hospital": "美国医疗中心与深圳医院合作",
    "Example escalation protocol": "示例上报方案",
    "A fixture that exercises every field of the schema. Not clinical content.": "覆盖架构全部字段的测试样例。非临床内容。",
    "Adult inpatients on general wards": "普通病房的成年住院患者",
    "General wards of a tertiary hospital": "三级医院的普通病房",
    "Patients in the intensive care unit": "重症监护病房的患者",
    "Patients receiving end-of-life care": "接受临终关怀的患者",
    "Systolic blood pressure below 90 mmHg": "收缩压低于90 mmHg",
    "Assess the patient": "评估患者",
    "Measure **all** observations within 15 minutes.\n\n- Respiratory rate\n- Oxygen saturation":
        "在15分钟内测量**所有**观察指标。\n\n- 呼吸频率\n- 血氧饱和度",
    "Is the score 5 or more?": "评分是否为5分或以上？",
    "Yes": "是",
    "No": "否",
    "Escalate to the doctor": "上报医生",
    "Call the responsible doctor and record the time of the call.": "呼叫主管医生并记录呼叫时间。",
    "paracetamol": "对乙酰氨基酚",
    "every 6 hours": "每6小时一次",
    "4 g in 24 hours": "24小时内4 g",
    "Oxygen saturation below 90%": "血氧饱和度低于90%",
    "Continue monitoring": "继续监测",
    "Repeat observations every 4 hours.": "每4小时重复观察。",
    "Family carers at the bedside are asked to tell the nurse about any change.": "请床旁的家属陪护在患者有任何变化时告知护士。",
    "Family carers are often present around the clock on Chinese wards.": "在中国的病房里，家属陪护常常全天候在场。",
}
HEADER = """\
# Provenance of the zh_CN translations (end-to-end test copy).

example-escalation:
  translated_from: 1.1.0
  date: 2026-11-30
  method: [forward]
  translators:
    - {name: Test translator, role: nurse}   # kept through sign-off
"""


def text_of(site: Path, page: str) -> str:
    tree = lxml.html.fromstring((site / page).read_text(encoding="utf-8"))
    return " ".join(tree.xpath("//article")[0].text_content().split())


def review_row(site: Path) -> list[str]:
    tree = lxml.html.fromstring((site / STATUS).read_text(encoding="utf-8"))
    row = tree.xpath("//table[contains(@class,'cb-status')]//tbody/tr")[0]
    return [" ".join(row.xpath(f".//*[@data-count='{name}']/*[@class='cb-status__v']")[0].text_content().split())
            for name in ("reviewed", "not-reviewed")]


def review_counts(tree: Path) -> dict[str, object]:
    report = json.loads(carebridge(tree, "i18n", "stats", "--format", "json").stdout)
    return next(c["review"] for c in report["catalogs"] if c["domain"] == ID)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def approved_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An approved protocol, fully translated into zh_CN, with provenance and no review yet."""
    tree = make_tree(tmp_path_factory.mktemp("review") / "project")
    protocol = tree / "protocols" / "nursing" / f"{ID}.yaml"
    text = protocol.read_text(encoding="utf-8")
    text = text.replace("status: draft\ndemonstration: true\n", "status: approved\n")
    text = text.replace("last_reviewed:", "reviewers:\n  - name: Dr Approver\n    role: Ward lead\n    date: 2026-11-01\n"
                        "last_reviewed:")
    protocol.write_text(text, encoding="utf-8")
    translate(tree / ZH_CATALOG, ZH)
    (tree / PROVENANCE).write_text(HEADER, encoding="utf-8")
    return tree


def test_sign_off_then_one_changed_string_loses_exactly_its_review(approved_tree: Path) -> None:
    tree, site = approved_tree, approved_tree / "site"
    # Before any review: the approved protocol is not approved in Chinese, and a strict review build fails.
    assert review_counts(tree)["reviewed"] == 0
    carebridge(tree, "build")
    page = text_of(site, PAGE)
    assert "Translation not yet reviewed." in page and "No clinician has reviewed this translation yet." in page
    assert review_row(site) == ["0", "23"]
    strict = carebridge(tree, "build", "--strict", "--strict-review", check=False)
    assert strict.returncode == 1
    assert "approved, but its zh_CN translation is not fully reviewed (0 of 23 strings)" in strict.stderr

    # A bilingual clinician reviews every string and signs off.
    carebridge(tree, "i18n", "review", ID, "--locale", "zh_CN")
    assert (tree / "review" / "zh_CN" / f"{ID}.html").is_file()
    carebridge(tree, "i18n", "sign-off", ID, "--locale", "zh_CN", "--reviewer", "李医生", "--role", "Ward nurse",
               "--date", "2026-12-01")
    written = (tree / PROVENANCE).read_text(encoding="utf-8")
    assert written.startswith(HEADER + "  reviews:\n    - reviewer: 李医生\n")
    assert review_counts(tree) == {"strings": 23, "reviewed": 23, "changed": 0, "unreviewed": 0, "untranslated": 0,
                                   "complete": True, "reviewers": [{"name": "李医生", "role": "Ward nurse",
                                                                    "date": "2026-12-01", "strings": 23}]}
    carebridge(tree, "build", "--strict", "--strict-review")
    page = text_of(site, PAGE)
    assert "Translation reviewed by 李医生 (Ward nurse, 2026-12-01)." in page
    assert "not yet reviewed" not in page and "No clinician" not in page
    assert review_row(site) == ["23", "0"]

    # The translator changes one string: exactly that string's review no longer counts.
    translate(tree / ZH_CATALOG, {"Repeat observations every 4 hours.": "每4小时再次观察。"})
    counts = review_counts(tree)
    assert (counts["reviewed"], counts["changed"], counts["complete"]) == (22, 1, False)
    carebridge(tree, "build")
    page = text_of(site, PAGE)
    assert "Translation not yet reviewed." in page
    assert re.search(r"22 of 23 texts of this translation were reviewed by 李医生 \(Ward nurse, 2026-12-01\); "
                     r"the others have not been reviewed by a clinician\. 1 text\(s\) changed after review; "
                     r"their review no longer counts\.", page), page
    assert review_row(site) == ["22 1 changed since review", "1"]
    packet = (tree / "review" / "zh_CN" / f"{ID}.html")
    carebridge(tree, "i18n", "review", ID, "--locale", "zh_CN")
    assert packet.read_text(encoding="utf-8").count("changed since review</span>") == 1

    # A review naming a string the protocol no longer has: a warning at its line, so a strict build fails.
    provenance = tree / PROVENANCE
    text = provenance.read_text(encoding="utf-8")
    line = text[:text.index(f'"{ID}:title"')].count("\n") + 1
    provenance.write_text(text.replace(f'"{ID}:title"', f'"{ID}:old-title"'), encoding="utf-8")
    strict = carebridge(tree, "build", "--strict", check=False)
    assert strict.returncode == 1
    assert f"{PROVENANCE}:{line}:9: error: [provenance] {ID}.reviews.strings: reviewed string {ID}:old-title is " \
           f"not a string of {ID} any more" in strict.stderr
