"""output.py: a build never writes into the project's own files and never leaves half a site."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from carebridge import fsio
from carebridge.site import output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for folder in ("protocols/nursing", "locales/zh_CN/LC_MESSAGES", "docs/en", "docs/zh", "overrides", "schema",
                   ".git", "tools"):
        (root / folder).mkdir(parents=True)
    (root / "protocols/nursing/pph.yaml").write_text("id: pph\n", encoding="utf-8")
    (root / "schema/protocol.schema.json").write_text("{}", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return root


def sources(root: Path) -> list[tuple[str, Path]]:
    return fsio.source_paths(root, root / "protocols", root / "locales", root / "schema/protocol.schema.json",
                               [root / "docs/en", root / "docs/zh"], [root / "overrides"])


def check(root: Path, site: str | Path) -> list[str]:
    return [p.message for p in output.check_site_dir(root / site, root, sources(root), "--site-dir")]


@pytest.mark.parametrize(("site", "fragment"), [
    (".", "is or contains the project"),
    ("..", "is or contains the project"),
    ("protocols", "is the protocols folder (protocols)"),
    ("protocols/nursing", "lies inside the protocols folder"),
    ("locales", "is the catalogs folder"),
    ("locales/zh_CN/site", "lies inside the catalogs folder"),
    ("docs", "contains a documentation folder (docs/en)"),
    ("docs/zh", "is a documentation folder (docs/zh)"),
    ("overrides", "is the template overrides"),
    ("schema", "contains the schema (schema/protocol.schema.json)"),
    (".git", "is the git repository"),
    (".git/objects", "lies inside the git repository"),
    ("editions", "is the editions folder"),          # a hospital's edition files: MkDocs would empty it
    ("editions/county", "lies inside the editions folder"),
])
def test_a_site_folder_that_is_holds_or_lies_in_a_source_folder_is_refused(project: Path, site: str,
                                                                             fragment: str) -> None:
    (message,) = check(project, site)
    assert fragment in message, message


def test_the_refusal_is_a_usage_problem_with_a_hint(project: Path) -> None:
    (problem,) = output.check_site_dir(project / "locales", project, sources(project), "--site-dir")
    assert (problem.file, problem.line, problem.code) == ("--site-dir", None, "usage")
    assert str(problem).startswith("--site-dir: error: [usage] site folder locales is the catalogs folder")
    assert "a folder of its own" in problem.hint


def test_a_symlink_to_a_source_folder_is_refused(project: Path) -> None:
    (project / "out").symlink_to(project / "protocols")
    (message,) = check(project, "out")
    assert "protocols folder" in message


def test_a_source_folder_reached_through_a_symlink_is_refused(project: Path, tmp_path: Path) -> None:
    real = tmp_path / "shared-docs"
    real.mkdir()
    (project / "docs/en").rmdir()
    (project / "docs/en").symlink_to(real)
    assert check(project, real) and "documentation folder" in check(project, real)[0]


def test_an_existing_folder_that_is_not_a_site_is_refused(project: Path) -> None:
    (project / "tools" / "cli.py").write_text("print()\n", encoding="utf-8")
    (message,) = check(project, "tools")
    assert "not a site built before" in message


def test_what_a_plain_mkdocs_build_killed_half_way_left_counts_as_a_site(project: Path) -> None:
    (project / "site" / "assets" / "javascripts").mkdir(parents=True)
    assert check(project, "site") == []


def test_a_folder_holding_only_editions_built_alone_counts_as_a_site(project: Path) -> None:
    """`build --edition X` alone writes site/editions/X/: the plain build after it must not refuse site/."""
    edition = project / "site" / "editions" / "county"
    (edition / "assets" / "javascripts").mkdir(parents=True)
    (edition.parent / ".county.carebridge-old-123-ab").mkdir()  # a build's leftover beside it
    assert check(project, "site") == []


@pytest.mark.parametrize("extra", ["site/notes.txt", "site/editions/notes.txt", "site/editions/empty/"])
def test_editions_beside_anything_else_are_not_a_site(project: Path, extra: str) -> None:
    (project / "site" / "editions" / "county" / "assets" / "javascripts").mkdir(parents=True)
    target = project / extra
    if extra.endswith("/"):
        target.mkdir()
    else:
        target.write_text("x", encoding="utf-8")
    (message,) = check(project, "site")
    assert "not a site built before" in message


def test_an_empty_editions_folder_is_not_a_site(project: Path) -> None:
    (project / "site" / "editions").mkdir(parents=True)
    (message,) = check(project, "site")
    assert "not a site built before" in message


def test_a_file_is_refused(project: Path) -> None:
    (project / "notes.txt").write_text("x", encoding="utf-8")
    assert "is a file" in check(project, "notes.txt")[0]


@pytest.mark.parametrize("site", ["site", "build/site", "../elsewhere"])
def test_a_new_folder_is_fine(project: Path, site: str) -> None:
    assert check(project, site) == []


def test_an_empty_folder_and_a_site_built_before_are_fine(project: Path) -> None:
    (project / "empty").mkdir()
    old = project / "site"
    old.mkdir()
    (old / "index.html").write_text("<html>", encoding="utf-8")
    (old / "404.html").write_text("<html>", encoding="utf-8")
    assert check(project, "empty") == [] and check(project, "site") == []


# --- stage and publish -----------------------------------------------------------------------------

def old_site(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "index.html").write_text("old", encoding="utf-8")
    (path / "404.html").write_text("old", encoding="utf-8")
    (path / ".git").write_text("gitdir: ../.git/worktrees/gh-pages\n", encoding="utf-8")
    (path / ".well-known").mkdir()
    (path / ".well-known" / "security.txt").write_text("x", encoding="utf-8")
    return path


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_publish_replaces_the_old_site_whole_and_keeps_its_hidden_files(tmp_path: Path, exchange: bool,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if not exchange:
        monkeypatch.setattr(output, "_exchange", lambda first, second: False)
    site = old_site(tmp_path / "site")
    site.chmod(0o755)
    staging = output.stage(site)
    assert staging.parent == tmp_path and staging.name.startswith(".site.carebridge-build-")
    (staging / "index.html").write_text("new", encoding="utf-8")
    output.publish(staging, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert not (site / "404.html").exists()  # nothing of the old site but its hidden files
    assert (site / ".git").read_text(encoding="utf-8").startswith("gitdir:")
    assert (site / ".well-known" / "security.txt").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert site.stat().st_mode & 0o777 == 0o755  # a web server can still read it


def _gone_beside(site: Path, seconds: float = 20.0) -> list[str]:
    """What is beside ``site`` once the detached deleter has had time to finish."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and len(list(site.parent.iterdir())) > 1:
        time.sleep(0.05)
    return sorted(p.name for p in site.parent.iterdir())


