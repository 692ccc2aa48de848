"""A PO header written on one line (Weblate with po_line_wrap -1) is still a valid header.

tests/weblate/data/one-line-header.po is site.po exactly as Weblate 2026.10.1 pushed it with
"No line wrapping" (po_line_wrap: -1): every header field in one msgstr line. gettext's
`msgfmt -c` and Babel read its Language and Plural-Forms; `carebridge i18n check` looks for
them from the parsed header, so the file passes (it used to report both missing: a false
positive found against a live Weblate). CareBridge's own Weblate configuration wraps at
newlines (65535), which keeps one field a line anyway.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).with_name("data") / "one-line-header.po"


def test_reproduction_is_a_valid_catalog() -> None:
    text = DATA.read_text(encoding="utf-8")
    assert text.split("\n")[3].startswith('msgstr "Project-Id-Version: CareBridge 1\\nReport-Msgid-Bugs-To:')
    with DATA.open("rb") as stream:
        catalog = read_po(stream)
    assert str(catalog.locale) == "zh_Hans_CN" and catalog.plural_forms == "nplurals=1; plural=0;"
    assert len(catalog) > 50  # a real catalog, as Weblate pushed it (its body is from an older site.po)


def test_i18n_check_accepts_a_one_line_header(tmp_path: Path, run_console: Callable[..., Any]) -> None:
    tree = tmp_path / "tree"
    for name in ("protocols", "locales", "docs", "overrides", "schema"):
        shutil.copytree(REPO / name, tree / name)
    shutil.copy2(REPO / "mkdocs.yml", tree / "mkdocs.yml")
    shutil.copy2(DATA, tree / "locales/zh_CN/LC_MESSAGES/site.po")
    done = run_console(["i18n", "check"], tree)
    assert "po-header" not in done.output, done.output
    assert done.code == 0, done.output
