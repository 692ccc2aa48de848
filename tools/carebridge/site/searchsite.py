"""Search in the built site: Material's search box and results, CareBridge's index and worker.

Material's page still fetches ``search/search_index.json`` and starts the worker named in its
``__config``; ``worker_url`` points that at ``assets/javascripts/carebridge-search.js``, which
answers Material's messages from the sharded index (``searchindex``). Material's own index keeps
only the pages CareBridge does not index itself (about, hand-written pages), and is then cut
to its config, so no page downloads a whole index.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..cachedir import library_versions
from ..fsio import write_atomic
from ..i18n.checks import glossary_for
from ..source.library import Project
from .pagecache import Kept
from .search import SearchPage, Tokenizer, site_pages
from .searchindex import index_files, stub_material_index, write_files
from .synonyms import Synonym, load_synonyms, normalize, search_corpus, synonyms_path, unused_in

WORKER = "assets/javascripts/carebridge-search.js"
# The worker's source, one stage a file (assets/), in the order the build joins them: index, query,
# second tries, homophones, ranking, and the entry that answers Material's messages.
WORKER_PARTS = ("search-index.js", "search-query.js", "search-mend.js", "search-homophones.js", "search-rank.js",
                "carebridge-search.js")
ASSETS = Path(__file__).resolve().parent / "assets"
INDEX_DIR = "search/cb"
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
# Pages that are not clinical answers: the home list, status, schema, side by side.
NOT_SEARCHED = ("index.md", "translation-status.md", "schema.md", "compare/")

log = logging.getLogger("mkdocs.plugins.carebridge")


def worker_url(config_html: str) -> str:
    """Material's ``__config`` with our worker in place of Material's (same relative base).

    >>> worker_url('"search": "../assets/javascripts/workers/search.a7633da7.min.js"')
    '"search": "../assets/javascripts/carebridge-search.js"'
    """
    out = _MATERIAL_WORKER.sub(WORKER, str(config_html))
    return Markup(out) if isinstance(config_html, Markup) else out  # already safe HTML: keep it so


def worker_script() -> str:
    """The search worker as the site serves it: its parts in one script, inside one function (a worker
    loads one file, and the file:// shim cannot load more before its first message)."""
    parts = [(ASSETS / name).read_text(encoding="utf-8") for name in WORKER_PARTS]
    return '"use strict";\n(() => {\n' + "\n".join(parts) + "})();\n"


def material_skips(src_uri: str) -> bool:
    """Pages left out of Material's index: CareBridge indexes protocols itself; the rest are not answers."""
    return src_uri.startswith(("protocols/", *NOT_SEARCHED))


def quicken_material_search(events: list[Callable[..., Any]]) -> None:
    """Pass Material's search plugin (in MkDocs' ``page_context`` handlers) over the pages it leaves
    out of its index (``material_skips``) that hold no ``data-search-`` attribute. Material then
    indexes nothing and strips nothing, yet its regular expression is tried at every character of
    every page: about 6 s of processor time in a build of 1,000 protocols with five editions."""
    for index, handler in enumerate(events):
        owner = getattr(handler, "__self__", None)
        if type(owner).__module__ == "material.plugins.search.plugin" and not hasattr(handler, "_cb_quick"):
            events[index] = _quick(handler)


def _quick(handler: Callable[..., Any]) -> Callable[..., Any]:
    def on_page_context(context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        if (page.meta.get("search") or {}).get("exclude") and "data-search-" not in page.content:
            return None  # what Material's handler returns: the context as it is
        return handler(context, page=page, config=config, nav=nav)

    on_page_context._cb_quick = True  # type: ignore[attr-defined]
    return on_page_context


def build_search(site_dir: Path, protocols: list[SearchPage], tokenizer: Callable[[], Tokenizer],
                 synonyms: list[Synonym], kept: Kept | None = None, key_parts: tuple[object, ...] = (),
                 linked: Sequence[Path] = (), pages_key: bytes | None = None) -> dict[str, int]:
    """Write ``search/cb/`` from the protocols and Material's remaining pages; stub Material's index.

    With ``kept`` (a build's page store), the files are kept under everything they are made of
    (``key_parts`` names what the pages do not: the language, the tokenizer's dictionary); a build
    whose pages and synonyms are unchanged writes them again without starting jieba or cutting a
    word (a second or more of the build per language at 1,000 protocols). ``linked`` are sites whose
    index files this one links where they hold the same bytes (``searchindex.write_files``): the site
    this build replaces, and for an edition the base site in its language."""
    material = site_dir / "search" / "search_index.json"
    docs = json.loads(material.read_text(encoding="utf-8")).get("docs", []) if material.is_file() else []
    others = site_pages(docs, lambda url: False)
    versions = library_versions(("jieba", "pypinyin"))  # how words are cut and their sounds read
    if kept is not None and pages_key is None:
        pages_key = kept.key("search pages", protocols)  # ``site_search`` gives it: the pages' repr is long
    key = kept.key("search-index", key_parts, versions, pages_key, others, synonyms) if kept is not None else None
    found = kept.load(key) if kept is not None else None
    sizes: dict[str, int]
    if isinstance(found, tuple) and len(found) == 2:
        files, sizes = found
        write_files(site_dir / INDEX_DIR, files, {}, [site / INDEX_DIR for site in linked])
    else:
        cutter = tokenizer()
        files, sizes = index_files(protocols + others, cutter, synonyms)
        write_files(site_dir / INDEX_DIR, files, cutter.written, [site / INDEX_DIR for site in linked])
        if kept is not None:
            kept.store(key, (files, sizes))
    stub_material_index(material)
    log.info("carebridge: search index %s", sizes)
    return sizes


def texts_of(pages: list[SearchPage]) -> list[str]:
    return [text for page in pages for section in page.sections for _, text in section.fields]


def glossary_synonyms(project: Project, locale: str) -> list[Synonym]:
    """The glossaries' pairs as synonyms, so a clinician finds a page typing the other language's word:
    on a translated site the English term (and the English site's aliases for it: Tylenol, acetaminophen)
    finds the required rendering (paracetamol finds 对乙酰氨基酚); on the English site the rendering finds
    the English term, and so do that language's own aliases for the rendering (缩宫素 and 催产素 find
    oxytocin). Terms kept in English need nothing."""
    english, _ = load_synonyms(synonyms_path(project.locales_dir, "en"), "en")
    if locale != "en":
        path = project.glossary_path(locale)
        terms = glossary_for(project, locale)[0].terms if path.exists() else ()
        aliases = {normalize(s.term): s.aliases for s in english}
        # a rendering the glossary also accepts (右丙亚胺 beside 右雷佐生) finds the required one
        return [Synonym(t.target.strip(), (t.source, *t.also, *aliases.get(normalize(t.source), ())))
                for t in terms if t.target.strip() and not t.keep]
    out = []
    for other in project.locales():
        if other != locale and project.glossary_path(other).exists():
            theirs, _ = load_synonyms(synonyms_path(project.locales_dir, other), other)
            aliases = {normalize(s.term): s.aliases for s in theirs}
            out += [Synonym(t.source, (t.target.strip(), *t.also, *aliases.get(normalize(t.target.strip()), ())))
                    for t in glossary_for(project, other)[0].terms if t.target.strip() and not t.keep]
    return out


def site_search(project: Project, locale: str, pages: list[SearchPage], site_dir: Path, *,
                check_synonyms: bool, kept: Kept | None = None, linked: Sequence[Path] = ()) -> list[str]:
    """Write one language's search index into ``site_dir``; return warnings for the build log.

    ``check_synonyms`` is off for a preview of a few protocols: their words are not the library's.
    """
    path = synonyms_path(project.locales_dir, locale)
    synonyms, problems = load_synonyms(path, project.rel(path))
    messages = [f"{problem}\n  hint: {problem.hint}" if problem.hint else str(problem) for problem in problems]
    derived = glossary_synonyms(project, locale)
    pages_key = kept.key("search pages", pages) if kept is not None else None  # one repr of every page
    if check_synonyms:
        unused, unsaid = _unused(synonyms, derived, pages, kept, pages_key)
        messages += [f"{project.rel(path)}:{entry.line}: synonym term {entry.term!r} is not in any protocol: "
                     "its aliases would find nothing" for entry in unused]
        unsaid_set = set(unsaid)  # a glossary names more than this library says
        derived = [entry for entry in derived if entry not in unsaid_set]
    synonyms = synonyms + derived
    # Chinese is cut into words on every site of a project with a Chinese locale: the English site
    # indexes the Chinese titles too (跌倒 typed there finds the falls protocol)
    cut_as = locale if locale.startswith("zh") else next((o for o in project.locales() if o.startswith("zh")), "")
    chinese = bool(cut_as)
    user_dict = jieba_user_dict(project, cut_as, [s.term for s in synonyms]) if chinese else ""
    # the dictionary file's name holds its digest
    build_search(site_dir, pages, functools.partial(tokenizer_for, chinese, user_dict), synonyms, kept,
                 (locale, chinese, Path(user_dict).name), linked, pages_key)
    return messages


def _unused(synonyms: list[Synonym], derived: list[Synonym], pages: list[SearchPage],
            kept: Kept | None, pages_key: bytes | None) -> tuple[list[Synonym], list[Synonym]]:
    """The synonyms, and the glossary's pairs, whose term no page holds. Kept with what they are read
    from: normalising a library's text for them is a second of each language's build."""
    key = kept.key("unused-synonyms", synonyms, derived, pages_key) if kept is not None else None
    found = kept.load(key) if kept is not None else None
    if isinstance(found, tuple) and len(found) == 2:
        return found
    corpus = search_corpus(texts_of(pages))  # normalising the library's text is most of the work: once
    result = (unused_in(synonyms, corpus), unused_in(derived, corpus))
    if kept is not None:
        kept.store(key, result)
    return result


@functools.lru_cache(maxsize=4)
def tokenizer_for(chinese: bool, user_dict: str) -> Tokenizer:
    """One tokenizer per dictionary for the process: jieba's start costs a second, and a serve's
    rebuild then cuts only the sentences it has not met (the dictionary's name holds its digest)."""
    return Tokenizer(chinese, user_dict)


def jieba_user_dict(project: Project, locale: str, extra: list[str] | None = None) -> str:
    """Glossary terms (and synonym terms) as a jieba user dictionary, so 产后出血 is one search word."""
    if not locale.startswith("zh"):
        return ""
    path = project.glossary_path(locale)
    glossary, _ = glossary_for(project, locale) if path.exists() else (None, [])
    terms = sorted({term.target.strip() for term in (glossary.terms if glossary else ()) if term.target.strip()}
                   | {t.strip() for t in extra or [] if t.strip()})
    if not terms:
        return ""
    content = "".join(f"{term.replace(' ', '')} 20 n\n" for term in terms)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    target = Path(tempfile.gettempdir()) / f"carebridge-jieba-{locale}-{digest}.txt"
    if not target.exists():
        write_atomic(target, content)
    return str(target)
