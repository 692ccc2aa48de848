"""Recall of the held-out search queries (tests/e2e/search_heldout.yaml) by class; print one JSON object.

    python bench/search_heldout.py --site site          # a site built with `carebridge build`
    python bench/search_heldout.py --site site --misses # and every query not in its top 3

The queries run through the site's own search worker (assets/javascripts/carebridge-search.js) and
index files in Node (bench/search_worker.js), the code and data the browser uses, without a browser:
tests/e2e/test_search_heldout.py types the same queries into Chromium.
"""

from __future__ import annotations

import argparse
import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
QUERIES = HERE.parent / "tests" / "e2e" / "search_heldout.yaml"


def load() -> list[dict[str, Any]]:
    """The queries, each with ``prefix`` ("" or "zh/") and ``expect`` as protocol ids."""
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    names = data["protocols"]
    return [{**q, "prefix": "zh/" if q["site"] == "zh" else "", "expect": [names[e] for e in q["expect"]]}
            for q in data["queries"]]


def protocol_of(location: str) -> str:
    parts = [p for p in location.split("#")[0].split("/") if p]
    return parts[-1] if len(parts) >= 3 and parts[0] == "protocols" else ""


def run(site: Path, queries: list[dict[str, Any]]) -> list[list[str]]:
    """Result locations of each query, best first."""
    out = subprocess.run(["node", str(HERE / "search_worker.js"), str(site)], check=True, capture_output=True,
                         input=json.dumps([[q["prefix"], q["q"]] for q in queries]), text=True, timeout=600)
    results: list[list[str]] = json.loads(out.stdout)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--misses", action="store_true", help="list the queries that miss")
    args = parser.parse_args()
    queries = load()
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for query, results in zip(queries, run(args.site, queries), strict=True):
        top = [protocol_of(r) for r in results[:3]]
        hit = bool(set(query["expect"]) & set(top))
        for key in (query["class"], "all"):
            found[key][0] += hit
            found[key][1] += 1
        if not hit:
            misses.append({"q": query["q"], "site": query["site"], "class": query["class"], "top": top})
    report: dict[str, Any] = {key: f"{a}/{b}" for key, (a, b) in sorted(found.items())}
    if args.misses:
        report["misses"] = misses
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
