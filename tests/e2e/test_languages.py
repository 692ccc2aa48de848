"""Any number of languages: they come from mkdocs.yml alone. A three-language site (English,
Simplified Chinese, and Traditional Chinese for Hong Kong and Taiwan readers with a few strings
translated) gets a language menu, hreflang, its own search index and marked fallbacks in each."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from .conftest import PROTOCOL, ZH_CATALOG, carebridge, translate, translated_tree

pytestmark = pytest.mark.slow

HANT_LANGUAGE = """        - locale: zh_Hant
          name: 繁體中文
          lang: zh-Hant
          theme_language: zh-Hant
          prefix: zh-hant
          docs_dir: docs/zh
          search_lang: [en, zh]
"""
HANT = {"Example escalation protocol": "示例上報方案", "Assess the patient": "評估患者"}


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = translated_tree(tmp_path_factory.mktemp("three") / "project")
    config = tree / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(          search_lang: \[en, zh\]\n)", lambda m: m.group(1) + HANT_LANGUAGE, text, count=1)
    config.write_text(text, encoding="utf-8")
    carebridge(tree, "i18n", "init", "--locale", "zh_Hant")
    translate(tree / ZH_CATALOG.replace("zh_CN", "zh_Hant"), HANT)
    carebridge(tree, "build", "--strict", check=False)  # untranslated site words are fine here
    carebridge(tree, "build")
    return tree / "site"


def _page(site: Path, prefix: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / prefix / PROTOCOL / "index.html").read_bytes())


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("zh", "zh-Hans"), ("zh-hant", "zh-Hant")])
def test_each_language_has_its_page_with_its_lang(three: Path, prefix: str, lang: str) -> None:
    page = _page(three, prefix)
    assert page.get("lang") == lang


# rel is a token list; the head writes it as " alternate" (see overrides/main.html).
ALTERNATE = "//head/link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"


@pytest.mark.parametrize("prefix", ["", "zh", "zh-hant"])
def test_language_menu_and_hreflang_list_all_three_on_the_same_page(three: Path, prefix: str) -> None:
    page = _page(three, prefix)
    hreflang = {link.get("hreflang"): link.get("href") for link in page.xpath(ALTERNATE)}
    assert {"en", "zh-Hans", "zh-Hant"} <= set(hreflang)
    assert all(href.rstrip("/").endswith(PROTOCOL.rstrip("/")) for href in hreflang.values())
    menu = {a.get("hreflang") for a in page.xpath("//a[@hreflang]")}
    assert {"en", "zh-Hans", "zh-Hant"} <= menu


def test_traditional_page_shows_its_translations_and_marks_the_rest_english(three: Path) -> None:
    page = _page(three, "zh-hant")
    text = page.text_content()
    assert "評估患者" in text and "示例上報方案" in text
    assert "评估患者" not in text  # never the Simplified translation
    fallbacks = page.xpath("//*[contains(@class, 'cb-fallback') and @lang='en']")
    assert fallbacks, "untranslated texts must be marked English"
    assert "Systolic blood pressure below 90 mmHg" in " ".join(f.text_content() for f in fallbacks)


def test_each_language_has_its_own_search_index(three: Path) -> None:
    def docs(prefix: str) -> str:
        # CareBridge's own sharded index: one folder per language (search/cb/), read as text.
        folder = three / prefix / "search" / "cb"
        return "".join(f.read_text(encoding="utf-8") for f in sorted(folder.rglob("*.js"))).replace("\u200b", "")

    def snippets(prefix: str) -> str:  # what results show: the page's own language only
        return "".join(f.read_text(encoding="utf-8") for f in sorted((three / prefix / "search" / "cb" / "f").glob("*.js")))

    assert "評估患者" in snippets("zh-hant") and "評估患者" not in snippets("zh") and "評估患者" not in snippets("")
    assert "评估患者" in snippets("zh") and "评估患者" not in snippets("zh-hant")
    # the other languages' titles are in each index too, cut into its words: Chinese on the English
    # site (評估患者 folded and cut: 评估, 患者), English on the Chinese sites
    assert '"评估"' in docs("") and '"患者"' in docs("")
    assert all('"assess"' in docs(prefix) for prefix in ("zh", "zh-hant"))


def test_side_by_side_on_the_traditional_build_compares_with_traditional(three: Path) -> None:
    compare = (three / "zh-hant" / "compare" / "example-escalation" / "index.html").read_text(encoding="utf-8")
    assert "評估患者" in compare and "评估患者" not in compare
