"""The sharded search index (site/searchindex.py): what its manifest tells the browser."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carebridge.site.pagecache import Kept
from carebridge.site.search import BODY, SearchPage, SearchSection, Tokenizer
from carebridge.site.searchindex import write_index


def test_the_manifest_names_the_medicines_a_typo_is_mended_into_by_one_edit_only(tmp_path: Path) -> None:
    from carebridge.site.search import DRUG

    page = SearchPage("protocols/x/", "X", True, [SearchSection("", "X", [(DRUG, "Zuclopenthixol")])])
    write_index([page], Tokenizer(), [], tmp_path)
    manifest = json.loads((tmp_path / "manifest.js").read_text(encoding="utf-8")[len("cbManifest("):-3])
    assert {"tranexamic", "oxytocin", "syntocinon", "zuclopenthixol"} <= set(manifest["drugs"])
    assert "haemorrhage" not in manifest["drugs"]


def _postings(tmp_path: Path, pages: list[SearchPage], tokenizer: Tokenizer) -> dict[str, list[int]]:
    write_index(pages, tokenizer, [], tmp_path)
    shards: dict[str, list[int]] = {}
    for shard in sorted((tmp_path / "s").glob("*.js")):
        text = shard.read_text(encoding="utf-8")
        shards.update(json.loads(text[text.index(",") + 1:-3]))
    return shards


def test_pages_with_the_same_text_share_postings_and_only_the_live_build_s_are_kept(tmp_path: Path) -> None:

    def page(url: str, body: str) -> SearchPage:
        return SearchPage(url, "T", True, [SearchSection("", "T", [(BODY, "oxytocin"), (BODY, body)])])

    tokenizer = Tokenizer()
    first = _postings(tmp_path / "a", [page("a/", "uterus"), page("b/", "bleeding")], tokenizer)
    assert len(tokenizer.pages) == 2
    # The next edition's site: new page objects, one with new text (its hospital's contact).
    again = _postings(tmp_path / "b", [page("a/", "uterus"), page("b/", "bleeding call 8123")], tokenizer)
    assert again["uterus"] == first["uterus"] and again["bleeding"] == first["bleeding"]
    assert "8123" in again and "8123" not in first
    assert len(tokenizer.pages) == 2  # the old page's postings went with its build
    assert _postings(tmp_path / "c", [page("a/", "uterus"), page("b/", "bleeding")], Tokenizer()) == first


def _files(folder: Path) -> dict[str, bytes]:
    return {f.relative_to(folder).as_posix(): f.read_bytes() for f in sorted(folder.rglob("*")) if f.is_file()}


def test_an_index_written_again_after_edits_is_byte_for_byte_the_one_a_fresh_build_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A serve's rebuild reuses the last call's words, sizes and shard texts where postings are equal:
    after edits, additions, removals and a page moving, what it writes is exactly a fresh index."""
    import random

    from carebridge.site import searchindex
    from carebridge.site.search import TITLE

    monkeypatch.setattr(searchindex, "SHARD_BYTES", 300)  # small shards: a word's size decides splits
    rng = random.Random(20261202)  # the same edits every run
    words = ["oxytocin", "uterus", "bleeding", "misoprostol", "fever", "sepsis", "缩宫素", "产后出血", "发热",
             "tranexamic", "acid", "dose", "10", "units", "blood", "pressure", "低分子肝素", "urine"]

    def page(n: int, text: str) -> SearchPage:
        return SearchPage(f"protocols/p{n}/", f"P{n}", n % 5 != 0,
                          [SearchSection("", f"P{n}", [(TITLE, f"P{n} {text[:12]}")]),
                           SearchSection(f"s{n}", "Step", [(BODY, text), (BODY, text[::-1])])])

    texts = {n: " ".join(rng.choice(words) for _ in range(rng.randint(3, 40))) for n in range(60)}
    reused = Tokenizer(chinese=True)
    for round_ in range(6):
        pages = [page(n, text) for n, text in texts.items()]
        write_index(pages, reused, [], tmp_path / "reused")
        write_index(pages, Tokenizer(chinese=True), [], tmp_path / f"fresh{round_}")
        assert _files(tmp_path / "reused") == _files(tmp_path / f"fresh{round_}"), round_
        # The next save: a few texts edited, one page gone, one new.
        for n in rng.sample(sorted(texts), 3):
            texts[n] = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        del texts[rng.choice(sorted(texts))]
        texts[100 + round_] = " ".join(rng.choice(words) for _ in range(10))


