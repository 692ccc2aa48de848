"""A hand-written page of the site (site/docspages.py): raw HTML that runs, frames or fetches from
another site is a build warning, so `build --strict` fails; code blocks and links are no requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.site.docspages import page_problems


@pytest.mark.parametrize(("markdown", "said"), [
    ('<script src="https://cdn.example/x.js"></script>', "raw HTML <script>"),
    ('<iframe src="/about/"></iframe>', "raw HTML <iframe>"),
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "raw HTML <link>"),
    ("<svg><animate onbegin=alert(1)></svg>", "raw HTML <svg>"),
    ('<div onclick="alert(1)">x</div>', "an event handler attribute: onclick"),
    ('<img src="https://cdn.example/logo.png" alt="">', "a request to another site: https://cdn.example/logo.png"),
    ('<video poster="//cdn.example/p.jpg"></video>', "a request to another site: //cdn.example/p.jpg"),
    ("![map](https://maps.example/tile.png)", "a request to another site: https://maps.example/tile.png"),
    ("[call](javascript:alert(1))", "an unsafe link: javascript:alert("),
])
def test_markup_that_runs_frames_or_fetches_off_site_is_named(markdown: str, said: str) -> None:
    found = page_problems(f"# About\n\nSome text.\n\n{markdown}\n")
    assert any(problem.startswith(said) for problem in found), found


@pytest.mark.parametrize("markdown", [
    "[NICE NG143](https://www.nice.org.uk/guidance/ng143) and [home](../index.md)",
    "![chart](img/chart.png)",
    '<div class="grid cards" markdown>\n\n- one\n\n</div>',
    "```html\n<script src=\"https://cdn.example/x.js\"></script>\n```",
    "Write `<iframe>` nowhere.",
])
def test_links_local_images_plain_html_and_code_pass(markdown: str) -> None:
    assert page_problems(markdown) == []


def test_a_strict_build_of_a_page_that_fetches_from_a_cdn_fails(project_tree: Path, run_cli) -> None:
    page = project_tree / "docs" / "en" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<script src="https://cdn.example/x.js"></script>\n',
                    encoding="utf-8")
    run = run_cli(["build", "--strict"], cwd=project_tree)
    assert run.code == 1
    assert "about.md: raw HTML <script>, which the site may not serve" in run.output
    assert run_cli(["build"], cwd=project_tree).code == 0  # a warning: the build without --strict goes on
