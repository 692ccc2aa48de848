"""homophones.py: the readings table and what the index tells the browser about its Chinese words' sounds."""

from __future__ import annotations

import json
from pathlib import Path

from carebridge.site.homophones import homophone_index, readings
from carebridge.site.search import BODY, SearchPage, SearchSection, Tokenizer
from carebridge.site.searchindex import write_index


def test_every_reading_in_use_of_a_character_is_kept_and_no_rare_one() -> None:
    assert readings("血") == ("xie", "xue") and readings("重") == ("chong", "zhong")
    assert readings("广") == ("guang",)  # not also an, a reading no word of it uses
    assert readings("安") == readings("氨") == readings("胺") == ("an",)
    assert readings("x") == ()


def test_the_browser_gets_the_common_characters_and_the_index_words_own() -> None:
    data = homophone_index(["缩宫素", "!速", "oxytocin", "唵嘛"])
    assert data is not None and data["words"] == "唵嘛 缩宫素"  # words of two Han characters or more only
    sounds = data["readings"]
    assert isinstance(sounds, dict)
    chars = {c for chars in sounds.values() for c in chars}
    assert 7000 <= len(chars) < 7500  # the common ones, and 唵 (rare), 嘛 of the index's words
    assert "唵" in sounds["an"] and "速" in sounds["su"] and "素" in sounds["su"]
    assert "鮟" not in chars  # a rare character neither typed nor in a word: left out


def test_an_index_without_chinese_words_has_no_homophones(tmp_path: Path) -> None:
    assert homophone_index(["oxytocin", "!速"]) is None
    page = SearchPage("p/a/", "A", True, [SearchSection("", "A", [(BODY, "oxytocin")])])
    write_index([page], Tokenizer(), [], tmp_path)
    manifest = json.loads((tmp_path / "manifest.js").read_text(encoding="utf-8")[len("cbManifest("):-3])
    assert manifest["sounds"] == 0 and not (tmp_path / "sounds.js").exists()


def test_a_chinese_index_writes_its_words_sounds_the_same_bytes_each_time(tmp_path: Path) -> None:
    page = SearchPage("p/a/", "A", True, [SearchSection("", "A", [(BODY, "静脉注射缩宫素")])])
    tokenizer = Tokenizer(chinese=True)
    sizes = write_index([page], tokenizer, [], tmp_path / "one")
    write_index([page], Tokenizer(chinese=True), [], tmp_path / "two")
    first = (tmp_path / "one" / "sounds.js").read_bytes()
    assert first == (tmp_path / "two" / "sounds.js").read_bytes() and sizes["sounds_bytes"] == len(first)
    data = json.loads(first.decode("utf-8")[len("cbSounds("):-3])
    assert "静脉" in data["words"].split() and "注射" in data["words"].split()
    manifest = json.loads((tmp_path / "one" / "manifest.js").read_text(encoding="utf-8")[len("cbManifest("):-3])
    assert manifest["sounds"] == 1
