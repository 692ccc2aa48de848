"""search.py and searchindex.py: what the index holds, how words are cut, and the files it writes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carebridge.site.localize import localize
from carebridge.site.search import (
    DRUG,
    OTHER_LANGUAGE,
    TITLE,
    SearchPage,
    SearchSection,
    Tokenizer,
    plain,
    protocol_documents,
    site_pages,
)
from carebridge.site.searchindex import SHARD_BYTES, _split, shard_name, write_index
from carebridge.site.searchsite import worker_script
from carebridge.site.synonyms import Synonym
from carebridge.source.library import Project, load_library

REPO = Path(__file__).resolve().parents[1]
GOOD = REPO / "tests" / "examples" / "good"


def test_english_words_lose_plurals_case_and_stopwords() -> None:
    assert list(Tokenizer().words("The Doses of Oxytocin and NEWS2 scores")) == ["dose", "oxytocin", "news2", "score"]


def test_a_questions_own_words_are_not_search_words(tmp_path: Path) -> None:
    """'how much oxytocin': every page says how, much, when or why, so with them the drug's page, which
    has one of the three words, ranked below pages that have two. The browser drops what the manifest lists."""
    assert list(Tokenizer().words("How much oxytocin should I give when she has bled?")) == ["oxytocin", "bled"]
    assert list(Tokenizer().words("how fast should the fibrinolytic be given")) == ["fast", "fibrinolytic"]
    assert list(Tokenizer().words("What do you do if your child has a fever?")) == ["child", "fever"]
    assert list(Tokenizer().words("not breathing after birth")) == ["not", "breathing", "after", "birth"]
    write_index([_page("p/a/", "oxytocin")], Tokenizer(), [], tmp_path)
    manifest = (tmp_path / "manifest.js").read_text(encoding="utf-8")
    stop = json.loads(re.fullmatch(r"cbManifest\((.*)\);\n", manifest).group(1))["stop"]  # type: ignore[union-attr]
    assert {"how", "much", "when", "what", "should", "the"} <= set(stop) and "not" not in stop


def test_full_width_text_is_searchable_as_half_width() -> None:
    assert list(Tokenizer().words("ＴＸＡ １０００mg ０．４ｍｇ")) == ["txa", "1000", "mg", "0.4", "mg"]


def test_a_dose_typed_against_its_unit_is_the_number_and_the_unit() -> None:
    # the pages write "0.4 mg" and "37.5 °C"; a decimal is one word, not 0 and 4 (both too short to index)
    assert list(Tokenizer().words("0.4mg 800mcg 10iu 37.5°C")) == ["0.4", "mg", "800", "mcg", "10", "iu", "37.5"]
    assert list(Tokenizer().words("the 2nd and 24th dose, news2")) == ["2nd", "24th", "dose", "news2"]


def test_a_chinese_word_is_indexed_with_its_parts_but_never_as_a_low_score(tmp_path: Path) -> None:
    user = tmp_path / "dict.txt"
    user.write_text("低分子肝素 20 n\n", encoding="utf-8")
    tokenizer = Tokenizer(chinese=True, user_dict=str(user))
    words = list(tokenizer.words("使用低分子肝素预防血栓"))
    assert "低分子肝素" in words and "肝素" in words  # a query for either finds it
    assert "低分子肝素" not in tokenizer.words("总分为低分")  # a low score is not the drug


def test_single_chinese_characters_are_kept_apart(tmp_path: Path) -> None:
    words = list(Tokenizer(chinese=True).words("血和尿"))
    assert all(w.startswith("!") or len(w) > 1 for w in words)
    assert "!和" not in words  # a function word is not a search word


def test_english_build_ignores_chinese() -> None:
    assert list(Tokenizer().words("缩宫素 oxytocin")) == ["oxytocin"]


def test_plain_keeps_link_text_and_drops_markup() -> None:
    assert plain("Give **oxytocin** ([WHO](https://who.int/x)) &amp; <em>wait</em>") == "Give oxytocin (WHO) & wait"


def _protocol_page() -> SearchPage:
    loaded, problems = load_library(Project.at(GOOD))
    assert problems == []
    loc = localize(loaded[0], None, "en")
    return protocol_documents(loaded[0], loc, "protocols/nursing/example-escalation/", {"PO": "PO (by mouth)"}, {})


def test_protocol_documents_hold_the_full_text_by_field() -> None:
    page = _protocol_page()
    assert page.protocol and page.title == "Example escalation protocol"
    top, *steps = page.sections
    assert (TITLE, "Example escalation protocol") in top.fields
    assert [s.anchor for s in steps] == ["assess", "escalate", "monitor"]
    escalate = steps[1]
    assert (DRUG, "paracetamol") in escalate.fields
    everything = " ".join(text for s in page.sections for _, text in s.fields)
    for said in ("Call the responsible doctor", "Oxygen saturation below 90%", "1 g PO (by mouth) every 6 hours",
                 "Is the score 5 or more?", "Family carers at the bedside", "Systolic blood pressure below 90 mmHg",
                 "Respiratory rate"):
        assert said in everything, said
    assert "A fixture source document" not in everything  # sources are not answers


def test_protocol_documents_add_the_other_languages_titles_and_drugs_once_translated() -> None:
    loaded, _ = load_library(Project.at(GOOD))
    item = loaded[0]
    catalog = Catalog(locale="zh_CN")
    catalog.add(item.protocol.title, "示例升级方案", context=f"{item.protocol.id}:title")
    chinese = localize(item, catalog, "zh-Hans")
    page = protocol_documents(item, localize(item, None, "en"), "x/", {}, {}, [chinese])
    top, *steps = page.sections
    assert (OTHER_LANGUAGE, "示例升级方案") in top.fields and (TITLE, "Example escalation protocol") in top.fields
    # untranslated there (step titles, paracetamol): English again would only weigh more, so nothing is added
    assert all(weight != OTHER_LANGUAGE for step in steps for weight, _ in step.fields)
    assert "示例升级方案" not in page.sections[0].text  # a snippet speaks the site's language


def test_site_pages_come_from_materials_docs_less_skipped() -> None:
    docs = [{"location": "about/", "title": "About", "text": "<p>Who we are</p>"},
            {"location": "about/#team", "title": "Team", "text": "<p>Nurses</p>"},
            {"location": "schema/", "title": "Schema", "text": ""}]
    pages = site_pages(docs, lambda url: url == "schema/")
    assert [(p.url, p.protocol, [s.anchor for s in p.sections]) for p in pages] == [("about/", False, ["", "team"])]
    assert pages[0].sections[0].text == "Who we are"


def test_shards_split_until_small_and_words_find_their_shard() -> None:
    words = {f"he{c}{i}": 900 for c in "abcdefgh" for i in range(10)} | {"he": 10, "ox": 10}
    shards = _split(words)
    assert all(sum(words[w] for w in ws) <= SHARD_BYTES or len({len(w) for w in ws}) == 1 for ws in shards.values())
    for key, members in shards.items():
        for word in members:  # the browser looks a word up in the longest key it starts with
            assert max((k for k in shards if word.startswith(k)), key=len) == key
    assert shard_name("!后") == "_21_540e"


def _page(url: str, text: str, protocol: bool = True) -> SearchPage:
    return SearchPage(url, text.split()[0], protocol, [SearchSection("", text.split()[0], [(TITLE, text)])])


def test_index_files_are_scripts_and_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    pages = [_page("p/b/", "oxytocin heparin"), _page("about/", "about heparin", False), _page("p/a/", "heparin")]
    synonyms = [Synonym("low-molecular-weight heparin", ("LMWH",)), Synonym("haemorrhage", ("hemorrhage",))]
    first = write_index(pages, Tokenizer(), synonyms, tmp_path / "one")
    write_index(list(reversed(pages)), Tokenizer(), synonyms, tmp_path / "two")
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "one" / rel).read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel
    manifest = (tmp_path / "one" / "manifest.js").read_text(encoding="utf-8")
    data = json.loads(re.fullmatch(r"cbManifest\((.*)\);\n", manifest).group(1))  # type: ignore[union-attr]
    assert (data["pages"], data["protocols"]) == (3, 2)  # protocols first: a page number says what it is
    assert data["synonyms"] == [["hemorrhage", "haemorrhage"], ["lmwh", "low-molecular-weight heparin"]]
    shard = (tmp_path / "one" / "s" / "he.js").read_text(encoding="utf-8")
    assert shard.startswith('cbShard("he",{"heparin":[0,0,10,1,0,10,1,0,10]')
    fragment = (tmp_path / "one" / "f" / "2.js").read_text(encoding="utf-8")
    assert fragment.startswith('cbPage(2,{"s":[["","about",') and '"u":"about/"' in fragment
    assert first["words"] == 3


def _node() -> str:
    """Node: installed, or the one Playwright ships with (so a fresh machine runs these tests too)."""
    import playwright

    bundled = Path(playwright.__file__).parent / "driver" / "node"
    found = shutil.which("node") or (str(bundled) if bundled.is_file() else None)
    if found is None:
        pytest.fail("no node: neither installed nor in Playwright's driver")
    return found


def _worker_results(tmp_path: Path, pages: list[SearchPage], queries: list[str],
                    tokenizer: Tokenizer | None = None) -> list[list[str]]:
    """Each query's result pages, from the browser's worker run in Node (bench/search_worker.js) over
    an index of ``pages``."""
    node = _node()
    write_index(pages, tokenizer or Tokenizer(), [], tmp_path / "search" / "cb")
    scripts = tmp_path / "assets" / "javascripts"
    scripts.mkdir(parents=True)
    (scripts / "carebridge-search.js").write_text(worker_script(), encoding="utf-8")
    out = subprocess.run([node, str(REPO / "bench" / "search_worker.js"), str(tmp_path)], check=True,
                         capture_output=True, text=True, timeout=60, input=json.dumps([["", q] for q in queries]))
    return [sorted({href.partition("#")[0] for href in hrefs}) for hrefs in json.loads(out.stdout)]


_COMPOUNDS = [_page("p/pph/", "postpartum haemorrhage"), _page("p/stemi/", "cath lab activation"),
              _page("p/falls/", "bed rails and a low bed"), _page("p/gel/", "alcohol handrub"),
              _page("p/wash/", "wash the hand then rub the skin"), _page("p/iv/", "iv line care")]


@pytest.mark.parametrize(("query", "found"), [
    ("post partum", ["p/pph/"]),               # two words typed apart, neither an index word
    ("post partum ", ["p/pph/"]),              # and with the last word finished
    ("post partum haemorrhage", ["p/pph/"]),   # beside a word the index holds
    ("post-partum", ["p/pph/"]),
    ("cathlab", ["p/stemi/"]),                 # one word typed for two, as cath lab
    ("bedrails", ["p/falls/"]),                # plural and all: bed rails
    ("cathlab activation", ["p/stemi/"]),
])
def test_a_word_typed_joined_or_apart_is_searched_as_the_index_writes_it(tmp_path: Path, query: str,
                                                                         found: list[str]) -> None:
    assert _worker_results(tmp_path, _COMPOUNDS, [query]) == [found]


@pytest.mark.parametrize(("query", "found"), [
    ("hand rub", ["p/wash/"]),        # both index words: not joined into handrub
    ("handrub", ["p/gel/"]),          # an index word: not split into hand and rub
    ("ivline", []),                   # iv is shorter than 3 letters: not a half to split off
    ("partum lab", ["p/stemi/"]),     # partumlab is no index word: the words stay as typed
])
def test_words_the_index_holds_as_typed_are_not_joined_or_split(tmp_path: Path, query: str, found: list[str]) -> None:
    assert _worker_results(tmp_path, _COMPOUNDS, [query]) == [found]


@pytest.fixture(scope="module")
def chinese(tmp_path_factory: pytest.TempPathFactory) -> Tokenizer:
    user = tmp_path_factory.mktemp("jieba") / "dict.txt"
    user.write_text("氨甲环酸 20 n\n缩宫素 20 n\n", encoding="utf-8")
    return Tokenizer(chinese=True, user_dict=str(user))


_SOUNDS = [_page("p/pph/", "静脉注射氨甲环酸，缩宫素"), _page("p/heart/", "心肌梗死时心肌缺血"),
           _page("p/plot/", "他心机很重"), _page("p/mag/", "硫酸镁负荷剂量")]


@pytest.mark.parametrize(("query", "found"), [
    ("安甲环酸", ["p/pph/"]),      # 安 for 氨, both an
    ("缩宫速", ["p/pph/"]),        # 速 for 素, both su
    ("安甲环酸注射", ["p/pph/"]),  # a homophone typed together with a word as typed
    ("心饥梗死", ["p/heart/"]),    # 饥 for 肌, both ji
    ("硫酸美", ["p/mag/"]),
])
def test_a_chinese_word_typed_with_a_homophone_finds_the_word_it_sounds_like(tmp_path: Path, chinese: Tokenizer,
                                                                              query: str, found: list[str]) -> None:
    assert _worker_results(tmp_path, _SOUNDS, [query], chinese) == [found]


@pytest.mark.parametrize(("query", "found"), [
    ("心机", ["p/plot/"]),       # an index word as typed is never taken for its homophone 心肌
    ("心肌", ["p/heart/"]),
    ("氨甲环酸", ["p/pph/"]),
    ("天地玄黄", []),            # a made-up string sounds like nothing the index holds
    ("春眠不觉晓", []),
])
def test_a_chinese_word_the_index_holds_or_nothing_sounds_like_is_not_mended(tmp_path: Path, chinese: Tokenizer,
                                                                             query: str, found: list[str]) -> None:
    assert _worker_results(tmp_path, _SOUNDS, [query], chinese) == [found]


def test_a_tokenizer_started_from_the_shared_dictionary_is_the_one_jieba_would_start() -> None:
    import jieba

    from carebridge.site.search import seed_jieba

    own = jieba.Tokenizer()
    own.initialize()  # jieba reading its dictionary itself
    seeded = jieba.Tokenizer()
    seed_jieba(seeded)
    assert seeded.initialized and seeded.total == own.total and seeded.FREQ == own.FREQ
    seeded.add_word("卡贝缩宫素注射液", 20)  # a user word reaches this tokenizer only, not the shared copy
    again = jieba.Tokenizer()
    seed_jieba(again)
    assert again.FREQ == own.FREQ and again.total == own.total
    text = "产后出血的患者给予缩宫素和氨甲环酸"
    assert list(again.cut_for_search(text, HMM=False)) == list(own.cut_for_search(text, HMM=False))


def test_a_tokenizer_on_another_dictionary_or_already_started_is_left_alone(tmp_path: Path) -> None:
    import jieba

    from carebridge.site.search import seed_jieba

    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("缩宫素 5 n\n", encoding="utf-8")
    other = jieba.Tokenizer(str(dictionary))
    seed_jieba(other)
    assert not other.initialized  # it reads its own dictionary when it starts
    started = jieba.Tokenizer()
    started.FREQ, started.total, started.initialized = {"x": 1}, 1, True
    seed_jieba(started)
    assert started.FREQ == {"x": 1}


def test_the_shared_dictionary_is_jiebas_own_cache_or_jiebas_own_start(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's copy of jieba's dictionary is read from the cache jieba keeps in the temp folder;
    a missing or damaged cache is never trusted: jieba then starts itself (and writes it again)."""
    import marshal
    import tempfile

    import jieba

    from carebridge.site import search

    own = jieba.Tokenizer()
    own.initialize()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cache = tmp_path / "jieba.cache"
    for damage in (b"not marshal", marshal.dumps(5), marshal.dumps(({"x": 1}, "7")), marshal.dumps(([], 7))):
        cache.write_bytes(damage)
        assert search._jieba_cache() is None
    cache.unlink()
    monkeypatch.setattr(search, "_JIEBA_DEFAULT", [])
    assert search._jieba_cache() is None
    freq, total = search.jieba_default()
    assert freq == own.FREQ and total == own.total
    assert search._jieba_cache() == (own.FREQ, own.total)  # jieba wrote its cache again, and it is read
