"""What clinicians type, mapped to the words the protocols use: ``locales/<locale>/synonyms.yaml``.

One file per search language (``locales/en/synonyms.yaml`` for the English site,
``locales/zh_CN/synonyms.yaml`` for the Chinese one)::

    terms:
      - term: tranexamic acid      # as written in the protocols
        aliases: [TXA, Cyklokapron]

A query that contains an alias also finds the term (the alias itself still counts where the
text uses it). ``unused_terms`` lists terms the library never says, so an alias never points
nowhere; the build warns about them and a test keeps the shipped files clean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import markup
from ..fsio import decode_utf8
from ..problems import Problem, error

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class Synonym:
    """``aliases`` are other ways to say ``term``; ``line`` is where the entry starts in the file."""

    term: str
    aliases: tuple[str, ...]
    line: int = 0


def normalize(text: str) -> str:
    """The form search compares: NFKC (full-width to half-width), lower case, single spaces.

    >>> normalize("ＴＸＡ  Low-Molecular")
    'txa low-molecular'
    """
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


SHAPE = "a synonyms file is `terms:` then a list of `- term: <words as the protocols write them>` with `aliases: [<text>, ...]`"


def _kind(node: yaml.Node) -> str:
    return ("a list" if isinstance(node, yaml.SequenceNode) else "a mapping" if isinstance(node, yaml.MappingNode)
            else "a single value")


def synonyms_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "synonyms.yaml"


def load_synonyms(path: Path, display: str) -> tuple[list[Synonym], list[Problem]]:
    """Read a synonyms file; a missing file is no synonyms. Bad entries are reported and left out."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [error(display, None, None, f"cannot read synonyms: {exc.strerror}", code="synonyms")]
    text, problem = decode_utf8(raw, display)
    if text is None:
        return [], [problem] if problem else []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = getattr(exc, "problem", None) or "not valid YAML"
        return [], [error(display, line, col, f"YAML syntax: {what}", code="synonyms", hint=SHAPE)]
    problems: list[Problem] = []

    def report(node: yaml.Node | yaml.Event, where: str, message: str, hint: str) -> None:
        mark = node.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problems.append(error(display, line, col, message, path=where, hint=hint, code="synonyms"))

    # As in every other YAML file of a project (source.loader): each word written where it is read
    for event in yaml.parse(text, Loader=_Loader) if root is not None else ():
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or (
                isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag not in (None, "!")):
            report(event, "", "anchors, aliases and tags are not allowed in a synonyms file",
                   "write each term and alias out where it is used")
            return [], problems
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode):
        report(root, "", f"a synonyms file must be a mapping with `terms:`, not {_kind(root)}", SHAPE)
        return [], problems
    terms = None
    for key, value in root.value:
        if key.value != "terms":
            report(key, str(key.value), f"unknown key '{key.value}'", "a synonyms file has one `terms:` list")
        elif isinstance(value, yaml.SequenceNode):
            terms = value
        else:
            report(value, "terms", f"`terms` must be a list of entries, not {_kind(value)}", SHAPE)
            return [], problems
    if terms is None:
        report(root, "", "expected `terms:` with a list of entries", SHAPE)
        return [], problems
    out: list[Synonym] = []
    for index, item in enumerate(terms.value):
        where = f"terms[{index}]"
        fields = {k.value: v for k, v in item.value} if isinstance(item, yaml.MappingNode) else None
        term = fields.get("term") if fields else None
        aliases = fields.get("aliases") if fields else None
        if fields is None or set(fields) - {"term", "aliases", "note"}:
            report(item, where, "an entry has `term`, `aliases` and an optional `note`",
                   "write `- term: tranexamic acid` and `  aliases: [TXA]`")
            continue
        if not isinstance(term, yaml.ScalarNode) or not str(term.value).strip():
            report(item, f"{where}.term", "`term` must be text", "the words as the protocols write them")
            continue
        if not isinstance(aliases, yaml.SequenceNode) or not aliases.value or not all(
                isinstance(a, yaml.ScalarNode) and str(a.value).strip() for a in aliases.value):
            report(item, f"{where}.aliases", "`aliases` must be a list of text", "write `aliases: [TXA]`")
            continue
        number = next((a for a in aliases.value if re.fullmatch(r"[\d\s.,:/%+-]+", str(a.value))), None)
        if number is not None:  # 120 typed in "收缩压120" would search the term too
            report(number, f"{where}.aliases", f"alias '{number.value}' is a number, which queries type as a number",
                   "write an alias with letters or characters (NEWS2, 120急救电话)")
            continue
        html = next((node for node in (term, *aliases.value) if markup.raw_html(str(node.value))), None)
        if html is not None:
            report(html, where, "raw HTML is not allowed in a synonyms file", "write the words a clinician types, as text")
            continue
        out.append(Synonym(str(term.value).strip(), tuple(str(a.value).strip() for a in aliases.value),
                           item.start_mark.line + 1))
    return out, problems


