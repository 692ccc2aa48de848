"""Words beside a number that make it a limit without a comparison of its own: "within 1 hour",
"after 24 hours", "for 4 weeks"; 120分钟以内, 满4小时, 24小时以后.

``amounts`` compares a number's comparison (<, ≥) with its translation's; these are the limits the
reader does not attach to the number, read to judge a translation that turns one around: "within 24
hours" as 24小时后, or "do not drive for 4 weeks" as 四周后请不要开车 (after four weeks, do not drive).
"""

from __future__ import annotations

import re

from .quantities import Quantity

# 120分钟以内 for "120 minutes or less", 满4小时 for "at least 4 hours", 24小时以后 for "more than 24 hours after"
_LIMIT_BEFORE = re.compile(r"(?:(?P<up>不超过|最多|不到|未满|不足)|(?P<down>满|超过|至少))\s*$")
_LIMIT_AFTER = re.compile(r"^[^，。；,;：:、\n]{0,14}?(?:(?P<up>以内|之内|内|或更短|或更少|或更低|或以下|及以下|以下)"
                          r"|(?P<down>以上|或以上|或更多|或更长|及以上|(?P<after>以后|之后|后)))")


def limit_nearby(q: Quantity, text: str) -> str:
    """"<", ">" or "?" for the limit the words beside a number carry (up to it, or from it on); ""
    for none. "?" when the number's place is unknown."""
    if q.start < 0 or not text:
        return "?"
    m = _nearby(q, text)
    return "" if not m else "<" if m.group("up") else ">"


def _nearby(q: Quantity, text: str) -> re.Match[str] | None:
    end = q.start + len(q.text)
    return _LIMIT_BEFORE.search(text[max(0, q.start - 4):q.start]) or _LIMIT_AFTER.search(text[end:end + 22])


# English words before a number that make it a limit the reader leaves unattached ("within 1 hour"
# is up to an hour; "after 24 hours" from then on), read only to judge a comparison the translation adds.
_EN_LIMIT_BEFORE = re.compile(r"(?i)\b(?:(?P<up>within|inside|in under|in less than|no later than)"
                              r"|(?P<down>after|later than|beyond))\s*$")


def source_limit(q: Quantity, source: str) -> str:
    """"<" or ">" for the limit the source's words before a number carry, "" for none."""
    if q.start < 0 or not source:
        return ""
    m = _EN_LIMIT_BEFORE.search(source[max(0, q.start - 24):q.start])
    return "" if not m else "<" if m.group("up") else ">"


# "for 4 weeks", "during the first 6 hours": a span from now; "wait for 6 weeks", "for 6 weeks before
# driving" and "for 2 days until" name the wait before an act, which Chinese says with 后 (6周后再开车),
# and "once she has been afebrile for 24 hours" a state that has lasted (退热24小时后).
_EN_SPAN = re.compile(r"(?i)\b(?:for|for the (?:first|next)|during(?: the)?(?: first| next)?|over the (?:first|next))\s*$")
_EN_WAIT = re.compile(r"(?i)\b(?:wait|once|after|when|whenever|until|since|been)\b")
_EN_BEFORE_ACT = re.compile(r"(?i)[^.;:!?]*?\b(?:before|until|till|then)\b")
_EN_NOT = re.compile(r"(?i)(?<![A-Za-z])(?:not|n[’']t|never|no|avoid\w*|without)(?![A-Za-z])")
_ZH_NOT = re.compile(r"不|勿|禁|避免|别|未|无|停")
_CLAUSE_END = re.compile(r"[。；;！!？?\n]")
_SENTENCE = re.compile(r"[.;!?\n]")


def span_turned(s: Quantity, t: Quantity, source: str, translation: str) -> bool:
    """A span of the source ("for 4 weeks") said in the translation as the moment it ends (四周后),
    with the rule still pointing the same way: "do not drive for 4 weeks" as 四周后请不要开车 forbids
    driving after the four weeks instead of during them. 四周后方可开车 ("you may drive after four
    weeks") says the same as the source the other way round, and is not reported."""
    if s.start < 0 or t.start < 0 or not _EN_SPAN.search(source[max(0, s.start - 24):s.start]):
        return False
    end_s = s.start + len(s.text)
    start = max((found.end() for found in _SENTENCE.finditer(source, 0, s.start)), default=0)
    if _EN_WAIT.search(source, start, s.start) or _EN_BEFORE_ACT.match(source, end_s):
        return False
    m = _nearby(t, translation)
    if not m or not m.groupdict().get("after"):
        return False
    stop = _SENTENCE.search(source, end_s)
    forbids = bool(_EN_NOT.search(source, start, stop.start() if stop else len(source)))
    rest = translation[t.start + len(t.text) + m.end():]
    clause = rest[:m_.start()] if (m_ := _CLAUSE_END.search(rest)) else rest
    return forbids == bool(_ZH_NOT.search(clause))
