"""packet.py and the review commands: the reviewer's printable packet, sign-off and stats from the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from tests.conftest import snapshot

from carebridge.i18n.packet import render_packet, review_packet
from carebridge.i18n.reviews import fingerprint
from carebridge.source.library import Project

ID = "example-escalation"
PO = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")
PROVENANCE = Path("locales/zh_CN/provenance.yaml")
PACKET = Path("review/zh_CN/example-escalation.html")
HOSTILE = "<script>alert(1)</script>"
ZH = {
    "Example escalation protocol": "示例上报方案" + HOSTILE,   # blocked: raw HTML
    "Systolic blood pressure below 90 mmHg": "收缩压低于80 mmHg",  # blocked: number changed
    "paracetamol": "对乙酰氨基酚",
    "Repeat observations every 4 hours.": "每4小时重复观察。",
    "Continue monitoring": "继续监测",  # fuzzy below
}


@pytest.fixture
def tree(project_tree: Path, run_cli) -> Path:  # type: ignore[no-untyped-def]
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    with (project_tree / PO).open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if isinstance(message.id, str) and message.id in ZH:
            message.string = ZH[message.id]
            if message.id == "Continue monitoring":
                message.flags.add("fuzzy")
    with (project_tree / PO).open("wb") as handle:
        write_po(handle, catalog, width=76)
    (project_tree / PROVENANCE).write_text(f"{ID}:\n  translated_from: 1.1.0\n  method: [forward]\n",
                                           encoding="utf-8")
    return project_tree



def test_packet_sets_every_string_side_by_side_with_findings_and_fingerprints(tree: Path) -> None:
    packet, problems = review_packet(Project.at(tree), ID, "zh_CN")
    assert problems == [] and packet is not None
    assert len(packet.rows) == 23 and [r.number for r in packet.rows] == list(range(1, 24))
    rows = {r.english: r for r in packet.rows}
    assert rows["paracetamol"].status == "unreviewed" and rows["paracetamol"].findings == ()
    assert rows["paracetamol"].fingerprint == fingerprint(f"{ID}:steps.escalate.medications.paracetamol.drug",
                                                          "paracetamol", "对乙酰氨基酚")
    assert [f.code for f in rows["Systolic blood pressure below 90 mmHg"].findings] == ["numbers"]
    assert rows["Continue monitoring"].status == "fuzzy"
    assert rows["Adult inpatients on general wards"].status == "untranslated"
    assert rows["Adult inpatients on general wards"].fingerprint == ""
    html = render_packet(packet)
    assert html == render_packet(review_packet(Project.at(tree), ID, "zh_CN")[0])  # type: ignore[arg-type]
    # Every text escaped; the page asks for nothing outside itself.
    assert HOSTILE not in html and "示例上报方案&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<(script|link|img|iframe)\b|\b(src|href)=|url\(", html)
    assert '<td lang="zh-CN"><div class="text">对乙酰氨基酚</div></td>' in html
    assert html.count('<td lang="en">') == 23 and html.count('<td class="note"></td>') == 23
    assert "@page { size: A4 landscape" in html
    assert f"carebridge i18n sign-off {ID} --locale zh_CN" in html
    assert "[numbers] number mismatch" in html and rows["paracetamol"].fingerprint in html


def test_review_command_writes_the_packet_and_refuses_bad_input(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run = run_cli(["i18n", "review", ID, "--locale", "zh_CN"], cwd=tree)
    assert run.code == 0, run.output
    assert run.stderr.startswith(f"wrote {PACKET.as_posix()}: 23 strings (0 reviewed, 0 changed since review, "
                                 "4 to review, 19 not translated or fuzzy)")
    assert (tree / PACKET).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    run = run_cli(["i18n", "review", ID, "--locale", "zh_CN", "--output", "out/p.html", "--format", "json"], cwd=tree)
    report = json.loads(run.stdout)
    assert (run.code, report["packet"], report["strings"], report["unreviewed"]) == (0, "out/p.html", 23, 4)
    before = snapshot(tree, "locales", "review")
    run = run_cli(["i18n", "review", "nope", "--locale", "zh_CN"], cwd=tree)
    assert run.code == 2 and "no protocol with id 'nope'" in run.output
    run = run_cli(["i18n", "review", ID, "--locale", "fr_FR"], cwd=tree)
    assert run.code == 1 and "locales/fr_FR/LC_MESSAGES/example-escalation.po:1:1: error: [po-missing]" in run.stdout
    assert snapshot(tree, "locales", "review") == before


@pytest.mark.parametrize("target", [
    "protocols/example-escalation.yaml",                     # a protocol
    "locales/zh_CN/LC_MESSAGES/example-escalation.po",        # a catalog
    "locales/zh_CN/review.html",                              # anything in the catalogs folder
    ".git/config.html",                                       # the repository
    "mkdocs.yml",                                             # the configuration
    "notes.txt",                                              # not a packet's name
    "notes.html",                                             # an HTML file that is no packet
])
def test_review_output_never_replaces_a_project_file(tree: Path, run_cli, target: str) -> None:  # type: ignore[no-untyped-def]
    (tree / ".git").mkdir(exist_ok=True)
    (tree / "notes.html").write_text("<p>my notes</p>", encoding="utf-8")
    (tree / "notes.txt").write_text("my notes", encoding="utf-8")
    before = snapshot(tree)
    run = run_cli(["i18n", "review", ID, "--locale", "zh_CN", "--output", target], cwd=tree)
    assert run.code == 2, run.output
    assert "review packet target" in run.output and "hint:" in run.output
    assert snapshot(tree) == before


def test_review_output_may_replace_an_older_packet(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(["i18n", "review", ID, "--locale", "zh_CN", "--output", "p.html"], cwd=tree).code == 0
    (tree / "p.html").write_text((tree / "p.html").read_text(encoding="utf-8") + "<!-- old -->", encoding="utf-8")
    run = run_cli(["i18n", "review", ID, "--locale", "zh_CN", "--output", "p.html"], cwd=tree)
    assert run.code == 0, run.output
    assert "<!-- old -->" not in (tree / "p.html").read_text(encoding="utf-8")


def test_sign_off_command_signs_and_stats_count_the_reviewed_strings(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(tree, "locales", "review")
    run = run_cli(["i18n", "sign-off", ID, "--locale", "zh_CN", "--reviewer", "李医生", "--role", "nurse"], cwd=tree)
    assert run.code == 1 and snapshot(tree, "locales", "review") == before  # the blocked title and red flag cannot be signed
    assert "example-escalation.po:27:1: error: [sign-off] example-escalation:title: cannot sign a translation that " \
           "fails a safety check: [html]" in run.stdout
    strings = f"{ID}:steps.escalate.*,{ID}:steps.monitor.instructions"
    run = run_cli(["i18n", "sign-off", ID, "--locale", "zh_CN", "--reviewer", "李医生", "--role", "nurse",
                   "--strings", strings, "--date", "2026-12-01", "--method", "review", "--method", "back-translation",
                   "--format", "json"], cwd=tree)
    assert run.code == 0, run.output
    assert json.loads(run.stdout)["signed"] == {"protocol": ID, "locale": "zh_CN", "file": PROVENANCE.as_posix(),
                                                "strings": 2, "skipped": 5, "reviewer": "李医生", "date": "2026-12-01"}
    assert "      method: [review, back-translation]\n" in (tree / PROVENANCE).read_text(encoding="utf-8")
    report = json.loads(run_cli(["i18n", "stats", "--format", "json"], cwd=tree).stdout)
    rows = {r["domain"]: r for r in report["catalogs"]}
    assert rows["site"]["review"] is None
    assert rows[ID]["review"] == {"strings": 23, "reviewed": 2, "changed": 0, "unreviewed": 2, "untranslated": 19,
                                  "complete": False, "reviewers": [{"name": "李医生", "role": "nurse",
                                                                    "date": "2026-12-01", "strings": 2}]}
    text = run_cli(["i18n", "stats"], cwd=tree).stdout
    assert re.search(rf"zh_CN +{ID} .* 2/23  v1\.1\.0", text)


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--reviewer", " ", "--role", "nurse"], 2, "--reviewer must not be empty"),
    (["--reviewer", "a", "--role", "b", "--strings", "nothing.here"], 2, "--strings 'nothing.here' matches no string"),
    (["--reviewer", "a", "--role", "b", "--date", "1 Dec"], 2, "'1 Dec' does not match the format '%Y-%m-%d'"),
    (["--reviewer", "a", "--role", "b", "--strings", f"{ID}:summary"], 1, "cannot sign a string that is not translated"),
])
def test_sign_off_command_bad_input_writes_nothing(tree: Path, run_cli, args: list[str], code: int,  # type: ignore[no-untyped-def]
                                                   message: str) -> None:
    before = snapshot(tree, "locales", "review")
    run = run_cli(["i18n", "sign-off", ID, "--locale", "zh_CN", *args], cwd=tree)
    assert run.code == code and message in run.output
    assert snapshot(tree, "locales", "review") == before


def test_a_broken_provenance_file_stops_stats_review_and_sign_off_at_its_line(tree: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (tree / PROVENANCE).write_text(f"{ID}:\n  translated_from: 1.1.0\n  reviews:\n    - reviewer: a\n      role: b\n"
                                   f"      date: 2026-12-01\n      method: [review]\n"
                                   f'      strings: {{"{ID}:title": "xyz"}}\n', encoding="utf-8")
    expected = f"{PROVENANCE.as_posix()}:8:45: error: [provenance] {ID}.reviews[0].strings.{ID}:title: " \
               f"malformed fingerprint 'xyz' for {ID}:title"
    for args in (["i18n", "stats"], ["i18n", "review", ID, "--locale", "zh_CN"],
                 ["i18n", "sign-off", ID, "--locale", "zh_CN", "--reviewer", "a", "--role", "b",
                  "--strings", f"{ID}:steps.escalate.*"]):
        before = snapshot(tree, "locales", "review")
        run = run_cli(args, cwd=tree)
        assert run.code == 1 and expected in run.stdout, (args, run.output)
        assert snapshot(tree, "locales", "review") == before
