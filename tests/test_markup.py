"""markup.py: the one rule set for raw HTML and links, shared by validate, check, words and render."""

from __future__ import annotations

import pytest
from tests.test_validate import edited

from carebridge import markup
from carebridge.safety.equivalence import check_translation
from carebridge.site.words import Words
from carebridge.source.loader import load_text
from carebridge.source.validate import validate_document

SPACED_SCRIPT = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](j a v a script:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x73;cript:alert(1))",
    "[x](java\u200bscript:alert(1))",
    "click j a v a s c r i p t : alert(1)",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
]


@pytest.mark.parametrize("text", SPACED_SCRIPT)
def test_script_urls_are_caught_however_spaced_or_encoded(text: str) -> None:
    assert markup.dangerous_urls(text)


@pytest.mark.parametrize("text", [
    "See [NICE](https://www.nice.org.uk/guidance/ng143) and [step 2](#step-2).",
    "Personal data: name, date of birth.",
    "Use the metadata: version and date.",
    "Call [120](tel:120) or write to [the team](mailto:team@example.org).",
])
def test_ordinary_text_and_safe_links_pass(text: str) -> None:
    assert markup.dangerous_urls(text) == []


@pytest.mark.parametrize("text", ["<b>x</b>", "< script >", "<img src=x onerror=alert(1)", "<!-- c -->", "<?php ?>",
                                  "<javascript:alert(1)>", "<svg/onload=alert(1)>"])
def test_raw_html_is_found(text: str) -> None:
    assert markup.raw_html(text)


@pytest.mark.parametrize("text", ["BP <90 mmHg", "age < 5 years", "see <https://www.who.int>", "a -> b", "≤ 5"])
def test_clinical_comparisons_and_autolinks_are_not_html(text: str) -> None:
    assert markup.raw_html(text) == []


def test_clean_html_keeps_only_the_subset_and_safe_links() -> None:
    cleaned = markup.clean_html('<p onclick="x">a <a href="javascript:alert(1)">b</a> <img src=x><script>1</script></p>')
    assert "onclick" not in cleaned and "javascript" not in cleaned and "<img" not in cleaned and "<script" not in cleaned


@pytest.mark.parametrize("text", [t for t in SPACED_SCRIPT if ": " not in t])  # ": " would end a YAML scalar
def test_validate_check_and_words_agree_on_unsafe_links(text: str) -> None:
    # One rule set: the YAML validator, the translation check and the site words all refuse it.
    doc, _ = load_text(edited(("Repeat observations every 4 hours.", f"Repeat observations. {text}")), "x.yaml")
    assert "unsafe-link" in {p.code for p in validate_document(doc)}
    assert "links" in {f.code for f in check_translation("Repeat observations.", f"重复观察。{text}")}
    assert markup.dangerous_urls(text)


def test_a_site_word_translated_as_markup_is_never_published() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN")
    catalog.add("Home", "<img src=x onerror=alert(1)")
    words = Words(catalog, "zh-Hans")
    assert words.tr("Home") == "Home" and "Home" in words.blocked


def test_the_cheap_scheme_test_never_skips_what_the_full_pattern_finds() -> None:
    """dangerous_urls runs its full pattern only on texts that pass a cheap test: scheme names
    mangled by gaps, case and look-alike letters, in random noise, never match the one and fail the other."""
    import random

    from carebridge.markup import _DANGER, _may_name_a_scheme

    gaps = [" ", "\t", "\n", "\u200b", "\u200e", "\u2060", "\ufeff", "\x00", "\x1f", "\x7f"]
    looks = {"i": ["I", "\u0130", "\u0131"], "s": ["S", "\u017f"], "k": ["K", "\u212a"]}
    rng = random.Random(1130)
    matched = 0
    for _ in range(20000):
        word = rng.choice(["javascript", "vbscript", "livescript", "data", "script", "java", "dat"])
        mangled = "".join(rng.choice([c, c.upper(), *looks.get(c, [])]) + (rng.choice(gaps) if rng.random() < 0.3 else "")
                          for c in word)
        tail = rng.choice([":", " :", ":text/html;", " : image/png,", ";", ""])
        noise = "".join(rng.choice("abc :/;,x") for _ in range(rng.randint(0, 6)))
        text = noise + mangled + tail + noise
        if _DANGER.search(text):
            matched += 1
            assert _may_name_a_scheme(text), repr(text)
    assert matched > 1000  # the corpus does reach the pattern


@pytest.mark.parametrize("text", ["java\u017fcript:alert(1)", "JAVA\u0130SCRIPT:", "jav\u200ba scr\u2060ipt :",
                                  "DATA : text/html;base64,xx", "vbscript:msgbox", "l i v e s c r i p t :"])
def test_look_alike_and_spaced_schemes_are_still_found(text: str) -> None:
    from carebridge.markup import dangerous_urls

    assert dangerous_urls(text) or not __import__("carebridge.markup").markup._DANGER.search(text)


def test_inline_links_finds_what_the_link_and_image_patterns_find() -> None:
    # The one-pass scanner against the regular expressions it replaces, on every kind of near miss
    import random

    from carebridge import markup

    rng = random.Random(20261202)
    for _ in range(20_000):
        text = "".join(rng.choice("[[]]()!!\nab :/") for _ in range(rng.randrange(0, 30)))
        for images, pattern in ((False, markup.LINK), (True, markup.IMAGE)):
            expected = [(m.start(), m.end(), m.group("target")) for m in pattern.finditer(text)]
            assert markup.inline_links(text, images=images) == expected, (text, images)
        assert markup.without(text, markup.inline_links(text)) == markup.LINK.sub(" ", text)


def test_inline_links_is_linear_in_a_run_of_brackets() -> None:
    import time

    from carebridge import markup

    for hostile in ("[" * 200_000, "[a" * 100_000, "![" * 100_000, "[x](" * 50_000, "[]" * 100_000):
        started = time.process_time()
        assert markup.inline_links(hostile) == [] and markup.inline_links(hostile, images=True) == []
        assert time.process_time() - started < 5  # the regex needs hours for 200,000 brackets


def test_the_fast_look_for_odd_digits_holds_every_decimal_digit_of_other_scripts_below_u_ffff() -> None:
    # markup.BMP_DIGITS is written out (computing it at start-up reads 65,536 characters); a Python
    # whose Unicode knows more digits must be given them, or odd_digit would miss them.
    import re
    import unicodedata

    from carebridge import markup

    wanted = {c for c in range(0x10000) if unicodedata.category(chr(c)) == "Nd"
              and not (0x30 <= c <= 0x39 or 0xFF10 <= c <= 0xFF19)}
    written = {c for c in range(0x10000) if re.fullmatch(f"[{markup.BMP_DIGITS}]", chr(c))}
    assert written == wanted
    assert all(markup.odd_digit(f"超过{chr(c)}000 mL") for c in sorted(wanted))
