"""CareBridge's catalogs through a real Weblate and back (``make test-weblate``).

weblate/standup.sh stands up PostgreSQL, a git daemon serving this repository's HEAD and
Weblate 2026.10.1, all on 127.0.0.1; weblate/configure.py applies weblate/components.yaml.
Then, through the REST API, as translators would: one string re-translated, one marked
"needs editing", one given a wrong dose; Weblate commits and pushes. The pushed catalogs must
differ from ours only in those three entries and PO-Revision-Date, `carebridge i18n check` must
name exactly the wrong dose, a strict build must accept the rest and show the string awaiting
edit in English. Reviews (approved strings and who approved them) are read back through the API,
and `carebridge i18n pull-reviews` records them in provenance.yaml: one approval by the admin, one
by a reviewer (a user in Weblate's Reviewers team whose full name is 李医生).
"""

from __future__ import annotations

import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CONSOLE = shutil.which("carebridge", path=str(Path(sys.executable).parent)) or str(
    Path(sys.executable).parent / "carebridge")
pytestmark = pytest.mark.weblate

STANDUP = REPO / "weblate" / "standup.sh"
STANDUP_TIMEOUT = 1800  # cold: apt packages, pip install (compiles borgbackup), migrate
PROJECT = "carebridge"
COMPONENT = "postpartum-haemorrhage"
LANGUAGE = "zh_Hans"  # Weblate's code for the zh_CN folder
PO = f"locales/zh_CN/LC_MESSAGES/{COMPONENT}.po"

# The three edits, by msgctxt (+ msgid where the context is shared).
RETRANSLATED = (f"{COMPONENT}:steps.measure-blood-loss.decision.branches.when", "No: continue monitoring")
RETRANSLATION = "否：继续观察"
NEEDS_EDITING = (f"{COMPONENT}:red_flags", "Bleeding continues after the first-response bundle")
WRONG_DOSE = (f"{COMPONENT}:steps.first-response-bundle.medications.tranexamic-acid.frequency", None)
RIGHT, WRONG = "再给予1 g", "再给予2 g"
REVIEWED = (f"{COMPONENT}:title", None)
# A reviewer who is not an admin: in Weblate's built-in Reviewers team (may approve strings).
REVIEWER, REVIEWER_NAME = "li.wei", "李医生"
# Header fields Weblate may change with weblate/components.yaml's file format parameters.
ALLOWED_HEADER_CHANGES = {"PO-Revision-Date"}


def _load_configure() -> Any:
    spec = importlib.util.spec_from_file_location("carebridge_weblate_configure", REPO / "weblate" / "configure.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


configure = _load_configure()


@dataclass
class Live:
    env: dict[str, str]
    client: Any
    original: Path            # the repository as Weblate first cloned it
    pushed: Path              # a clone of what Weblate pushed
    components: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)


def _run(args: list[str | Path], cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CAREBRIDGE_DEBUG")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env={**environment, **(env or {})},
                          capture_output=True, text=True, timeout=timeout, check=False)


def _reviewer_token(env: dict[str, str]) -> str:
    """Create the reviewer (Django shell of the running Weblate) and return their API key."""
    code = (
        "from rest_framework.authtoken.models import Token\n"
        "from weblate.auth.models import Group, User\n"
        f"user, _ = User.objects.get_or_create(username={REVIEWER!r}, defaults={{'full_name': {REVIEWER_NAME!r}, "
        f"'email': '{REVIEWER}@carebridge.invalid'}})\n"
        "user.add_team(None, Group.objects.get(name='Reviewers'))\n"
        "print('TOKEN=' + Token.objects.get_or_create(user=user)[0].key)\n")
    done = _run(["bash", STANDUP, "shell", "-c", code], REPO, timeout=300, env=env)
    token = next((line[6:] for line in done.stdout.splitlines() if line.startswith("TOKEN=")), "")
    assert token, f"could not create the reviewer:\n{done.stdout}\n{done.stderr[-3000:]}"
    return token


