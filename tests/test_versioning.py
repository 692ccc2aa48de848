"""versioning.py, `carebridge check-version` and `carebridge bump` on real git repositories; the
pre-commit hooks and the site workflow that run them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from carebridge.cli import main
from carebridge.source.loader import load_file
from carebridge.workflow import versioning
from carebridge.workflow.versioning import Version

from .conftest import GOOD_PROTOCOL, REPO, edit

TODAY = dt.date(2027, 3, 14)
PROTOCOL = Path("protocols/nursing/example-escalation.yaml")
GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CEILING_DIRECTORIES")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=CareBridge test", "-c", "user.email=test@carebridge.invalid",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, capture_output=True, text=True,
                          check=True, env={k: v for k, v in os.environ.items() if k not in GIT_ENV})
    return done.stdout



def approve(path: Path) -> None:
    edit(path, "status: draft\ndemonstration: true\n", "status: approved\n")
    edit(path, "last_reviewed:", "reviewers:\n  - name: Dr A. Reviewer\n    role: Consultant\n    date: 2026-11-01\n"
         "last_reviewed:")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository holding the example library, committed on main; a fixed clock."""
    for name in GIT_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(versioning, "today", lambda: TODAY)
    tree = tmp_path / "library"
    (tree / PROTOCOL.parent).mkdir(parents=True)
    shutil.copy2(GOOD_PROTOCOL, tree / PROTOCOL)
    shutil.copytree(REPO / "schema", tree / "schema")
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "base")
    yield tree


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


# --- Version ---------------------------------------------------------------------------------------

def test_versions_compare_as_numbers_and_bump_by_part() -> None:
    assert Version.parse("1.10.0") > Version.parse("1.9.9") > Version.parse("1.9.0")
    assert Version.parse("2.0.0") == Version(2, 0, 0)
    assert [str(Version(1, 2, 3).bump(p)) for p in versioning.PARTS] == ["2.0.0", "1.3.0", "1.2.4"]
    for bad in ("1.2", "01.2.3", "1.2.3-rc1", "v1.2.3", 1.2, None):
        assert Version.parse(bad) is None, bad


# --- check-version: each rule, both ways -------------------------------------------------------------

def test_nothing_changed_passes(repo: Path, run_cli) -> None:
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert (run.code, run.stdout, run.stderr.strip()) == (0, "", "0 changed protocols checked: no problems")


def test_comments_and_formatting_are_not_content(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "title: Example escalation protocol", "# a new comment\ntitle: 'Example escalation protocol'")
    edit(repo / PROTOCOL, "source: {ref: fixture-source, section: \"Section 1\"}",
         "source:\n      ref: fixture-source\n      section: Section 1")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert (run.code, run.stderr.strip()) == (0, "1 changed protocol checked: no problems"), run.output


def test_review_bookkeeping_is_not_content(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "last_reviewed: 2026-11-01\nnext_review: 2027-11-01",
         "last_reviewed: 2026-12-01\nnext_review: 2027-12-01")
    edit(repo / PROTOCOL, "status: draft", "status: review")
    assert run_cli(["check-version", "--base", "main"], cwd=repo).code == 0


