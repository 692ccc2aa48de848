"""Links, raw HTML, Markdown and placeholders: what a translation must carry over unchanged.

Split from ``equivalence`` (which runs these checks): a URL, a ``javascript:`` link, a bold span
or a ``{name}`` is compared as written, not read for meaning. What markup and which link schemes
are safe at all is decided once, in ``carebridge/markup.py``.
"""

from __future__ import annotations

import re
from collections import Counter

from .. import markup
from ..markup import MAX_DIGITS, long_number
from .findings import Finding
from .numerals import normalise

# ASCII boundaries: a Chinese character is a word character, so \b finds none in 见https://…
_URL = re.compile(r"(?i)(?<![A-Za-z0-9])(?:https?|ftp)://[^\s<>\"'\]\[(){}，。；、）（]+"
                  r"|(?<![A-Za-z0-9./])www\.[^\s<>\"'\]\[(){}，。；、）（]+")
# {contact:role} and {resource:id} name a hospital edition's entries; the others are format placeholders.
_PLACEHOLDER = re.compile(r"\{(?:contact|resource):[a-z0-9-]+\}|\{[A-Za-z_][A-Za-z0-9_]*\}|\{[0-9]*\}"
                          r"|%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|(?<![0-9%])%[sdi]")


def _links(text: str) -> set[str]:
    links = markup.inline_links(text)
    targets = {target.strip().strip("<>").split(" ")[0].rstrip(".,;:!?") for *_, target in links}
    no_images = markup.without(text, markup.inline_links(text, images=True))
    bare = markup.without(no_images, markup.inline_links(no_images))
    return targets | {m.group().rstrip(".,;:!?") for m in _URL.finditer(bare)}


def check_links(source: str, translation: str) -> list[Finding]:
    # Script-capable schemes are "dangerous"; any other scheme off the allow-list is "unsafe".
    findings = [Finding("links", "error",
                        f"{'dangerous URL' if markup.script_url(url) else 'link with unsafe scheme'} in translation: {url!r}",
                        "only http(s) and mailto links may appear; copy the link from the source")
                for url in markup.dangerous_urls(translation)]
    src, tr = _links(source), _links(translation)
    if src != tr:
        parts = [f"source links to {', '.join(sorted(src - tr))}" if src - tr else "",
                 f"translation links to {', '.join(sorted(tr - src))}" if tr - src else ""]
        findings.append(Finding("links", "error", "link mismatch: " + "; ".join(p for p in parts if p),
                                "keep every URL exactly as in the source"))
    return findings


def check_html(translation: str) -> list[Finding]:
    tags = markup.raw_html(translation)
    if not tags:
        return []
    shown = ", ".join(t if len(t) <= 40 else t[:37] + "..." for t in tags[:3])
    return [Finding("html", "error", f"raw HTML in translation: {shown}",
                    "translations are plain text or the Markdown subset; remove the tags")]


# Characters that change what a reader sees without being seen: bidirectional overrides and isolates
# (``markup.BIDI``, refused in protocols by the YAML reader too), control characters, and invisible
# characters inside a number (1\u200b0 reads as 1 and 0).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SEPARATOR = re.compile("[\u2028\u2029]")  # a line break no editor shows as one: 低于\u202890 reads as one line
_INVISIBLE_IN_NUMBER = markup.INVISIBLE_IN_NUMBER


