"""The search index as small static files, so a first search loads only what its words need.

    search/cb/manifest.js    shard names, page counts, synonyms                (loaded once)
    search/cb/s/<key>.js     the words starting with <key> and where they are  (per query word)
    search/cb/f/<page>.js    one page's titles and text, for result snippets   (per result shown)
    search/cb/sounds.js      Chinese words and readings, for homophones        (when a word finds nothing)

Every file is a script calling ``cbManifest``/``cbShard``/``cbPage``/``cbSounds`` with JSON, so the same
files load in a Web Worker over HTTP and through ``<script>`` from ``file://`` (where fetch is
blocked). Shards are keyed by the first characters of their words (one Han character, two
Latin letters) and split further while larger than ``SHARD_BYTES``: the browser cuts a Chinese
query by forward maximum matching over the words in the shards of its characters.

Postings are flat integer lists ``[page delta, section, weight, ...]``; weights are the sum
of the field weights (``search.py``) of every occurrence, at most three counted per field.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..safety.vocabulary import medicine_names
from .homophones import homophone_index
from .search import CJK_ASK, CJK_STOP, DRUG, STOPWORDS, SearchPage, Tokenizer
from .synonyms import Synonym, normalize, spelling_variants
from .variants import variant_table

SHARD_BYTES = 24_000
FORMAT = 1


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def shard_name(key: str) -> str:
    """A file name for a shard key: Latin keys as they are, anything else as code points.

    >>> shard_name("he"), shard_name("产"), shard_name("!后")
    ('he', '_4ea7', '_21_540e')
    """
    return key if re.fullmatch(r"[a-z0-9]+", key) else "_" + "_".join(f"{ord(c):x}" for c in key)


def _first_key(word: str) -> str:
    if word.startswith("!"):
        return word            # single Han characters: one tiny shard each, never split
    return word[:1] if not word[:1].isascii() else word[:2]


def _split(words: dict[str, int]) -> dict[str, list[str]]:
    """Shard key -> words; a shard over SHARD_BYTES moves its longer words one character deeper."""
    shards: dict[str, list[str]] = defaultdict(list)
    for word in sorted(words):
        shards[_first_key(word)].append(word)
    queue = sorted(shards)
    while queue:
        key = queue.pop()
        members = shards[key]
        if key.startswith("!") or sum(words[w] for w in members) <= SHARD_BYTES:
            continue
        deeper = [w for w in members if len(w) > len(key)]
        if not deeper:
            continue
        shards[key] = [w for w in members if len(w) == len(key)]
        children: dict[str, list[str]] = defaultdict(list)
        for w in deeper:
            children[w[: len(key) + 1]].append(w)
        for child, child_words in children.items():
            shards[child] = child_words
            queue.append(child)
        if not shards[key]:
            del shards[key]
    return dict(shards)


def _page_postings(page: SearchPage, tokenizer: Tokenizer) -> tuple[Any, dict[str, list[int]]]:
    """(key, word -> its places on the page, as the index writes them after the page number:
    [section, weight, 0, section, weight...]). Kept on the tokenizer by the page's text, which a
    serve's rebuild and the next edition's site mostly meet again."""
    key = tuple(tuple(section.fields) for section in page.sections)
    known: dict[str, list[int]] | None = tokenizer.pages.get(key)
    if known is not None:
        return key, known
    found: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for s, section in enumerate(page.sections):
        for weight, text in section.fields:
            for word, count in tokenizer.counts(text).items():
                found[word][s] += weight * min(count, 3)
    out = tokenizer.pages[key] = {word: _places(sorted(places.items())) for word, places in found.items()}
    return key, out


def _places(places: list[tuple[int, int]]) -> list[int]:
    """A page's (section, weight) pairs for one word, flat; each after the first is preceded by its
    page's delta (0: the same page)."""
    flat: list[int] = []
    for s, w in places:
        flat += [0, s, w]
    return flat[1:]


