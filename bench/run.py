"""Measure CareBridge at scale and print one JSON object (a benchmark, not a test).

    python bench/run.py --protocols 100 --json

Builds a synthetic library of N protocols (copies of the real ones with new ids, each with
its zh_CN catalog), then measures, in this one run: the full bilingual build, a bare
MkDocs-Material build of the same pages as plain Markdown (same theme, same search), the
ratio, a rebuild after editing one protocol, validation in a cold process (nothing kept, then
again, then after saving one protocol), a fuzzy catalog
update scaled to 20,000 messages, search index sizes and page size.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


CACHE: dict[str, str] = {}  # the run's own cache folder (findings, kept pages): it starts empty


def _env() -> dict[str, str]:
    """A bare environment; PYTHONPATH passes through, so a copy of the code can be measured while
    the working tree changes."""
    extra = {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}
    return {"NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}:/usr/bin:/bin", **CACHE, **extra}


def _timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env())
    return time.perf_counter() - start


def make_library(n: int, target: Path) -> None:
    """Copy the real library N/len times over with fresh ids; catalogs keep their translations."""
    for name in ("mkdocs.yml", "docs", "overrides", "schema"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    sources = sorted((ROOT / "protocols").rglob("*.yaml"))
    locales = ROOT / "locales"
    (target / "locales" / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    for name in ("glossary.yaml",):  # provenance names the real ids, not the copies
        if (locales / "zh_CN" / name).exists():
            shutil.copy(locales / "zh_CN" / name, target / "locales" / "zh_CN" / name)
    shutil.copy(locales / "zh_CN" / "LC_MESSAGES" / "site.po", target / "locales" / "zh_CN" / "LC_MESSAGES")
    for locale in ("en", "zh_CN"):  # what clinicians type instead of the library's words
        if (locales / locale / "synonyms.yaml").exists():
            (target / "locales" / locale).mkdir(parents=True, exist_ok=True)
            shutil.copy(locales / locale / "synonyms.yaml", target / "locales" / locale / "synonyms.yaml")
    for i in range(n):
        src = sources[i % len(sources)]
        # The first copy of each keeps its id, so the hospital editions' notes still find their protocols.
        pid = src.stem if i < len(sources) else f"{src.stem}-{i:04d}"
        text = src.read_text(encoding="utf-8").replace(f"id: {src.stem}\n", f"id: {pid}\n", 1)
        out = target / "protocols" / src.parent.name / f"{pid}.yaml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        po = locales / "zh_CN" / "LC_MESSAGES" / f"{src.stem}.po"
        if po.exists():
            body = po.read_text(encoding="utf-8").replace(f'msgctxt "{src.stem}:', f'msgctxt "{pid}:')
            (target / "locales" / "zh_CN" / "LC_MESSAGES" / f"{pid}.po").write_text(body, encoding="utf-8")
    set_editions(target, 0)


def set_editions(target: Path, n: int) -> list[str]:
    """N hospital editions (copies of the demonstration ones, each with its zh_CN catalog) listed in
    mkdocs.yml; returns their ids. Each copy has extension numbers of its own, as another hospital
    would: pages that name a role differ from copy to copy (and are made for each), the others are
    the same pages (and are kept once for all)."""
    demos = sorted((ROOT / "editions").glob("*.yaml"))
    shutil.rmtree(target / "editions", ignore_errors=True)
    (target / "editions").mkdir()
    for old in (target / "locales" / "zh_CN" / "LC_MESSAGES").glob("edition-*.po"):
        old.unlink()
    ids = []
    for i in range(n):
        src = demos[i % len(demos)]
        eid = f"{src.stem}-{i:02d}"
        text = src.read_text(encoding="utf-8").replace(f"id: {src.stem}\n", f"id: {eid}\n", 1)
        text = re.sub(r"ext\. (\d+)", lambda m, i=i: f"ext. {int(m.group(1)) + i}", text)
        (target / "editions" / f"{eid}.yaml").write_text(text, encoding="utf-8")
        po = ROOT / "locales" / "zh_CN" / "LC_MESSAGES" / f"edition-{src.stem}.po"
        body = po.read_text(encoding="utf-8").replace(f'msgctxt "edition-{src.stem}:', f'msgctxt "edition-{eid}:')
        (target / "locales" / "zh_CN" / "LC_MESSAGES" / f"edition-{eid}.po").write_text(body, encoding="utf-8")
        ids.append(eid)
    config = target / "mkdocs.yml"
    text, count = re.subn(r"(?m)^(\s*editions:) \[.*\]$", lambda m: f"{m.group(1)} [{', '.join(ids)}]",
                          config.read_text(encoding="utf-8"))
    assert count == 1, "mkdocs.yml has no one-line `editions: [...]`"
    config.write_text(text, encoding="utf-8")
    return ids


_READY = """() => {
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta");
  return meta !== null && meta.textContent.trim() === words["search.result.placeholder"];
}"""


def search_ready(site: Path) -> dict[str, float]:
    """Seconds from opening a page until its search index is loaded and searchable, per language."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for key, prefix in (("en_search_ready_s", ""), ("zh_search_ready_s", "zh/")):
                page = browser.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{server.server_port}/{prefix}")
                page.locator("input.md-search__input").click()
                page.wait_for_function(_READY, timeout=120_000)
                out[key] = round(time.perf_counter() - start, 3)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


