"""One rule set for markup and links in content: what may reach a page, and how to tell.

Validation of YAML, the translation checks, the site's own words and the page renderer all ask
here, so a rule is written once: raw HTML is never allowed in content (only the Markdown
subset), and a link's scheme must be on one allow-list after whitespace, control characters,
entities and case are normalised (``j a v a script:`` and ``&#106;avascript:`` are caught).
"""

from __future__ import annotations

import html
import re

import nh3

from .prefilter import fold

# What Markdown from authors and translators may become: no images, tables, styles or scripts.
ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "code", "a", "br"})
# Schemes a page may link to; anything else (javascript:, data:, file:, vbscript:) is refused.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
PAGE_SCHEMES = frozenset({"http", "https"})  # what the renderer keeps in hrefs

# A tag, comment, CDATA, doctype or processing instruction, however it is spaced.
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*(?:>|$)")
AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]*>", re.I)
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\n]*)\)")
IMAGE = re.compile(r"!\[[^\]\n]*\]\((?P<target>[^)\n]*)\)")
_TEXT_END, _TARGET_END = re.compile(r"[\]\n]"), re.compile(r"[)\n]")


def inline_links(text: str, *, images: bool = False) -> list[tuple[int, int, str]]:
    r"""(start, end, target) of each match of ``LINK`` (``IMAGE`` with ``images``) in ``text``, in order.

    The same matches in one pass: from a "[" the link text runs to the first "]" or line end, so every
    "[" before that end meets it too and fails or succeeds alike; the scan goes on from there. The
    regular expression starts again at each "[" and scans to the end of the line each time: one
    message of 10,000 "[" cost it 50 million steps a pattern.

    >>> inline_links("see [a](https://a.org), ![i](x.png) and [[b](c) [d]\n(e)")
    [(4, 22, 'https://a.org'), (40, 47, 'c')]
    >>> inline_links("![i](x.png) [a](b)", images=True)
    [(0, 11, 'x.png')]
    """
    found: list[tuple[int, int, str]] = []
    opener = "![" if images else "["
    at = 0
    while (at := text.find(opener, at)) >= 0:
        bracket = at + 1 if images else at
        if not images and at > 0 and text[at - 1] == "!":  # LINK's (?<!!): an image's own bracket
            at += 1
            continue
        end = _TEXT_END.search(text, bracket + 1)
        if end is None:
            break  # no "]" after this "[": none after any later one either
        close = end.start()
        if text[close] == "]" and text.startswith("(", close + 1):
            stop = _TARGET_END.search(text, close + 2)
            if stop is None:
                break  # no ")" after this target: none after any later one either
            if text[stop.start()] == ")":
                found.append((at, stop.start() + 1, text[close + 2:stop.start()]))
                at = stop.start() + 1
                continue
            close = stop.start()  # the line ends first: so does every target that starts before it
        at = close  # every "[" up to here ends at the same place: none of them starts a link
    return found


def without(text: str, spans: list[tuple[int, int, str]], by: str = " ") -> str:
    """``text`` with each (start, end, …) span replaced by ``by`` (as ``pattern.sub(by, text)``)."""
    parts, last = [], 0
    for start, end, _ in spans:
        parts += [text[last:start], by]
        last = end
    return "".join(parts) + text[last:]


# A reference definition ("[c]: https://…" on a line of its own) gives "[text][c]" its target.
REFERENCE_DEFINITION = re.compile(r"^[ \t]*\[(?P<label>[^\]\n]+)\]:[ \t]*\n?[ \t]*<?(?P<target>[^\s>]+)", re.MULTILINE)
# An image: ![alt](target), ![alt][label], ![alt][] or ![label] with a definition of label.
_IMAGE_START = re.compile(r"!\[(?P<label>[^\]\n]*)\](?P<next>[(\[])?")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200f\u2028\u2029\u2060\ufeff]+")
# Script-capable schemes written anywhere in the text, however spaced ("j a v a script:").
_GAP = r"[\s\x00-\x1f\x7f\u200b-\u200f\u2060\ufeff]*"
_DANGER = re.compile("(?i)(?<![a-z])(?:" + _GAP.join("java") + "|" + _GAP.join("vb") + "|" + _GAP.join("live") + ")"
                     + _GAP + _GAP.join("script") + _GAP + ":" + "|(?<![a-z])data" + _GAP + ":" + _GAP
                     + r"[a-z]+/[a-z0-9.+-]+[;,]")