def _postings(pages: list[SearchPage], tokenizer: Tokenizer) -> dict[str, list[int]]:
    """word -> [page delta, section, weight, ...] over ``pages`` in order (deltas from the word's
    previous page)."""
    out: dict[str, list[int]] = {}
    last: dict[str, int] = {}
    live = set()
    for p, page in enumerate(pages):
        key, page_postings = _page_postings(page, tokenizer)
        live.add(key)
        for word, places in page_postings.items():
            flat = out.get(word)
            if flat is None:
                out[word] = [p, *places]
            else:
                flat.append(p - last[word])
                flat += places
            last[word] = p
    for key in [key for key in tokenizer.pages if key not in live]:
        del tokenizer.pages[key]
    pages_here = {id(page) for page in pages}
    for key in [key for key in tokenizer.page_json if key not in pages_here]:
        del tokenizer.page_json[key]
    return out


def _medicine_words(pages: list[SearchPage], tokenizer: Tokenizer) -> list[str]:
    """Latin index words that name a medicine (the packaged list and the dose tables' drugs): the
    browser mends a misspelled word into one of these by one edit at most, since two could turn a
    medicine the library lacks into one it has (prednisone into prednisolone)."""
    names = [*medicine_names(), *(text for page in pages for section in page.sections
                                  for weight, text in section.fields if weight == DRUG)]
    return sorted({w for name in names for w in tokenizer.words(name) if w.isascii() and w.isalpha()})


def _synonym_table(synonyms: list[Synonym], words: Iterable[str]) -> list[list[str]]:
    """[[alias, term], ...] in search's normal form, longest alias first (the browser tries them in order):
    the editors' synonyms, and other spellings of the index's words (hemorrhage for haemorrhage)."""
    pairs = {(normalize(a), normalize(s.term)) for s in synonyms for a in s.aliases}
    declared = {alias for alias, _ in pairs}
    pairs |= {pair for pair in spelling_variants(words) if pair[0] not in declared}
    return [list(pair) for pair in sorted(pairs, key=lambda pair: (-len(pair[0]), pair))]


def _flat_size(flat: list[int]) -> int:
    """len(_dumps(flat)) for a list of integers, without writing it out."""
    return len(repr(flat)) - max(len(flat) - 1, 0)


def write_index(pages: list[SearchPage], tokenizer: Tokenizer, synonyms: list[Synonym], target: Path) -> dict[str, int]:
    """Write the index for ``pages`` (protocols first) into ``target`` (``site/search/cb``); returns sizes."""
    files, sizes = index_files(pages, tokenizer, synonyms)
    write_files(target, files, tokenizer.written)
    return sizes


