"""Chinese characters typed in another script: Traditional (產後出血) or a Hong Kong or Taiwan variant,
where the library writes Simplified (产后出血).

``variant_table`` picks, for one index, the characters the browser maps before it searches: only a
character the library never writes, into a Simplified one it does write, so nothing the pages say
is ever changed into something else (乾 stays 乾 in a library that writes 乾).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources


@functools.cache
def traditional_pairs() -> dict[str, str]:
    """Traditional or variant character -> its Simplified form (package data ``site/data/traditional.txt``).

    >>> pairs = traditional_pairs()
    >>> pairs["產"], pairs["後"], pairs["鎂"], "产" in pairs
    ('产', '后', '镁', False)
    """
    text = resources.files("carebridge.site").joinpath("data/traditional.txt").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            out.update((t, line[0]) for t in line[1:])
    return out


def variant_table(words: Iterable[str]) -> str:
    """The pairs for an index of ``words``, as one string (``"產产後后"``: typed, then searched).

    >>> variant_table(["产后", "!镁"])
    '後后產产産产鎂镁'
    """
    chars = {c for word in words for c in word if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"}
    pairs = sorted((t, s) for t, s in traditional_pairs().items() if t not in chars and s in chars)
    return "".join(t + s for t, s in pairs)