def _unit(client: Any, context: str, source: str | None) -> dict[str, Any]:
    query = f'context:="{context}"' + (f' AND source:="{source}"' if source else "")
    found = client.get(f"translations/{PROJECT}/{COMPONENT}/{LANGUAGE}/units/", q=query)
    assert found["count"] == 1, f"{query}: {found['count']} units"
    return found["results"][0]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("weblate")
    run_dir = tmp / "run"
    env = {"CAREBRIDGE_WEBLATE_RUN": str(run_dir)}
    started = time.monotonic()
    up = _run(["bash", STANDUP, "up"], REPO, timeout=STANDUP_TIMEOUT, env=env)
    try:
        assert up.returncode == 0, f"standup.sh up failed:\n{up.stdout}\n{up.stderr[-4000:]}"
        timings = {"standup_s": time.monotonic() - started}
        values = dict(line.split("=", 1) for line in (run_dir / "instance.env").read_text().splitlines() if "=" in line)
        client = configure.Weblate(values["CAREBRIDGE_WEBLATE_URL"], values["CAREBRIDGE_WEBLATE_TOKEN"])
        original = tmp / "original"
        subprocess.run(["git", "clone", "-q", values["CAREBRIDGE_WEBLATE_REPO"], str(original)], check=True, timeout=120)

        started = time.monotonic()
        result = configure.configure(client, values["CAREBRIDGE_WEBLATE_REPO"], log=lambda *a: None)
        timings["configure_s"] = time.monotonic() - started

        units = {
            "retranslated": _unit(client, *RETRANSLATED),
            "needs_editing": _unit(client, *NEEDS_EDITING),
            "wrong_dose": _unit(client, *WRONG_DOSE),
            "reviewed": _unit(client, *REVIEWED),
        }
        assert RIGHT in units["wrong_dose"]["target"][0]
        started = time.monotonic()
        client.patch(f"units/{units['retranslated']['id']}/", {"target": [RETRANSLATION], "state": 20})
        client.patch(f"units/{units['needs_editing']['id']}/", {"target": units["needs_editing"]["target"], "state": 10})
        client.patch(f"units/{units['wrong_dose']['id']}/",
                     {"target": [units["wrong_dose"]["target"][0].replace(RIGHT, WRONG)], "state": 20})
        # A review: approved (state 30) needs the project's translation_review, set by configure.
        client.patch(f"units/{units['reviewed']['id']}/", {"target": units["reviewed"]["target"], "state": 30})
        assert client.post(f"projects/{PROJECT}/repository/", {"operation": "commit"})["result"] is True
        assert client.post(f"projects/{PROJECT}/repository/", {"operation": "push"})["result"] is True
        timings["edit_commit_push_s"] = time.monotonic() - started

        pushed = tmp / "pushed"
        subprocess.run(["git", "clone", "-q", values["CAREBRIDGE_WEBLATE_REPO"], str(pushed)], check=True, timeout=120)
        # After the push, a reviewer approves the re-translation as pushed (approval alone changes no file).
        reviewer = configure.Weblate(values["CAREBRIDGE_WEBLATE_URL"], _reviewer_token(env))
        reviewer.patch(f"units/{units['retranslated']['id']}/", {"target": [RETRANSLATION], "state": 30})
        yield Live(values, client, original, pushed, result["components"], timings, units)
    finally:
        down = _run(["bash", STANDUP, "down"], REPO, timeout=180, env=env)
        print(f"standup.sh down: {down.returncode} {down.stderr[-500:]}")


# --- catalogs as Weblate pushed them -----------------------------------------------------------------

def _entries(text: str) -> dict[str, str]:
    """Entries of a PO file, each as written, keyed by its msgctxt and msgid lines (the header by '')."""
    entries: dict[str, str] = {}
    for block in text.strip("\n").split("\n\n"):
        key: list[str] = []
        for line in block.splitlines():
            if line.startswith(("msgstr", "#~ msgstr")):
                break
            if not line.startswith("#") or line.startswith("#~"):
                key.append(line)
        name = "\n".join(key)
        assert name not in entries, f"duplicate entry {name}"
        entries["" if name == 'msgid ""' else name] = block
    return entries


