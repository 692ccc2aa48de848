"""What search reads: every protocol's text by field, and the words it is cut into.

``protocol_documents`` turns one localized protocol into a ``SearchPage`` of sections (the page
itself, each step, the adaptations), each a list of ``(weight, text)`` fields: titles and drug
names weigh most, then red flags, summaries, decisions, doses, and the body text.
``Tokenizer`` cuts text into index words: Latin words lower-cased with plural endings removed,
Chinese with jieba (the glossary as its user dictionary) in search mode, so 低分子肝素 yields
低分子肝素, 低分子, 分子 and 肝素 but never 低分. The browser side (assets/search-query.js)
must cut queries the same way: change both together.
"""

from __future__ import annotations

import html
import logging
import marshal
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..source.library import Loaded
from ..source.model import amount_text
from .localize import Localized

# Field weights: what a clinician's word most likely names.
TITLE, DRUG, STEP_TITLE, RED_FLAG, SUMMARY, DECISION, DOSE, BODY = 10, 8, 6, 4, 3, 2, 2, 1
# A title or drug in another of the site's languages (跌倒 typed on the English site): its own weight,
# so snippets can leave it out (a Chinese result shows Chinese around the match)
OTHER_LANGUAGE = 5

STOPWORDS = frozenset(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "the", "to", "with", "this", "that", "was", "were"]
                      # A question's own words name nothing to find ("how much oxytocin", "when should I give
                      # TXA"), and the pages say them all ("Why:" ends every adaptation; nearly every protocol
                      # gives something): a query of several words keeps the pages that have most of them, so
                      # these would outrank the drug.
                      + ["how", "what", "when", "where", "which", "who", "whom", "why", "much", "many", "should",
                         "would", "could", "can", "do", "does", "did", "if", "has", "have", "had", "there", "i",
                         "me", "my", "you", "your", "we", "our", "he", "she", "her", "his", "they",
                         "them", "their", "its", "give", "given", "giving", "gave"])
CJK_STOP = frozenset("的了和与及或是在为并等也就都而之其于以")
# A Chinese question's own words, left out of a query only (the pages keep them: 会诊 and 吗啡 are
# words of their own, and an index word wins over a lone character): 能测肛温吗, 算慢性尿潴留吗,
# 怎么处理 name nothing to find, as "how", "can" and "should" do in English (STOPWORDS).
CJK_ASK = frozenset(["吗", "呢", "吧", "啊", "呀", "么", "嘛", "能", "会", "要", "该", "算", "请", "怎么",
                     "怎样", "怎么办", "如何", "什么", "多少", "是否", "能否", "可否", "可以", "应该", "需要",
                     "需不需要", "要不要", "能不能", "可不可以", "是不是", "算不算", "有没有", "会不会", "用不用",
                     "该不该", "请问", "为什么", "为何", "哪些", "哪个", "多久", "怎么样"])
