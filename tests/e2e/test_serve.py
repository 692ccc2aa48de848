"""``carebridge serve`` as an editor uses it: save a protocol, a catalog or a site word, and the
pages of both languages become current without rebuilding the rest; a broken save is reported and
the next good one recovers; stopping serve stops its language workers."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import copy_library, edit

from .conftest import PROTOCOL, SITE_CATALOG, ZH_CATALOG, carebridge_exe, translate, translated_tree

pytestmark = pytest.mark.slow

SOURCE = Path("protocols/nursing/example-escalation.yaml")
STEMI = "protocols/cardiology/stemi-first-90-minutes/"
DEADLINE = 180.0  # seconds: generous, this checks behaviour, not speed (bench/run.py measures that); a first build
# of the whole library with its editions and an empty findings cache took 90 s and more on a loaded 2-core CI machine


@dataclass
class Serving:
    tree: Path
    url: str
    process: subprocess.Popen[str]
    log: Path

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            return ""

    def wait_for(self, check: Callable[[], bool], what: str) -> None:
        start = time.monotonic()
        while not check():
            if self.process.poll() is not None:
                pytest.fail(f"serve ended while waiting for {what}:\n{self.log.read_text(encoding='utf-8')}")
            if time.monotonic() - start > DEADLINE:
                pytest.fail(f"timed out waiting for {what}:\n{self.log.read_text(encoding='utf-8')}")
            time.sleep(0.2)

    def site_dir(self) -> Path:
        found = re.search(r"building zh_CN into (\S+)/zh\b", self.log.read_text(encoding="utf-8"))
        assert found, self.log.read_text(encoding="utf-8")
        return Path(found.group(1))

    def rebuilds(self) -> int:
        return self.log.read_text(encoding="utf-8").count("Documentation built in")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(tree: Path) -> list[int]:
    """Processes of this tree's language workers."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"carebridge.site.languages" in cmd and b"--serve" in cmd and str(tree).encode() in b" ".join(cmd):
                out.append(int(entry.name))
    return out


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Serving]:
    yield from _serve(translated_tree(tmp_path / "project"), tmp_path, PROTOCOL)


