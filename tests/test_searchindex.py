"""The sharded search index (site/searchindex.py): what its manifest tells the browser."""

from __future__ import annotations

import json
from pathlib import Path

from carebridge.site.search import SearchPage, Tokenizer
from carebridge.site.searchindex import write_index


def test_the_manifest_names_the_medicines_a_typo_is_mended_into_by_one_edit_only(tmp_path: Path) -> None:
    from carebridge.site.search import DRUG, SearchSection

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
    from carebridge.site.search import BODY, SearchSection

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