REPEATS = 3
FIRST_SEARCHES = (("", "heparin"), ("", "oxytocin"), ("", "TXA"), ("zh/", "产后出血"), ("zh/", "低分子肝素"),
                  ("zh/", "心梗"))
_RESULTS = """() => {
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  const meta = document.querySelector(".md-search-result__meta");
  const text = meta ? meta.textContent.trim() : "";
  return text !== words["search.result.placeholder"] && text !== words["search.result.initializer"] &&
    (document.querySelector(".md-search-result__item") !== null || text === words["search.result.none"]);
}"""


def first_search(site: Path) -> dict[str, object]:
    """A clinician's first search in a fresh browser: bytes the search fetched (worker, manifest,
    shards, pages shown) and seconds from typing to results, once the page has loaded."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runs: dict[str, dict[str, Any]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for (prefix, query), _ in itertools.product(FIRST_SEARCHES, range(REPEATS)):
                context = browser.new_context()
                page = context.new_page()
                sizes: dict[str, int] = {}
                context.on("requestfinished", lambda r, sizes=sizes: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
                page.goto(f"http://127.0.0.1:{server.server_port}/{prefix}", wait_until="load")
                start = time.perf_counter()
                page.locator("input.md-search__input").click()
                page.keyboard.insert_text(query)
                page.keyboard.press("End")
                page.wait_for_function(_RESULTS, timeout=60_000)
                seconds = time.perf_counter() - start
                page.wait_for_load_state("networkidle")
                search_bytes = sum(size for url, size in sizes.items() if "/search/" in url or "carebridge-search" in url)
                run = runs.setdefault(f"{prefix or 'en/'}{query}", {"bytes": search_bytes, "times": [],
                                                                   "results": page.locator(".md-search-result__item").count()})
                run["times"].append(seconds)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    for run in runs.values():  # the median of fresh browsers: a shared machine is noisy
        run["s"] = round(statistics.median(run.pop("times")), 3)
    return {"first_search": runs, "first_search_max_bytes": max(r["bytes"] for r in runs.values()),
            "first_search_max_s": max(r["s"] for r in runs.values())}


def change_sources(lib: Path, every: int) -> int:
    """Edit every ``every``-th step title; return the number of messages in the catalogs.

    (A step title is one message of ~40 per protocol, so ~1 in 400 messages changes.)"""
    count = 0
    n = 0
    for path in sorted((lib / "protocols").rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for step in data["steps"]:
            n += 1
            if n % every == 0:
                step["title"] += " (revised)"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for po in (lib / "locales" / "zh_CN" / "LC_MESSAGES").glob("*.po"):
        count += po.read_text(encoding="utf-8").count("\nmsgid ") - 1
    return count


def bare_tree(built: Path, target: Path) -> None:
    """The same pages as plain Markdown with Material and search only (no CareBridge plugin)."""
    for lang, sub in (("en", ""), ("zh", "zh")):
        docs = target / f"docs-{lang}"
        for page in (built / sub).rglob("index.html") if sub else built.rglob("index.html"):
            rel = page.relative_to(built / sub) if sub else page.relative_to(built)
            if not sub and rel.parts and rel.parts[0] == "zh":
                continue
            html = page.read_text(encoding="utf-8")
            match = re.search(r'<article[^>]*>(.*)</article>', html, re.S)
            md = docs / rel.parent / "index.md"
            md.parent.mkdir(parents=True, exist_ok=True)
            md.write_text(match.group(1) if match else "", encoding="utf-8")
        search = "[en, zh]" if lang == "zh" else "[en]"
        (target / f"mkdocs-{lang}.yml").write_text(
            f"site_name: bare\ndocs_dir: docs-{lang}\nsite_dir: site-{lang}\ntheme:\n  name: material\n  language: {lang}\n"
            f"  font: false\n  features: [navigation.sections, navigation.prune]\nplugins:\n  - search:\n      lang: {search}\n"
            "      separator: '[\\s\\u200b\\-_,:!=\\[\\]()\"`/]+|\\.(?!\\d)|&[lg]t;|(?!\\b)(?=[A-Z][a-z])'\n",
            encoding="utf-8")


def editing(lib: Path, cb: str, result: dict[str, Any], tmp: Path, with_bare: bool = True) -> None:
    """An editor's rebuilds after saving one protocol, and the bare Material build to compare with."""
    edited = sorted((lib / "protocols").rglob("*.yaml"))[0]
    data = yaml.safe_load(edited.read_text(encoding="utf-8"))
    data["title"] = "Edited: " + data["title"]
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # serve --only <id> (the editor's preview) rebuilds just that protocol, both languages;
    # a plain serve rebuilds everything, as a full build does.
    result["rebuild_one_s"] = round(_timed([cb, "build", "--only", f"{edited.parent.name}/{edited.stem}"], lib), 3)
    # A full build after the title edit: the navigation changed, so every page's theme is rendered again
    # (the other protocols' own pages are reused); after a step's text edit, only that protocol's pages.
    result["rebuild_full_s"] = round(_timed([cb, "build"], lib), 3)
    data["steps"][0]["title"] = data["steps"][0]["title"] + " (edited)"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result["rebuild_text_edit_s"] = round(_timed([cb, "build"], lib), 3)
    if not with_bare:
        return
    bare = tmp / "bare"
    bare.mkdir()
    bare_tree(lib / "site", bare)
    result["bare_build_s"] = round(sum(_timed([str(BIN / "mkdocs"), "build", "-q", "-f", f"mkdocs-{lang}.yml"], bare)
                                       for lang in ("en", "zh")), 3)
    result["build_ratio"] = round(result["build_s"] / result["bare_build_s"], 3)