def _header_fields(block: str) -> dict[str, str]:
    body = "".join(re.findall(r'^"(.*)"$', block, flags=re.M)).replace("\\n", "\n")
    return dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)


def test_discovery_creates_one_component_per_catalog(live: Live) -> None:
    expected = configure.expected_components(live.original)
    # One component per protocol, plus `site`.
    assert len(expected) == len(list((live.original / "protocols").rglob("*.yaml"))) + 1
    # Weblate adds a glossary component to every project by itself.
    assert sorted(set(live.components) - {"glossary"}) == expected
    component = live.client.get(f"components/{PROJECT}/{COMPONENT}/")
    wanted = configure.load_config()["seed_component"]
    assert component["file_format_params"]["po_line_wrap"] == 65535
    assert component["check_flags"] == wanted["check_flags"]
    assert sorted(component["enforced_checks"]) == sorted(wanted["enforced_checks"])
    translation = live.client.get(f"translations/{PROJECT}/{COMPONENT}/{LANGUAGE}/")
    assert translation["filename"] == PO and translation["language_code"] == "zh_CN"
    print(f"timings: {live.timings}")


def test_push_changes_only_the_edited_entries(live: Live) -> None:
    log = _run(["git", "log", "--format=%an|%s", f"{_head(live.original)}..origin/main"], live.pushed).stdout.splitlines()
    assert len(log) == 1 and log[0].endswith(f"Translation (zh_CN): {COMPONENT} from Weblate"), log
    files = _run(["git", "diff", "--name-only", _head(live.original), "origin/main"], live.pushed).stdout.split()
    assert files == [PO], files

    before = _entries((live.original / PO).read_text(encoding="utf-8"))
    after = _entries((live.pushed / PO).read_text(encoding="utf-8"))
    assert before.keys() == after.keys()
    differing = {key for key in before if before[key] != after[key]}

    header_before, header_after = _header_fields(before[""]), _header_fields(after[""])
    assert header_before.keys() == header_after.keys()
    assert {k for k in header_before if header_before[k] != header_after[k]} == ALLOWED_HEADER_CHANGES
    # Beyond the values, the header's lines are Babel's (one field a line, same order).
    assert re.sub(r'"PO-Revision-Date: [^"]*"', "", before[""]) == re.sub(r'"PO-Revision-Date: [^"]*"', "", after[""])

    edited = differing - {""}
    assert len(edited) == 3, sorted(edited)
    by_text = {key: after[key] for key in edited}
    retranslated = next(b for b in by_text.values() if RETRANSLATED[1] in b)
    fuzzy = next(b for b in by_text.values() if NEEDS_EDITING[1] in b)
    dose = next(b for b in by_text.values() if "tranexamic-acid.frequency" in b)
    # Exactly the edit, written as CareBridge writes it (no re-wrapping, no other line touched).
    assert retranslated == next(before[k] for k in edited if RETRANSLATED[1] in before[k]).replace(
        'msgstr "否：继续监测"', f'msgstr "{RETRANSLATION}"')
    assert fuzzy == next(before[k] for k in edited if NEEDS_EDITING[1] in before[k]).replace(
        "\nmsgctxt", "\n#, fuzzy\nmsgctxt", 1)
    assert dose == next(before[k] for k in edited if "tranexamic-acid.frequency" in before[k]).replace(RIGHT, WRONG)


def _head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


def _dose_line(repo: Path) -> int:
    lines = (repo / PO).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line == '".tranexamic-acid.frequency"')
    return next(i for i in range(start, len(lines)) if lines[i].startswith("msgid ")) + 1