_WORD_CHAR = re.compile(r"[a-z0-9]")


def _contains(text: str, phrase: str) -> bool:
    """Whole words for Latin script ("mi" is not in "midwife"); any position for Chinese.

    The phrase is looked for as plain text first (a fast scan of the whole library's words) and
    only its hits are checked for word boundaries.
    """
    if not phrase:
        return False
    left = phrase[:1].isascii()
    right = re.compile(r"(?:e?s)?(?![a-z0-9])") if phrase[-1:].isascii() else None  # plurals count
    at = text.find(phrase)
    while at != -1:
        if not (left and at and _WORD_CHAR.match(text, at - 1)) and (
                right is None or right.match(text, at + len(phrase))):
            return True
        at = text.find(phrase, at + 1)
    return False


def unused_terms(synonyms: Iterable[Synonym], texts: Iterable[str]) -> list[Synonym]:
    """Entries whose ``term`` occurs in none of ``texts`` (an alias must lead somewhere).

    >>> unused_terms([Synonym("oxytocin", ("Syntocinon",)), Synonym("heparin", ("UFH",))], ["Give Oxytocin 10 IU"])
    [Synonym(term='heparin', aliases=('UFH',), line=0)]
    """
    return unused_in(synonyms, search_corpus(texts))


def search_corpus(texts: Iterable[str]) -> str:
    """``texts`` as one text in the form search compares (``normalize``), each distinct text once
    (a phrase has no line break, so none is found across two texts)."""
    return "\n".join(normalize(t) for t in dict.fromkeys(texts))


def unused_in(synonyms: Iterable[Synonym], corpus: str) -> list[Synonym]:
    """``unused_terms`` against a ``search_corpus`` made once for several lists."""
    return [s for s in synonyms if not _contains(corpus, normalize(s.term))]


_US = (
    (re.compile(r"ae"), "e"),                              # haemorrhage, paediatric, anaesthesia
    (re.compile(r"oe(?=[a-z]*[a-z]{2})(?!s?$)"), "e"),     # oedema, oestrogen, foetal (not does, toes)
    (re.compile(r"is(ation|e|ed|es|ing)$"), r"iz\1"),      # catheterisation, recognise
    (re.compile(r"yse$"), "yze"),                          # analyse
    (re.compile(r"(?<=.{3})our$"), "or"),                  # labour, colour, tumour (not four, hour)
    (re.compile(r"(?<=..)([tb])re$"), r"\1er"),            # centre, litre, fibre
    (re.compile(r"ogue$"), "og"),                          # catalogue
    (re.compile(r"ell(ed|ing)$"), r"el\1"),                # labelled, counselling
    (re.compile(r"^programme$"), "program"),
)
_UK = ((re.compile(r"iz(ation|e|ed|es|ing)$"), r"is\1"), (re.compile(r"sulf"), "sulph"))


def spelling_variants(words: Iterable[str]) -> list[tuple[str, str]]:
    """(other spelling, word) for index words spelled the British way (and a few the American
    way), so 'hemorrhage' finds 'haemorrhage' without a line in synonyms.yaml. Only spellings
    the index does not hold already; a made-up variant nobody types costs nothing.

    >>> spelling_variants(["haemorrhage", "catheterisation", "four", "does", "centre", "sulfate", "oedema"])
    [('catheterization', 'catheterisation'), ('center', 'centre'), ('edema', 'oedema'), ('hemorrhage', 'haemorrhage'), ('sulphate', 'sulfate')]
    """
    vocabulary = {w for w in words if re.fullmatch(r"[a-z]{4,}", w)}
    pairs: set[tuple[str, str]] = set()
    for word in vocabulary:
        for rules in (_US, _UK):
            variant = word
            for pattern, replacement in rules:
                variant = pattern.sub(replacement, variant)
            if variant != word and variant not in vocabulary:
                pairs.add((variant, word))
    return sorted(pairs)
