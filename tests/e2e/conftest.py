"""End-to-end fixtures: a real bilingual site built once per session, served on 127.0.0.1,
and one headless Chromium (Debian's /usr/bin/chromium; Playwright cannot download browsers here).

The site is built from ``tests/examples/good`` with the repository's mkdocs.yml, docs/, overrides/
and schema/, a zh_CN catalog started by ``carebridge i18n init`` and partly translated here.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "tests" / "examples" / "good"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
PROTOCOL = "protocols/nursing/example-escalation/"
ZH_CATALOG = "locales/zh_CN/LC_MESSAGES/example-escalation.po"
SITE_CATALOG = "locales/zh_CN/LC_MESSAGES/site.po"


class Fuzzy(str):
    """A translation a translator has not confirmed: written with the ``fuzzy`` flag."""


# msgid -> msgstr for the session's site; everything else stays untranslated (shown in English).
PROTOCOL_ZH: dict[str, str] = {
    "Example escalation protocol": "示例上报方案",
    "Assess the patient": "评估患者",
    "Systolic blood pressure below 90 mmHg": "收缩压低于90 mmHg",
    "paracetamol": "对乙酰氨基酚",
    "Continue monitoring": Fuzzy("继续监测"),
}
SITE_ZH: dict[str, str] = {
    "Red flags: act now": "危险信号：立即处理",
    "Steps": "步骤",
}


def carebridge_exe() -> str:
    """The real console script of the venv running the tests."""
    exe = Path(sys.executable).parent / "carebridge"
    if not exe.exists():  # pragma: no cover - the package is installed editable in the venv
        pytest.fail(f"console script not found next to {sys.executable}; run `make` to install the package")
    return str(exe)


def carebridge(tree: Path, *args: str, check: bool = True,
               env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``carebridge ARGS`` in ``tree``; with ``check`` a non-zero exit fails the test with the output."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env_extra or {})}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([carebridge_exe(), *args], cwd=tree, env=env, capture_output=True, text=True,
                            timeout=120, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"carebridge {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def make_tree(dest: Path) -> Path:
    """A fresh project: the good example's protocols plus the repository's site configuration."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLE / "protocols", dest / "protocols")
    for folder in ("docs", "overrides", "schema"):
        shutil.copytree(REPO / folder, dest / folder)
    # The repository's hospital editions name its own protocols; the example tree has none.
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(re.sub(r"(?m)^ +editions: \[.*\]\n", "", config), encoding="utf-8")
    carebridge(dest, "i18n", "init", "--locale", "zh_CN")
    return dest


def translate(po_path: Path, translations: Mapping[str, str]) -> None:
    """Fill msgstr by msgid (every context); a ``Fuzzy`` value also sets the fuzzy flag."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = set(translations)
    for message in catalog:
        if isinstance(message.id, str) and message.id in translations:
            value = translations[message.id]
            message.string = str(value)
            if isinstance(value, Fuzzy):
                message.flags.add("fuzzy")
            else:
                message.flags.discard("fuzzy")
            missing.discard(message.id)
    assert not missing, f"{po_path.name} has no msgid {sorted(missing)}"
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def translated_tree(dest: Path, protocol: Mapping[str, str] = PROTOCOL_ZH,
                    site: Mapping[str, str] = SITE_ZH) -> Path:
    """A project with the zh_CN catalogs partly translated."""
    make_tree(dest)
    translate(dest / ZH_CATALOG, protocol)
    translate(dest / SITE_CATALOG, site)
    return dest


@dataclass(frozen=True)
class BuiltSite:
    tree: Path
    site: Path

    def page(self, url: str) -> str:
        """The HTML of a directory URL such as ``zh/protocols/nursing/x/``."""
        return (self.site / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The session's site, built once with ``carebridge build``."""
    tree = translated_tree(tmp_path_factory.mktemp("carebridge") / "project")
    carebridge(tree, "build")
    site = tree / "site"
    assert (site / "index.html").is_file()
    return BuiltSite(tree, site)


HOSTILE_SCRIPT = "<script>alert(1)</script>"
# Translations a careless or hostile translator might submit; none may run or link anywhere on a page.
HOSTILE_PROTOCOL_ZH: dict[str, str] = {
    "Example escalation protocol": "示例</title>" + HOSTILE_SCRIPT,
    "A fixture that exercises every field of the schema. Not clinical content.": "摘要" + HOSTILE_SCRIPT,
    "Call the responsible doctor and record the time of the call.": "[x](javascript:alert(1)) 呼叫医生",
    "Repeat observations every 4 hours.": "每4小时重复观察。" + HOSTILE_SCRIPT,
    "Systolic blood pressure below 90 mmHg": '<a href="javascript:alert(1)">收缩压低于90 mmHg</a>',
}
HOSTILE_SITE_ZH: dict[str, str] = {
    "Steps": "步骤" + HOSTILE_SCRIPT,
    "Red flags: act now": "<img src=x onerror=alert(1)>危险信号" + HOSTILE_SCRIPT,
    # Site words that also name navigation entries and page titles, outside the article.
    "Home": "首页" + HOSTILE_SCRIPT,
    "Nursing": "护理<img src=x onerror=alert(1)>",
    "Translation status": "翻译状态</title>" + HOSTILE_SCRIPT,
}


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """A site whose zh translations carry script tags, event handlers and javascript: links."""
    tree = translated_tree(tmp_path_factory.mktemp("hostile") / "project", HOSTILE_PROTOCOL_ZH, HOSTILE_SITE_ZH)
    carebridge(tree, "build")
    return BuiltSite(tree, tree / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """``serve(site_dir)`` -> ``http://127.0.0.1:<free port>``; every server stops at the end of the session."""
    servers: list[tuple[http.server.ThreadingHTTPServer, threading.Thread]] = []

    def start(site: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name=f"site-{site.name}", daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own library, built once per session (the starter protocols, both languages)."""
    site = tmp_path_factory.mktemp("real") / "site"
    subprocess.run([carebridge_exe(), "--root", str(REPO), "build", "--strict", "--site-dir", str(site)],
                   check=True, capture_output=True, text=True, timeout=300)
    return site


@pytest.fixture(scope="session")
def real_url(real_site: Path, serve: Callable[[Path], str]) -> str:
    return serve(real_site)


@pytest.fixture(scope="session")
def base_url(built: BuiltSite, serve: Callable[[Path], str]) -> str:
    """Where the session's site is served."""
    return serve(built.site)


def require_chromium() -> Path:
    """Chromium for the browser tests: skip without it, or fail when CAREBRIDGE_REQUIRE_BROWSER=1 (CI)."""
    problem = ""
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (sudo apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError as exc:
            problem = f"playwright is not installed: {exc}"
    if problem:
        if os.environ.get("CAREBRIDGE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests are required (CAREBRIDGE_REQUIRE_BROWSER=1) but {problem}")
        pytest.skip(problem)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        chromium = manager.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        manager.stop()


@pytest.fixture
def new_page(browser: Any, base_url: str) -> Iterator[Any]:
    """Factory for pages in fresh contexts: ``new_page(width=375)``; every context is closed afterwards."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, site: str = "", **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      base_url=(site or base_url) + "/", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    """A desktop-sized page (1280 px)."""
    return new_page()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (git-ignored) for screenshots and PDFs."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