def test_a_kept_index_is_written_again_without_cutting_a_word_and_made_anew_when_a_page_changes(tmp_path: Path) -> None:
    from carebridge.site.searchsite import build_search

    def page(body: str) -> SearchPage:
        return SearchPage("protocols/x/", "X", True, [SearchSection("", "X", [(BODY, body)])])

    made: list[Tokenizer] = []

    def tokenizer() -> Tokenizer:
        made.append(Tokenizer())
        return made[-1]

    def files(site: Path) -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "search/cb").rglob("*")) if p.is_file()}

    kept = Kept(tmp_path / "kept", b"shared inputs")
    build_search(tmp_path / "one", [page("oxytocin after birth")], tokenizer, [], kept, ("en",))
    build_search(tmp_path / "two", [page("oxytocin after birth")], tokenizer, [], kept, ("en",))
    assert len(made) == 1 and files(tmp_path / "one") == files(tmp_path / "two")
    # a changed page, another language, or no store: made anew
    build_search(tmp_path / "three", [page("misoprostol after birth")], tokenizer, [], kept, ("en",))
    build_search(tmp_path / "four", [page("oxytocin after birth")], tokenizer, [], kept, ("zh_CN",))
    build_search(tmp_path / "five", [page("oxytocin after birth")], tokenizer, [], None)
    assert len(made) == 4 and files(tmp_path / "three") != files(tmp_path / "one")
    assert files(tmp_path / "five") == files(tmp_path / "one")


