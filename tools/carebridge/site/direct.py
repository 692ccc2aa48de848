"""A generated page turned into HTML without running Python-Markdown, when that gives the same.

CareBridge's page templates write Markdown headings around HTML blocks they have already
escaped and sanitized. Python-Markdown spent about 2 ms on each such page (a fifth of a
language's build at 1,000 protocols) to hand the blocks back unchanged and turn the headings
into ``<h2 id=…>`` and a table of contents. ``Direct.convert`` does that much itself, and only
when it can vouch for the result: every block is one plain ATX heading (escaped text, the
fallback ``<span>``/``<mark>`` tags, an ``{#id flag}`` attribute list) or complete HTML elements
as ``rawhtml.elements`` reads them; and the Markdown configuration registers no processor but
the ones whose effect on such a page is known. Anything else returns None and the page goes
through Markdown as before. Tests compare both ways on every generated page of the library.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any

from markdown import Markdown
from markdown.extensions import toc as md_toc
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from .rawhtml import blocks, elements

# Every processor a Markdown configured by mkdocs.yml (toc, tables, fenced_code, attr_list and our
# raw HTML shortcut; MkDocs' own are added per page) may register. Another extension (admonition,
# smarty, pymdownx…) could change how a heading or a block reads: then every page takes the long way.
KNOWN = {
    "preprocessors": {"normalize_whitespace", "html_block", "fenced_code_block", "carebridge_raw_html"},
    "parser.blockprocessors": {"empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist",
                               "quote", "reference", "paragraph", "table"},
    "inlinePatterns": {"backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                       "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "not_strong",
                       "em_strong", "em_strong2"},
    "treeprocessors": {"inline", "prettify", "unescape", "toc", "attr_list"},
    "postprocessors": {"raw_html", "amp_substitute"},
}
_FENCE = re.compile(r"^(?:`{3,}|~{3,})", re.M)  # fenced_code runs before anything else: leave such pages to it
_BLANKISH = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace: a line of spaces is a blank line
_HEADING = re.compile(r"(#{1,6}) +(?P<text>.*?)(?: +\{#(?P<id>[A-Za-z][A-Za-z0-9_-]*)"
                      r"(?P<flags>(?: [A-Za-z][A-Za-z0-9_-]*)*)\})? *")
# The inline pieces a heading may hold: a backslash escape, an entity, a fallback tag whose
# attribute values nothing inline would touch, or text with no Markdown syntax character.
_INLINE = re.compile(r"\\(?P<escaped>.)|(?P<entity>&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"
                     r"|(?P<tag></?(?:span|mark)(?: (?!id=|name=)[a-z-]+=\"[^\"<>\\`*_\[\]!&{}@]*\")*>)"
                     r"|(?P<text>[^\\&<>`*_\[\]!{}]+)")
_TAGS = re.compile(r"<[^>]*>")
# Blocks read before, by block-level tag set and text: a process building several sites (the
# editions in one language) meets the same step blocks on each; bounded, as a serve runs for hours.
_READ: dict[tuple[frozenset[str], str], tuple[str, ...] | None] = {}
_READ_MAX = 100_000


@dataclass(frozen=True)
class Converted:
    html: str
    toc_tokens: list[dict[str, Any]]  # as Python-Markdown's toc extension leaves them (nested)
    title: str | None  # the first element's text when it is an h1, as MkDocs reads it
    anchor_ids: set[str]  # the ids MkDocs would record as present (headings: blocks are stashed)


Prepared = tuple[bytes, "Converted | None"]  # (the digest of the Markdown converted, the result)


def _digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def markdown_digest(content: str) -> bytes:
    """The digest ``Direct.prepare`` gives ``content``: for a conversion changed as its page was."""
    return _digest(get_data(content)[0])


class Direct:
    """Read once per build from a Markdown configured as the build's pages are."""

    def __init__(self, md: Markdown) -> None:
        tree = md.treeprocessors
        toc = tree["toc"] if "toc" in tree else None  # noqa: SIM401 (a Registry has no .get)
        self.enabled = (toc is not None and "attr_list" in tree and _only_known(md)
                        and toc.slugify in (md_toc.slugify, md_toc.slugify_unicode)
                        and not toc.use_anchors and toc.use_permalinks in (False, None, "")
                        and int(toc.base_level) == 0)  # baselevel 1
        if toc is not None:
            self._slugify, self._sep = toc.slugify, toc.sep
            self._top, self._bottom = toc.toc_top, toc.toc_bottom
        self._escaped = frozenset(md.ESCAPED_CHARS) - set("<>&")
        self._tab_length = md.tab_length
        self._is_block_level = md.is_block_level
        self._levels = frozenset(md.block_level_elements)
        # Everything a conversion depends on besides the text: a kept conversion (``Made.converted``)
        # counts only for a Direct with the same signature.
        toc_settings = (f"{self._slugify.__module__}.{self._slugify.__qualname__}", self._sep, self._top,
                        self._bottom) if toc is not None else ()
        self.signature = repr((self.enabled, _registered(md), toc_settings, sorted(self._escaped), self._tab_length,
                               sorted(self._levels)))

    def convert(self, text: str) -> Converted | None:
        """The page's HTML, table of contents, title and anchors; None when Markdown must do it."""
        if not self.enabled or "\x02" in text or "\x03" in text:
            return None
        # What Markdown's NormalizeWhitespace does first.
        source = text.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = _BLANKISH.sub("\n", source.expandtabs(self._tab_length))
        if _FENCE.search(source):
            return None
        lines = source.split("\n")
        items: list[str] = []
        headings: list[tuple[int, int, str, str | None, list[str]]] = []  # (item, level, inner, id, flags)
        for start, end, blank_follows in blocks(lines):
            if lines[start].startswith("#"):
                heading = self._heading(lines[start]) if end == start + 1 else None
                if heading is None:
                    return None
                headings.append((len(items), *heading))
                items.append("")
                continue
            parts = self._elements("\n".join(lines[start:end]))
            if parts is None:
                return None
            if blank_follows:  # as rawhtml stores them, and Markdown then writes them out
                parts[-1] += "\n"
            items.extend(parts)
        return self._assemble(items, headings)

    def prepare(self, content: str) -> Prepared:
        """A page file's conversion made ahead (kept with the protocol's pages): of the Markdown MkDocs
        will read from ``content`` (its front matter taken off), with that Markdown's digest."""
        markdown = get_data(content)[0]
        return _digest(markdown), self.convert(markdown)

    def _elements(self, block: str) -> list[str] | None:
        key = (self._levels, block)
        if key not in _READ:
            if len(_READ) >= _READ_MAX:
                _READ.clear()
            found = elements(block, self._is_block_level)
            _READ[key] = tuple(found) if found is not None else None
        read = _READ[key]
        return list(read) if read is not None else None

    def _heading(self, line: str) -> tuple[int, str, str | None, list[str]] | None:
        match = _HEADING.fullmatch(line)
        if match is None:
            return None
        inner: list[str] = []
        text = match["text"]
        pos = 0
        piece = None
        for piece in _INLINE.finditer(text):
            if piece.start() != pos:
                return None
            pos = piece.end()
            if piece["escaped"] is not None:
                if piece["escaped"] not in self._escaped:
                    return None
                inner.append(piece["escaped"])
            else:
                inner.append(piece.group())
        # Markdown strips closing hashes (and the spaces before them) from a heading's end.
        if piece is None or pos != len(text) or (piece["text"] is not None and piece["text"].endswith("#")):
            return None
        return len(match[1]), "".join(inner).strip(), match["id"], (match["flags"] or "").split()

    def _assemble(self, items: list[str], headings: list[tuple[int, int, str, str | None, list[str]]]) -> Converted:
        used = {hid for _, _, _, hid, _ in headings if hid}  # the ids an automatic one must not repeat
        counters: dict[str, int] = {}
        tokens: list[dict[str, Any]] = []
        title = None
        anchors: set[str] = set()
        for index, level, inner, hid, flags in headings:
            name = md_toc.strip_tags(inner)
            if hid is None:
                hid = md_toc.unique(self._slugify(html.unescape(name), self._sep), used, counters)
            anchors.add(hid)
            attributes = {"id": f' id="{_attribute(hid)}"', **{flag: f" {flag}" for flag in flags if flag != "id"}}
            items[index] = f"<h{level}{''.join(attributes[key] for key in sorted(attributes))}>{inner}</h{level}>"
            if self._top <= level <= self._bottom:
                tokens.append({"level": level, "id": hid, "name": name, "html": inner, "data-toc-label": ""})
            if index == 0 and level == 1:
                title = " ".join(_TAGS.sub("", inner).split())
        return Converted("\n".join(items).strip(), md_toc.nest_toc_tokens(tokens), title, anchors)


