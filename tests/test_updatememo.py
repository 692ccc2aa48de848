"""i18n/updatememo.py: a second ``i18n update`` reads only the protocols whose files changed since the
last one, and reaches exactly the bytes an update without the memo reaches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import copy_library, edit, snapshot

from carebridge.fsio import Staged
from carebridge.i18n import commands
from carebridge.i18n.updatememo import Memo, facts_from, facts_json
from carebridge.source.edition import ProtocolFacts

PPH = Path("protocols/obstetrics/postpartum-haemorrhage.yaml")
PPH_PO = Path("locales/zh_CN/LC_MESSAGES/postpartum-haemorrhage.po")


@pytest.fixture
def library(tmp_path: Path, run_cli) -> Path:
    """The repository's library after one update: the memo now knows every protocol."""
    tree = copy_library(tmp_path / "library")
    run = run_cli(["i18n", "update"], cwd=tree)
    assert run.code == 0, run.output
    return tree


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The protocol files an update reads (``load_protocol`` as the update stage calls it)."""
    seen: list[str] = []
    real = commands.load_protocol

    def counted(project, path: Path):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(project, path)

    monkeypatch.setattr(commands, "load_protocol", counted)
    monkeypatch.setattr(commands, "PARALLEL_FROM", 10**9, raising=False)
    monkeypatch.setattr("carebridge.source.library.PARALLEL_FROM", 10**9)  # in this process, where it is counted
    return seen


def test_an_update_of_an_unchanged_library_reads_no_protocol(library: Path, run_cli, loads: list[str]) -> None:
    before = snapshot(library, "locales")
    run = run_cli(["i18n", "update"], cwd=library)
    assert run.code == 0 and "nothing to change" in run.output, run.output
    assert loads == []
    assert snapshot(library, "locales") == before


def test_an_edited_protocol_is_the_only_one_read_and_ends_as_without_the_memo(
        library: Path, tmp_path: Path, run_cli, loads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(library, plain, symlinks=True)
    for tree in (library, plain):
        edit(tree / PPH, "title: \"Postpartum haemorrhage after", "title: \"Postpartum haemorrhage (PPH) after")
    run = run_cli(["i18n", "update"], cwd=library)
    assert run.code == 0, run.output
    assert loads == ["postpartum-haemorrhage.yaml"]
    assert "updated locales/zh_CN/LC_MESSAGES/postpartum-haemorrhage.po" in run.output
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", "off")  # the same update with nothing remembered
    assert run_cli(["i18n", "update"], cwd=plain).code == 0
    assert snapshot(library, "locales") == snapshot(plain, "locales")
    assert len(loads) == 1 + len(list((plain / "protocols").rglob("*.yaml")))


def test_a_catalog_a_translator_broke_is_read_and_refused(library: Path, run_cli, loads: list[str]) -> None:
    po = library / PPH_PO
    text = po.read_text(encoding="utf-8")
    po.write_text(text + '\nmsgid "unclosed\nmsgstr ""\n', encoding="utf-8")
    run = run_cli(["i18n", "update"], cwd=library)
    assert run.code == 1 and f"{PPH_PO.as_posix()}:" in run.output and "not closed" in run.output, run.output
    assert loads == ["postpartum-haemorrhage.yaml"]
    again = run_cli(["i18n", "update"], cwd=library)  # a protocol with a problem is never remembered
    assert again.code == 1 and loads == ["postpartum-haemorrhage.yaml"] * 2


def test_a_catalog_saved_with_a_bom_is_read_and_cleaned(library: Path, run_cli, loads: list[str]) -> None:
    po = library / PPH_PO
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes())
    first = run_cli(["i18n", "update"], cwd=library)
    assert first.code == 0 and f"updated {PPH_PO.as_posix()}" in first.output, first.output
    assert not po.read_bytes().startswith(b"\xef\xbb\xbf")  # update removed it
    assert loads == ["postpartum-haemorrhage.yaml"]
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert loads == ["postpartum-haemorrhage.yaml"] * 2  # a warning (po-bom) last time: read again
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert loads == ["postpartum-haemorrhage.yaml"] * 2  # clean now, so remembered


def test_a_removed_catalog_is_made_again(library: Path, run_cli, loads: list[str]) -> None:
    (library / PPH_PO).unlink()
    run = run_cli(["i18n", "update"], cwd=library)
    assert run.code == 0 and (library / PPH_PO).is_file(), run.output
    assert loads == ["postpartum-haemorrhage.yaml"]


def test_other_settings_or_another_schema_read_every_protocol(library: Path, run_cli, loads: list[str]) -> None:
    count = len(list((library / "protocols").rglob("*.yaml")))
    assert run_cli(["i18n", "update", "--no-fuzzy"], cwd=library).code == 0
    assert len(loads) == count  # merged without fuzzy matching: what was remembered does not apply
    loads.clear()
    # The project's own schema (a copy of the shipped one, then edited): every protocol is validated again.
    from carebridge.source.schema import DEFAULT_SCHEMA
    own = library / "my-schema.json"
    own.write_text(DEFAULT_SCHEMA.read_text(encoding="utf-8"), encoding="utf-8")
    edit(library / "mkdocs.yml", "      # schema: my-schema.json", "      schema: my-schema.json")
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert len(loads) == count
    loads.clear()
    assert run_cli(["i18n", "update"], cwd=library).code == 0 and loads == []
    own.write_text(own.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert len(loads) == count


def test_editions_are_checked_against_remembered_protocols(library: Path, run_cli, loads: list[str]) -> None:
    edition = library / "editions" / "qingshan-county.yaml"
    text = edition.read_text(encoding="utf-8")
    assert "protocol: stemi-first-90-minutes" in text
    edition.write_text(text.replace("protocol: stemi-first-90-minutes", "protocol: stemi-first-90-minutez", 1),
                       encoding="utf-8")
    run = run_cli(["i18n", "update"], cwd=library)
    assert loads == []  # no protocol was read, yet the edition is checked against all of them
    assert run.code == 1 and "stemi-first-90-minutez" in run.output, run.output


def test_a_file_changed_during_the_update_is_not_remembered(library: Path, tmp_path: Path) -> None:
    from carebridge.cli.app import project_at

    project = project_at(library)
    memo = Memo.open(project, ["zh_CN"], fuzzy=True, create=False, facts=True)
    path = library / PPH
    assert memo.up_to_date(project, path, ["zh_CN"]) is not None
    (library / PPH_PO).write_text((library / PPH_PO).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    memo.remember(path, "postpartum-haemorrhage", [], None)  # what the update found is no longer there
    assert str(path) not in memo.entries
    fresh = Memo.open(project, ["zh_CN"], fuzzy=True, create=False, facts=True)
    assert fresh.up_to_date(project, path, ["zh_CN"]) is None  # and, the file being new, nor was it before


def test_a_file_changed_after_a_worker_hashed_it_is_not_remembered(library: Path) -> None:
    from carebridge.cli.app import project_at

    project = project_at(library)
    memo = Memo.open(project, ["zh_CN"], fuzzy=True, create=False, facts=True)
    memo.entries.clear()  # nothing remembered: the workers hash each protocol's files before reading it
    assert not memo.remembers
    path = library / PPH
    hashed = Memo.hash_files(project, path, ["zh_CN"])
    assert hashed is not None and set(hashed) == {str(f) for f in Memo.files(project, path, ["zh_CN"])}
    memo.note_found(path, hashed)
    memo.remember(path, "postpartum-haemorrhage", [], None)
    assert str(path) in memo.entries  # as hashed: remembered
    memo.note_found(path, hashed)
    (library / PPH_PO).write_text((library / PPH_PO).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    memo.remember(path, "postpartum-haemorrhage", [], None)
    assert str(path) not in memo.entries


def test_what_this_update_wrote_is_remembered(library: Path, tmp_path: Path) -> None:
    from carebridge.cli.app import project_at

    project = project_at(library)
    memo = Memo.open(project, ["zh_CN"], fuzzy=True, create=False, facts=False)
    path = library / PPH
    memo.entries.clear()
    assert memo.up_to_date(project, path, ["zh_CN"]) is None
    po = library / PPH_PO
    temp = po.with_name(".written.tmp")
    temp.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    memo.note_staged([Staged(po, temp)])
    temp.replace(po)  # as commit_all renames it
    memo.remember(path, "postpartum-haemorrhage", [], None)
    assert memo.up_to_date(project, path, ["zh_CN"]) == ("postpartum-haemorrhage", None)
    memo.remember(path, "postpartum-haemorrhage", [object()], None)  # type: ignore[list-item]  # a problem
    assert memo.up_to_date(project, path, ["zh_CN"]) is None


def test_a_torn_memo_only_means_every_protocol_is_read(library: Path, run_cli, loads: list[str],
                                                      _cache: Path) -> None:
    (memo,) = _cache.glob("update-*.json")
    memo.write_text(memo.read_text(encoding="utf-8")[:100], encoding="utf-8")
    run = run_cli(["i18n", "update"], cwd=library)
    assert run.code == 0 and "nothing to change" in run.output, run.output
    assert len(loads) == len(list((library / "protocols").rglob("*.yaml")))
    loads.clear()
    assert run_cli(["i18n", "update"], cwd=library).code == 0 and loads == []  # written whole again


def test_with_the_cache_off_every_protocol_is_read(library: Path, run_cli, loads: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBRIDGE_CACHE_DIR", "off")
    for _ in range(2):
        assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert len(loads) == 2 * len(list((library / "protocols").rglob("*.yaml")))


def test_facts_survive_the_memo_whole() -> None:
    facts = ProtocolFacts("stemi", "protocols/cardiology/stemi.yaml", frozenset({"triage", "cath"}),
                          frozenset({"aspirin"}), (("on-call-cardiologist", "steps[2].action", 40, 9),))
    assert facts_from(facts_json(facts)) == facts
    assert facts_from(facts_json(None)) is None
    assert set(ProtocolFacts.__dataclass_fields__) == {"id", "file", "steps", "drugs", "roles"}  # all kept


def test_cache_shows_the_memos_and_clear_deletes_them(library: Path, run_cli, loads: list[str], _cache: Path) -> None:
    import json

    shown = run_cli(["cache", "--format", "json"], cwd=library)
    assert json.loads(shown.stdout)["cache"]["updates"]["files"] == 1, shown.output
    assert "update memos" in run_cli(["cache"], cwd=library).stdout
    cleared = run_cli(["cache", "--clear"], cwd=library)
    assert cleared.code == 0 and not list(_cache.glob("update-*.json")), cleared.output
    assert run_cli(["i18n", "update"], cwd=library).code == 0
    assert len(loads) == len(list((library / "protocols").rglob("*.yaml")))  # nothing remembered after --clear
