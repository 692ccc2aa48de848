"""Recall of the fresh held-out search queries (tests/e2e/search_fresh.yaml) on the real site.

Builds the repository's library once with ``carebridge build`` (or takes ``--site``), serves it on
127.0.0.1 at a free port, types every query into Material's search box in headless Chromium the way
``tests/e2e/test_browser.search`` does, and prints, per class, the queries whose expected protocol
is among the first 3 results. ``--misses`` lists each missed query with its first 5 result links.

    .venv/bin/python bench/search_fresh.py [--site DIR] [--misses]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.e2e.conftest import CHROMIUM_ARGS  # noqa: E402  (typed into Chromium as the browser tests do)
from tests.e2e.test_browser import search  # noqa: E402

QUERIES = REPO / "tests" / "e2e" / "search_fresh.yaml"
TOP = 3
SHOWN = 5
PREFIX = {"en": "", "zh": "zh/"}
PROTOCOL_PATH = re.compile(r"^/(?P<prefix>(?:zh/)?)protocols/[^/]+/(?P<id>[^/]+)/")


@dataclass(frozen=True)
class Query:
    site: str
    klass: str
    q: str
    expect: tuple[str, ...]  # protocol ids


@dataclass
class Outcome:
    query: Query
    hrefs: list[str] = field(default_factory=list)
    ids: list[str | None] = field(default_factory=list)  # protocol id of each result on the query's site

    @property
    def found(self) -> bool:
        return any(pid in self.query.expect for pid in self.ids[:TOP])


def load_queries(path: Path) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys: dict[str, str] = data["protocols"]
    queries = []
    for item in data["queries"]:
        if item["site"] not in PREFIX:
            raise SystemExit(f"{path}: unknown site {item['site']!r} in {item}")
        missing = [key for key in item["expect"] if key not in keys]
        if missing:
            raise SystemExit(f"{path}: unknown protocol key(s) {missing} in {item}")
        queries.append(Query(item["site"], item["class"], str(item["q"]),
                             tuple(keys[key] for key in item["expect"])))
    return queries


def build_site(dest: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GITHUB_ACTIONS", None)
    exe = Path(sys.executable).parent / "carebridge"
    started = time.monotonic()
    result = subprocess.run([str(exe), "--root", str(REPO), "build", "--site-dir", str(dest)], env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    if result.returncode != 0:
        raise SystemExit(f"carebridge build exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    print(f"built {dest} in {time.monotonic() - started:.0f} s", file=sys.stderr)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """``http://127.0.0.1:<free port>`` serving ``site`` until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="fresh-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def protocol_id(page_url: str, href: str, site: str) -> str | None:
    """The protocol id of a result link, when it is a protocol page of the query's own language site."""
    match = PROTOCOL_PATH.match(urlsplit(urljoin(page_url, href)).path)
    if match is None or match["prefix"] != PREFIX[site]:
        return None
    return match["id"]


def run(base_url: str, queries: list[Query]) -> list[Outcome]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not on PATH (sudo apt-get install chromium)")
    outcomes = []
    with sync_playwright() as manager:
        browser = manager.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url + "/")
            context.set_default_timeout(30_000)
            page = context.new_page()
            for number, query in enumerate(queries, 1):
                page.goto(PREFIX[query.site])
                results = search(page, query.q)
                hrefs = [urljoin(page.url, href) for _, href in results]
                outcome = Outcome(query, hrefs, [protocol_id(page.url, href, query.site) for _, href in results])
                outcomes.append(outcome)
                if number % 20 == 0:
                    print(f"{number}/{len(queries)} queries", file=sys.stderr)
            context.close()
        finally:
            browser.close()
    return outcomes


def report(outcomes: list[Outcome], misses: bool, base_url: str) -> None:
    by_class: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_class.setdefault(outcome.query.klass, []).append(outcome)
    width = max(len(name) for name in [*by_class, "overall"])
    print(f"{'class':<{width}}  found in top {TOP} / total")
    for name in sorted(by_class):
        group = by_class[name]
        print(f"{name:<{width}}  {sum(o.found for o in group):>3} / {len(group)}")
    for site in PREFIX:
        group = [o for o in outcomes if o.query.site == site]
        print(f"{'site ' + site:<{width}}  {sum(o.found for o in group):>3} / {len(group)}")
    print(f"{'overall':<{width}}  {sum(o.found for o in outcomes):>3} / {len(outcomes)}")
    if not misses:
        return
    print()
    print("misses:")
    for outcome in outcomes:
        if outcome.found:
            continue
        query = outcome.query
        print(f"- [{query.site}] [{query.klass}] {query.q!r} expected {', '.join(query.expect)}")
        if not outcome.hrefs:
            print("    (no results)")
        for href in outcome.hrefs[:SHOWN]:
            print(f"    {unquote(href.removeprefix(base_url))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one into a temporary folder)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--misses", action="store_true", help="list the missed queries with their top 5 links")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="fresh-site-") as tmp:
        site: Path = args.site or Path(tmp) / "site"
        if args.site is None:
            build_site(site)
        with serve(site) as base_url:
            started = time.monotonic()
            outcomes = run(base_url, queries)
            print(f"{len(queries)} queries in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
            report(outcomes, args.misses, base_url)


if __name__ == "__main__":
    main()
