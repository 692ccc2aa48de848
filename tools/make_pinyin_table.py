"""Write tools/carebridge/site/data/pinyin.txt, the toneless readings search matches homophones by.

    python -m venv /tmp/py && /tmp/py/bin/pip install pypinyin==0.55.0 jieba==0.42.1
    /tmp/py/bin/python tools/make_pinyin_table.py > tools/carebridge/site/data/pinyin.txt

Run once; the table is package data, so building a site needs neither package. Characters are the
ones in jieba's dictionary, ranked by the summed frequency of the words holding them; the first
COMMON that are not Traditional-only (search folds those to Simplified first) are the ones any
query may be typed with, the rest only ever read for the index's own words.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import jieba
from pypinyin import Style
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.style import convert

COMMON = 7000
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
DATA = Path(__file__).resolve().parent / "carebridge" / "site" / "data"


def main() -> None:
    freq: Counter[str] = Counter()
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            word, count = line.split()[:2]
            for c in set(word):
                if HAN.fullmatch(c):
                    freq[c] += int(count)
    traditional = {c for line in (DATA / "traditional.txt").read_text(encoding="utf-8").splitlines()
                   if line and not line.startswith("#") for c in line[1:]}
    ranked = sorted(freq, key=lambda c: (-freq[c], c))
    common = set([c for c in ranked if c not in traditional][:COMMON])
    # A character's readings: its first one and those its words are read with (行 xing, hang, heng), not
    # every reading a dictionary knows (广 is also an, 盒 an: each would make homophones no one types).
    used: dict[str, set[str]] = defaultdict(set)
    for phrase, readings in phrases_dict.items():
        if len(phrase) == len(readings):
            for c, r in zip(phrase, readings, strict=True):
                used[c].add(r[0])
    by_sound: dict[str, list[list[str]]] = defaultdict(lambda: [[], []])
    for c in ranked:
        if ord(c) not in pinyin_dict:
            continue
        marked = {pinyin_dict[ord(c)].split(",")[0], *used[c]}
        for reading in sorted({r for r in (convert(m, Style.NORMAL, strict=True) for m in marked)
                               if re.fullmatch("[a-z]+", r)}):
            by_sound[reading][c not in common].append(c)
    out = sys.stdout
    out.write("# Toneless pinyin readings of Chinese characters (v for ü): each line is a syllable, a tab, the\n"
              f"# common characters read so (the {COMMON} most frequent in jieba 0.42.1's dictionary, Traditional-only\n"
              "# ones left out), a tab, the rarer ones. A character with several readings is on each line: its first\n"
              "# reading and those its words are read with, from pypinyin 0.55.0 (MIT License,\n"
              "# https://github.com/mozillazg/python-pinyin); jieba is MIT-licensed (https://github.com/fxsjy/jieba).\n"
              "# Made by tools/make_pinyin_table.py. Search finds a word typed with a homophone by these.\n")
    for reading in sorted(by_sound):
        common_chars, rare = by_sound[reading]
        out.write(f"{reading}\t{''.join(common_chars)}\t{''.join(rare)}\n")


if __name__ == "__main__":
    main()