@pytest.fixture
def serving_editions(tmp_path: Path) -> Iterator[Serving]:
    """The repository's own library and its two hospital editions."""
    tree = tmp_path / "project"
    copy_library(tree)
    yield from _serve(tree, tmp_path, "editions/qingshan-county/" + STEMI)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _serve(tree: Path, tmp_path: Path, first_page: str) -> Iterator[Serving]:
    port = _free_port()
    log = tmp_path / "serve.log"
    temp = tmp_path / "tmp"  # the serve's temporary folders, to see that it removes them
    temp.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)}
    with log.open("w", encoding="utf-8") as handle:
        # Its own process group, so stopping it is a Ctrl-C at a terminal: every process gets SIGINT.
        # SIGINT as a terminal has it: a suite started in the background (`cmd &` in a script) ignores
        # SIGINT, and a child inherits that, so the serve would never see the Ctrl-C this test sends.
        process = subprocess.Popen([carebridge_exe(), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=tree, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT, text=True, start_new_session=True,
                                   preexec_fn=_default_sigint)
    run = Serving(tree, f"http://127.0.0.1:{port}/", process, log)
    try:
        zh_page = first_page.replace("editions/qingshan-county/", "editions/qingshan-county/zh/") \
            if first_page.startswith("editions/") else "zh/" + first_page
        run.wait_for(lambda: "</html>" in run.page(zh_page) and "</html>" in run.page(first_page), "the first build")
        yield run
    finally:
        _interrupt(process)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # pragma: no cover - a hung serve is the failure shown below
            process.kill()
            process.wait()


def test_a_saved_protocol_shows_in_both_languages_and_only_its_pages_are_rendered_again(serving: Serving) -> None:
    site = serving.site_dir()
    untouched = site / "schema" / "index.html"
    other_language_untouched = site / "zh" / "schema" / "index.html"
    before = (untouched.stat().st_mtime_ns, other_language_untouched.stat().st_mtime_ns)
    built = serving.rebuilds()
    time.sleep(1.1)  # the watcher polls; a save must be seen as new
    edit(serving.tree / SOURCE, "title: Example escalation protocol", "title: Example escalation protocol revised")
    # The English title changed, so the Chinese page shows it in English (its translation is stale).
    serving.wait_for(lambda: "Example escalation protocol revised" in serving.page(PROTOCOL)
                     and "Example escalation protocol revised" in serving.page("zh/" + PROTOCOL), "the edited title")
    serving.wait_for(lambda: serving.rebuilds() > built, "the rebuild to finish")
    assert "Example escalation protocol revised" in serving.page("")  # the home list is current too
    assert (untouched.stat().st_mtime_ns, other_language_untouched.stat().st_mtime_ns) == before
    # The about page was not rendered again, and search still finds it in both languages.
    for prefix in ("", "zh/"):
        pages = (site / prefix / "search" / "cb" / "f").glob("*.js")
        assert any('"u":"about/"' in page.read_text(encoding="utf-8") for page in pages), prefix
    assert len(_workers(serving.tree)) == 1  # one zh worker, reused, not one per rebuild


def test_a_saved_translation_and_a_saved_site_word_show_on_the_chinese_page(serving: Serving) -> None:
    time.sleep(1.1)
    translate(serving.tree / ZH_CATALOG, {"Assess the patient": "评估病人"})
    serving.wait_for(lambda: "评估病人" in serving.page("zh/" + PROTOCOL), "the new translation")
    time.sleep(1.1)
    translate(serving.tree / SITE_CATALOG, {"Steps": "处理步骤"})  # a site word: every page uses it
    serving.wait_for(lambda: "处理步骤" in serving.page("zh/" + PROTOCOL), "the new site word")


def test_a_broken_save_is_reported_and_the_next_good_save_recovers(serving: Serving) -> None:
    time.sleep(1.1)
    path = serving.tree / SOURCE
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Example escalation protocol", "title: [unclosed", 1), encoding="utf-8")
    serving.wait_for(lambda: "the protocols have problems" in serving.log.read_text(encoding="utf-8"),
                     "the error to be reported")
    time.sleep(1.1)
    path.write_text(good.replace("title: Example escalation protocol", "title: Example protocol mended", 1),
                    encoding="utf-8")
    serving.wait_for(lambda: "Example protocol mended" in serving.page(PROTOCOL)
                     and "Example protocol mended" in serving.page("zh/" + PROTOCOL), "the mended page")


def _interrupt(process: subprocess.Popen[str]) -> None:
    """Ctrl-C: SIGINT to the serve's whole process group."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGINT)


def test_ctrl_c_stops_serve_and_its_worker_quietly_and_leaves_no_temporary_folders(serving: Serving) -> None:
    assert len(_workers(serving.tree)) == 1
    _interrupt(serving.process)
    serving.process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _workers(serving.tree) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _workers(serving.tree) == []
    assert "Traceback" not in serving.log.read_text(encoding="utf-8")
    assert list((serving.log.parent / "tmp").glob("carebridge-serve-*")) == []


def test_a_saved_edition_shows_on_its_pages_in_both_languages(serving_editions: Serving) -> None:
    time.sleep(1.1)
    edit(serving_editions.tree / "editions" / "qingshan-county.yaml", "phone: ext. 8180", "phone: ext. 8189")
    for prefix in ("editions/qingshan-county/", "editions/qingshan-county/zh/"):
        serving_editions.wait_for(lambda prefix=prefix: "ext. 8189" in serving_editions.page(prefix + STEMI),
                                  f"the new extension on {prefix}")
    assert "ext. 8189" not in serving_editions.page("editions/riverside-international/" + STEMI)
