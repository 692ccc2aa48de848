"""Which link goes where: "read the [adult guide](…/adult-fever) or the [child guide](…/child-fever)"
as 请阅读[成人指南](…/child-fever)或[儿童指南](…/adult-fever).

The same URLs are there, so the links check (``carryover``) passes. Here each link's own words are
read for what they name (adults, children, a medicine, a test, a site): a translated link whose
words name what exactly one source link names must go where that link goes. Links whose words
name nothing the vocabulary knows ("here", "this page") are left alone.
"""

from __future__ import annotations

from .. import markup
from .concepts import mentions, prepare
from .findings import Finding
from .pair import Pair, register

_CATEGORIES = ("contrast", "kind", "drug", "test", "site", "laterality", "term", "anchor", "role")


def _links(pair: Pair, raw: str, language: str) -> list[tuple[str, frozenset[str], str]]:
    """(link text, what it names, target) of each inline link, in order."""
    out = []
    for start, end, target in markup.inline_links(raw):
        text = raw[start + 1:raw.rfind("](", start, end)]
        prepared = prepare(text, language)
        named = frozenset(m.id for c in _CATEGORIES for m in mentions(pair.vocabulary[c], prepared, language)
                          if not m.concept.soft)
        out.append((text, named, target.strip().strip("<>").split(" ")[0]))
    return out


@register("links")
def _link_targets(pair: Pair) -> list[Finding]:
    if pair.source.count("](") < 2:
        return []
    source = _links(pair, pair.source, "en")
    translation = _links(pair, pair.translation, pair.language)
    if len({target for *_, target in source}) < 2 or sorted(t for *_, t in source) != sorted(t for *_, t in translation):
        return []  # fewer than two targets, or other targets: the links check says which
    for text, named, target in translation:
        owners = {(s_text, s_target) for s_text, s_named, s_target in source if named & s_named}
        if len({t for _, t in owners}) == 1:
            (s_text, s_target), = sorted(owners)[:1]
            if s_target != target:
                return [Finding("links", "error", f"link target swapped: the source's [{s_text}] goes to {s_target}, "
                                f"the translation's [{text}] to {target}",
                                "keep each link's text with its own URL, as in the source")]
    return []