# Bidirectional overrides, isolates and marks: they can show "01" where the text says "10" (a mark is
# a strong right-to-left or left-to-right letter no one sees, and reorders the numbers around it).
# Refused in YAML (source.loader) and in translations (safety.carryover); a character-class body.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Characters that show nothing: soft hyphen, joiners and spaces of zero width, invisible operators,
# fillers (Hangul, Braille blank, Mongolian vowel separator), variation selectors, tags and musical
# formatting marks. Between two digits ("1\u20620 mg") the page shows 10 where the checks, search and
# a screen reader read 1 and 0: refused there, in YAML and in translations; a character-class body.
_INVISIBLE_BMP = ("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u3164\u2800"
                  "\ufe00-\ufe0f\ufeff\uffa0")
_INVISIBLE_ASTRAL = "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef"
INVISIBLE = _INVISIBLE_BMP + _INVISIBLE_ASTRAL
INVISIBLE_IN_NUMBER = re.compile(f"(?<=[0-9\uff10-\uff19.,])[{INVISIBLE}]+(?=[0-9\uff10-\uff19.,])")
# Decimal digits of other scripts and of mathematical styles (١, ۱, 𝟣, 𝟏): the page shows a digit that
# the checks, search and a screen reader do not read as one, so "𝟣1000 mL" is checked as 1000 and read
# on the ward as 11000. Sub- and superscript, circled and Roman numbers straight before a digit do the
# same (₁1000); after one they are an exponent (10⁹), a formula's index (SpO₂) or a fraction (1½).
_DIGIT = "0-9\uff10-\uff19"
ODD_DIGIT = re.compile(f"(?![{_DIGIT}])\\d|[\u00b2\u00b3\u00b9\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793]"
                       f"(?=[{_DIGIT}])|(?<=[{_DIGIT}])[\u2080-\u2089]")
ODD_DIGIT_HINT = "write the number with the digits 0-9 (a copy from a PDF or a web page can bring in look-alikes)"


# ``ODD_DIGIT`` looks around every character: 0.7 ms for a protocol. Only a few characters can start
# a match, which one class finds at once (0.04 ms): the decimal digits of other scripts below U+FFFF
# (Unicode 14's, pinned by tests/test_markup.py) and the numbers written beside a digit; each found is
# then tried where it stands; so is any character above U+FFFF (mathematical digits 𝟣 are there).
BMP_DIGITS = ("\u0660-\u0669\u06f0-\u06f9\u07c0-\u07c9\u0966-\u096f\u09e6-\u09ef\u0a66-\u0a6f\u0ae6-\u0aef"
              "\u0b66-\u0b6f\u0be6-\u0bef\u0c66-\u0c6f\u0ce6-\u0cef\u0d66-\u0d6f\u0de6-\u0def\u0e50-\u0e59"
              "\u0ed0-\u0ed9\u0f20-\u0f29\u1040-\u1049\u1090-\u1099\u17e0-\u17e9\u1810-\u1819\u1946-\u194f"
              "\u19d0-\u19d9\u1a80-\u1a89\u1a90-\u1a99\u1b50-\u1b59\u1bb0-\u1bb9\u1c40-\u1c49\u1c50-\u1c59"
              "\ua620-\ua629\ua8d0-\ua8d9\ua900-\ua909\ua9d0-\ua9d9\ua9f0-\ua9f9\uaa50-\uaa59\uabf0-\uabf9")
_ODD_CANDIDATE = re.compile(f"[{BMP_DIGITS}\u00b2\u00b3\u00b9\u2070-\u209f\u2150-\u218f\u2460-\u24ff\u2776-\u2793"
                            "\U00010000-\U0010ffff]")


def odd_digit(text: str) -> re.Match[str] | None:
    """The first digit of ``text`` that is not one the checks read (see ``ODD_DIGIT``), or None.

    >>> [odd_digit(t) is not None for t in ("1000 mL", "１０ mg", "10⁹/L", "SpO₂ 94%", "1½", "𝟣1000 mL", "١٠ mg", "₁10")]
    [False, False, False, False, False, True, True, True]
    """
    for candidate in _ODD_CANDIDATE.finditer(text):  # a superscript in 10⁹ is one, and no odd digit
        if (found := ODD_DIGIT.match(text, candidate.start())) is not None:
            return found
    return None