def check_characters(translation: str) -> list[Finding]:
    """Hidden characters in a translation: never allowed, whatever a translator's comment says.

    >>> [f.message for f in check_characters("给予1\u202e01 mg")]
    ['bidirectional control character U+202E in translation']
    >>> [f.message for f in check_characters("给予1\u200b0 mg")], check_characters("给予10 mg")
    (['invisible character U+200B inside a number in translation'], [])
    >>> [f.message for f in check_characters("收缩压低于\u202890 mmHg")]
    ['line or paragraph separator U+2028 in translation']
    >>> [f.message for f in check_characters("出血量超过\U0001d7e31000 mL")]
    ["look-alike digit '𝟣' (U+1D7E3) in translation: the page shows a digit the checks do not read"]
    """
    found = [(m, "bidirectional control character") for m in markup.BIDI.finditer(translation)]
    found += [(m, "control character") for m in _CONTROL.finditer(translation)]
    found += [(m, "line or paragraph separator") for m in _SEPARATOR.finditer(translation)]
    found += [(m, "invisible character") for m in _INVISIBLE_IN_NUMBER.finditer(translation)]
    findings = [Finding("character", "error",
                        f"{kind} U+{ord(m.group()[0]):04X} {'inside a number ' if kind == 'invisible character' else ''}"
                        "in translation", "delete it (often left by a copy and paste): it can make a dose read or "
                        "display as another number")
                for m, kind in sorted(found, key=lambda f: f[0].start())]
    findings += [Finding("character", "error", f"look-alike digit {m.group()!r} (U+{ord(m.group()):04X}) in translation: "
                         "the page shows a digit the checks do not read", markup.ODD_DIGIT_HINT)
                 for m in (markup.ODD_DIGIT.finditer(translation) if markup.odd_digit(translation) else ())]
    return findings


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
# ASCII look-arounds: a CJK character is \w, and *艰难梭菌* right after Chinese text is italic
_ITALIC = re.compile(r"(?<![*A-Za-z0-9])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*A-Za-z0-9])")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|[0-9]+[.)])[ \t]+")
# A heading or quote in a text of the Markdown subset would cut the page's own structure (its table
# of contents, the step it is in)
_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_QUOTE = re.compile(r"(?m)^[ \t]{0,3}>")
# Blocks the subset has no use for, which Markdown still makes: a line of = or - under a paragraph (a
# heading), a rule, a code fence, a line indented four spaces (a code block), and a line break forced
# by two trailing spaces or a backslash. Each changes what the page shows, so each is counted.
_UNDERLINE = re.compile(r"(?m)^[ \t]{0,3}(?:=+|(?:-[ \t]*){2,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"(?m)^[ \t]{0,3}(?:`{3,}|~{3,})")
_INDENTED = re.compile(r"(?m)^(?: {4}|[ ]{0,3}\t)[ \t]*(?![-*+ \t]|[0-9]+[.)][ \t])\S")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")
_NUMBERED = re.compile(r"[ \t]*[0-9]+[.)][ \t]+")  # 1. or 1): steps in order, where - is a list of equals
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")


def _markdown_shape(text: str) -> tuple[Counter[str], list[str]]:
    code = re.findall(r"`([^`\n]+)`", text)
    rest = re.sub(r"`[^`\n]+`", " ", text)
    bold = _BOLD.findall(rest)
    italic = _ITALIC.findall(_BOLD.sub(r"\1", rest))
    blocks = [b for b in re.split(r"\n[ \t]*\n", text.strip()) if b.strip()]
    items = [line for line in text.splitlines() if _LIST_ITEM.match(line)]
    shape = Counter({"paragraph": len([b for b in blocks if not _LIST_ITEM.match(b)]), "list item": len(items),
                     "numbered list item": len([line for line in items if _NUMBERED.match(line)]),
                     "bold span": len(bold), "italic span": len(italic), "code span": len(code),
                     "link": len(markup.inline_links(text)), "image": len(markup.inline_links(text, images=True)),
                     "heading": len(_HEADING.findall(text)), "block quote": len(_QUOTE.findall(text)),
                     "heading underline or rule": len(_UNDERLINE.findall(text)), "code fence": len(_FENCE.findall(text)),
                     "indented code line": len(_INDENTED.findall(text)), "forced line break": len(_HARD_BREAK.findall(text))})
    return shape, sorted(code)


def check_markup(source: str, translation: str) -> list[Finding]:
    (src, src_code), (tr, tr_code) = _markdown_shape(source), _markdown_shape(translation)
    findings = [Finding("markup", "error", f"markup mismatch: source has {src[key]} {key}(s), translation has {tr[key]}",
                        "keep the Markdown of the source: **bold**, *italic*, `code`, [text](url), - and 1. lists, "
                        "blank lines between paragraphs")
                for key in ("paragraph", "list item", "numbered list item", "bold span", "italic span", "code span", "link", "image", "heading",
                            "block quote", "heading underline or rule", "code fence", "indented code line", "forced line break")
                if src[key] != tr[key]]
    findings += _bold_moved(source, translation) if src["bold span"] == tr["bold span"] else []
    if src["code span"] == tr["code span"] and src_code != tr_code:
        changed = ", ".join(f"`{c}`" for c in tr_code if c not in src_code)
        findings.append(Finding("markup", "error", f"code span changed: translation has {changed}",
                                "text inside `code` is copied unchanged"))
    return findings


# A negation in bold is the warning itself (**Do not** flush): 切勿**冲管** stresses the act instead.
_EN_NOT = re.compile(r"(?i)(?<![A-Za-z])(?:not|never|no|n[’']t|avoid|cannot|stop)(?![A-Za-z])")
_ZH_NOT = re.compile(r"不|勿|禁|别|避免|无|未|非|停")


def _bold_moved(source: str, translation: str) -> list[Finding]:
    """What the source makes bold that the translation has, but not in bold: a number (**within 10
    minutes** as 10分钟内**推注**) or a negation (**Do not** flush as 切勿**冲管**). The emphasis moved
    off the limit or the warning to another word."""
    source, translation = normalise(source), normalise(translation)  # ２ is 2
    bold = [" ".join(_BOLD.findall(text)) for text in (source, translation)]
    outside = _BOLD.sub(" ", translation)
    numbers = [_DIGITS.findall(text) for text in bold]
    moved = [n for n in dict.fromkeys(numbers[0]) if numbers[0].count(n) > numbers[1].count(n)
             and n in _DIGITS.findall(outside)]
    if _EN_NOT.search(bold[0]) and not _ZH_NOT.search(bold[1]) and _ZH_NOT.search(outside):
        moved.append("a negation")
    if not moved:
        return []
    return [Finding("markup", "error", f"bold moved: the source's bold holds {', '.join(moved)}, the translation's "
                    "does not", "keep the bold on the same words as the source: **10分钟内** for **within 10 minutes**, "
                    "**切勿**冲管 for **Do not** flush")]


_STRAY = "[]*_`#|"  # Markdown's punctuation; Chinese writes 【】（）× (and 2~3 for a range: no markup here)


def _stray(text: str) -> Counter[str]:
    """Markdown punctuation left over once the markup it makes is taken out (code, links and images,
    bold, italic, list, heading and quote markers) and URLs: "[[[产后出血" has three "[" of none."""
    rest = re.sub(r"`[^`\n]+`", " ", text)
    for start, end, _ in reversed(markup.inline_links(rest) + markup.inline_links(rest, images=True)):
        rest = rest[:start] + " " + rest[end:]
    rest = _URL.sub(" ", rest)
    rest = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", rest))
    lines = [_QUOTE.sub("", _HEADING.sub("", _LIST_ITEM.sub("", line, count=1))) for line in rest.splitlines()]
    return Counter(char for line in lines for char in line if char in _STRAY)


def check_stray_markup(source: str, translation: str) -> list[Finding]:
    """Markdown punctuation the translation has more of than the source: a paste gone wrong, or
    markup half-written (an unclosed ** or [), which the page shows as it is or pairs with another."""
    added = _stray(translation) - _stray(source)
    if not added:
        return []
    shown = " ".join(f"'{char}' ×{count}" for char, count in sorted(added.items()))
    return [Finding("markup", "error", f"stray Markdown characters in the translation: {shown}",
                    "remove them, or write the markup of the source in full (**bold**, [text](url)); in Chinese "
                    "text use 【】 or （） for brackets and × for times")]


def check_line_breaks(source: str, translation: str) -> list[Finding]:
    r"""A text that is no Markdown (a title, a label, a drug's name) shown on one line with more line
    breaks than its source: the page would cut a heading short, and the lines after it become
    paragraphs of their own (a "# …" or "---" then reads as text the source never had).

    >>> [f.message for f in check_line_breaks("Postpartum haemorrhage", "产后出血\n\n# 标题")]
    ['line breaks not in source: the source has 0, the translation 2']
    >>> check_line_breaks("Call the team.", "呼叫团队。\n")
    []
    """
    src, tr = source.strip().count("\n"), translation.strip().count("\n")
    if tr <= src:
        return []
    return [Finding("markup", "error", f"line breaks not in source: the source has {src}, the translation {tr}",
                    "write the translation on as many lines as the source (remove the \\n from the msgstr)")]


def check_placeholders(source: str, translation: str) -> list[Finding]:
    src, tr = Counter(_PLACEHOLDER.findall(source)), Counter(_PLACEHOLDER.findall(translation))
    if src == tr:
        return []
    return [Finding("markup", "error", f"placeholder mismatch: source has {', '.join(sorted(src.elements())) or 'none'}"
                    f"; translation has {', '.join(sorted(tr.elements())) or 'none'}",
                    "copy {name} and %(name)s placeholders unchanged")]


def check_number_length(source: str, translation: str) -> list[Finding]:
    """A number longer than any dose, count or code: nothing reads it (an int has at most 4,300 digits).

    >>> [f.message for f in check_number_length("every 4 hours", "每" + "4" * 200 + "小时")]
    ['a number of more than 100 digits in the translation']
    """
    side = "translation" if long_number(translation) >= 0 else "source" if long_number(source) >= 0 else ""
    return [Finding("numbers", "error", f"a number of more than {MAX_DIGITS} digits in the {side}",
                    "write the number as the source does" if side == "translation" else
                    "correct the protocol's text first (`carebridge validate` shows where)")] if side else []


# A tolerance (33.5 ± 0.5°C) is a band around the number: 33.5+0.5 or 33.5-0.5 is one edge of it.
_EN_TOLERANCE = re.compile(r"(?i)±|\+/[-−–]|(?<![A-Za-z])plus or minus(?![A-Za-z])")
_ZH_TOLERANCE = re.compile(r"±|\+/[-−–]|正负|上下浮动|(?<![A-Za-z])plus or minus(?![A-Za-z])", re.I)


def check_tolerance(source: str, translation: str) -> list[Finding]:
    """A ± the source has and the translation does not (or the other way round).

    >>> [f.message for f in check_tolerance("33.5 ± 0.5°C", "33.5+0.5°C")]
    ['tolerance mismatch: source has 1 ±, translation has 0']
    >>> check_tolerance("33.5 ± 0.5°C", "33.5°C（正负0.5°C）")
    []
    """
    src, tr = len(_EN_TOLERANCE.findall(source)), len(_ZH_TOLERANCE.findall(translation))
    if src == tr:
        return []
    return [Finding("numbers", "error", f"tolerance mismatch: source has {src} ±, translation has {tr}",
                    "write ± (or 正负) where the source has ± or 'plus or minus': 33.5±0.5°C")]