def index_files(pages: list[SearchPage], tokenizer: Tokenizer,
                synonyms: list[Synonym]) -> tuple[dict[str, str], dict[str, int]]:
    """The index's files for ``pages`` (name -> text), and their sizes."""
    pages = sorted(pages, key=lambda page: (not page.protocol, page.url))
    postings = _postings(pages, tokenizer)
    # A serve's rebuild changes few words: a word's size, and a shard's text, are taken from the
    # last call where its postings are equal (a list comparison, much cheaper than writing them).
    sizes: dict[str, int] = {}
    for word, flat in postings.items():
        old = tokenizer.sizes.get(word)
        sizes[word] = old[1] if old is not None and old[0] == flat else len(_dumps(word)) + _flat_size(flat) + 2
    tokenizer.sizes = {word: (flat, sizes[word]) for word, flat in postings.items()}
    shards = _split(sizes)
    files: dict[str, str] = {}
    total = 0
    bodies: dict[str, tuple[dict[str, list[int]], str]] = {}
    for key, words in sorted(shards.items()):
        content = {w: postings[w] for w in words}
        old_body = tokenizer.shards.get(key)
        body = old_body[1] if old_body is not None and old_body[0] == content else \
            f"cbShard({_dumps(key)},{_dumps(content)});\n"
        bodies[key] = (content, body)
        files[f"s/{shard_name(key)}.js"] = body
        total += len(body.encode("utf-8"))
    tokenizer.shards = bodies
    for p, page in enumerate(pages):
        files[f"f/{p}.js"] = f"cbPage({p},{_page_json(page, tokenizer)});\n"
    synonym_table = _synonym_table(synonyms, postings)
    # Aliases too: 摧产素 finds 催产素, and so its term 缩宫素.
    sounds = homophone_index([*postings, *(alias for alias, _ in synonym_table)])
    if sounds:
        files["sounds.js"] = f"cbSounds({_dumps(sounds)});\n"
    manifest = {"v": FORMAT, "pages": len(pages), "protocols": sum(1 for p in pages if p.protocol),
                "keys": sorted(shards), "synonyms": synonym_table, "sounds": int(sounds is not None),
                "stop": sorted(STOPWORDS), "cjkStop": "".join(sorted(CJK_STOP)), "cjkAsk": sorted(CJK_ASK),
                "drugs": _medicine_words(pages, tokenizer),
                "variants": variant_table([*postings, *(a for s in synonyms for a in s.aliases)])}
    body = f"cbManifest({_dumps(manifest)});\n"
    files["manifest.js"] = body
    return files, {"shards": len(shards), "shard_bytes": total, "manifest_bytes": len(body.encode("utf-8")),
                   "words": len(postings), "sounds_bytes": len(files.get("sounds.js", "").encode("utf-8"))}


def _page_json(page: SearchPage, tokenizer: Tokenizer) -> str:
    cached = tokenizer.page_json.get(id(page))
    if cached is None or cached[0] is not page:
        data = {"u": page.url, "t": page.title,
                "s": [[section.anchor, section.title, section.text] for section in page.sections]}
        cached = tokenizer.page_json[id(page)] = (page, _dumps(data))
    return cached[1]


def write_files(target: Path, files: dict[str, str], written: dict[Path, str], linked: Sequence[Path] = ()) -> None:
    """Make ``target`` hold exactly ``files``: a serve's rebuild rewrites only the few that changed
    (``written`` remembers what this process last wrote where). A file that one of the ``linked``
    folders already holds, byte for byte, is linked instead of written: the index of the site a build
    replaces (most of an index is unchanged from one build to the next, and making thousands of new
    files, then deleting the old ones, was a second or more of each language's build), and an
    edition's base site in the same language (4,612 of an edition's 4,672 index files at 1,000
    protocols). A file is never written through a link: it would change the other site's file too."""
    if target.is_dir():
        for old in [path for path in target.rglob("*") if path.is_file()]:
            if old.relative_to(target).as_posix() not in files:
                old.unlink()
                written.pop(old, None)
    for name, body in files.items():
        path = target / name
        if written.get(path) == body and path.is_file():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if not any(_linked(folder / name, path, body) for folder in linked):
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_nlink > 1:
                    path.unlink()  # a link to another site's file: write a file of this site's own
            path.write_text(body, encoding="utf-8")
        written[path] = body


def _linked(old: Path, new: Path, body: str) -> bool:
    """Whether ``new`` is now a hard link to ``old``, a regular file holding exactly ``body``
    (a ``new`` already there is replaced only by such a link)."""
    try:
        if old.is_symlink() or not old.is_file():
            return False
        data = body.encode("utf-8")
        if old.stat().st_size != len(data) or old.read_bytes() != data:
            return False
        if new.exists() or new.is_symlink():
            if os.path.samefile(old, new):
                return True
            spare = new.with_name(f".{new.name}.link")
            os.link(old, spare)
            os.replace(spare, new)
        else:
            os.link(old, new)
    except OSError:  # no such file, another file system, links not supported: written instead
        return False
    return True


def stub_material_index(path: Path) -> None:
    """Keep Material's ``search_index.json`` (its page fetches it) with its config and no documents."""
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(_dumps({"config": data.get("config", {}), "docs": []}), encoding="utf-8")