def test_i18n_check_names_exactly_the_wrong_dose(live: Live) -> None:
    done = _run([CONSOLE, "--root", live.pushed, "i18n", "check"], live.pushed)
    assert done.returncode == 1, done.stdout + done.stderr
    errors = [line for line in done.stdout.splitlines() if ": error: " in line]
    assert errors == [
        f"{PO}:{_dose_line(live.pushed)}: error: [numbers] {WRONG_DOSE[0]}: [numbers] number mismatch: "
        "source has 1, 1, 30, 24; translation has 1, 30, 24, 2"], done.stdout
    catalogs = len(configure.expected_components(live.original))
    assert f"{catalogs} catalogs checked: 1 error(s), 0 warning(s)" in done.stderr
    # The original catalogs pass: the error is the seeded dose, not something Weblate wrote.
    assert _run([CONSOLE, "--root", live.original, "i18n", "check"], live.original).returncode == 0


@pytest.fixture(scope="module")
def built(live: Live, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What Weblate pushed, less the seeded dose, built with --strict."""
    tree = tmp_path_factory.mktemp("built") / "tree"
    shutil.copytree(live.pushed, tree, ignore=shutil.ignore_patterns(".git"))
    with_dose = _run([CONSOLE, "--root", tree, "build", "--strict", "--site-dir", tree / "site-dose"], tree, timeout=600)
    assert with_dose.returncode != 0, "a strict build must refuse the wrong dose"
    po = tree / PO
    po.write_text(po.read_text(encoding="utf-8").replace(WRONG, RIGHT), encoding="utf-8")
    started = time.monotonic()
    done = _run([CONSOLE, "--root", tree, "build", "--strict"], tree, timeout=600)
    live.timings["strict_build_s"] = time.monotonic() - started
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"timings: {live.timings}")
    return tree / "site"


def test_strict_build_accepts_the_rest(built: Path) -> None:
    assert (built / "zh" / "protocols" / "obstetrics" / COMPONENT / "index.html").is_file()


class _Fallbacks(html.parser.HTMLParser):
    """Text inside elements with class cb-fallback and lang=en."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.depth:
            self.depth += 1
        elif "cb-fallback" in (values.get("class") or "").split() and values.get("lang") == "en":
            self.depth = 1
            self.found.append((values.get("title") or "", ""))

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            title, text = self.found[-1]
            self.found[-1] = (title, text + data)


def test_string_needing_edit_is_shown_in_english(built: Path) -> None:
    page = (built / "zh" / "protocols" / "obstetrics" / COMPONENT / "index.html").read_text(encoding="utf-8")
    parser = _Fallbacks()
    parser.feed(page)
    assert [text for _, text in parser.found] == [NEEDS_EDITING[1]]
    assert RETRANSLATION in page
    english = (built / "protocols" / "obstetrics" / COMPONENT / "index.html").read_text(encoding="utf-8")
    assert 'class="cb-fallback"' not in english


def test_reviews_are_readable_through_the_api(live: Live) -> None:
    """The contract for a `pull-reviews` command (see the README): approved units and who approved them."""
    reviewed, retranslated = live.units["reviewed"], live.units["retranslated"]
    approved = live.client.get(f"translations/{PROJECT}/{COMPONENT}/{LANGUAGE}/units/", q="state:approved")
    assert sorted((u["id"], u["context"], u["state"], u["approved"]) for u in approved["results"]) == sorted([
        (reviewed["id"], REVIEWED[0], 30, True), (retranslated["id"], RETRANSLATED[0], 30, True)])
    everywhere = live.client.get("units/", q=f"project:{PROJECT} AND state:approved")
    assert sorted(u["id"] for u in everywhere["results"]) == sorted([reviewed["id"], retranslated["id"]])
    changes = live.client.get("changes/", action="36")  # 36: "Translation approved"
    users = f"{live.env['CAREBRIDGE_WEBLATE_URL']}/api/users/"
    assert sorted((c["unit"], c["user"], c["details"]["context"], c["details"]["state"], c["details"]["old_state"])
                  for c in changes["results"]) == sorted([
        (reviewed["url"], f"{users}admin/", REVIEWED[0], 30, 20),
        (retranslated["url"], f"{users}{REVIEWER}/", RETRANSLATED[0], 30, 20)])
    names = {(u["username"], u["full_name"]) for u in (live.client.get(c["user"]) for c in changes["results"])}
    assert names == {("admin", "Weblate Admin"), (REVIEWER, REVIEWER_NAME)}
    # The approval is not in the pushed PO file: gettext has no "approved" state.
    # (English text may say "approved"; no flag or comment line does.)
    assert not re.search(r"^#.*approved", (live.pushed / PO).read_text(encoding="utf-8"), flags=re.M | re.I)


def _pull_reviews(live: Live, tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run([CONSOLE, "--root", tree, "i18n", "pull-reviews", "--url", live.env["CAREBRIDGE_WEBLATE_URL"],
                 "--project", PROJECT, "--locale", "zh_CN", *args], tree,
                env={"WEBLATE_TOKEN": live.env["CAREBRIDGE_WEBLATE_TOKEN"]})


def test_pull_reviews_records_the_approvals(live: Live, tmp_path: Path) -> None:
    """Both approvals become review records in what Weblate pushed; in the catalogs before the push,
    the re-translation differs from what the reviewer approved and is reported, not recorded."""
    from carebridge.i18n.provenance import load_provenance
    from carebridge.i18n.reviews import fingerprint

    pushed = tmp_path / "pushed"
    shutil.copytree(live.pushed, pushed, ignore=shutil.ignore_patterns(".git"))
    started = time.monotonic()
    done = _pull_reviews(live, pushed)
    live.timings["pull_reviews_s"] = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    today = time.strftime("%Y-%m-%d", time.gmtime())
    provenance = "locales/zh_CN/provenance.yaml"
    assert sorted(done.stderr.splitlines()[:2]) == sorted([
        f"{provenance}: Weblate Admin (Weblate reviewer) reviewed 1 string(s) of {COMPONENT} (zh_CN) on {today}",
        f"{provenance}: {REVIEWER_NAME} (Weblate reviewer) reviewed 1 string(s) of {COMPONENT} (zh_CN) on {today}"])
    assert "2 approved in Weblate: 2 recorded, 0 already recorded, 0 skipped" in done.stderr
    records, problems = load_provenance(pushed / provenance, provenance)
    assert problems == []
    by_name = {r.reviewer: r for r in records[COMPONENT].reviews}
    assert [(g.context, g.fingerprints) for g in by_name[REVIEWER_NAME].strings] == [
        (RETRANSLATED[0], (fingerprint(*RETRANSLATED, RETRANSLATION),))]
    assert by_name[REVIEWER_NAME].notes == f"approved in Weblate by user {REVIEWER}"
    # The reviewed strings show as reviewed; pulling again adds nothing.
    stats = json.loads(_run([CONSOLE, "--root", pushed, "i18n", "stats", "--format", "json", "--locale", "zh_CN"],
                            pushed).stdout)
    review = next(c["review"] for c in stats["catalogs"] if c["domain"] == COMPONENT)
    assert review["reviewed"] == 2
    before = (pushed / provenance).read_bytes()
    again = _pull_reviews(live, pushed)
    assert again.returncode == 0 and "0 recorded, 2 already recorded" in again.stderr, again.stderr
    assert (pushed / provenance).read_bytes() == before

    original = tmp_path / "original"
    shutil.copytree(live.original, original, ignore=shutil.ignore_patterns(".git"))
    stale = _pull_reviews(live, original)
    assert stale.returncode == 0, stale.stdout + stale.stderr
    assert "2 approved in Weblate: 1 recorded, 0 already recorded, 1 skipped" in stale.stderr
    assert (f"warning: [pull-reviews] {RETRANSLATED[0]}: approved in Weblate but not recorded: the catalog's "
            "translation differs from the approved one") in stale.stdout
    print(f"timings: {live.timings}")
