"""pullreviews.py and weblate_api.py: strings approved in Weblate recorded as reviews, or reported and skipped.

The matching is tested on approvals built here; the command against a Weblate on 127.0.0.1 answering
with recorded REST responses (tests/weblate/data/reviews-recorded.json: two pages of units, two of
changes, a reviewer whose full name is Chinese).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
from pathlib import Path

import pytest
from tests.conftest import RunCli
from tests.test_signoff import HEADER, PO, PROVENANCE, set_translations
from tests.weblate.recorded import TOKEN, serving

from carebridge.i18n.provenance import load_provenance
from carebridge.i18n.pullreviews import Clinician, load_clinicians, plan_reviews, pull_reviews
from carebridge.i18n.reviews import fingerprint
from carebridge.i18n.signoff import sign_off
from carebridge.i18n.weblate_api import Approval, ApprovedUnit
from carebridge.problems import Severity
from carebridge.source.library import Project

ID = "example-escalation"
ZH = {
    "Example escalation protocol": "示例上报方案",
    "Patients in the intensive care unit": "重症监护病房的患者",
    "Patients receiving end-of-life care": "接受临终关怀的患者",
    "Systolic blood pressure below 90 mmHg": "收缩压低于90 mmHg",
    "paracetamol": "对乙酰氨基酚",              # Weblate has 对乙酰氨基酚片 now: not pulled yet
    "Continue monitoring": "继续监测",            # fuzzy here
    "Repeat observations every 4 hours.": "每4小时再次观察。",   # changed after approval in Weblate
    "Is the score 5 or more?": "评分是否为5分或以上？",  # approved by a bulk edit
    "4 g in 24 hours": "24小时内2 g",            # a wrong dose, approved
    "Assess the patient": "评估患者",              # approved, then edited: not approved now
}
DAY = "2026-12-01T10:30:00Z"
ENV = {"WEBLATE_TOKEN": TOKEN}


@pytest.fixture
def tree(project_tree: Path, run_cli: RunCli) -> Path:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    set_translations(project_tree, ZH, fuzzy=("Continue monitoring",))
    (project_tree / PROVENANCE).write_text(HEADER, encoding="utf-8")
    return project_tree


def approved(context: str, msgid: str, target: str, *, user: str = "li.wei", name: str = "李医生",
             when: str = DAY, approved_text: str | None = None, component: str = ID) -> ApprovedUnit:
    approval = Approval(user, name, dt.datetime.fromisoformat(when),
                        target if approved_text is None else approved_text) if user else None
    return ApprovedUnit(component, "zh_CN", f"{ID}:{context}", msgid, target, False, f"https://w/{context}", approval)


TITLE = approved("title", "Example escalation protocol", "示例上报方案")
ICU = approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reviews(tree: Path):  # type: ignore[no-untyped-def]
    records, problems = load_provenance(tree / PROVENANCE, str(PROVENANCE))
    assert problems == []
    return records[ID].reviews


# --- matching -------------------------------------------------------------------------------------

def test_matching_approvals_make_one_record_per_reviewer_and_day(tree: Path) -> None:
    later = approved("scope.exclusions", "Patients receiving end-of-life care", "接受临终关怀的患者",
                     when="2026-12-02T01:00:00Z")
    done, problems = pull_reviews(Project.at(tree), [TITLE, ICU, later])
    assert problems == [] and done is not None
    assert done.written == [str(PROVENANCE)]
    first, second = reviews(tree)
    assert (first.reviewer, first.role, first.date, first.method) == ("李医生", "Weblate reviewer", "2026-12-01",
                                                                      ("review",))
    assert first.notes == "approved in Weblate by user li.wei"
    assert [(g.context, g.fingerprints) for g in first.strings] == [
        (f"{ID}:title", (fingerprint(f"{ID}:title", "Example escalation protocol", "示例上报方案"),)),
        (f"{ID}:scope.exclusions",
         (fingerprint(f"{ID}:scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者"),))]
    assert (second.date, len(second.strings)) == ("2026-12-02", 1)
    text = (tree / PROVENANCE).read_text(encoding="utf-8")
    assert "notes: Drafted for the tests.   # kept" in text and "# A record for a protocol" in text


@pytest.mark.parametrize(("unit", "why"), [
    (approved("steps.escalate.medications.paracetamol.drug", "paracetamol", "对乙酰氨基酚片"),
     "the catalog's translation differs from the approved one"),
    (approved("steps.monitor.instructions", "Repeat observations every 4 hours.", "每4小时再次观察。",
              approved_text="每4小时重复观察。"), "its text changed after it was approved"),
    (approved("steps.assess.decision.question", "Is the score 5 or more?", "评分是否为5分或以上？", user=""),
     "no 'Translation approved' change says who approved it"),
    (approved("steps.monitor.title", "Continue monitoring", "继续监测"), "it is fuzzy or untranslated in the catalog"),
    (approved("steps.assess.title", "Assess the old patient", "评估患者"),
     "it is not a string of this protocol's English any more"),
    (approved("steps.escalate.medications.paracetamol.max_dose", "4 g in 24 hours", "24小时内2 g"),
     "cannot sign a translation that fails a safety check: [numbers]"),
    # The rewritten provenance.yaml would not load: an internal error (exit 2), nothing recorded.
    (approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者", name="李\u202e医生"),
     "the Weblate user's name holds the control, bidirectional or invisible character U+202E"),
    # What sign-off refuses, a Weblate profile may hold: the pages would show it, or the file not load.
    (approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者",
              name="<script>alert(1)</script> Dr"), "the Weblate user's name holds raw HTML"),
    (approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者", user="li\nwei: x"),
     "the Weblate user's username holds a line break"),
    (approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者", name="李" * 10_001),
     "the Weblate user's name is 10,001 characters long (at most 200)"),
])
def test_an_approval_that_does_not_match_the_catalog_is_reported_and_skipped(tree: Path, unit: ApprovedUnit,
                                                                             why: str) -> None:
    before = digest(tree / PROVENANCE)
    done, problems = pull_reviews(Project.at(tree), [unit, TITLE])
    assert done is not None and done.skipped == 1
    assert [r.strings for r in done.reviews] == [1]  # the title still counts
    [problem] = problems
    assert problem.severity is Severity.WARNING and problem.file == str(PO) and problem.path == unit.context
    assert problem.message.startswith(f"approved in Weblate but not recorded: {why}")
    assert problem.hint
    assert digest(tree / PROVENANCE) != before and len(reviews(tree)) == 1


def test_a_string_needing_edit_in_weblate_line_is_where_the_catalog_has_it(tree: Path) -> None:
    paracetamol = approved("steps.escalate.medications.paracetamol.drug", "paracetamol", "对乙酰氨基酚片")
    _, problems, _ = plan_reviews(Project.at(tree), [paracetamol])
    lines = (tree / PO).read_text(encoding="utf-8").splitlines()
    assert problems[0].line is not None and lines[problems[0].line - 1] == 'msgid "paracetamol"'


def test_pulling_twice_adds_nothing_and_a_sign_off_by_the_same_reviewer_counts(tree: Path) -> None:
    project = Project.at(tree)
    signed, _ = sign_off(project, ID, "zh_CN", reviewer="李医生", role="obstetrician", date=dt.date(2026, 11, 30),
                         patterns=(f"{ID}:title",))
    assert signed is not None
    done, _ = pull_reviews(project, [TITLE, ICU])
    assert done is not None and (done.already, [r.strings for r in done.reviews]) == (1, [1])
    before = digest(tree / PROVENANCE)
    again, problems = pull_reviews(project, [TITLE, ICU])
    assert again is not None and problems == []
    assert (again.already, again.reviews, again.written) == (2, [], [])
    assert digest(tree / PROVENANCE) == before
    # Another reviewer's approval of the same text is a review of its own.
    other, _ = pull_reviews(project, [approved("title", "Example escalation protocol", "示例上报方案", user="anna",
                                               name="Anna Schmidt")])
    assert other is not None and [r.review.reviewer for r in other.reviews] == ["Anna Schmidt"]


def test_reviewers_file_names_the_clinician_and_leaves_out_everyone_else(tree: Path) -> None:
    anna = approved("scope.exclusions", "Patients in the intensive care unit", "重症监护病房的患者", user="anna",
                    name="Anna Schmidt")
    clinicians = {"li.wei": Clinician("Dr Li Wei", "obstetrician")}
    done, problems = pull_reviews(Project.at(tree), [TITLE, anna], clinicians=clinicians)
    assert done is not None
    assert [(r.review.reviewer, r.review.role, r.strings) for r in done.reviews] == [("Dr Li Wei", "obstetrician", 1)]
    assert ["Weblate user 'anna' is not in the reviewers file" in p.message for p in problems] == [True]


def test_a_reviewers_file_name_that_provenance_cannot_hold_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "reviewers.yaml"
    path.write_text("li.wei: {name: 李医生, role: obstetrician}\nanna: {name: '<b>Anna</b>', role: midwife}\n",
                    encoding="utf-8")
    clinicians, problems = load_clinicians(path, "reviewers.yaml")
    assert list(clinicians) == ["li.wei"]
    assert [(p.line, p.code, p.message) for p in problems] == [
        (2, "reviewers", "anna: the name holds raw HTML ('<b>Anna</b>'), which provenance.yaml may not hold")]


def test_reviewers_file_errors_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "reviewers.yaml"
    path.write_text("li.wei: {name: 李医生, role: obstetrician}\nanna: {name: Anna}\nbob: {role: x, email: b@x}\n",
                    encoding="utf-8")
    found, problems = load_clinicians(path, "reviewers.yaml")
    assert found == {"li.wei": Clinician("李医生", "obstetrician")}
    assert [(p.line, p.col, p.path) for p in problems] == [(2, 1, "anna"), (3, 1, "bob")]


def test_site_words_and_unknown_components_are_not_protocol_reviews(tree: Path) -> None:
    site = approved("steps", "Steps", "步骤", component="site")
    gone = approved("title", "Old", "旧", component="removed-protocol")
    done, problems = pull_reviews(Project.at(tree), [site, gone])
    assert done is not None and (done.not_protocols, done.skipped, done.written) == (1, 1, [])
    assert [p.message for p in problems] == [
        "1 string(s) approved in Weblate component 'removed-protocol' (zh_CN) skipped: no protocol with that id here"]


def test_no_provenance_record_skips_the_protocol(tree: Path) -> None:
    (tree / PROVENANCE).write_text("other-protocol:\n  translated_from: 0.1.0\n", encoding="utf-8")
    done, problems = pull_reviews(Project.at(tree), [TITLE])
    assert done is not None and done.written == []
    assert [p.message for p in problems] == [
        f"1 string(s) of {ID} approved in Weblate skipped: no provenance record for {ID}"]


def test_broken_provenance_writes_nothing(tree: Path) -> None:
    (tree / PROVENANCE).write_text(HEADER.replace("  date: 2026-11-30", "  dated: 2026-11-30"), encoding="utf-8")
    before = digest(tree / PROVENANCE)
    done, problems = pull_reviews(Project.at(tree), [TITLE])
    assert done is None and [p.message for p in problems] == [f"{ID}: unknown field 'dated'"]
    assert digest(tree / PROVENANCE) == before


# --- the command against a recorded Weblate ----------------------------------------------------------

def pull(run_cli: RunCli, tree: Path, url: str, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run_cli(["i18n", "pull-reviews", "--url", url, "--project", "carebridge", *args], cwd=tree,
                   env=ENV if env is None else env)


def test_pull_reviews_from_weblate_records_the_approvals_that_match(tree: Path, run_cli: RunCli) -> None:
    with serving() as weblate:
        done = pull(run_cli, tree, weblate.url)
    assert done.code == 0, done.output
    assert done.stderr.splitlines()[:3] == [
        f"{PROVENANCE}: 李医生 (Weblate reviewer) reviewed 3 string(s) of {ID} (zh_CN) on 2026-12-01",
        f"{PROVENANCE}: 李医生 (Weblate reviewer) reviewed 1 string(s) of {ID} (zh_CN) on 2026-12-02",
        "10 approved in Weblate: 4 recorded, 0 already recorded, 5 skipped, 1 site words or glossary terms"]
    warnings = [line for line in done.stdout.splitlines() if ": warning: " in line]
    assert len(warnings) == 5
    for context in ("paracetamol.drug", "monitor.title", "monitor.instructions", "decision.question", "max_dose"):
        assert sum(context in w for w in warnings) == 1, (context, warnings)
    first, second = reviews(tree)
    assert [g.context for g in first.strings] == [f"{ID}:title", f"{ID}:scope.exclusions", f"{ID}:red_flags"]
    assert [g.context for g in second.strings] == [f"{ID}:scope.exclusions"]
    # Approved, then edited (state 20 now): its approval is in the changes, but it is neither recorded nor reported.
    assert "steps.assess.title" not in done.output + (tree / PROVENANCE).read_text(encoding="utf-8")
    assert all(g.fingerprints[0] != fingerprint(g.context, "Patients in the intensive care unit", "")
               for g in second.strings)
    # Both pages of units and of changes were read; every request carried the token; no user looked up twice.
    paths = [path for path, _ in weblate.requests]
    assert sum("page=2" in p for p in paths) == 2
    assert {auth for _, auth in weblate.requests} == {f"Token {TOKEN}"}
    assert sorted(p for p in paths if "/users/" in p) == ["/api/users/anna/", "/api/users/li.wei/"]
    assert TOKEN not in done.output

    before = digest(tree / PROVENANCE)
    with serving() as weblate:
        again = pull(run_cli, tree, weblate.url)
    assert again.code == 0
    assert "10 approved in Weblate: 0 recorded, 4 already recorded, 5 skipped" in again.stderr
    assert digest(tree / PROVENANCE) == before


def test_dry_run_and_json_write_nothing(tree: Path, run_cli: RunCli) -> None:
    before = digest(tree / PROVENANCE)
    with serving() as weblate:
        dry = pull(run_cli, tree, weblate.url, "--dry-run", "--locale", "zh_CN", "--role", "obstetrician")
        data = json.loads(pull(run_cli, tree, weblate.url, "--dry-run", "--format", "json").stdout)
        none = pull(run_cli, tree, weblate.url, "--locale", "zh_TW")
    assert dry.code == 0
    assert dry.stdout.splitlines()[0] == (f"would record {PROVENANCE}: 李医生 (obstetrician) reviewed 3 string(s) of "
                                          f"{ID} (zh_CN) on 2026-12-01")
    assert "(dry run: nothing written)" in dry.stderr
    assert (data["approved"], data["recorded"], data["skipped"], data["written"]) == (10, 4, 5, [])
    assert data["reviews"][0]["weblate_user"] == "li.wei" and data["reviews"][0]["reviewer"] == "李医生"
    assert len([p for p in data["problems"] if p["severity"] == "warning"]) == 5
    assert none.code == 0 and "0 approved in Weblate" in none.stderr
    assert digest(tree / PROVENANCE) == before


def test_since_reads_only_later_approvals(tree: Path, run_cli: RunCli) -> None:
    with serving() as weblate:
        done = pull(run_cli, tree, weblate.url, "--since", "2026-12-02")
    assert done.code == 0, done.output
    assert "1 approved in Weblate: 1 recorded, 0 already recorded, 0 skipped" in done.stderr
    assert [r.date for r in reviews(tree)] == ["2026-12-02"]


def test_next_page_on_another_host_is_read_from_the_given_url(tree: Path, run_cli: RunCli) -> None:
    """Behind a proxy Weblate may name itself otherwise; the token goes only to --url."""
    with serving() as weblate:
        first = weblate.responses["/api/units/?q=project:carebridge AND state:approved"]
        first["next"] = first["next"].replace("{origin}", "http://weblate.internal:8080")
        done = pull(run_cli, tree, weblate.url, "--dry-run")
    assert done.code == 0, done.output
    assert "10 approved in Weblate" in done.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(("case", "message", "hint"), [
    ("unreachable", "error: [weblate] cannot reach Weblate: [Errno 111] Connection refused", "hint: check --url"),
    ("token", "error: [weblate] Weblate refused the token in $WEBLATE_TOKEN (HTTP 401 (Invalid token.))",
     "hint: export WEBLATE_TOKEN="),
    ("project", "error: [weblate] Weblate has no project 'carebridge'", "hint: give the project's slug"),
    ("html", "error: [weblate] Weblate's answer is not JSON (it starts '<!DOCTYPE html><title>Sign in</title>')",
     "hint: give --url as Weblate's own address"),
    ("shape", "error: [weblate] unexpected answer from Weblate: `target` is not a list of texts: None",
     "hint: this Weblate may be a version"),
    ("redirect", "error: [weblate] Weblate refused the token", "hint: export WEBLATE_TOKEN="),
    # a language code or component that would name a path out of the project (locales/../../x/)
    ("traversal", "error: [weblate] unexpected answer from Weblate: a translation with component slug "
                  "'example-escalation' and language_code '../../x'", "hint: this Weblate may be a version"),
    ("slug", "error: [weblate] unexpected answer from Weblate: a translation with component slug '../site'",
     "hint: this Weblate may be a version"),
    ("change-id", "error: [weblate] unexpected answer from Weblate: a change with id 'abc'", "hint: this Weblate"),
    ("change-id-float", "error: [weblate] unexpected answer from Weblate: a change with id 'inf'", "hint: this Weblate"),
    ("deep", "error: [weblate] Weblate's answer is not JSON", "hint: give --url"),
])
def test_weblate_failures_are_problems_and_nothing_is_written(tree: Path, run_cli: RunCli, case: str, message: str,
                                                              hint: str) -> None:
    before = digest(tree / PROVENANCE)
    with serving() as weblate, serving({}) as elsewhere:
        url, env = weblate.url, ENV
        if case == "unreachable":
            url = f"http://127.0.0.1:{free_port()}"
        elif case == "token":
            env = {"WEBLATE_TOKEN": "wlu_wrong"}
        elif case == "project":
            del weblate.responses["/api/projects/carebridge/"]
        elif case == "html":
            weblate.responses["/api/projects/carebridge/"] = b"<!DOCTYPE html><title>Sign in</title>"
        elif case == "shape":
            weblate.responses["/api/units/?page=2&q=project:carebridge AND state:approved"]["results"][0]["target"] = None
        elif case == "redirect":
            weblate.responses["/api/users/li.wei/"] = {"__redirect__": f"{elsewhere.url}/api/users/li.wei/"}
        elif case in ("traversal", "slug"):
            answer = weblate.responses["/api/translations/carebridge/example-escalation/zh_Hans/"]
            if case == "traversal":
                answer["language_code"] = "../../x"
            else:
                answer["component"]["slug"] = "../site"
        elif case.startswith("change-id"):
            changes = weblate.responses["/api/projects/carebridge/changes/?action=36"]["results"]
            changes[0]["id"] = "abc" if case == "change-id" else float("inf")
        elif case == "deep":
            weblate.responses["/api/projects/carebridge/"] = b"[" * 200_000
        done = pull(run_cli, tree, url, env=env)
    assert done.code == 1, done.output
    line = next(line for line in done.stdout.splitlines() if ": error: " in line)
    assert message in line and hint in done.stdout
    assert "wlu_" not in done.output
    assert digest(tree / PROVENANCE) == before
    if case == "redirect":  # the token is never sent on to where a redirect points
        assert elsewhere.requests == [("/api/users/li.wei/", None)]


def test_usage_mistakes_exit_2(tree: Path, run_cli: RunCli) -> None:
    no_token = pull(run_cli, tree, "http://127.0.0.1:9", env={"WEBLATE_TOKEN": ""})
    assert no_token.code == 2 and "$WEBLATE_TOKEN is not set" in no_token.output
    own_env = pull(run_cli, tree, "http://127.0.0.1:9", "--token-env", "OUR_WEBLATE_KEY", env={})
    assert own_env.code == 2 and "$OUR_WEBLATE_KEY is not set" in own_env.output
    bad_url = pull(run_cli, tree, "weblate.example")
    assert bad_url.code == 2 and "--url must be an http(s) address" in bad_url.output
    assert "--token" not in run_cli(["i18n", "pull-reviews", "--help"], cwd=tree).stdout.replace("--token-env", "")
