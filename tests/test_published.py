"""What a build publishes must be the project's own (site/published.py): docs folders and the
theme's folders inside the project, and no link among their files leading out of it. A link to a
file outside was copied into the site by a build whose validate and --strict build passed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import edit

SECRET = "TOP-SECRET-TOKEN"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder


def site_holds_secret(tree: Path) -> bool:
    site = tree / "site"
    return site.exists() and any(SECRET in p.read_text(encoding="utf-8", errors="replace")
                                 for p in site.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("link", ["docs/en/secret.txt", "docs/zh/secret.txt", "docs/en/assets/outside",
                                  "overrides/secret.txt", "overrides/partials/outside"])
def test_a_link_out_of_the_project_in_a_published_folder_is_refused_at_the_link(
        project_tree: Path, run_cli, outside: Path, link: str) -> None:
    path = project_tree / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / "secret.txt" if link.endswith(".txt") else outside)
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"{link}:1:1: error: [symlink] links to {os.path.realpath(path)}, outside the project" in run.stdout
    assert "hint: copy the file into the project" in run.stdout
    build = run_cli(["build"], cwd=project_tree)
    assert build.code == 1 and not site_holds_secret(project_tree), build.output


def test_a_link_inside_the_project_stays_allowed(project_tree: Path, run_cli) -> None:
    (project_tree / "docs" / "en" / "copy.md").symlink_to(project_tree / "docs" / "en" / "index.md")
    run = run_cli(["validate"], cwd=project_tree)
    assert "[symlink]" not in run.stdout, run.stdout


@pytest.mark.parametrize(("line", "setting"), [
    ("docs_dir: docs/en", "docs_dir: {outside}"),
    ("          docs_dir: docs/zh", "          docs_dir: ../elsewhere"),
    ("  custom_dir: overrides\n", "  custom_dir: {outside}\n"),
])
def test_a_published_folder_outside_the_project_is_refused_at_its_line(
        project_tree: Path, run_cli, outside: Path, line: str, setting: str) -> None:
    edit(project_tree / "mkdocs.yml", line, setting.format(outside=outside))
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert "is not a folder inside the project: the build publishes its files" in run.stdout
    assert "error: [config]" in run.stdout
    build = run_cli(["build"], cwd=project_tree)
    assert build.code == 1 and not site_holds_secret(project_tree), build.output


def test_a_docs_folder_that_is_a_link_out_of_the_project_is_refused(project_tree: Path, run_cli,
                                                                    outside: Path) -> None:
    (project_tree / "docs" / "outside").symlink_to(outside)
    edit(project_tree / "mkdocs.yml", "docs_dir: docs/en", "docs_dir: docs/outside")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1 and f"docs_dir 'docs/outside' (a link to {outside}) is not a folder inside the project" \
        in run.stdout, run.output
