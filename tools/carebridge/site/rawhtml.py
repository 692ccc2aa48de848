"""Hand CareBridge's own HTML blocks to Python-Markdown as raw HTML without parsing them again.

A generated protocol page is Markdown headings around large HTML blocks that the templates have
already escaped and sanitized. Python-Markdown finds raw HTML with ``html.parser``, which took
about 40% of a build (22 s of a 300-protocol profile). This preprocessor runs before it, only on
pages CareBridge generated, and stores each blank-line-separated block that is nothing but
complete block-level elements straight in Markdown's HTML stash: exactly what Markdown's own
parser would have stored. Anything else (a comment, ``<pre>``, an element left open across a
blank line, text after the last tag) is left to Markdown, and so is every block after one that
holds a tag Markdown might keep open: the output is the same either way (tests compare random
documents, and built sites byte for byte).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

# Elements whose end tag never comes (HTML void elements).
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
# Content Markdown's parser treats specially: leave such a block to it.
_SPECIAL = re.compile(r"<!|<\?|<(?:pre|script|style|textarea)\b", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(/?)>")


def elements(block: str, is_block_level: Callable[[str], bool]) -> list[str] | None:
    """The top-level elements of ``block`` when it is nothing but whole elements, each starting
    with a block-level tag, directly after one another or on the next line; else None (Markdown
    must parse the block itself)."""
    if not block.startswith("<") or _SPECIAL.search(block):
        return None
    stack: list[str] = []
    out: list[str] = []
    start = end = 0
    for match in _TAG.finditer(block):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if not stack:
            if closing or block[end:match.start()] not in ("", "\n") or not is_block_level(name):
                return None
            start = match.start()
        if closing:
            if not stack or stack.pop() != name:
                return None
        elif not self_closing and name not in VOID:
            stack.append(name)
        end = match.end()
        if not stack:
            out.append(block[start:end])
    return out if out and not stack and end == len(block.rstrip(" ")) else None


def blocks(lines: list[str]) -> Iterator[tuple[int, int, bool]]:
    """The blank-line-separated blocks of ``lines`` as (start, end, blank line follows), where a
    heading straight after an HTML block starts a block of its own (Python-Markdown ends a raw
    HTML block there too)."""
    start = -1
    for i, line in enumerate(lines):
        if not line.strip():
            if start >= 0:
                yield start, i, i + 1 < len(lines)
                start = -1
        elif start < 0:
            start = i
        elif line.startswith("#") and lines[start].startswith("<"):
            yield start, i, False
            start = i
    if start >= 0:
        yield start, len(lines), False


class _StashBlocks(Preprocessor):  # type: ignore[misc]  # Python-Markdown is untyped
    def __init__(self, md: Markdown, switch: RawHtml) -> None:
        super().__init__(md)
        self.switch = switch

    def run(self, lines: list[str]) -> list[str]:
        if not self.switch.active:
            return lines
        out: list[str] = []
        trusted = True  # until a block left to Markdown might leave an element open for the next ones
        done = 0
        for start, end, blank_follows in blocks(lines):
            out.extend(lines[done:start])  # the blank lines between blocks
            done = end
            block = lines[start:end]
            text = "\n".join(block)
            parts = elements(text, self.md.is_block_level) if trusted else None
            if parts is None:
                trusted = trusted and "<" not in text
                out.extend(block)
                continue
            # As Markdown's parser stores them: one entry per element; the last keeps a line break
            # when a blank line (and more) follows it.
            if blank_follows:
                parts[-1] += "\n"
            for part in parts[:-1]:
                out.extend((self.md.htmlStash.store(part), ""))
            out.append(self.md.htmlStash.store(parts[-1]))
            if not blank_follows:
                out.append("")
        out.extend(lines[done:])
        return out


class RawHtml(Extension):  # type: ignore[misc]  # Python-Markdown is untyped
    """Registered once by the plugin; ``active`` is set for each page before it is rendered."""

    def __init__(self) -> None:
        super().__init__()
        self.active = False

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before Markdown's own raw HTML parser (20).
        md.preprocessors.register(_StashBlocks(md, self), "carebridge_raw_html", 25)
