"""library.py: which files make the library, and where each must sit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from carebridge.source.library import Project, load_library

PROTOCOL = Path("protocols/nursing/example-escalation.yaml")


def moved(tree: Path, to: str, specialty: str | None = None) -> Path:
    target = tree / to
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(tree / PROTOCOL, target)
    if specialty:
        target.write_text(target.read_text(encoding="utf-8").replace("specialty: nursing", f"specialty: {specialty}"),
                          encoding="utf-8")
    return target


def test_a_protocol_in_a_sub_folder_must_agree_with_its_specialty(project_tree: Path, run_cli) -> None:
    moved(project_tree, "protocols/urology/sub/example-escalation.yaml", "cardiology")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert ("protocols/urology/sub/example-escalation.yaml:8:12: error: [specialty-dir] specialty: specialty "
            "'cardiology' but the file is in protocols/urology/sub/") in run.stdout
    assert "hint: move the file to protocols/cardiology/" in run.stdout


def test_a_sub_folder_named_for_the_specialty_is_still_not_its_folder(project_tree: Path, run_cli) -> None:
    moved(project_tree, "protocols/nursing/nursing/example-escalation.yaml")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1 and "but the file is in protocols/nursing/nursing/" in run.stdout


def test_a_protocol_directly_in_protocols_is_refused(project_tree: Path, run_cli) -> None:
    moved(project_tree, "protocols/example-escalation.yaml")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert "protocols/example-escalation.yaml:8:12: error: [specialty-dir]" in run.stdout
    assert "but the file is in protocols/\n" in run.stdout


def test_a_protocol_linked_from_outside_the_library_is_refused(project_tree: Path, tmp_path: Path,
                                                               run_cli) -> None:
    outside = tmp_path / "elsewhere" / "example-escalation.yaml"
    outside.parent.mkdir()
    shutil.move(project_tree / PROTOCOL, outside)
    (project_tree / PROTOCOL).symlink_to(outside)
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1
    assert run.stdout.startswith(f"protocols/nursing/example-escalation.yaml:1:1: error: [symlink] links to {outside}, "
                                 "outside protocols/")
    assert "hint: copy the file into the library" in run.stdout
    loaded, problems = load_library(Project.at(project_tree))
    assert loaded == [] and [p.code for p in problems] == ["symlink"]  # and so the site is not built


def test_a_folder_linked_from_outside_the_library_is_refused(project_tree: Path, tmp_path: Path, run_cli) -> None:
    shutil.move(project_tree / "protocols" / "nursing", tmp_path / "shared-nursing")
    (project_tree / "protocols" / "nursing").symlink_to(tmp_path / "shared-nursing")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1 and "error: [symlink] links to " in run.stdout


def test_a_link_inside_the_library_is_read_once(project_tree: Path, run_cli) -> None:
    (project_tree / "protocols" / "nursing" / "alias.yaml").symlink_to("example-escalation.yaml")
    loaded, problems = load_library(Project.at(project_tree))
    assert problems == [] and [item.protocol.file for item in loaded] == [PROTOCOL.as_posix()]


def test_a_build_process_starts_from_its_parents_library_and_loads_only_changed_files(
        project_tree: Path, monkeypatch) -> None:
    """Another language's or edition's process takes the parsed library from the build that started
    it (site/languages.py); a file saved in between is parsed again, the rest is not."""
    from carebridge.source import library

    nursing = project_tree / "protocols" / "nursing"
    text = (nursing / "example-escalation.yaml").read_text(encoding="utf-8")
    (nursing / "example-escalation-b.yaml").write_text(text.replace("id: example-escalation\n",
                                                                    "id: example-escalation-b\n"), encoding="utf-8")
    project = Project.at(project_tree)
    monkeypatch.setattr(library, "_LOADED", {})
    parent, problems = load_library(project)
    assert problems == [] and len(parent) == 2
    data = library.export_loaded()

    monkeypatch.setattr(library, "_LOADED", {})  # the new process: nothing loaded yet
    parsed: list[str] = []
    real = library._load_one

    def counted(path: Path, project: Project) -> object:
        parsed.append(path.name)
        return real(path, project)

    monkeypatch.setattr(library, "_load_one", counted)
    library.import_loaded(data)
    child, _ = load_library(project)
    assert parsed == [] and [c.protocol for c in child] == [p.protocol for p in parent]

    edited = nursing / "example-escalation-b.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Call the responsible doctor", "Call the doctor"),
                      encoding="utf-8")
    monkeypatch.setattr(library, "_LOADED", {})
    library.import_loaded(data)
    child, _ = load_library(project)
    assert parsed == ["example-escalation-b.yaml"]
    assert "Call the doctor" in str(child[1].protocol) and "Call the responsible doctor" in str(child[0].protocol)


def test_imported_entries_never_replace_what_a_process_loaded_itself(project_tree: Path, monkeypatch) -> None:
    from carebridge.source import library

    monkeypatch.setattr(library, "_LOADED", {})
    load_library(Project.at(project_tree))
    own = dict(library._LOADED)
    path = next(iter(own))
    library.import_loaded({path: ((b"other", *own[path][0][1:]), (None, [])), Path("elsewhere.yaml"): own[path]})
    assert library._LOADED[path] == own[path] and Path("elsewhere.yaml") in library._LOADED


def test_the_readme_lists_every_protocol_of_the_library_with_its_title_and_version() -> None:
    import re

    import yaml

    repo = Path(__file__).resolve().parents[1]
    rows = re.findall(r"^\| ([\w-]+) \| \[(.+?)\]\((protocols/[^)]+\.yaml)\) \| (.+?) \| ([\d.]+) \|$",
                      (repo / "README.md").read_text(encoding="utf-8"), re.M)
    listed = {path: (area, title, partnership, version) for area, title, path, partnership, version in rows}
    files = sorted(p.relative_to(repo).as_posix() for p in (repo / "protocols").rglob("*.yaml"))
    assert sorted(listed) == files, "the README's library table names other files than protocols/ holds"
    for path in files:
        data = yaml.safe_load((repo / path).read_text(encoding="utf-8"))
        assert listed[path] == (data["specialty"], data["title"], data["partnership"], str(data["version"])), path


_MEANWHILE: list[str] = []


def _seen_by_worker(item: int) -> tuple[int, int]:
    return item * 2, len(_MEANWHILE)


def test_meanwhile_runs_once_in_this_process_while_the_workers_work() -> None:
    from carebridge.source import library

    _MEANWHILE.clear()
    items = list(range(library.PARALLEL_FROM + 10))
    out = library.parallel_map(_seen_by_worker, items, meanwhile=lambda: _MEANWHILE.append("ran"))
    assert [doubled for doubled, _ in out] == [i * 2 for i in items]  # in order
    if (os.cpu_count() or 1) >= 2:
        assert _MEANWHILE == ["ran"]
        # The workers were started first: what meanwhile made is not theirs (it is for workers forked later).
        assert {seen for _, seen in out} == {0}
    _MEANWHILE.clear()
    small = library.parallel_map(_seen_by_worker, [1, 2, 3], meanwhile=lambda: _MEANWHILE.append("ran"))
    assert small == [(2, 0), (4, 0), (6, 0)] and _MEANWHILE == []  # no workers: nothing runs meanwhile