def _registries(md: Markdown) -> dict[str, Any]:
    return {"preprocessors": md.preprocessors, "parser.blockprocessors": md.parser.blockprocessors,
            "inlinePatterns": md.inlinePatterns, "treeprocessors": md.treeprocessors,
            "postprocessors": md.postprocessors}


def _registered(md: Markdown) -> list[tuple[str, list[str], int]]:
    """Each registry's known processors by name, and how many it holds (an unknown one counts)."""
    return [(kind, sorted(name for name in KNOWN[kind] if name in registry), len(registry))
            for kind, registry in _registries(md).items()]


def _only_known(md: Markdown) -> bool:
    """Whether every registered processor is one of KNOWN's (a registry counts its entries and
    answers ``name in registry``)."""
    return all(len(known) == count for _, known, count in _registered(md))


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class GeneratedPage(Page):  # type: ignore[misc]  # MkDocs is untyped
    """A page CareBridge generated: rendered by ``Direct`` when it can, else by MkDocs as usual.

    Made in ``on_files`` (MkDocs allows a plugin to set ``File.page``), so the navigation takes it.
    ``prepared`` is a conversion made before (``Direct.prepare``), used only when the page's Markdown,
    as plugins leave it, is the one it was made from.
    """

    def __init__(self, title: str | None, file: File, config: MkDocsConfig, direct: Direct,
                 prepared: Prepared | None = None) -> None:
        super().__init__(title, file, config)
        self.direct = direct
        self.prepared = prepared

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.prepared is not None and self.markdown is not None and self.prepared[0] == _digest(self.markdown):
            done = self.prepared[1]
        else:
            done = self.direct.convert(self.markdown) if self.markdown is not None else None
        if done is None:
            super().render(config, files)
            return
        self.content = done.html
        self.toc = get_toc(done.toc_tokens)  # type: ignore[arg-type]  # the tokens Markdown would make
        self._title_from_render = done.title  # what Page.render sets from the first h1
        self.present_anchor_ids = set(done.anchor_ids)  # the kept conversion stays as it was made
        self.links_to_anchors = {}  # links to other pages' anchors come from Markdown links: none here


def direct_for(config: MkDocsConfig) -> Direct:
    """The build's Direct, read from a Markdown configured as its pages are."""
    return Direct(Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {}))


def make_pages(files: Files, config: MkDocsConfig, paths: list[str], titles: dict[str, str], direct: Direct,
               prepared: dict[str, Prepared]) -> None:
    """Make each generated file's page a GeneratedPage (so Python-Markdown is skipped where direct can
    vouch for it), with the conversion ``prepared`` for it if any. Made before the navigation, which then
    takes each page as it is: so with the title the navigation gives it (``titles``)."""
    for path in paths:
        file = files.get_file_from_path(path)
        if file is not None:
            GeneratedPage(titles.get(path), file, config, direct, prepared.get(path))