def serve_edit(lib: Path, cb: str, edits: int = 3) -> dict[str, Any]:
    """Seconds from saving one protocol to its page being current, in both languages, in a running
    ``carebridge serve`` (after its first full build): the editor's loop. Median of ``edits`` saves."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    edited = sorted((lib / "protocols").rglob("*.yaml"))[-1]
    url = f"http://127.0.0.1:{port}/protocols/{edited.parent.name}/{edited.stem}/"
    zh_url = f"http://127.0.0.1:{port}/zh/protocols/{edited.parent.name}/{edited.stem}/"

    def page(address: str) -> str:
        try:
            with urllib.request.urlopen(address, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    env = _env()
    server = subprocess.Popen([cb, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=lib, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out: dict[str, Any] = {}
    try:
        start = time.perf_counter()
        while "</html>" not in page(zh_url) or "</html>" not in page(url):
            time.sleep(0.2)
            if time.perf_counter() - start > 900 or server.poll() is not None:
                raise RuntimeError("serve did not come up")
        out["serve_first_build_s"] = round(time.perf_counter() - start, 3)
        times = []
        for n in range(edits):
            time.sleep(1.5)  # a human's pause; the watcher must see a new save
            text = edited.read_text(encoding="utf-8")
            marker = f"Edit{n}x"
            edited.write_text(re.sub(r'(?m)^title: (["\']?)(?:Edit\\d+x )?', lambda m, marker=marker: f"title: {m.group(1)}{marker} ",
                                     text, count=1), encoding="utf-8")
            start = time.perf_counter()
            while marker not in page(url) or marker not in page(zh_url):
                time.sleep(0.05)
                if time.perf_counter() - start > 300:
                    raise RuntimeError("the edit never showed")
            times.append(time.perf_counter() - start)
        out["serve_edit_to_page_s"] = round(statistics.median(times), 3)
        out["serve_edit_to_page_max_s"] = round(max(times), 3)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return out


def with_editions(lib: Path, cb: str, n: int, result: dict[str, Any]) -> None:
    """The full build with ``n`` editions (each its own bilingual site), against the plain one, and
    one edition rebuilt after its file changed."""
    ids = set_editions(lib, n)
    result["editions"] = n
    result["editions_build_s"] = round(_timed([cb, "build"], lib), 3)
    result["editions_ratio"] = round(result["editions_build_s"] / result["build_s"], 3)
    # Again, nothing changed: every site's pages kept; against the plain build run again the same way.
    result["editions_build_again_s"] = round(_timed([cb, "build"], lib), 3)
    if "build_again_s" in result:
        result["editions_again_ratio"] = round(result["editions_build_again_s"] / result["build_again_s"], 3)
    edition = lib / "editions" / f"{ids[0]}.yaml"
    edition.write_text(edition.read_text(encoding="utf-8").replace("version: 0.1.0", "version: 0.1.1", 1),
                       encoding="utf-8")
    result["edition_rebuild_s"] = round(_timed([cb, "build", "--edition", ids[0]], lib), 3)
    # The edit an edition's editor makes most: one extension number changed (issue 16's "edition-file edit")
    text = edition.read_text(encoding="utf-8")
    edition.write_text(re.sub(r"ext\. (\d+)", lambda m: f"ext. {int(m.group(1)) + 1000}", text, count=1), encoding="utf-8")
    result["edition_extension_edit_s"] = round(_timed([cb, "build", "--edition", ids[0]], lib), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocols", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.add_argument("--browser", action="store_true",
                        help="also time search in headless Chromium (/usr/bin/chromium): ready, first search bytes and time")
    parser.add_argument("--search-only", action="store_true", help="build once and measure search only")
    parser.add_argument("--site", type=Path, help="only measure search in Chromium on this built site")
    parser.add_argument("--skip-bare", action="store_true",
                        help="skip the plain MkDocs-Material build of the same pages (minutes at 1,000 protocols)")
    parser.add_argument("--serve", action="store_true",
                        help="also time `carebridge serve`: from saving one protocol to its page being current")
    parser.add_argument("--editions", type=int, default=0, metavar="N",
                        help="also build with N hospital editions (copies of the demonstration ones), and "
                             "rebuild one edition after editing its file")
    args = parser.parse_args()
    if args.site:
        print(json.dumps({**search_ready(args.site), **first_search(args.site)}, indent=2, sort_keys=True))
        return
    with tempfile.TemporaryDirectory(prefix="carebridge-bench-") as tmp:
        lib = Path(tmp) / "lib"
        lib.mkdir()
        CACHE["CAREBRIDGE_CACHE_DIR"] = str(Path(tmp) / "cache")
        make_library(args.protocols, lib)
        cb = str(BIN / "carebridge")
        result: dict[str, Any] = {"protocols": args.protocols}
        if not args.search_only:
            result["validate_s"] = round(_timed([cb, "validate"], lib), 3)  # nothing kept: every file read
            # Again (a pre-commit hook's second run), and after saving one protocol: only that file is read.
            result["validate_again_s"] = round(_timed([cb, "validate"], lib), 3)
            saved = sorted((lib / "protocols").rglob("*.yaml"))[0]
            saved.write_text(saved.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            result["validate_one_saved_s"] = round(_timed([cb, "validate"], lib), 3)
        result["build_s"] = round(_timed([cb, "build"], lib), 3)  # the cache empty: every page made
        if not args.search_only:  # again, nothing changed: the pages kept by the first build
            result["build_again_s"] = round(_timed([cb, "build"], lib), 3)
        if not args.search_only:
            editing(lib, cb, result, Path(tmp), with_bare=not args.skip_bare)
        # The whole sharded index (a search loads a few of its files, see first_search).
        for key, sub in (("en_index_bytes", "search"), ("zh_index_bytes", "zh/search")):
            result[key] = sum(f.stat().st_size for f in (lib / "site" / sub).rglob("*") if f.is_file())
        result["zh_index_files"] = sum(1 for f in (lib / "site" / "zh" / "search").rglob("*") if f.is_file())
        if args.browser:
            result.update(search_ready(lib / "site"))
            result.update(first_search(lib / "site"))
        pages = list((lib / "site").rglob("*.html"))
        result["pages"] = len(pages)
        result["bytes_per_page"] = int(sum(p.stat().st_size for p in pages) / max(len(pages), 1))
        if not args.search_only:
            # Catalog update with fuzzy matching: every tenth source string changed, so it has work to do.
            result["update_messages"] = change_sources(lib, every=10)
            result["update_20k_s"] = round(_timed([cb, "i18n", "update"], lib) * 20000
                                           / max(result["update_messages"], 1), 3)
        if args.serve:
            try:
                result.update(serve_edit(lib, cb))
            except RuntimeError as exc:  # the other figures are still worth printing
                result["serve_error"] = str(exc)
        if args.editions:
            with_editions(lib, cb, args.editions, result)
    print(json.dumps(result, indent=None if args.json else 2, sort_keys=True))


if __name__ == "__main__":
    main()
