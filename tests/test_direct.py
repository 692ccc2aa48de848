"""direct.py: a generated page turned into HTML without Python-Markdown gives exactly what
Markdown (and MkDocs around it) gives — HTML, table of contents, title, anchors — or declines."""

from __future__ import annotations

import itertools
import random
from typing import Any

import markdown
import pytest
from mkdocs.structure.pages import _ExtractAnchorsTreeprocessor, _ExtractTitleTreeprocessor, _RawHTMLPreprocessor

from carebridge.site.direct import Direct
from carebridge.site.rawhtml import RawHtml
from carebridge.site.templating import heading_text

# As MkDocs configures Markdown for this project: its defaults, mkdocs.yml's, our shortcut.
EXTENSIONS: list[Any] = ["toc", "tables", "fenced_code", "attr_list"]
CONFIGS = {"toc": {"permalink": False}}


def _shortcut() -> RawHtml:
    ext = RawHtml()
    ext.active = True
    return ext


def by_markdown(text: str, extensions: list[Any] = EXTENSIONS, configs: dict[str, Any] = CONFIGS) -> tuple[Any, ...]:
    """What MkDocs' Page.render makes of ``text``: HTML, toc tokens, title, anchor ids."""
    md = markdown.Markdown(extensions=[*extensions, _shortcut()], extension_configs=configs)
    raw, anchors, title = _RawHTMLPreprocessor(), _ExtractAnchorsTreeprocessor(None, None, None), _ExtractTitleTreeprocessor()
    for ext in (raw, anchors, title):
        ext._register(md)
    html = md.convert(text)
    return html, md.toc_tokens, title.title, anchors.present_anchor_ids | raw.present_anchor_ids


def direct(extensions: list[Any] = EXTENSIONS, configs: dict[str, Any] = CONFIGS) -> Direct:
    return Direct(markdown.Markdown(extensions=[*extensions, _shortcut()], extension_configs=configs))


def by_direct(text: str) -> tuple[Any, ...] | None:
    done = direct().convert(text)
    return None if done is None else (done.html, done.toc_tokens, done.title, done.anchor_ids)


PAGES = [
    "# T\n\n<p>a</p>\n\n<div class=x>\n<p>b</p>\n</div>\n\n## H {#h}\n\n<p>c</p>",
    "# Big \\- title &amp; x\n\n<p>a</p>\n\n## Scope {#scope data-search-exclude}\n\n<p>d</p><p>e</p>\n\n### 1. Step {#s1}\n\n<p>f</p>\n\n\n",
    "<p><a href=x>Back</a></p>\n\n<div>\n<div>x</div>\n<div>y</div>\n</div>\n\n## S\n\n<ol><li>a</li></ol>\n",
    "<dl><dt>a</dt></dl>\n## Scope {#scope}\n\n<p>x</p>\n\n## End\n",
    '# <span class="cb-fallback" lang="en" title="Not yet translated">Fever in under 5s</span> {#checklist data-search-exclude}\n\n<p>x</p>',
    "# 发热患儿\n\n<p>中文</p>\n\n## 范围 {#scope}\n\n## 范围\n\n## 范围\n",  # empty slugs: _1, _2…
    "# Same\n\n## Same\n\n## Same {#same_1}\n\n## Same\n",  # automatic ids step past explicit ones
    "# A\n\n#### deep\n\n## back up\n\n###### six\n",
    "<p>\ttab</p>\t\n\n<p>a\tb</p>\r\n\r\n<p>c</p>\n   \n<p>d</p>",  # tabs, CRLF, a line of spaces
    "## Not first\n\n# Title later\n",
    "# " + heading_text("The patient's \"own\" #2 <b>x</b> & *y* [z](w) \\ 50% (≥ 65)") + " {#x}\n\n<p>a</p>",
    "# " + heading_text("Ends with a hash #") + "\n",
    # hostile text stays text: an attribute list, a tag, an entity, a placeholder-looking string
    "## " + heading_text('x {#evil .c onclick="alert(1)"} <script>alert(1)</script> &amp; wzxhzdk:0') + " {#h}\n",
    "",
    "<p>only html</p>",
]


