"""library.py: which files make the library, and where each must sit."""

from __future__ import annotations

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
    assert run.stdout.startswith(f"protocols/nursing/example-escalation.yaml: error: [symlink] links to {outside}, "
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
