"""i18n/commands.py as translators meet it through the CLI: update writes catalogs msgfmt accepts,
is idempotent, replaces all files or none, survives a killed run, and check reads what msgfmt reads."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from tests.conftest import edit, msgfmt_check, snapshot

from carebridge.fsio import Staged

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")
PO = Path("locales/zh_CN/LC_MESSAGES/example-escalation.po")
POT = Path("locales/templates/example-escalation.pot")
SUMMARY = "A fixture that exercises every field of the schema. Not clinical content."
LONG = ("Measure the temperature correctly, look for life-threatening features and danger signs, sort the child "
        "with the traffic-light system, and escalate red features at once. Use antibiotics only when there is a "
        "reason.")




def temporary_files(tree: Path) -> list[str]:
    return sorted(p.name for p in (tree / "locales").rglob(".*") if p.is_file())




@pytest.fixture
def translated(project_tree: Path, run_cli) -> Path:
    """A zh_CN locale whose long summary is translated."""
    edit(project_tree / PROTOCOL, f"summary: {SUMMARY}", f"summary: {LONG}")
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    po = project_tree / PO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgctxt "example-escalation:summary"')
    end = text.index('msgstr ""', start)
    po.write_text(text[:end] + 'msgstr "正确测量体温，检查有无危及生命的表现和危险征象，用交通灯系统对患儿分级，并立即上报红色征象。仅在有理由时使用抗生素。"' + text[end + 9:], encoding="utf-8")
    return project_tree


def test_update_writes_previous_msgid_that_msgfmt_accepts(translated: Path, run_cli) -> None:
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    run = run_cli(["i18n", "update"], cwd=translated)
    assert run.code == 0, run.output
    text = (translated / PO).read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid ""\n#| "Measure the temperature correctly, look for life-threatening features "\n'
            '#| "and danger signs') in text
    assert msgfmt_check(translated / PO) == ""
    assert run_cli(["i18n", "check"], cwd=translated).code == 0


def test_update_twice_is_byte_identical_and_keeps_previous_msgid(translated: Path, run_cli) -> None:
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    once = snapshot(translated, "locales")
    run = run_cli(["i18n", "update"], cwd=translated)
    assert (run.code, run.stderr.strip()) == (0, "nothing to change")
    assert snapshot(translated, "locales") == once
    assert '#| "Measure the temperature correctly' in (translated / PO).read_text(encoding="utf-8")


def test_update_removes_what_a_killed_run_left_and_reaches_the_same_catalogs(translated: Path, run_cli,
                                                                            tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(translated, clean)
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    edit(clean / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    # What SIGKILL left: half-written temporary files of this version (dead pid) and of older ones (mkstemp).
    dead = _dead_pid()
    po_dir = translated / PO.parent
    (po_dir / f".example-escalation.po.{dead}-0123abcd.tmp").write_text('msgid ""\nmsgstr "', encoding="utf-8")
    (translated / POT.parent / ".example-escalation.pot.k2j4_x9a.tmp").write_text("half", encoding="utf-8")
    keep = po_dir / ".editorconfig"
    keep.write_text("root = true\n", encoding="utf-8")
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    assert run_cli(["i18n", "update"], cwd=clean).code == 0
    assert temporary_files(translated) == [".editorconfig"]
    keep.unlink()
    assert snapshot(translated, "locales") == snapshot(clean, "locales")


KILL_HALF_WAY = """
import os, signal, sys
from pathlib import Path
from carebridge import fsio
from carebridge.i18n import commands, store
from carebridge.source.library import Project

def commit_then_die(staged, display=str):
    fsio.commit(staged[:1], display)  # one file replaced, the others still temporary
    os.kill(os.getpid(), signal.SIGKILL)