# Searching with the whole class takes 1.7 times as long as the half below U+FFFF and one test for
# any character above it (1,000 protocol files: 0.12 s against 0.07 s): ``re`` tests the ranges above
# U+FFFF one by one at every character, and most texts have no character there at all.
_ANY_INVISIBLE_BMP = re.compile(f"[{_INVISIBLE_BMP}]")
_ANY_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ANY_INVISIBLE_ASTRAL = re.compile(f"[{_INVISIBLE_ASTRAL}]")


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds any character of ``INVISIBLE``.

    >>> has_invisible("10 mg"), has_invisible("1\u200b0 mg"), has_invisible("1\U000e0020 mg"), has_invisible("😀")
    (False, True, True, False)
    """
    return bool(_ANY_INVISIBLE_BMP.search(text)
                or (_ANY_ASTRAL.search(text) and _ANY_INVISIBLE_ASTRAL.search(text)))


# Every rule below needs one of these characters: a tag its "<", a reference its "{", a link its
# "](", a scheme its ":" (written or as an entity, which needs "&").
_MARKUP_CHARACTER = re.compile(r"[<{\]:&]")


def plain(text: str) -> bool:
    """True when no rule of this module can apply to ``text`` (most texts: one scan, then done).

    >>> [plain(t) for t in ("Give 1 g over 10 min.", "see [a](b)", "a <b>", "{contact:x}", "x&#58;y")]
    [True, False, False, False, False]
    """
    return _MARKUP_CHARACTER.search(text) is None


# A hospital edition's reference in protocol text: {contact:obstetric-emergency}, {resource:ct}.
REFERENCE = re.compile(r"\{(contact|resource):([^{}\s]*)\}")


def references(text: str) -> list[tuple[str, str]]:
    """``(kind, id)`` of each edition reference in ``text``.

    >>> references("Call {contact:rapid-response} now.")
    [('contact', 'rapid-response')]
    """
    return [(m.group(1), m.group(2)) for m in REFERENCE.finditer(text)] if "{" in text else []


def normalise(text: str) -> str:
    """Entities decoded, invisible characters and white space removed, lower case.

    >>> normalise("J a v a\\tScript&#58;alert(1)")
    'javascript:alert(1)'
    """
    return _INVISIBLE.sub("", html.unescape(html.unescape(text))).lower()


def raw_html(text: str) -> list[str]:
    """The raw HTML tags in ``text`` (autolinks like ``<https://…>`` are Markdown, not HTML).

    >>> raw_html("see <https://who.int> and <b onclick=x>this</b>")
    ['<b onclick=x>', '</b>']
    """
    return [m.group() for m in RAW_HTML.finditer(AUTOLINK.sub(" ", text))] if "<" in text else []


# A user name before the host: https://nice.org.uk@other.example/ reads as NICE and goes elsewhere
_USERINFO = re.compile(r"[a-z][a-z0-9+.-]*:/*[^/?#]*@")


def page_link_ok(target: str) -> bool:
    """A link protocol text may carry: an http(s) address (without a user name before its host) or
    an in-page ``#anchor``.

    >>> [page_link_ok(t) for t in ("https://nice.org.uk/ng235", "#step-2", "https://nice.org.uk@evil.example/")]
    [True, True, False]
    """
    target = target.strip()
    if target.startswith("#"):
        return True
    url = normalise(target)
    return bool(_SCHEME.match(url)) and not unsafe_url(target, PAGE_SCHEMES) and not _USERINFO.match(url)


def link_targets(text: str) -> list[str]:
    """Targets of Markdown links and images, inline or in a reference definition, as written.

    >>> link_targets("see [a](https://a.org) and [b][1]\\n\\n[1]: ftp://b.org")
    ['https://a.org', 'ftp://b.org']
    """
    inline = "](" in text  # both inline patterns need it; most texts have no link
    if not inline and "]:" not in text:
        return []
    found = [target for *_, target in (*inline_links(text), *inline_links(text, images=True))] if inline else []
    if "]:" in text:
        found += [m.group("target") for m in REFERENCE_DEFINITION.finditer(text)]
    return found


def images(text: str) -> list[str]:
    """The Markdown images in ``text``, as written up to their alt text: pages show none (the
    renderer keeps no ``img``), so an image in content would silently vanish.

    >>> images("![chart](https://a.org/c.png), ![b][x], ![d] and Stop![e]\\n\\n[d]: https://a.org/d.png")
    ['![chart](', '![b][', '![d]']
    """
    if "![" not in text:
        return []
    labels = {m.group("label").casefold() for m in REFERENCE_DEFINITION.finditer(text)} if "]:" in text else set()
    return [m.group() for m in _IMAGE_START.finditer(text) if m.group("next") or m.group("label").casefold() in labels]


def unsafe_url(target: str, allowed: frozenset[str] = SAFE_SCHEMES) -> bool:
    """True when a link target's scheme is not allowed (relative links and anchors are fine).

    >>> [unsafe_url(u) for u in ["https://nice.org.uk", "#step-2", "JaVa Script:alert(1)", "data:text/html,x"]]
    [False, False, True, True]
    """
    scheme = _SCHEME.match(normalise(target))
    return scheme is not None and scheme.group(1) not in allowed


def dangerous_urls(text: str) -> list[str]:
    """Every unsafe link in ``text``: link targets with a refused scheme, and script-capable
    schemes written anywhere in the prose (however spaced or encoded).

    >>> dangerous_urls("[x](https://a.org) then j a v a s c r i p t : alert(1)")
    ['javascript:']
    """
    found = [t for t in link_targets(text) if unsafe_url(t)]
    decoded = html.unescape(html.unescape(text))
    if _may_name_a_scheme(decoded):
        found += [normalise(m.group()) for m in _DANGER.finditer(decoded)
                  if not any(normalise(m.group()) in normalise(t) for t in found)]
    return found


def unsafe_links(text: str) -> list[str]:
    """What content text links to that is not a public http(s) page or an in-page anchor, and any
    script-capable scheme written anywhere (images count as links: pages show none); the first
    is what an error names.

    >>> [unsafe_links(t) for t in ("[a](https://who.int)", "[a](javascript:void)", "![x](x.png)")]
    [[], ['javascript:void'], ['x.png']]
    """
    found = dangerous_urls(text)
    return found + [t for t in link_targets(text) if not page_link_ok(t) and t not in found]


def _may_name_a_scheme(text: str) -> bool:
    """False only when ``_DANGER`` cannot match: without its gaps and case, the text holds neither
    "script:" nor "data:" (a cheap test first; the full pattern runs on what passes)."""
    if ":" not in text:  # every scheme _DANGER matches ends with one (most texts stop here)
        return False
    compact = fold(_INVISIBLE.sub("", text))
    return "script:" in compact or "data:" in compact


def script_url(url: str) -> bool:
    """A URL whose scheme runs code or embeds a document (javascript:, vbscript:, data:)."""
    return bool(_DANGER.match(url)) or normalise(url).startswith(("javascript:", "vbscript:", "livescript:", "data:"))


def clean_html(fragment: str) -> str:
    """Markup from Markdown reduced to the allowed subset; links only to http(s) or anchors."""
    return str(nh3.clean(fragment, tags=set(ALLOWED_TAGS), attributes={"a": {"href"}}, url_schemes=set(PAGE_SCHEMES),
                         link_rel="noopener noreferrer", strip_comments=True))


# One text (a YAML string, a message of a catalog) longer than any protocol holds (the longest is
# about 2,000 characters): a paste gone wrong, or a file made to keep the checks busy for hours.
MAX_TEXT = 10_000


# A number of more digits than any dose, count or code (a paste gone wrong); Python turns no more
# than 4,300 into an int. Digits as the translation checks read them: ASCII, full-width, Chinese.
MAX_DIGITS = 100
_LONG_NUMBER = re.compile(rf"[0-9０-９](?:[,.，  \u00a0\u3000]?[0-9０-９]){{{MAX_DIGITS},}}")
_CHINESE_DIGITS = "零〇一二两三四五六七八九"
_LONG_CHINESE_NUMBER = re.compile(rf"[{_CHINESE_DIGITS}]{{{MAX_DIGITS + 1},}}")


def long_number(text: str) -> int:
    """Where ``text`` holds a number of more than ``MAX_DIGITS`` digits (its index), else -1.

    >>> long_number("every 4 hours, 1 000 mg"), long_number("No. " + "1" * 101), long_number("第" + "二" * 101)
    (-1, 4, 1)
    """
    # Every file is read for this: the Chinese run is looked for only where the text holds that
    # many Chinese digits at all (str.count is many times faster than a regex scan), and they are
    # counted only where the text has the UTF-8 bytes for them (each takes three): an English
    # protocol with a few Chinese words is encoded in 11 µs, its Chinese digits counted in 52 µs.
    starts = [m.start() for m in (_LONG_NUMBER.search(text),) if m is not None]
    if (len(text.encode("utf-8", "surrogatepass")) - len(text) > 2 * MAX_DIGITS
            and sum(map(text.count, _CHINESE_DIGITS)) > MAX_DIGITS and (m := _LONG_CHINESE_NUMBER.search(text))):
        starts.append(m.start())
    return min(starts, default=-1)


def link_refusal(text: str, where: str = "") -> str | None:
    """The error for content text with an unsafe link (``unsafe_links``), naming the first; None if it has none.

    >>> link_refusal("[x](ftp://a.org)")
    "link 'ftp://a.org' is not allowed: only http:// or https:// links"
    """
    unsafe = unsafe_links(text)
    return f"link '{shorten(unsafe[0])}' is not allowed{where}: only http:// or https:// links" if unsafe else None


def shorten(target: str, size: int = 60) -> str:
    """A link target fit for an error message: control characters escaped, at most ``size`` characters.

    >>> shorten("javascript:\\x1b[31malert(1)")
    'javascript:\\\\x1b[31malert(1)'
    >>> shorten("https://example.org/" + "a" * 80)[-3:]
    'aa…'
    """
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in target)
    return shown if len(shown) <= size else shown[:size - 1] + "…"
