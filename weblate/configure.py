"""Set up CareBridge in a Weblate through its REST API, from ``weblate/components.yaml``.

    python weblate/configure.py --url https://weblate.example --repo https://git.example/carebridge.git \\
        [--push URL] [--branch main] [--push-branch weblate]     # token in WEBLATE_TOKEN

Creates the project (if missing), the ``site`` component with CareBridge's file format
parameters, flags and enforced checks, and the component discovery add-on that creates one
component per protocol. Idempotent: an existing component or add-on is left as it is (the project's
review setting and instructions are set again). Standard library and PyYAML
only, so it runs from CareBridge's venv or any other.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).with_name("components.yaml")


class WeblateError(RuntimeError):
    pass


class Weblate:
    """A minimal client: JSON in and out, token authentication, errors with Weblate's own words."""

    def __init__(self, url: str, token: str, timeout: float = 600):
        self.base = url.rstrip("/") + "/api/"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, data: Any = None, params: dict[str, str] | None = None) -> Any:
        url = path if path.startswith("http") else self.base + path.lstrip("/")
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Authorization": f"Token {self.token}", "Accept": "application/json",
            **({"Content-Type": "application/json"} if body is not None else {})})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:2000]
            raise WeblateError(f"{method} {url}: HTTP {error.code}: {detail}") from None
        return json.loads(raw) if raw else None

    def get(self, path: str, **params: str) -> Any:
        return self.request("GET", path, params=params or None)

    def post(self, path: str, data: Any) -> Any:
        return self.request("POST", path, data)

    def patch(self, path: str, data: Any) -> Any:
        return self.request("PATCH", path, data)

    def all(self, path: str, **params: str) -> list[Any]:
        """Every page of a list endpoint."""
        page = self.get(path, **params)
        results = list(page["results"])
        while page.get("next"):
            page = self.get(page["next"])
            results.extend(page["results"])
        return results

    def exists(self, path: str) -> bool:
        try:
            self.get(path)
        except WeblateError as error:
            if "HTTP 404" in str(error):
                return False
            raise
        return True


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def expected_components(repo_root: Path) -> list[str]:
    """The component slugs discovery should create: one per catalog name under locales/*/LC_MESSAGES."""
    return sorted({po.stem for po in repo_root.glob("locales/*/LC_MESSAGES/*.po")})


def configure(client: Weblate, repo: str, push: str | None = None, branch: str = "main",
              config: dict[str, Any] | None = None, log=print, push_branch: str | None = None) -> dict[str, Any]:
    config = config or load_config()
    project = dict(config["project"])
    slug = project["slug"]
    if not client.exists(f"projects/{slug}/"):
        log(f"creating project {slug}")
        client.post("projects/", {k: v for k, v in project.items() if k in ("name", "slug", "web")})
    # Review workflow and instructions are project settings the create call does not take.
    client.patch(f"projects/{slug}/", {k: v for k, v in project.items() if k not in ("name", "slug", "web")})

    seed = dict(config["seed_component"])
    seed.update(repo=repo, push=push or repo, branch=branch, push_branch=push_branch or branch)
    if not client.exists(f"components/{slug}/{seed['slug']}/"):
        log(f"creating component {seed['slug']} from {repo} ({branch})")
        started = time.monotonic()
        client.post(f"projects/{slug}/components/", seed)
        log(f"  created in {time.monotonic() - started:.1f} s")

    addon = config["discovery"]
    addons = client.get(f"components/{slug}/{seed['slug']}/")["addons"]
    installed = [client.get(url)["name"] for url in addons]
    if addon["name"] not in installed:
        log("installing the component discovery add-on")
        started = time.monotonic()
        client.post(f"components/{slug}/{seed['slug']}/addons/", addon)
        log(f"  discovery done in {time.monotonic() - started:.1f} s")
    return {"project": slug, "components": sorted(c["slug"] for c in client.all(f"projects/{slug}/components/"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="Weblate's address, e.g. https://hosted.weblate.org")
    parser.add_argument("--repo", required=True, help="repository URL Weblate clones")
    parser.add_argument("--push", help="push URL (default: --repo)")
    parser.add_argument("--branch", default="main", help="branch Weblate follows (default main)")
    parser.add_argument("--push-branch", help="branch Weblate pushes to, e.g. weblate (default: --branch)")
    parser.add_argument("--config", type=Path, default=CONFIG)
    args = parser.parse_args(argv)
    token = os.environ.get("WEBLATE_TOKEN")
    if not token:
        print("set WEBLATE_TOKEN to an API token of a user who may create projects", file=sys.stderr)
        return 2
    try:
        result = configure(Weblate(args.url, token), args.repo, args.push, args.branch, load_config(args.config),
                           push_branch=args.push_branch)
    except WeblateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"project {result['project']}: {len(result['components'])} components: {', '.join(result['components'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
