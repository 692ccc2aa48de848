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