store.commit = commit_then_die
commands.update(Project.at(Path(sys.argv[1])))
"""


def test_update_after_sigkill_half_way_reaches_the_same_catalogs(translated: Path, run_cli, tmp_path: Path) -> None:
    import sys

    clean = tmp_path / "clean"
    shutil.copytree(translated, clean)
    for tree in (translated, clean):
        edit(tree / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    killed = subprocess.run([sys.executable, "-c", KILL_HALF_WAY, str(translated)], capture_output=True, check=False)
    assert killed.returncode == -9, killed.stderr
    assert any(name.endswith(".tmp") for name in temporary_files(translated))  # what the kill left
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    assert run_cli(["i18n", "update"], cwd=clean).code == 0
    assert temporary_files(translated) == []
    assert snapshot(translated, "locales") == snapshot(clean, "locales")


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_full_disk_during_update_is_a_problem_and_replaces_no_file(translated: Path, run_cli,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.i18n import store

    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    before = snapshot(translated, "locales")
    real_stage = store.stage
    calls: list[Path] = []

    def stage_until_full(path: Path, data: str | bytes) -> Staged | None:
        calls.append(path)
        if len(calls) == 2:  # the first file is staged, the second finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_stage(path, data)

    monkeypatch.setattr(store, "stage", stage_until_full)
    run = run_cli(["i18n", "update"], cwd=translated)
    assert run.code == 1, run.output
    assert "internal error" not in run.output
    failed = calls[1].relative_to(translated).as_posix()
    assert f"{failed}:1:1: error: [write] cannot write the file: No space left on device" in run.stdout
    assert "hint: the disk is full: free some space and run the command again; no file was changed" in run.stdout
    assert snapshot(translated, "locales") == before  # nothing replaced, no temporary file left


def test_interrupted_update_leaves_no_temporary_file(translated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.i18n import commands, store
    from carebridge.source.library import Project

    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    before = snapshot(translated, "locales")

    def interrupted(*args: object) -> list[Path]:
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "commit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        commands.update(Project.at(translated))
    assert snapshot(translated, "locales") == before


def test_a_catalog_with_windows_line_ends_keeps_them(translated: Path, run_cli) -> None:
    # Poedit and Notepad on a ward PC save CRLF: an update must not turn it into a whole-file diff.
    po = translated / PO
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r\n"))
    before = po.read_bytes()
    run = run_cli(["i18n", "update"], cwd=translated)
    assert (run.code, run.stderr.strip()) == (0, "nothing to change")
    assert po.read_bytes() == before
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    raw = po.read_bytes()
    assert raw != before and raw.count(b"\r\n") == raw.count(b"\n")
    assert b'#, fuzzy\r\n#| msgid ""\r\n#| "Measure the temperature correctly' in raw
    assert "正确测量体温" in raw.decode("utf-8")
    assert msgfmt_check(po) == "" and run_cli(["i18n", "check"], cwd=translated).code == 0


def test_a_catalog_with_a_bom_loses_only_the_bom(translated: Path, run_cli) -> None:
    # msgfmt refuses a BOM ("1:2: syntax error"), so the catalog is written without one.
    po = translated / PO
    text = po.read_bytes()
    po.write_bytes(b"\xef\xbb\xbf" + text)
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    assert po.read_bytes() == text and msgfmt_check(po) == ""


@pytest.mark.parametrize("mode", [0o644, 0o664])
def test_rewritten_catalogs_keep_their_mode(translated: Path, run_cli, mode: int) -> None:
    for path in (translated / PO, translated / POT):
        path.chmod(mode)
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    assert [stat.S_IMODE((translated / p).stat().st_mode) for p in (PO, POT)] == [mode, mode]


def test_check_reports_an_entry_defined_twice_and_update_refuses_it(translated: Path, run_cli) -> None:
    po = translated / PO
    text = po.read_text(encoding="utf-8")
    entry = text[text.index('msgctxt "example-escalation:title"'):].split("\n\n", 1)[0]
    po.write_text(text + "\n" + entry.replace('msgstr ""', 'msgstr "另一个译文"') + "\n", encoding="utf-8")
    lines = po.read_text(encoding="utf-8").splitlines()
    first, line = [n for n, t in enumerate(lines, start=1) if t == 'msgid "Example escalation protocol"']
    run = run_cli(["i18n", "check"], cwd=translated)
    assert run.code == 1
    assert (f"{PO.as_posix()}:{line}:1: error: [po-duplicate] the same msgctxt and msgid as the entry at line "
            f"{first}") in run.stdout
    before = snapshot(translated, "locales")
    assert run_cli(["i18n", "update"], cwd=translated).code == 1
    assert snapshot(translated, "locales") == before


def test_check_accepts_a_one_line_header(translated: Path, run_cli) -> None:
    # Weblate with po_line_wrap: -1 writes the header's msgstr on one line; Babel and msgfmt read it.
    po = translated / PO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgid ""\nmsgstr ""\n')
    end = text.index("\n\n", start)
    fields = "".join(line.strip()[1:-1] for line in text[start:end].splitlines()[2:])
    po.write_text(text[:start] + f'msgid ""\nmsgstr "{fields}"' + text[end:], encoding="utf-8")
    assert msgfmt_check(po) == ""
    run = run_cli(["i18n", "check"], cwd=translated)
    assert run.code == 0, run.output
    assert "header has no" not in run.output


def test_nplurals_zero_is_an_error_and_never_survives_update(translated: Path, run_cli) -> None:
    edit(translated / PO, "nplurals=1; plural=0;", "nplurals=0; plural=0;")
    run = run_cli(["i18n", "check"], cwd=translated)
    assert run.code == 1
    assert "[po-header] header Plural-Forms 'nplurals=0; plural=0;' needs nplurals of 1 or more" in run.stdout
    assert 'hint: set "Plural-Forms: nplurals=1; plural=0;\\n"' in run.stdout
    before = snapshot(translated, "locales")
    assert run_cli(["i18n", "update"], cwd=translated).code == 1
    assert snapshot(translated, "locales") == before


def test_check_reports_previous_msgid_broken_by_an_older_version(translated: Path, run_cli) -> None:
    edit(translated / PROTOCOL, "summary: Measure the temperature", "summary: Measure the body temperature")
    assert run_cli(["i18n", "update"], cwd=translated).code == 0
    po = translated / PO
    text = po.read_text(encoding="utf-8")
    good = '#| msgid ""\n#| "Measure the temperature correctly, look for life-threatening features "\n'
    po.write_text(text.replace(good, '#| msgid "" "Measure the temperature correctly, look for life-threatening\n'
                               '#| features " "\n'), encoding="utf-8")
    line = text[:text.index(good)].count("\n") + 1
    run = run_cli(["i18n", "check"], cwd=translated)
    assert run.code == 1
    assert f"{PO.as_posix()}:{line}:" in run.stdout and "error: [po-syntax] previous text (#|)" in run.stdout
