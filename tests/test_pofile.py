"""pofile.py: the one PO writer. Babel's layout byte for byte, ``#|`` previous text in GNU's valid
multi-line form, and wrapping that stays linear on very long text."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import WORD_SEP as BABEL_WORD_SEP
from babel.messages.pofile import write_po

from carebridge.i18n.pofile import WORD_SEP, normalize, render_po, set_previous_context

LONG = ("Measure the temperature correctly, look for life-threatening features and danger signs, sort the child "
        "with the traffic-light system, and escalate red features at once. Use antibiotics only when there is a "
        "reason.")


def catalog_with(*, previous: str, context: str | None = None, obsolete: bool = False) -> Catalog:
    catalog = Catalog(locale="zh_CN", domain="fever", fuzzy=False, charset="utf-8")
    catalog.add(LONG.replace("the temperature", "the body temperature"), "正确测量体温", context="fever:summary",
                flags=["fuzzy"], previous_id=[previous])
    set_previous_context(catalog.get(LONG.replace("the temperature", "the body temperature"), "fever:summary"), context)
    if obsolete:
        catalog.obsolete["gone"] = catalog.get(LONG.replace("the temperature", "the body temperature"),
                                               "fever:summary").clone()
        catalog.obsolete["gone"].context = "fever:gone"
        set_previous_context(catalog.obsolete["gone"], None)
    return catalog


def msgfmt_errors(text: str, tmp_path: Path) -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CAREBRIDGE_REQUIRE_BROWSER"):
            pytest.fail("msgfmt (GNU gettext) is required when CAREBRIDGE_REQUIRE_BROWSER is set")
        pytest.skip("msgfmt (GNU gettext) is not installed")
    path = tmp_path / "x.po"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([msgfmt, "-c", "--check-format", "-o", os.devnull, str(path)], capture_output=True,
                          text=True, check=False)
    return "" if done.returncode == 0 else done.stderr


def test_long_previous_msgid_is_written_in_gnu_multiline_form(tmp_path: Path) -> None:
    written = render_po(catalog_with(previous=LONG))
    assert ('#, fuzzy\n'
            '#| msgid ""\n'
            '#| "Measure the temperature correctly, look for life-threatening features "\n'
            '#| "and danger signs, sort the child with the traffic-light system, and "\n'
            '#| "escalate red features at once. Use antibiotics only when there is a "\n'
            '#| "reason."\n'
            'msgctxt "fever:summary"\n') in written
    assert all(len(line) <= 76 for line in written.splitlines() if line.startswith("#|"))
    assert msgfmt_errors(written, tmp_path) == ""


def test_previous_msgid_with_quotes_backslashes_and_newlines_reads_back_in_translate_toolkit(tmp_path: Path) -> None:
    from translate.storage import pypo

    previous = 'Say "stop" \\ then wait\n\n- a tab\there\n' + "很长的中文句子，" * 12
    catalog = catalog_with(previous=previous, context="fever:old-summary", obsolete=True)
    written = render_po(catalog)
    assert '#| msgctxt "fever:old-summary"\n' in written
    assert '#~| msgid ""\n' in written and "#~ msgctxt \"fever:gone\"" in written
    assert msgfmt_errors(written, tmp_path) == ""
    path = tmp_path / "x.po"
    path.write_text(written, encoding="utf-8")
    store = pypo.pofile.parsefile(str(path))
    (unit,) = [u for u in store.units if u.prev_source and not u.isobsolete()]
    assert (unit.prev_source, unit.prev_context) == (previous, "fever:old-summary")
    assert bytes(store) == written.encode("utf-8")


def test_layout_is_babels_byte_for_byte_without_previous_text(tmp_path: Path) -> None:
    # Existing catalogs must not change when they are rewritten by this writer.
    catalog = Catalog(locale="zh_CN", domain="x", fuzzy=False, charset="utf-8", project="CareBridge")
    catalog.header_comment = ("# Translations of the CareBridge protocol hand-hygiene-and-central-line-bundle.\n"
                              "# Source: protocols/infection-prevention/hand-hygiene-and-central-line-bundle.yaml")
    catalog.add("acute-urinary-retention:steps.alpha-blocker-twoc.medications.tamsulosin.drug " * 3, "译文",
                context="a:steps.alpha-blocker-twoc.medications.tamsulosin.drug",
                locations=[("protocols/b.yaml", 3), ("protocols/a b.yaml", 1)], auto_comments=["hint " * 30],
                user_comments=["审校：李护士 " * 10])
    catalog.add(("one", "many"), ("一",), context="plural")
    catalog.obsolete["old"] = catalog.get("one", "plural").clone()
    catalog.obsolete["old"].context = "old " * 40
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76, include_previous=True)
    assert render_po(catalog) == buffer.getvalue().decode("utf-8").rstrip("\n") + "\n"


def test_word_splitter_splits_exactly_as_babels() -> None:
    rng = random.Random(7)
    alphabet = list("aZx19_- -!.,?\"'&:中\t\n—/()")
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert WORD_SEP.split(text) == BABEL_WORD_SEP.split(text), repr(text)


def test_wrapping_is_babels_for_every_kind_of_line() -> None:
    """Lines with and without the characters escaping doubles, ending in a break or not, long and short."""
    from babel.messages.pofile import normalize as babel_normalize
    rng = random.Random(11)
    alphabet = list("aZx19_- -!.,?'&:中—/()") + ["\n", "\t", "\r", '"', "\\", "word ", "mg/kg "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 160))) for _ in range(4000)]
    for length in range(60, 90):  # lines that end right at the width, where one character decides
        for _ in range(60):
            words = ""
            while len(words) < length:
                words += rng.choice(["a", "give", "中文", "x-y", "10", "mg"]) + rng.choice([" ", " ", "  "])
            texts.append(words[:length].rstrip() + rng.choice(["\n", " \n", "", '"', "\t"]) + rng.choice(["", "next"]))
    for text in texts:
        for prefix in ("", "#~ "):
            assert normalize(text, prefix) == babel_normalize(text, prefix, width=76), repr(text)


@pytest.mark.parametrize("run", ["x", "!", "-", "中", "a-"])
def test_wrapping_very_long_unbroken_text_is_linear(run: str) -> None:
    # Babel's splitter took 33 s on 50,000 characters and grows with the square; this takes milliseconds.
    # A bound 100 times the measured time keeps the test meaningful on a slow, shared machine.
    catalog = Catalog(locale="zh_CN", domain="x", fuzzy=False)
    catalog.add(run * (200_000 // len(run)), "", context="long")
    started = time.perf_counter()
    written = render_po(catalog)
    assert time.perf_counter() - started < 5.0
    assert written.count("\n") < 20_000