def test_unused_synonyms_are_warned_again_when_kept(project_tree: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Which synonym terms no page holds is kept with the pages: a build that changed nothing says the
    same warning without reading the text again; a page that now holds the term ends the warning."""
    from carebridge.site import searchsite
    from carebridge.source.library import Project

    project = Project.at(project_tree)
    (project.locales_dir / "en").mkdir(parents=True, exist_ok=True)
    (project.locales_dir / "en" / "synonyms.yaml").write_text(
        "terms:\n  - term: oxytocin\n    aliases: [Syntocinon]\n  - term: carbetocin\n    aliases: [Duratocin]\n",
        encoding="utf-8")
    reads: list[int] = []
    real = searchsite.texts_of

    def counted(pages: list[SearchPage]) -> list[str]:
        reads.append(1)
        return real(pages)

    monkeypatch.setattr(searchsite, "texts_of", counted)

    def warnings(body: str, site: str, kept: Kept | None) -> list[str]:
        page = SearchPage("protocols/x/", "X", True, [SearchSection("", "X", [(BODY, body)])])
        found = searchsite.site_search(project, "en", [page], tmp_path / site, check_synonyms=True, kept=kept)
        return [w for w in found if "synonym term" in w]

    kept = Kept(tmp_path / "kept", b"shared inputs")
    first = warnings("oxytocin 10 IU after birth", "one", kept)
    assert len(first) == 1 and "'carbetocin' is not in any protocol" in first[0] and len(reads) == 1
    assert warnings("oxytocin 10 IU after birth", "two", kept) == first and len(reads) == 1  # kept: not read
    assert warnings("oxytocin or carbetocin after birth", "three", kept) == [] and len(reads) == 2
    assert warnings("oxytocin 10 IU after birth", "four", None) == first and len(reads) == 3  # no store


def test_write_files_links_only_regular_files_holding_the_same_bytes(tmp_path: Path) -> None:
    from carebridge.site.searchindex import write_files

    previous = tmp_path / "old"
    (previous / "s").mkdir(parents=True)
    (previous / "s" / "same.js").write_text("cbShard(1)", encoding="utf-8")
    (previous / "s" / "other.js").write_text("cbShard(2)", encoding="utf-8")  # same size, other bytes
    outside = tmp_path / "outside.js"
    outside.write_text("cbShard(3)", encoding="utf-8")
    (previous / "s" / "link.js").symlink_to(outside)  # the right bytes, but a symlink: never followed
    files = {"s/same.js": "cbShard(1)", "s/other.js": "cbShard(9)", "s/link.js": "cbShard(3)", "s/new.js": "x"}
    write_files(tmp_path / "new", files, {}, [previous])
    new = tmp_path / "new"
    assert {name: (new / name).read_text(encoding="utf-8") for name in files} == files
    assert (new / "s/same.js").stat().st_ino == (previous / "s/same.js").stat().st_ino
    assert (new / "s/other.js").stat().st_ino != (previous / "s/other.js").stat().st_ino
    assert (new / "s/link.js").stat().st_ino != outside.stat().st_ino and not (new / "s/link.js").is_symlink()
    assert (previous / "s/other.js").read_text(encoding="utf-8") == "cbShard(2)"  # the old site untouched


def test_an_edition_links_its_base_sites_files_and_a_rebuild_never_writes_through_a_link(tmp_path: Path) -> None:
    from carebridge.site.searchindex import write_files

    base, edition = tmp_path / "site" / "search", tmp_path / "site" / "editions" / "a" / "search"
    write_files(base, {"s/one.js": "cbShard(1)", "s/two.js": "cbShard(2)"}, {})
    edition_files = {"s/one.js": "cbShard(1)", "s/two.js": "cbShard(2, 'ward 5')"}
    written: dict[Path, str] = {}
    write_files(edition, edition_files, written, [tmp_path / "gone", base])  # the first folder holds nothing
    assert os.path.samefile(edition / "s/one.js", base / "s/one.js")
    assert not os.path.samefile(edition / "s/two.js", base / "s/two.js")
    # a serve's rebuild of the base site changes a file the edition links: the edition keeps its bytes
    base_written: dict[Path, str] = {}
    write_files(base, {"s/one.js": "cbShard(1, 'new')", "s/two.js": "cbShard(2)"}, base_written)
    assert (edition / "s/one.js").read_text(encoding="utf-8") == "cbShard(1)"
    assert (base / "s/one.js").read_text(encoding="utf-8") == "cbShard(1, 'new')"
    # and an edition's rebuild that now matches its base links again, over its own file
    write_files(edition, {"s/one.js": "cbShard(1, 'new')", "s/two.js": "cbShard(2)"}, written, [base])
    assert os.path.samefile(edition / "s/one.js", base / "s/one.js")
    assert os.path.samefile(edition / "s/two.js", base / "s/two.js")
    assert sorted(p.name for p in (edition / "s").iterdir()) == ["one.js", "two.js"]  # no spare link left


def test_the_other_languages_aliases_of_a_glossary_rendering_find_the_english_term(project_tree: Path) -> None:
    """On the English site a glossary's rendering finds its English term, and so does any alias the
    other language's synonyms give that rendering (催产素 for 缩宫素); the aliases of other words do not."""
    from carebridge.site.searchsite import glossary_synonyms
    from carebridge.source.library import Project

    project = Project.at(project_tree)
    zh = project.locales_dir / "zh_CN"
    (zh / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)  # a locale is a folder of catalogs
    (zh / "glossary.yaml").write_text("terms:\n  - en: oxytocin\n    zh: 缩宫素\n  - en: IVF\n    zh: IVF\n    keep: true\n",
                                      encoding="utf-8")
    (zh / "synonyms.yaml").write_text("terms:\n  - term: 缩宫素\n    aliases: [催产素, Syntocinon]\n"
                                      "  - term: 心肌梗死\n    aliases: [心梗]\n", encoding="utf-8")
    found = {s.term: set(s.aliases) for s in glossary_synonyms(project, "en")}
    assert found == {"oxytocin": {"缩宫素", "催产素", "Syntocinon"}}
    (zh / "synonyms.yaml").unlink()  # no synonyms file: the rendering alone
    assert {s.term: set(s.aliases) for s in glossary_synonyms(project, "en")} == {"oxytocin": {"缩宫素"}}