def test_publish_later_swaps_at_once_and_a_detached_process_deletes_the_old_site(tmp_path: Path) -> None:
    site = old_site(tmp_path / "site")
    for i in range(200):
        (site / f"page{i}.html").write_text("old", encoding="utf-8")
    staging = output.stage(site)
    (staging / "index.html").write_text("new", encoding="utf-8")
    output.publish(staging, site, later=True)
    assert (site / "index.html").read_text(encoding="utf-8") == "new" and not (site / "page0.html").exists()
    leftovers = [p for p in tmp_path.iterdir() if p.name != "site"]
    for leftover in leftovers:  # while it is deleted, it names its live deleter: another build leaves it
        assert leftover.name.startswith(".site.carebridge-build-")
    assert _gone_beside(site) == ["site"]


def test_publish_later_deletes_the_old_site_itself_when_no_process_can_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(output.subprocess, "Popen", refuse)
    site = old_site(tmp_path / "site")
    staging = output.stage(site)
    output.publish(staging, site, later=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_publish_into_a_new_folder_is_readable_by_others(tmp_path: Path) -> None:
    staging = output.stage(tmp_path / "site")
    output.publish(staging, tmp_path / "site")
    assert (tmp_path / "site").stat().st_mode & 0o005 == 0o005  # mkdtemp made it 0700


def test_leftovers_of_dead_builds_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    site = old_site(tmp_path / "site")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    (tmp_path / f".site.carebridge-build-{dead}-abc").mkdir()
    (tmp_path / f".site.carebridge-build-{dead}-abc" / "index.html").write_text("half", encoding="utf-8")
    running = tmp_path / f".site.carebridge-build-{os.getppid()}-def"
    running.mkdir()
    other = tmp_path / f".other.carebridge-build-{dead}-ghi"
    other.mkdir()
    assert output.clean_leftovers(site) == [tmp_path / f".site.carebridge-build-{dead}-abc"]
    assert running.is_dir() and other.is_dir() and (site / "index.html").read_text(encoding="utf-8") == "old"


def test_a_site_caught_between_the_two_renames_of_a_swap_is_put_back(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    old_site(tmp_path / f".site.carebridge-old-{dead}-xyz")
    (tmp_path / f".site.carebridge-build-{dead}-abc").mkdir()
    output.clean_leftovers(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize(("code", "hint"), [
    (errno.ENOSPC, "the disk is full"), (errno.EACCES, "you may not write there"),
    (errno.EROFS, "read-only"), (errno.EIO, "check the folder and the disk"),
])
def test_a_file_system_failure_is_a_problem_with_the_path_and_a_hint(code: int, hint: str) -> None:
    problem = output.os_problem(OSError(code, os.strerror(code), "/srv/site/index.html"), "site")
    assert (problem.file, problem.code) == ("/srv/site/index.html", "io")
    assert os.strerror(code) in problem.message and hint in problem.hint


# --- through the command line: refused before anything is written ---------------------------------

def tree_state(tree: Path) -> dict[str, bytes]:
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("site", ["locales", "protocols", ".", "docs", "docs/zh", "overrides", "schema", ".git",
                                  "..", "protocols/nursing"])
def test_build_into_a_source_folder_is_a_usage_error_and_touches_nothing(project_tree: Path, run_cli,
                                                                         site: str) -> None:
    (project_tree / ".git").mkdir()
    (project_tree / "locales").mkdir()
    (project_tree / "locales" / "keep.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    before = tree_state(project_tree.parent)
    run = run_cli(["build", "--site-dir", site], cwd=project_tree)
    assert run.code == 2, run.output
    assert run.stdout.startswith("--site-dir: error: [usage] site folder "), run.stdout
    assert "  hint: " in run.stdout and "Traceback" not in run.output
    assert tree_state(project_tree.parent) == before


def test_site_dir_in_mkdocs_yml_is_checked_too(project_tree: Path, run_cli) -> None:
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: protocols"),
                      encoding="utf-8")
    before = tree_state(project_tree)
    run = run_cli(["build"], cwd=project_tree)
    # bad input in a file: exit 1, at the line that names the folder (--site-dir is a usage error: 2)
    line = config.read_text(encoding="utf-8").splitlines().index("site_dir: protocols") + 1
    assert run.code == 1, run.output
    assert run.stdout.startswith(f"mkdocs.yml:{line}:1: error: [config] site_dir: site folder protocols is the "
                                 "protocols folder"), run.stdout
    assert tree_state(project_tree) == before


def test_plain_mkdocs_build_into_a_source_folder_stops_with_a_plugin_error(project_tree: Path) -> None:
    before = tree_state(project_tree)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    done = subprocess.run([str(mkdocs), "build", "-q", "-d", "protocols"], cwd=project_tree, capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 1, done.stderr
    assert "site folder protocols is the protocols folder" in done.stderr
    assert tree_state(project_tree) == before


@pytest.mark.parametrize("pattern", ["/etc/passwd", "**", "*/**", "../other/*", "a/b/c", "", "nursing/../x"])
@pytest.mark.parametrize("command", ["build", "serve"])
def test_only_outside_the_protocols_is_a_usage_error(project_tree: Path, run_cli, command: str,
                                                     pattern: str) -> None:
    run = run_cli([command, "--only", pattern], cwd=project_tree)
    assert run.code == 2, run.output
    assert run.stdout.startswith(f"--only: error: [usage] '{pattern}' is not a protocol id"), run.stdout
    assert "  hint: name protocols inside protocols/" in run.stdout and "Traceback" not in run.output
    assert not (project_tree / "site").exists()


def test_a_broken_project_schema_is_a_problem_not_an_internal_error(project_tree: Path, run_cli) -> None:
    # The packaged schema is the default; a project's own schema named in mkdocs.yml may be broken.
    (project_tree / "own.schema.json").write_text("{not json", encoding="utf-8")
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - carebridge:\n", "  - carebridge:\n      schema: own.schema.json\n"), encoding="utf-8")
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert "own.schema.json:1:2: error: [schema-file] the schema is not valid JSON" in run.stdout, run.stdout
    assert "internal error" not in run.output


@pytest.mark.parametrize(("site", "says"), [("protocols", "is the protocols folder"), (".", "is or contains the project"),
                                           ("locales/zh_CN", "lies inside the catalogs folder"),
                                           ("..", "is or contains the project")])
def test_validate_reports_a_site_dir_the_build_would_refuse(project_tree: Path, run_cli, site: str, says: str) -> None:
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", f"site_dir: {site}"),
                      encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(f"site_dir: {site}") + 1
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"mkdocs.yml:{line}:1: error: [config] site_dir: site folder" in run.stdout and says in run.stdout


def test_validate_accepts_a_site_dir_of_its_own_whatever_it_holds(project_tree: Path, run_cli) -> None:
    config = project_tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_dir: site", "site_dir: public/site"),
                      encoding="utf-8")
    (project_tree / "public" / "site").mkdir(parents=True)
    (project_tree / "public" / "site" / "notes.txt").write_text("not a site", encoding="utf-8")  # the build's to judge
    run = run_cli(["validate"], cwd=project_tree)
    assert "site_dir" not in run.stdout, run.stdout


@pytest.mark.parametrize(("line", "docs", "says"), [
    ("docs_dir: docs/en", "docs_dir: protocols", "is or holds the protocols folder"),
    ("docs_dir: docs/en", "docs_dir: protocols/nursing", "is or holds the protocols folder"),
    ("docs_dir: docs/en", "docs_dir: .", "is or holds the project itself"),
    ("docs_dir: docs/en", "docs_dir: ./locales/../", "is or holds the project itself"),
    ("docs_dir: docs/en", "docs_dir: editions", "is or holds the editions folder"),
    ("          docs_dir: docs/zh", "          docs_dir: locales/zh_CN", "is or holds the locales folder"),
])
def test_a_docs_folder_that_is_or_holds_the_sources_is_refused_before_it_is_published(
        project_tree: Path, run_cli, line: str, docs: str, says: str) -> None:
    # MkDocs copies every file of docs_dir into the site: the raw protocol YAML (drafts, authors'
    # comments), the catalogs or the git history would be published as they are
    config = project_tree / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert text.count(line + "\n") == 1, line
    config.write_text(text.replace(line + "\n", docs + "\n"), encoding="utf-8")
    number = config.read_text(encoding="utf-8").splitlines().index(docs) + 1
    run = run_cli(["validate"], cwd=project_tree)
    assert run.code == 1, run.output
    assert f"mkdocs.yml:{number}:{docs.index(':') + 3}: error: [config] " in run.stdout and says in run.stdout, run.stdout
    before = tree_state(project_tree)
    assert run_cli(["build"], cwd=project_tree).code == 1
    assert tree_state(project_tree) == before


def test_the_repositorys_own_docs_folders_pass(project_tree: Path, run_cli) -> None:
    assert "docs_dir" not in run_cli(["validate"], cwd=project_tree).stdout