# A decimal is one word (0.4, 37.5), and a number typed against its unit is two (0.4mg, 800mcg, 10iu):
# the pages write "0.4 mg", a pharmacist types "0.4mg". Not ordinals (1st, 24th).
_LATIN = re.compile(r"[0-9]+(?:\.[0-9]+)+|[a-z0-9]+")
_NUMBER_UNIT = re.compile(r"([0-9]+)((?!(?:st|nd|rd|th)$)[a-z]+)")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SPLIT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[*_`#>|]+")
_TAG = re.compile(r"<[^>]+>")


def stem(word: str) -> str:
    """Plural endings off, the same way the browser does it.

    >>> [stem(w) for w in ("doses", "haemorrhages", "arteries", "glasses", "boxes", "sepsis", "news2")]
    ['dose', 'haemorrhage', 'artery', 'glass', 'box', 'sepsis', 'news2']
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def plain(markdown_text: str) -> str:
    """Markdown or HTML as the words a reader sees (links keep their text)."""
    text = _TAG.sub(" ", _MD_LINK.sub(r"\1", markdown_text))
    return " ".join(html.unescape(_MD_MARK.sub(" ", text)).split())


_JIEBA_DEFAULT: list[tuple[dict[str, int], int]] = []


def jieba_default() -> tuple[dict[str, int], int]:
    """jieba's default dictionary (word frequencies, total), read once per process: each tokenizer
    that reads it itself spends a second unmarshalling it."""
    if not _JIEBA_DEFAULT:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        found = _jieba_cache()
        if found is None:
            first = jieba.Tokenizer()
            first.initialize()  # reads the dictionary and writes the cache for the next process
            found = first.FREQ, first.total
        _JIEBA_DEFAULT.append(found)
    return _JIEBA_DEFAULT[0]


def _jieba_cache() -> tuple[dict[str, int], int] | None:
    """What jieba's own start would load for its default dictionary: the cache it keeps in the temp
    folder, which it trusts for that dictionary without a date check. Read whole, then unmarshalled:
    jieba's ``marshal.load`` on the open file takes three times as long (0.8 s against 0.25 s).
    None (jieba starts itself) when the file is missing or not what jieba writes."""
    try:
        with open(os.path.join(tempfile.gettempdir(), "jieba.cache"), "rb") as handle:
            freq, total = marshal.loads(handle.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(freq, dict) or not isinstance(total, int) or total <= 0:
        return None
    return freq, total


def seed_jieba(cutter: Any) -> None:
    """Start ``cutter`` (a ``jieba.Tokenizer`` on the default dictionary, not yet started) as its own
    start would leave it, from the process's copy of the dictionary; any other is left alone."""
    import jieba

    if cutter.initialized or cutter.dictionary != jieba.DEFAULT_DICT:
        return
    freq, total = jieba_default()
    with cutter.lock:
        cutter.FREQ, cutter.total, cutter.initialized = dict(freq), total, True


class Tokenizer:
    """Cuts text into index words; ``chinese`` adds jieba for runs of Han characters."""

    def __init__(self, chinese: bool = False, user_dict: str = ""):
        self.chinese = chinese
        self._seen: dict[str, dict[str, int]] = {}
        # searchindex's per-page postings by text, JSON by page object, and the files it last wrote.
        self.pages: dict[Any, Any] = {}
        self.page_json: dict[int, tuple[Any, str]] = {}
        self.written: dict[Any, str] = {}
        # As the index was last written: each word's postings and size, each shard's postings and text.
        self.sizes: dict[str, tuple[list[int], int]] = {}
        self.shards: dict[str, tuple[dict[str, list[int]], str]] = {}
        self._cut: Callable[[str], Iterator[str]] | None = None
        if chinese:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            cutter = jieba.Tokenizer()
            seed_jieba(cutter)
            if user_dict:
                with open(user_dict, "rb") as handle:  # jieba leaves a file it opens itself unclosed
                    cutter.load_userdict(handle)
            cutter.check_initialized()
            self._freq: dict[str, int] = cutter.FREQ
            # No HMM: only dictionary words, as the browser cuts queries; an unknown run stays as
            # single characters instead of becoming an invented word that hides its parts.
            self._cut = lambda text: cutter.cut_for_search(text, HMM=False)

    def _inner(self, word: str) -> Iterator[str]:
        # jieba's search mode adds a long word's two- and three-character parts; add the longer
        # ones too (低分子肝素 holds 低分子), and, as single characters, those no part covers
        # (毛细血管再充盈时间 holds 再), so a query cut into parts finds the long word.
        covered = [False] * len(word)
        for size in range(2, len(word)):
            for start in range(len(word) - size + 1):
                if self._freq.get(word[start:start + size]):
                    covered[start:start + size] = [True] * size
                    if size > 3:
                        yield word[start:start + size]
        if len(word) > 2:
            yield from ("!" + c for c, done in zip(word, covered, strict=True) if not done and c not in CJK_STOP)

    def counts(self, text: str) -> dict[str, int]:
        """How often each index word occurs in ``text``; a text met again (the same sentence in many
        protocols, a copied step) is cut once."""
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = dict(Counter(self.words(text)))
        return found

    def words(self, text: str) -> Iterator[str]:
        """Index words of ``text``; single Han characters are prefixed ``!`` (only a one-character
        query looks them up, so 产后出血 never matches on 后).

        >>> list(Tokenizer().words("Tamsulosin 0.4mg, 800mcg on the 2nd day"))
        ['tamsulosin', '0.4', 'mg', '800', 'mcg', '2nd', 'day']"""
        for part in _SPLIT.split(normalize(text)):
            if not part:
                continue
            if _CJK_RUN.fullmatch(part):
                if self._cut is None:
                    continue
                for word in self._cut(part):
                    if len(word) > 1:
                        yield word
                        yield from self._inner(word)
                    elif word not in CJK_STOP:
                        yield "!" + word
                continue
            for found in _LATIN.findall(part):
                glued = _NUMBER_UNIT.fullmatch(found)
                for word in glued.groups() if glued else (found,):
                    if len(word) > 1 and word not in STOPWORDS:
                        yield stem(word)


@dataclass
class SearchSection:
    anchor: str                  # "" for the page itself
    title: str
    fields: list[tuple[int, str]] = field(default_factory=list)

    def add(self, weight: int, text: str) -> None:
        if text.strip():
            self.fields.append((weight, text))

    @property
    def text(self) -> str:
        """What a result shows around the matched words: everything but the title."""
        return " · ".join(t for w, t in self.fields if w not in (TITLE, OTHER_LANGUAGE) and t != self.title)


@dataclass
class SearchPage:
    url: str                     # relative to the site root, as MkDocs writes it
    title: str
    protocol: bool               # protocols rank above the site's other pages
    sections: list[SearchSection]


def protocol_documents(loaded: Loaded, loc: Localized, url: str, routes: dict[str, str],
                       units: dict[str, str], others: Sequence[Localized] = ()) -> SearchPage:
    """One protocol's text in one language, by section and field; with ``others`` (the same protocol
    in the site's other languages), their titles, step titles and drug names too, at a lower weight.
    A string not translated there comes back in English, so nothing unsafe is indexed."""
    p = loaded.protocol

    def also(section: SearchSection, path: tuple[str | int, ...], source: str, shown: str) -> None:
        for value in dict.fromkeys(other.get(path, source).value for other in others):
            if value != shown:  # untranslated there: the same words again would only weigh more
                section.add(OTHER_LANGUAGE, value)

    def t(path: tuple[str | int, ...], source: str) -> str:
        return loc.get(path, source).value

    title = t(("title",), p.title)
    top = SearchSection("", title)
    top.add(TITLE, title)
    also(top, ("title",), p.title, title)
    top.add(SUMMARY, t(("summary",), p.summary))
    for i, flag in enumerate(p.red_flags):
        top.add(RED_FLAG, t(("red_flags", i), flag))
    top.add(BODY, t(("scope", "population"), p.scope.population))
    top.add(BODY, t(("scope", "setting"), p.scope.setting))
    sections = [top]
    for i, step in enumerate(p.steps):
        base: tuple[str | int, ...] = ("steps", i)
        step_title = t((*base, "title"), step.title)
        section = SearchSection(step.id, step_title)
        section.add(STEP_TITLE, step_title)
        also(section, (*base, "title"), step.title, step_title)
        section.add(BODY, plain(t((*base, "instructions"), step.instructions)))
        for v in step.variants:  # a jurisdiction's own wording (China's threshold) is found too
            section.add(BODY, plain(t((*base, "variants", v.jurisdiction, "instructions"), v.instructions)))
        for r, flag in enumerate(step.red_flags):
            section.add(RED_FLAG, t((*base, "red_flags", r), flag))
        for m, med in enumerate(step.medications):
            mbase = (*base, "medications", m)
            drug = t((*mbase, "drug"), med.drug)
            section.add(DRUG, drug)
            also(section, (*mbase, "drug"), med.drug, drug)
            amount = amount_text(med.amount, med.amount_max)
            dose = [amount, units.get(med.unit, med.unit), routes.get(med.route, med.route),
                    t((*mbase, "frequency"), med.frequency)]
            dose += [t((*mbase, "max_dose"), med.max_dose)] if med.max_dose else []
            dose += [t((*mbase, "notes"), med.notes)] if med.notes else []
            section.add(DOSE, " ".join(dose))
        if step.decision:
            section.add(DECISION, t((*base, "decision", "question"), step.decision.question))
            for b, branch in enumerate(step.decision.branches):
                section.add(DECISION, t((*base, "decision", "branches", b, "when"), branch.when))
        for a, adaptation in enumerate(p.adaptations):
            if adaptation.step == step.id:
                section.add(BODY, t(("adaptations", a, "note"), adaptation.note))
                section.add(BODY, t(("adaptations", a, "rationale"), adaptation.rationale))
        sections.append(section)
    general = [(a, x) for a, x in enumerate(p.adaptations) if not x.step]
    if general:
        section = SearchSection("adaptations", "")
        for a, adaptation in general:
            section.add(BODY, t(("adaptations", a, "note"), adaptation.note))
            section.add(BODY, t(("adaptations", a, "rationale"), adaptation.rationale))
        sections.append(section)
    return SearchPage(url, title, True, sections)


def site_pages(docs: list[dict[str, str]], skip: Callable[[str], bool]) -> list[SearchPage]:
    """The other pages, from Material's own index (``search_index.json`` docs), less ``skip``ped URLs."""
    pages: dict[str, SearchPage] = {}
    for doc in docs:
        url, _, anchor = doc.get("location", "").partition("#")
        if skip(url):
            continue
        title = plain(doc.get("title", ""))
        page = pages.setdefault(url, SearchPage(url, title, False, []))
        section = SearchSection(anchor, title)
        section.add(TITLE if not anchor else STEP_TITLE, title)
        section.add(BODY, plain(doc.get("text", "")))
        if not anchor:
            page.title = title
            page.sections.insert(0, section)
        else:
            page.sections.append(section)
    for page in pages.values():
        if not page.sections or page.sections[0].anchor:
            page.sections.insert(0, SearchSection("", page.title, [(TITLE, page.title)]))
    return list(pages.values())