@pytest.mark.parametrize("text", PAGES)
def test_a_page_direct_can_vouch_for_comes_out_as_markdown_makes_it(text: str) -> None:
    got = by_direct(text)
    assert got is not None, "direct declined a page of the shapes CareBridge generates"
    assert got == by_markdown(text)


DECLINED = {
    "a fenced code line": "<p>a</p>\n```\n<p>b</p>\n```\n",
    "Markdown text": "# T\n\nplain *text*\n",
    "a list": "- item\n",
    "a heading with emphasis": "# A *b*\n",
    "a heading with a link": "# [a](b)\n",
    "a heading and a line under it": "# A\n<p>b</p>\n",
    "a heading without a space": "#A\n",
    "seven hashes": "####### A\n",
    "closing hashes": "# A ##\n",
    "a class in the attribute list": "# A {.c}\n",
    "a key=value attribute": "# A {#a k=v}\n",
    "a tag with an id in a heading": '# <span id="x">A</span>\n',
    "an unclosed element across a blank line": "<div>\n<p>a</p>\n\n<p>b</p>\n</div>\n",
    "a comment": "<!-- c -->\n",
    "preformatted text": "<pre>a\n\nb</pre>\n",
    "text after an element": "<p>a</p> tail\n",
    "an inline element first": "<span>a</span>\n",
    "an indented block": "    <p>code</p>\n",
    "STX": "<p>\x02</p>\n",
    "an escape Markdown does not know": "# a \\q\n",
    "an escaped angle bracket": "# a \\<\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_what_direct_cannot_vouch_for_goes_to_markdown(text: str) -> None:
    assert by_direct(text) is None


@pytest.mark.parametrize("extensions, configs", [
    ([*EXTENSIONS, "admonition"], CONFIGS),  # another extension could read a block differently
    ([*EXTENSIONS, "smarty"], CONFIGS),  # …or a heading's quotes
    (EXTENSIONS, {"toc": {"permalink": True}}),  # a permalink inside every heading
    (EXTENSIONS, {"toc": {"baselevel": 2}}),
    (EXTENSIONS, {"toc": {"anchorlink": True}}),
    (["tables", "fenced_code", "attr_list"], {}),  # no table of contents
    (["toc", "tables", "fenced_code"], CONFIGS),  # no attribute lists: {#id} would be text
])
def test_a_markdown_set_up_otherwise_turns_direct_off(extensions: list[Any], configs: dict[str, Any]) -> None:
    assert not direct(extensions, configs).enabled
    assert direct(extensions, configs).convert("# A\n\n<p>b</p>") is None


def test_the_projects_own_set_up_keeps_it_on() -> None:
    assert direct().enabled
    assert direct(["toc", "tables", "fenced_code", "attr_list"], {"toc": {"permalink": False, "toc_depth": 3}}).enabled


def test_a_table_of_contents_depth_is_honoured() -> None:
    configs = {"toc": {"permalink": False, "toc_depth": "2-3"}}
    text = "# A\n\n## B {#b}\n\n### C\n\n#### D\n"
    done = direct(configs=configs).convert(text)
    assert done is not None
    assert (done.html, done.toc_tokens, done.title, done.anchor_ids) == by_markdown(text, configs=configs)


HEADINGS = ["# " + heading_text("Title"), "## " + heading_text("Scope") + " {#scope data-search-exclude}",
            "### " + heading_text("1. Check (≥ 2) the patient's *own* risk") + " {#s-1}", "## Same", "## Same",
            "# 标题", '## <span class="cb-fallback" lang="en" title="尚未翻译">x \\- y</span> {#z}']
BLOCKS = ["<p>a</p>", "<div>\n<p>b</p>\n</div>", "<details><summary>s</summary><p>x</p></details>",
          "<p>c</p><p>d</p>", "<table><tr><td>1</td></tr></table>", "<ul><li>1</li><li>2</li></ul>", ""]


def test_random_generated_shapes_convert_as_markdown_converts_them() -> None:
    rng = random.Random(20261130)  # fixed seed: the same documents every run
    converted = 0
    for _ in range(800):
        lines = [rng.choice(HEADINGS + BLOCKS + BLOCKS) for _ in range(rng.randint(1, 14))]
        text = rng.choice(["\n", "\n\n"]).join(lines) + rng.choice(["", "\n", "\n\n"])
        got = by_direct(text)
        if got is not None:
            converted += 1
            assert got == by_markdown(text), text
    assert converted > 400  # most documents of these shapes are direct's to convert


def test_every_pair_of_pieces_converts_the_same_or_is_declined() -> None:
    pieces = HEADINGS + BLOCKS + ["text *em*", "<div>open", "</div>", "<!-- c -->", "- item", "```"]
    for a, b in itertools.product(pieces, repeat=2):
        for sep in ("\n", "\n\n"):
            text = a + sep + b
            got = by_direct(text)
            if got is not None:
                assert got == by_markdown(text), text


def test_a_block_read_before_is_not_read_again_and_a_caller_cannot_change_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.site import direct as module

    monkeypatch.setattr(module, "_READ", {})
    calls: list[str] = []
    real = module.elements
    monkeypatch.setattr(module, "elements", lambda block, level: calls.append(block) or real(block, level))
    page = "# T\n\n<p>same step</p>\n\n<div>\n<p>other</p>\n</div>\n"
    first = by_direct(page)
    again = by_direct(page)  # another build's Direct: the next edition's page
    assert first == again == by_markdown(page)
    assert calls == ["<p>same step</p>", "<div>\n<p>other</p>\n</div>"]  # each block once
    assert by_direct(page.replace("same", "new")) == by_markdown(page.replace("same", "new"))
    assert len(calls) == 3


def test_blocks_read_under_other_block_level_tags_are_not_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.site import direct as module

    monkeypatch.setattr(module, "_READ", {})
    page = "<p>x</p>\n\n<section>y</section>\n"
    assert by_direct(page) is not None
    md = markdown.Markdown(extensions=[*EXTENSIONS, _shortcut()], extension_configs=CONFIGS)
    md.block_level_elements.remove("section")  # a set-up where <section> is not a block
    assert Direct(md).convert(page) is None
    assert by_direct(page) is not None


def test_the_cache_of_blocks_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from carebridge.site import direct as module

    monkeypatch.setattr(module, "_READ", {})
    monkeypatch.setattr(module, "_READ_MAX", 3)
    for n in range(10):
        assert by_direct(f"<p>{n}</p>") is not None
        assert len(module._READ) <= 3


def test_the_signature_changes_with_what_a_conversion_depends_on() -> None:
    plain = direct().signature
    assert direct().signature == plain  # the same settings: a kept conversion counts
    assert direct(configs={"toc": {"permalink": False, "toc_depth": 2}}).signature != plain
    assert direct(configs={"toc": {"permalink": False, "separator": "_"}}).signature != plain
    assert direct(["toc", "tables", "attr_list"]).signature != plain  # another set of processors
    assert direct(["toc", "tables", "fenced_code", "attr_list", "admonition"]).signature != plain  # direct off


def _page(prepared: Any, markdown_text: str) -> Any:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

    from carebridge.site.direct import GeneratedPage

    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "markdown_extensions": EXTENSIONS, "mdx_configs": CONFIGS})
    page = GeneratedPage("T", File("p.md", "", "", False), config, direct(), prepared)
    page.markdown = markdown_text
    return page, config


def test_a_prepared_conversion_is_used_only_for_the_markdown_it_was_made_from() -> None:
    text = PAGES[0]
    digest, made = direct().prepare("---\nsearch:\n  exclude: true\n---\n\n" + text)  # as MkDocs reads it
    assert made is not None and made.html == by_markdown(text)[0]
    forged = digest, type(made)("<p>kept</p>", [], "Kept", set())
    page, config = _page(forged, text)
    page.render(config, None)
    assert page.content == "<p>kept</p>"  # the same Markdown: the kept result, not converted again
    # A plugin changed the Markdown after the conversion was kept: it is converted now.
    changed = text.replace("<p>a</p>", "<p>changed</p>")
    page, config = _page(forged, changed)
    page.render(config, None)
    assert "changed" in page.content and "kept" not in page.content
    assert page.content == by_markdown(changed)[0]
