"""The raw-HTML shortcut gives exactly what Python-Markdown's own parser gives, or stays out of the way."""

from __future__ import annotations

import itertools
import random

import markdown
import pytest

from carebridge.site.rawhtml import RawHtml, elements

EXTENSIONS = ["attr_list", "toc"]  # as mkdocs.yml configures them


def convert(text: str, shortcut: bool) -> tuple[str, int]:
    """HTML, and how many blocks the shortcut stored (0 without it)."""
    ext = RawHtml()
    ext.active = shortcut
    md = markdown.Markdown(extensions=[*EXTENSIONS, ext])
    html = md.convert(text)
    return html, md.htmlStash.html_counter


CASES = [
    "# T\n\n<p>a</p>\n\n<div class=x>\n<p>b</p>\n</div>\n\n## H {#h}\n\n<p>c</p>",
    "<p><a href=x>Back</a></p>\n\n<div>\n<div>x</div>\n<div>y</div>\n</div>\n\n## S\n\n<ol><li>a</li></ol>\n",
    "<p>a</p>\n<p>b</p>\n\n<p>c</p>\n<div>d</div>\n\ntext\n",
    "<p>a</p><p>b</p>\n\n<details open><summary>x</summary><div>y</div></details>\n",
    "<dl><dt>a</dt></dl>\n## Scope {#scope}\n\n<p>x</p>\n### 2. Step {#s}\n<p>y</p>\n\n## End\n",
    "<p>a</p>\n# H\ntext\n<p>b</p>",
    "<p>a</p>", "<p>a</p>\n\n", "\n\n<p>a</p>\n\n\n\n<p>b</p>\n \n<p>c</p>\n",
    "<section><p>one<br>two</p><hr><img src=x alt=y></section>\n\n## After",
]
# Blocks the shortcut must leave to Markdown (its output is still compared).
LEFT_ALONE = [
    "<!-- a comment -->\n<p>a</p>",                 # comments
    "<pre>\ncode\n\nmore</pre>",                    # preformatted text keeps blank lines
    "<div>\n<p>a</p>\n\n<p>b</p>\n</div>",          # an element left open across a blank line
    "<span>inline</span> first",                    # not a block-level start
    "<p>a</p> trailing *text*",                     # text after the element
    "<p>a</p>\n*markdown*\n",                       # Markdown on the next line
    "<div><p>a</div></p>",                          # misnested
    "    <p>indented: a code block</p>",            # four spaces: Markdown code
    "text first\n<p>a</p>",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", CASES + LEFT_ALONE)
def test_the_shortcut_gives_markdowns_own_output(text: str) -> None:
    assert convert(text, True)[0] == convert(text, False)[0]


def _stored_by_shortcut(text: str) -> int:
    ext = RawHtml()
    ext.active = True
    md = markdown.Markdown(extensions=[ext])
    lines = md.preprocessors["carebridge_raw_html"].run(text.split("\n"))
    return sum(1 for line in lines if line.startswith("\x02wzxhzdk:"))


@pytest.mark.parametrize("text", CASES)
def test_the_shortcut_stores_generated_blocks_itself(text: str) -> None:
    assert _stored_by_shortcut(text) >= 1


def test_after_a_block_that_may_stay_open_nothing_more_is_stored() -> None:
    assert _stored_by_shortcut("<p>a</p>\n\n<div>open\n\n<p>b</p>") == 1
    assert _stored_by_shortcut("## Heading\n\ntext *em*\n\n<p>b</p>") == 1  # plain Markdown is harmless


@pytest.mark.parametrize("block", [b for b in LEFT_ALONE if "\n\n" not in b])
def test_blocks_it_cannot_vouch_for_are_left_to_markdown(block: str) -> None:
    md = markdown.Markdown()
    assert elements(block, md.is_block_level) is None


def test_an_inactive_shortcut_does_nothing() -> None:
    text = "<p>a</p>\n\n<div>b</div>"
    ext = RawHtml()
    md = markdown.Markdown(extensions=[ext])
    md.convert(text)
    assert md.preprocessors["carebridge_raw_html"].run(text.split("\n")) == text.split("\n")


PIECES = ["<p>a</p>", "<div>\n<p>b</p>\n</div>", "<details><summary>s</summary><p>x</p></details>", "## Head {#h}",
          "text *em*", "<ul><li>1</li><li>2</li></ul>", "", "", "<p>c</p><p>d</p>", "<dl><dt>t</dt><dd>d</dd></dl>",
          "<!-- c -->", "<table><tr><td>1</td></tr></table>", "- item", "<div>open", "</div>"]


def test_random_documents_convert_the_same_with_and_without_the_shortcut() -> None:
    rng = random.Random(20261130)  # fixed seed: the same documents every run
    for _ in range(600):
        lines = [rng.choice(PIECES) for _ in range(rng.randint(1, 12))]
        text = "\n".join(lines) + rng.choice(["", "\n", "\n\n"])
        assert convert(text, True)[0] == convert(text, False)[0], text


def test_every_pair_of_pieces_converts_the_same() -> None:
    for a, b in itertools.product(PIECES, repeat=2):
        for sep in ("\n", "\n\n"):
            text = a + sep + b
            assert convert(text, True)[0] == convert(text, False)[0], text