def test_content_change_without_a_new_version_fails_at_the_version_line(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1
    assert run.stdout.splitlines() == [
        "protocols/nursing/example-escalation.yaml:5:10: error: [version-not-bumped] version: the content changed "
        "since main but the version is still 1.1.0",
        "  hint: run `carebridge bump protocols/nursing/example-escalation.yaml --part minor --summary \"what changed\"`",
    ]
    assert "1 changed protocol checked: 1 error(s), 0 warning(s)" in run.stderr


def test_a_lower_version_is_not_an_increase(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    edit(repo / PROTOCOL, "version: 1.1.0\nstatus", "version: 1.0.1\nstatus")
    edit(repo / PROTOCOL, "summary: Added the monitoring step.", "summary: Added the monitoring step.\n"
         "  - version: 1.0.1\n    date: 2026-11-02\n    summary: Two hours.")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1
    assert "5:10: error: [version-not-bumped] version: version 1.0.1 is lower than 1.1.0 at main" in run.stdout
    assert "hint: a version only goes up: write version: 1.2.0 and its history entry" in run.stdout


def test_content_change_with_a_new_version_and_history_passes(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    edit(repo / PROTOCOL, "version: 1.1.0\nstatus", "version: 1.10.0\nstatus")  # 1.10 > 1.9 > 1.1: numbers, not text
    edit(repo / PROTOCOL, "summary: Added the monitoring step.", "summary: Added the monitoring step.\n"
         "  - version: 1.10.0\n    date: 2026-12-01\n    summary: Observations every 2 hours.")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 0, run.output


def test_a_new_version_needs_its_history_entry(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    edit(repo / PROTOCOL, "version: 1.1.0\nstatus", "version: 1.2.0\nstatus")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1
    assert ("protocols/nursing/example-escalation.yaml:72:1: error: [history-version] history: history has no entry "
            "for version 1.2.0") in run.stdout
    assert "version-not-bumped" not in run.stdout


def test_a_version_raised_without_content_change_still_needs_history(repo: Path, run_cli) -> None:
    edit(repo / PROTOCOL, "version: 1.1.0\nstatus", "version: 1.1.1\nstatus")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1 and "history has no entry for version 1.1.1" in run.stdout


def test_content_change_after_approval_returns_to_review(repo: Path, run_cli) -> None:
    approve(repo / PROTOCOL)
    commit(repo, "approved")
    assert run_cli(["validate"], cwd=repo).code == 0
    assert run_cli(["bump", PROTOCOL, "--summary", "placeholder"], cwd=repo).code == 0  # a valid bump...
    edit(repo / PROTOCOL, "status: review", "status: approved")  # ...then approval put back by hand
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1
    assert ("protocols/nursing/example-escalation.yaml:6:9: error: [approval] status: a content change after "
            "approval returns the status to review") in run.stdout
    assert "hint: set status: review (`carebridge bump` does) and ask the reviewers to approve this version" in run.stdout
    edit(repo / PROTOCOL, "status: approved", "status: review")
    assert run_cli(["check-version", "--base", "main"], cwd=repo).code == 0


def test_an_approved_protocol_may_stay_approved_without_content_change(repo: Path, run_cli) -> None:
    approve(repo / PROTOCOL)
    commit(repo, "approved")
    edit(repo / PROTOCOL, "    date: 2026-11-01\nlast_reviewed", "    date: 2026-11-02\nlast_reviewed")
    edit(repo / PROTOCOL, "# Test fixture", "# Reviewed again\n# Test fixture")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 0, run.output


def test_a_protocol_new_since_base_needs_only_a_version(repo: Path, run_cli) -> None:
    other = repo / "protocols" / "nursing" / "second.yaml"
    other.write_text((repo / PROTOCOL).read_text(encoding="utf-8").replace("id: example-escalation", "id: second"),
                     encoding="utf-8")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)  # untracked: still in the working tree
    assert (run.code, run.stderr.strip()) == (0, "1 changed protocol checked: no problems"), run.output
    commit(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    edit(other, "version: 1.1.0\nstatus", "status")
    git(repo, "add", "-A")
    run = run_cli(["check-version", "--base", "HEAD~1", "--format", "json"], cwd=repo)
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["files"] == ["protocols/nursing/second.yaml"] and report["base"] == "HEAD~1"
    assert [(p["code"], p["message"], p["hint"]) for p in report["problems"]] == [
        ("version", "no version", "write version: 0.1.0")]


def test_a_base_larger_than_any_protocol_is_not_read_and_counts_as_none(repo: Path, run_cli,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # A 300 MB file at the base took 12.5 s and 1.7 GB to read; now its size is asked first.
    from carebridge.workflow import versioning

    text = (repo / PROTOCOL).read_text(encoding="utf-8")
    (repo / PROTOCOL).write_text(text + "# " + "x" * (versioning.MAX_BYTES + 10) + "\n", encoding="utf-8")
    commit(repo, "a huge base")
    (repo / PROTOCOL).write_text(text.replace("every 4 hours", "every 2 hours"), encoding="utf-8")
    asked: list[tuple[str, ...]] = []
    real = versioning._git
    monkeypatch.setattr(versioning, "_git", lambda project, *args: asked.append(args) or real(project, *args))
    run = run_cli(["check-version", "--base", "HEAD"], cwd=repo)
    assert not any(args[0] == "show" for args in asked)  # the blob was never read
    assert (run.code, run.stderr.strip()) == (0, "1 changed protocol checked: no problems"), run.output  # checked as new


def test_a_moved_protocol_is_compared_with_its_old_place(repo: Path, run_cli) -> None:
    (repo / "protocols" / "archive").mkdir()
    git(repo, "mv", PROTOCOL.as_posix(), "protocols/archive/example-escalation.yaml")
    assert run_cli(["check-version", "--base", "main"], cwd=repo).code == 0
    edit(repo / "protocols" / "archive" / "example-escalation.yaml", "every 4 hours", "every 2 hours")
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert run.code == 1 and "the content changed since main" in run.stdout


def test_the_base_is_where_the_branch_left_it(repo: Path, run_cli) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "notes.txt").write_text("work on the branch\n", encoding="utf-8")
    commit(repo, "branch work")
    git(repo, "checkout", "-q", "main")
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    assert run_cli(["bump", PROTOCOL, "--part", "minor", "--summary", "Every 2 hours."], cwd=repo).code == 0
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    # The branch never touched the protocol: main's newer version is not this branch's doing.
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert (run.code, run.stderr.strip()) == (0, "0 changed protocols checked: no problems"), run.output


def test_a_library_in_a_subfolder_of_the_repository(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in GIT_ENV:
        monkeypatch.delenv(name, raising=False)
    top = tmp_path / "hospital"
    library = top / "carebridge"
    (library / PROTOCOL.parent).mkdir(parents=True)
    shutil.copy2(GOOD_PROTOCOL, library / PROTOCOL)
    (top / "protocols").mkdir()  # the repository's own protocols/ folder is not the library's
    (top / "protocols" / "unrelated.yaml").write_text("id: unrelated\n", encoding="utf-8")
    git(top, "init", "-q", "-b", "main")
    commit(top, "base")
    edit(library / PROTOCOL, "every 4 hours", "every 2 hours")
    (top / "protocols" / "unrelated.yaml").write_text("id: changed\n", encoding="utf-8")
    run = run_cli(["check-version", "--base", "main", "--format", "json"], cwd=library)
    assert run.code == 1
    report = json.loads(run.stdout)
    assert report["files"] == [PROTOCOL.as_posix()]
    assert [(p["file"], p["line"], p["code"]) for p in report["problems"]] == [
        (PROTOCOL.as_posix(), 5, "version-not-bumped")]


def test_unknown_base_and_no_repository_are_usage_errors(repo: Path, tmp_path: Path, run_cli) -> None:
    run = run_cli(["check-version", "--base", "origin/nowhere"], cwd=repo)
    assert run.code == 2
    assert "error: [usage] unknown git revision 'origin/nowhere'" in run.stdout
    assert "fetch-depth: 0" in run.stdout
    assert run_cli(["check-version", "--base", "--output=x"], cwd=repo).code == 2  # never read as an option
    outside = tmp_path / "outside"
    (outside / "protocols").mkdir(parents=True)
    run = run_cli(["check-version", "--base", "main"], cwd=outside)
    assert run.code == 2 and "is not in a git repository" in run.stdout


def test_check_version_prints_github_annotations_on_github_actions(repo: Path, run_console) -> None:
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    run = run_console(["check-version", "--base", "main"], cwd=repo, env={"GITHUB_ACTIONS": "true"})
    assert run.code == 1
    assert run.stdout.startswith("::error file=protocols/nursing/example-escalation.yaml,line=5,col=10,"
                                 "title=carebridge version-not-bumped::version: the content changed since main")
    assert "%0Ahint: run `carebridge bump" in run.stdout
    assert "protocols/nursing/example-escalation.yaml:5:10: error:" in run.stderr  # the readable log too


# --- bump ------------------------------------------------------------------------------------------

def keys(node: Any) -> Any:
    """The key order of every mapping, recursively."""
    if isinstance(node, dict):
        return [(k, keys(v)) for k, v in node.items()]
    if isinstance(node, list):
        return [keys(v) for v in node]
    return None


def test_bump_keeps_comments_and_key_order_and_makes_check_version_pass(repo: Path, run_cli) -> None:
    approve(repo / PROTOCOL)
    edit(repo / PROTOCOL, "status: approved", "status: approved  # signed off at the ward meeting")
    edit(repo / PROTOCOL, "  - id: monitor\n", "  # Monitoring comes last.\n  - id: monitor\n")
    commit(repo, "approved")
    edit(repo / PROTOCOL, "every 4 hours", "every 2 hours")
    before_text = (repo / PROTOCOL).read_text(encoding="utf-8")
    before, _ = load_file(repo / PROTOCOL)
    assert run_cli(["check-version", "--base", "main"], cwd=repo).code == 1

    run = run_cli(["bump", PROTOCOL, "--part", "minor", "--summary", "Observations: every 2 hours"], cwd=repo)
    assert run.code == 0, run.output
    assert "protocols/nursing/example-escalation.yaml: version 1.1.0 → 1.2.0, status approved → review" in run.stderr
    text = (repo / PROTOCOL).read_text(encoding="utf-8")
    for comment in ("# yaml-language-server: $schema=../../../../../schema/protocol.schema.json",
                    "# Test fixture: shape only, not clinical content.", "  # Monitoring comes last.",
                    "# signed off at the ward meeting"):
        assert comment in text
    after, _ = load_file(repo / PROTOCOL)
    assert before is not None and after is not None
    assert keys(after.data) == keys({**before.data, "history": [*before.data["history"], {
        "version": "", "date": "", "summary": ""}]})
    # Exactly three lines change and three are added; everything else is byte for byte the same.
    old_lines, new_lines = before_text.splitlines(), text.splitlines()
    assert new_lines[-3:] == ["  - version: 1.2.0", "    date: 2027-03-14", '    summary: "Observations: every 2 hours"']
    changed = [(a, b) for a, b in zip(old_lines, new_lines[:-3], strict=True) if a != b]
    assert changed == [("version: 1.1.0", "version: 1.2.0"),
                       ("status: approved  # signed off at the ward meeting",
                        "status: review    # signed off at the ward meeting")]
    assert run_cli(["validate"], cwd=repo).code == 0
    run = run_cli(["check-version", "--base", "main"], cwd=repo)
    assert (run.code, run.stderr.strip()) == (0, "1 changed protocol checked: no problems"), run.output


@pytest.mark.parametrize(("part", "version"), [("major", "2.0.0"), ("minor", "1.2.0"), ("patch", "1.1.1")])
def test_bump_parts(repo: Path, run_cli, part: str, version: str) -> None:
    assert run_cli(["bump", PROTOCOL, "--part", part, "--summary", "A change."], cwd=repo).code == 0
    doc, _ = load_file(repo / PROTOCOL)
    assert doc is not None
    assert (doc.data["version"], doc.data["status"]) == (version, "draft")  # a draft stays a draft
    assert doc.data["history"][-1] == {"version": version, "date": "2027-03-14", "summary": "A change."}


@pytest.mark.parametrize("summary", ["1e3", "2.0", "yes", "010", "1:30", "null"])
def test_bump_quotes_a_summary_that_would_read_back_as_something_else(repo: Path, run_cli, summary: str) -> None:
    assert run_cli(["bump", PROTOCOL, "--summary", summary], cwd=repo).code == 0
    doc, _ = load_file(repo / PROTOCOL)
    assert doc is not None and doc.data["history"][-1]["summary"] == summary


@pytest.mark.parametrize(("summary", "said"), [("wording <script>alert(1)</script> fix", "raw HTML <script>"),
                                              ("wording \x01 fix", "U+0001"), ("dose 1\u202e01 mg", "U+202E")])
def test_bump_refuses_a_summary_validate_would_refuse_and_writes_nothing(repo: Path, run_cli, summary: str,
                                                                       said: str) -> None:
    before = (repo / PROTOCOL).read_bytes()
    run = run_cli(["bump", PROTOCOL, "--summary", summary], cwd=repo)
    assert run.code == 1 and said in run.output and "[summary]" in run.output
    assert (repo / PROTOCOL).read_bytes() == before


def test_bump_keeps_comments_below_the_last_entry_at_the_end(repo: Path, run_cli) -> None:
    path = repo / PROTOCOL
    path.write_text(path.read_text(encoding="utf-8").replace(
        "summary: Added the monitoring step.\n", "summary: Added the monitoring step.  # by the night team\n"
        "# Add the next version below.\n"), encoding="utf-8")
    assert run_cli(["bump", PROTOCOL, "--summary", "Wording."], cwd=repo).code == 0
    assert path.read_text(encoding="utf-8").endswith(
        "    summary: Added the monitoring step.  # by the night team\n"
        "  - version: 1.1.1\n    date: 2027-03-14\n    summary: Wording.\n"
        "# Add the next version below.\n")


ANOTHER_STYLE = """\
# Four-space mappings, list dashes at their key's column, a quoted version.
id: other-style
version: "1.1.0"
scope:
    population: Adults
steps:
- id: first
  source:
      ref: guideline
      section: "2.1"
history:
- version: 1.1.0
  date: 2026-01-01
  summary: First.
"""


def test_bump_keeps_another_indentation_style_and_quoted_values(repo: Path, run_cli) -> None:
    path = repo / "other-style.yaml"
    path.write_text(ANOTHER_STYLE, encoding="utf-8")
    assert run_cli(["bump", path.name, "--summary", "Wording."], cwd=repo).code == 0
    assert path.read_text(encoding="utf-8") == ANOTHER_STYLE.replace('version: "1.1.0"', 'version: "1.1.1"') + (
        "- version: 1.1.1\n  date: 2027-03-14\n  summary: Wording.\n")


def test_bump_refuses_without_writing(repo: Path, run_cli) -> None:
    path = repo / PROTOCOL
    original = path.read_bytes()
    run = run_cli(["bump", PROTOCOL, "--summary", "x"], cwd=repo)
    assert run.code == 1 and "error: [summary] the summary is too short" in run.stdout
    edit(path, "version: 1.1.0\nstatus", "version: one\nstatus")
    broken = path.read_bytes()
    run = run_cli(["bump", PROTOCOL, "--summary", "A change."], cwd=repo)
    assert run.code == 1
    assert "protocols/nursing/example-escalation.yaml:5:10: error: [version] version: cannot bump version 'one'" in run.stdout
    assert path.read_bytes() == broken
    path.write_bytes(original.replace(b"status: draft", b"status: [draft"))
    run = run_cli(["bump", PROTOCOL, "--summary", "A change."], cwd=repo)
    assert run.code == 1 and "YAML syntax" in run.stdout
    assert run_cli(["bump", "protocols/nursing/missing.yaml", "--summary", "A change."], cwd=repo).code == 2
    assert run_cli(["bump", PROTOCOL, "--part", "huge", "--summary", "A change."], cwd=repo).code == 2


def test_bump_verifies_its_own_rewrite(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rewrite that would change anything but the version is an internal error, and nothing is written."""
    from carebridge.source.library import Project

    original = (repo / PROTOCOL).read_bytes()
    monkeypatch.setattr(versioning, "_quoted", lambda text: ["not", "a", "summary"])
    with pytest.raises(RuntimeError, match="bump would change more than the version"):
        versioning.bump(Project.at(repo), repo / PROTOCOL, part="patch", summary="Wording.", today=TODAY)
    assert (repo / PROTOCOL).read_bytes() == original


# --- pre-commit hooks and the site workflow ----------------------------------------------------------

def resolve(argv: list[str]) -> click.Command:
    """The carebridge subcommand ``argv`` runs; fails when it does not exist or its options do not parse."""
    assert Path(argv[0]).name == "carebridge", argv
    parent = click.Context(main, info_name="carebridge")
    command: click.Command = main
    args = argv[1:]
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        found = command.get_command(parent, args[0])
        assert found is not None, f"no subcommand {args[0]!r} in {' '.join(argv)}"
        command, args = found, args[1:]
        if isinstance(command, click.Group):
            parent = click.Context(command, info_name=command.name, parent=parent)
    assert not isinstance(command, click.Group), f"{' '.join(argv)} names a group, not a command"
    command.make_context(command.name, list(args), parent=parent)  # raises on an unknown option
    return command


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


HOOKS = {
    "carebridge-validate": ("validate", r"^protocols/.*\.yaml$", True, None),
    "carebridge-i18n-check": ("check", r"^locales/.*\.po$", False, None),
    "carebridge-check-version": ("check-version", None, False, ["pre-push"]),
}


def test_pre_commit_hooks_run_real_commands() -> None:
    hooks = {hook["id"]: hook for hook in load_yaml(REPO / ".pre-commit-hooks.yaml")}
    assert set(hooks) == set(HOOKS)
    for hook_id, (command, files, pass_filenames, stages) in HOOKS.items():
        hook = hooks[hook_id]
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is pass_filenames
        if files:
            assert hook["files"] == files
        assert hook.get("stages") == stages
        argv = shlex.split(hook["entry"]) + (["protocols/nursing/x.yaml"] if pass_filenames else [])
        assert resolve(argv).name == command
    assert hooks["carebridge-check-version"]["entry"] == "carebridge check-version --base origin/main"
    assert re.search(hooks["carebridge-validate"]["files"], "protocols/obstetrics/pph.yaml")
    assert not re.search(hooks["carebridge-validate"]["files"], "locales/zh_CN/LC_MESSAGES/pph.po")
    assert re.search(hooks["carebridge-i18n-check"]["files"], "locales/zh_CN/LC_MESSAGES/pph.po")


def test_pre_commit_config_uses_the_same_hooks_plus_ruff() -> None:
    config = load_yaml(REPO / ".pre-commit-config.yaml")
    published = {hook["id"]: hook for hook in load_yaml(REPO / ".pre-commit-hooks.yaml")}
    (local,) = config["repos"]
    assert local["repo"] == "local"
    hooks = {hook["id"]: hook for hook in local["hooks"]}
    assert set(hooks) == {*published, "ruff"}
    for hook_id, hook in published.items():
        mine = hooks[hook_id]
        assert shlex.split(mine["entry"])[1:] == shlex.split(hook["entry"])[1:]
        assert resolve(shlex.split(mine["entry"])).name == resolve(shlex.split(hook["entry"])).name
        for key in ("files", "pass_filenames", "stages"):
            assert mine.get(key) == hook.get(key), (hook_id, key)
    ruff = shlex.split(hooks["ruff"]["entry"])
    assert Path(ruff[0]).name == "ruff" and ruff[1] == "check"
    assert "pre-push" in config["default_install_hook_types"] and config["default_stages"] == ["pre-commit"]


def steps_of(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_site_workflow_tests_checks_builds_and_deploys() -> None:
    workflow = load_yaml(REPO / ".github" / "workflows" / "site.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = steps_of(build)
    uses = {step["uses"].split("@")[0]: step for step in steps if "uses" in step}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert str(uses["actions/setup-python"]["with"]["python-version"]) == "3.11"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    runs = [step.get("run", "") for step in steps]

    def index(text: str) -> int:
        found = [i for i, run in enumerate(runs) if text in run]
        assert found, f"no step runs {text!r}"
        return found[0]

    order = [index("sudo apt-get install -y chromium gettext"), index("make test"), index("carebridge validate"),
             index("carebridge i18n check"), index("carebridge check-version --base"),
             index("carebridge build --strict")]
    assert order == sorted(order)
    assert order[-1] < steps.index(uses["actions/upload-pages-artifact"])
    check = steps[index("carebridge check-version")]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert '--base "origin/$BASE_REF"' in check["run"] and check["env"]["BASE_REF"] == "${{ github.base_ref }}"
    # Every carebridge command the workflow runs exists, with options that parse.
    for run in runs:
        for line in run.splitlines():
            if line.strip().startswith("carebridge "):
                resolve(shlex.split(line.replace('"origin/$BASE_REF"', "origin/main")))
    # `make test` is the README's test command.
    assert "make test" in (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^test:", (REPO / "Makefile").read_text(encoding="utf-8"), re.MULTILINE)
    # Deploy only from main, with the permissions Pages needs.
    assert deploy["needs"] == "build"
    assert "github.event_name == 'push'" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in steps_of(deploy)] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read"}
