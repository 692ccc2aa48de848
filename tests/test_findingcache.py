"""The findings cache (i18n/findingcache.py): what it reuses, what it never reuses, and that nothing
that goes wrong with it changes a verdict, an exit code or adds a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from tests.conftest import edit

from carebridge import cachedir
from carebridge.i18n import findingcache
from carebridge.i18n.checks import check_catalog
from carebridge.safety.glossary import Glossary, GlossaryTerm

WRONG_DOSE = ("4 g in 24 hours", "24小时内最多4 mg")  # the unit changed: an error
FAITHFUL = ("Systolic blood pressure below 90 mmHg", "收缩压低于90 mmHg")
PARACETAMOL = ("Give paracetamol 1 g", "给予对乙酰氨基酚1 g")
NO_GLOSSARY = Glossary("zh_CN")
GLOSSARY = Glossary("zh_CN", (GlossaryTerm("paracetamol", "扑热息痛", kind="drug"),))


def _catalog(*pairs: tuple[str, str]) -> Catalog:
    catalog = Catalog(locale="zh_CN")
    for number, (source, translation) in enumerate(pairs):
        catalog.add(source, translation, context=f"x:steps.s{number}.text", lineno=10 * (number + 1))
    return catalog


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every (source, translation) the checks actually ran on."""
    seen: list[tuple[str, str]] = []
    real = findingcache.check_translation

    def counted(source: str, translation: str, **options: object) -> object:
        seen.append((source, translation))
        return real(source, translation, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(findingcache, "check_translation", counted)
    return seen


def _problems(catalog: Catalog, glossary: Glossary = NO_GLOSSARY, locale: str = "zh_CN",
              fields: frozenset[str] = frozenset()) -> list[str]:
    return [str(p) for p in check_catalog(catalog, "x.po", locale, glossary, fields)]


def _rows(folder: Path) -> int:
    total = 0
    for path in folder.glob("findings-*.sqlite3"):
        with sqlite3.connect(path) as connection:
            total += connection.execute("SELECT count(*) FROM findings").fetchone()[0]
    return total


def test_a_second_check_of_a_catalog_checks_nothing_and_says_the_same(calls, _cache: Path) -> None:
    catalog = _catalog(WRONG_DOSE, FAITHFUL, PARACETAMOL)
    first = _problems(catalog, GLOSSARY)
    assert len(calls) == 3 and any("[units]" in p for p in first) and any("[glossary]" in p for p in first)
    second = _problems(catalog, GLOSSARY)
    assert second == first and len(calls) == 3
    assert _rows(_cache) == 3
    mode = stat.S_IMODE
    assert mode(_cache.stat().st_mode) == 0o700 or _cache.exists()  # the test's folder was made by pytest
    assert all(mode(p.stat().st_mode) == 0o600 for p in _cache.glob("findings-*.sqlite3"))


def test_a_new_folder_is_made_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", str(tmp_path / "new" / "cache"))
    _problems(_catalog(FAITHFUL))
    assert stat.S_IMODE((tmp_path / "new" / "cache").stat().st_mode) == 0o700


@pytest.mark.parametrize("change", ["translation", "glossary", "locale", "markup", "fingerprint"])
def test_anything_the_check_reads_that_changes_is_checked_again(calls, monkeypatch: pytest.MonkeyPatch,
                                                                change: str) -> None:
    _problems(_catalog(PARACETAMOL), GLOSSARY)
    assert len(calls) == 1
    if change == "translation":
        _problems(_catalog((PARACETAMOL[0], "给予扑热息痛1 g")), GLOSSARY)
    elif change == "glossary":  # the same English term, another required rendering
        _problems(_catalog(PARACETAMOL), Glossary("zh_CN", (GlossaryTerm("paracetamol", "对乙酰氨基酚", kind="drug"),)))
    elif change == "locale":
        _problems(_catalog(PARACETAMOL), GLOSSARY, locale="zh_TW")
    elif change == "markup":
        _problems(_catalog(PARACETAMOL), GLOSSARY, fields=frozenset({"text"}))
    else:  # another version of the code: a new file, nothing reused
        monkeypatch.setattr(findingcache, "code_fingerprint", lambda: "f" * 64)
        monkeypatch.setattr(findingcache, "_OPEN", {})
        _problems(_catalog(PARACETAMOL), GLOSSARY)
    assert len(calls) == 2


def test_translator_comments_are_applied_after_the_cached_findings(calls) -> None:
    _problems(_catalog(WRONG_DOSE))
    allowed = _catalog()
    allowed.add(*WRONG_DOSE, context="x:a", lineno=3, user_comments=["carebridge-allow: units — mg on our charts"])
    shown = _problems(allowed)
    assert len(calls) == 1 and any("allowed by reviewer" in p for p in shown) and not any(": error:" in p for p in shown)


# --- nothing that goes wrong with the cache changes a verdict -------------------------------------

def _later_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if this process ended (its connection closed, the log written into the file) and another began."""
    for store in findingcache._OPEN.values():
        if store is not None:
            store.connection.close()
    monkeypatch.setattr(findingcache, "_OPEN", {})


def _store_file(folder: Path) -> Path:
    return folder / findingcache.file_name(cachedir.code_fingerprint())


def _baseline(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> list[str]:
    with monkeypatch.context() as off:
        off.setenv("CAREBRIDGE_CACHE_DIR", "off")
        return _problems(catalog)


def test_a_file_of_random_bytes_is_set_aside(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    catalog = _catalog(WRONG_DOSE, FAITHFUL)
    expected = _baseline(monkeypatch, catalog)
    _store_file(_cache).write_bytes(os.urandom(8192))
    assert _problems(catalog) == expected
    assert (_cache / (_store_file(_cache).name + ".corrupt")).exists()
    assert _rows(_cache) == 2 and _problems(catalog) == expected  # a new store took its place


def test_a_truncated_store_gives_the_same_verdicts(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    many = [(f"Give {n} mg", f"给予{n} mg") for n in range(1, 400)]
    catalog = _catalog(*many, WRONG_DOSE)
    expected = _baseline(monkeypatch, catalog)
    assert _problems(catalog) == expected
    _later_run(monkeypatch)
    path = _store_file(_cache)
    size = path.stat().st_size
    assert size > 3 * 4096
    with path.open("r+b") as handle:
        handle.truncate(size // 2 + 100)
    assert _problems(catalog) == expected


@pytest.mark.parametrize("damage", ["empty list, old seal", "not JSON", "a finding of another shape", "not a list",
                                    "a severity no check gives"])
def test_a_row_that_does_not_read_back_is_checked_again_never_read_as_no_findings(calls, monkeypatch, _cache: Path,
                                                                                    damage: str) -> None:
    catalog = _catalog(WRONG_DOSE)
    expected = _problems(catalog)
    assert any(": error: [units]" in p for p in expected) and len(calls) == 1
    text = {"empty list, old seal": "[]", "not JSON": "[{", "a finding of another shape": '[{"code": "units"}]',
            "not a list": '{"code": "units"}',
            # read as a Finding, it would be neither error nor warning: the wrong dose would pass
            "a severity no check gives": '[{"code": "units", "severity": "fatal", "message": "m", "hint": ""}]'}[damage]
    with sqlite3.connect(_store_file(_cache)) as connection:
        for (key,) in connection.execute("SELECT key FROM findings").fetchall():
            seal = b"x" * 16 if damage.endswith("old seal") else findingcache._seal(key, text)
            connection.execute("UPDATE findings SET findings = ?, seal = ? WHERE key = ?", (text, seal, key))
    assert _problems(catalog) == expected and len(calls) == 2
    assert _problems(catalog) == expected and len(calls) == 2  # and the row was written anew


def test_a_read_only_folder_is_read_and_not_written(calls, monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    catalog = _catalog(WRONG_DOSE, FAITHFUL)
    expected = _problems(catalog)
    _later_run(monkeypatch)
    before = sorted(p.name for p in _cache.iterdir())
    _cache.chmod(0o500)
    try:
        if os.geteuid() == 0:  # root may write anywhere: what a user meets is the access check saying no
            monkeypatch.setattr(findingcache.os, "access", lambda *a, **k: False)
        assert _problems(catalog) == expected and len(calls) == 2  # read from the cache
        assert _problems(_catalog(PARACETAMOL)) == [] and len(calls) == 3  # a new one is checked, not stored
        assert sorted(p.name for p in _cache.iterdir()) == before
    finally:
        _cache.chmod(0o700)
    assert _rows(_cache) == 2


def test_an_empty_read_only_folder_only_means_no_cache(calls, monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    _cache.chmod(0o500)
    try:
        if os.geteuid() == 0:
            monkeypatch.setattr(findingcache.os, "open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "no")))
        assert _problems(_catalog(WRONG_DOSE)) == _problems(_catalog(WRONG_DOSE))
        assert len(calls) == 2
    finally:
        _cache.chmod(0o700)
    assert list(_cache.iterdir()) == []


@pytest.mark.parametrize("value", ["off", "", "OFF"])
def test_switched_off_no_file_is_written(calls, monkeypatch: pytest.MonkeyPatch, _cache: Path, value: str) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", value)
    assert _problems(_catalog(WRONG_DOSE)) == _problems(_catalog(WRONG_DOSE))
    assert len(calls) == 2 and list(_cache.iterdir()) == []


def test_a_folder_inside_a_project_is_never_used(calls, monkeypatch: pytest.MonkeyPatch, project_tree: Path) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", str(project_tree / ".cache" / "carebridge"))
    _problems(_catalog(WRONG_DOSE))
    _problems(_catalog(WRONG_DOSE))
    assert len(calls) == 2 and not (project_tree / ".cache").exists()


def test_the_oldest_rows_beyond_the_cap_are_dropped(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    monkeypatch.setattr(findingcache, "MAX_ROWS", 5)
    for n in range(1, 13):
        _problems(_catalog((f"Give {n} mg", f"给予{n} mg")))
    assert _rows(_cache) == 5


def test_the_files_of_older_code_are_pruned(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    old = time.time() - 7200
    for n in range(5):
        path = _cache / f"findings-{n:016x}.sqlite3"
        path.write_bytes(b"")
        os.utime(path, (old + n, old + n))
    _problems(_catalog(FAITHFUL))
    left = sorted(p.name for p in _cache.glob("findings-*.sqlite3"))
    assert left == sorted([f"findings-{3:016x}.sqlite3", f"findings-{4:016x}.sqlite3", _store_file(_cache).name])


WRITER = """
import sys
from carebridge import cachedir
from carebridge.i18n import findingcache
from carebridge.safety.findings import Finding
findingcache.check_translation = lambda s, t, **k: [Finding("numbers", "error", s + "|" + t)]
who = sys.argv[1]
for batch in range(40):
    items = [(f"{who} {batch} {n}", "x", False) for n in range(50)]
    findingcache.findings(items, "zh_CN", None)
"""


def test_two_processes_writing_at_once_lose_and_corrupt_nothing(monkeypatch: pytest.MonkeyPatch, _cache: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, who]) for who in ("a", "b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    monkeypatch.setattr(findingcache, "check_translation", lambda *a, **k: pytest.fail("not kept"))
    for who in ("a", "b"):
        items = [(f"{who} {batch} {n}", "x", False) for batch in range(40) for n in range(50)]
        found = findingcache.findings(items, "zh_CN", None)
        assert [f[0].message for f in found] == [f"{s}|x" for s, _, _ in items]
    with sqlite3.connect(_store_file(_cache)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


GLOSSARY_WRITER = """
import sys
from carebridge import cachedir
from carebridge.i18n import findingcache
from carebridge.safety.findings import Finding
from carebridge.safety.glossary import Glossary, GlossaryTerm
findingcache.check_translation = lambda s, t, **k: [Finding("numbers", "error", sys.argv[1])]
glossary = Glossary("zh_CN", (GlossaryTerm("oxytocin", "缩宫素"), GlossaryTerm("NEWS2", keep=True)))
print(findingcache.findings([("Give oxytocin.", "给予缩宫素。", False)], "zh_CN", glossary)[0][0].message)
"""


def test_a_glossary_finds_its_findings_in_another_process(_cache: Path) -> None:
    # Python salts hash() per process: a key made with the glossary's hash was never found again,
    # so every run checked every translation anew.
    runs = [subprocess.run([sys.executable, "-c", GLOSSARY_WRITER, f"run {n}"], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": str(n)}).stdout.strip() for n in (1, 2)]
    assert runs == ["run 1", "run 1"]  # the second process read what the first one stored

# --- the command line ---------------------------------------------------------------------------

def test_i18n_check_twice_reports_a_wrong_dose_both_times(project_tree: Path, run_cli, run_console,
                                                          _cache: Path) -> None:
    assert run_cli(["i18n", "init", "--locale", "zh_CN"], cwd=project_tree).code == 0
    po = project_tree / "locales" / "zh_CN" / "LC_MESSAGES" / "example-escalation.po"
    edit(po, 'msgid "4 g in 24 hours"\nmsgstr ""', 'msgid "4 g in 24 hours"\nmsgstr "24小时内最多4 mg"')
    first = run_console(["i18n", "check"], cwd=project_tree)
    assert _rows(_cache) > 0
    second = run_console(["i18n", "check"], cwd=project_tree)
    assert first.code == second.code == 1 and "error: [units]" in first.stdout
    assert (first.stdout, first.stderr) == (second.stdout, second.stderr)

    # A store of random bytes: the same report, no traceback.
    for path in _cache.glob("findings-*.sqlite3"):
        path.write_bytes(os.urandom(4096))
    third = run_console(["i18n", "check"], cwd=project_tree)
    assert (third.code, third.stdout, third.stderr) == (1, first.stdout, first.stderr)


def test_the_cache_command_shows_and_clears(run_cli, tmp_path: Path, _cache: Path) -> None:
    _problems(_catalog(WRONG_DOSE, FAITHFUL))
    shown = run_cli(["cache", "--format", "json"], cwd=tmp_path)
    assert shown.code == 0, shown.output
    state = json.loads(shown.stdout)["cache"]
    assert state["folder"] == str(_cache) and state["enabled"] and state["rows"] == 2
    assert [f["name"] for f in state["files"]] == [state["current"]]
    text = run_cli(["cache"], cwd=tmp_path)
    assert text.code == 0 and str(_cache) in text.stdout and "2 findings" in text.stdout
    cleared = run_cli(["cache", "--clear"], cwd=tmp_path)
    assert cleared.code == 0 and "deleted" in cleared.stderr
    assert list(_cache.glob("findings-*")) == []
    assert run_cli(["cache"], cwd=tmp_path, env={"CAREBRIDGE_CACHE_DIR": "off"}).stdout.startswith("cache: off")


@pytest.fixture
def dictionary_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Each time ``prepare_when_cold`` asked for the length check's dictionary (not read here)."""
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(findingcache, "coverage", lambda english, chinese: asked.append((english, chinese)) or (0, 0))
    return asked


def test_a_new_store_has_the_dictionary_read_before_the_checks(dictionary_reads, _cache: Path) -> None:
    findingcache.prepare_when_cold()
    assert len(dictionary_reads) == 1  # no finding kept yet: every translation will be checked


def test_a_store_with_findings_leaves_the_dictionary_unread(dictionary_reads, _cache: Path) -> None:
    _problems(_catalog(FAITHFUL))  # one finding kept
    dictionary_reads.clear()
    findingcache.prepare_when_cold()
    assert dictionary_reads == []


@pytest.mark.parametrize("value", ["off", ""])
def test_with_the_store_off_the_dictionary_is_read(dictionary_reads, monkeypatch: pytest.MonkeyPatch,
                                                   value: str) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", value)
    findingcache.prepare_when_cold()
    assert len(dictionary_reads) == 1
