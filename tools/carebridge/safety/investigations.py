"""Investigations compared: the tests, scans and monitoring the source asks for, and no other.

"Record a 12-lead ECG" as 行心电图检查并抽血查肌钙蛋白 orders a blood test nobody asked for; "check
the INR and the full blood count" as 复查血常规 leaves the INR unchecked. Neither touches a number, a
medicine or an act (检查 and 查 are one "assess" whatever is checked), so the instruction check cannot
see it. A named test has the one name a Chinese protocol uses for it (``en-zh-tests.yaml``), so
unlike a condition or an act, a test named on one side only is reported: a test the source names
must be named in the translation, and the translation may name none the source does not.

A soft word (glucose, scan, culture, 超声, 肾) never counts as a test missing; it stands for any test
of its family on the other side, or of a family under it ("imaging" over "imaging:ct"), so "scan the
bladder" may be 超声测残余尿, "monitor the fetal heart" 胎心监护 and "a head scan" 头颅CT, while an
ultrasound (超声) is still no CT.
"""

from __future__ import annotations

from .concepts import Mention
from .findings import Finding
from .pair import Pair, register, said

_HINT = ("name the same tests as the source (ECG 心电图, troponin 肌钙蛋白, full blood count 血常规, blood culture "
         "血培养, INR, CT, ultrasound 超声检查 …) and add none it does not ask for")


def _covers(soft: str, family: str) -> bool:
    """Whether a soft word of family ``soft`` stands for a test of ``family``: its own family or one
    under it (a scan, "imaging", for a CT, "imaging:ct"; never 超声 for a CT).

    >>> _covers("imaging", "imaging:ct"), _covers("imaging:ultrasound", "imaging:ct"), _covers("trace", "trace")
    (True, False, True)
    """
    return family == soft or family.startswith(soft + ":")


def _unmet(named: list[Mention], other: list[Mention]) -> set[str]:
    """The hard tests of ``named`` that ``other`` names neither as such nor by a soft word over their
    family. A soft word beside a test of its own family is about that test ("a urine sample for
    culture" is a urine culture), and stands for no other (血培养 added to it is a test more)."""
    firm = [m for m in other if not m.concept.soft]
    ids, hard = {m.id for m in firm}, {m.concept.family for m in firm}
    soft = {m.concept.family for m in other
            if m.concept.soft and not any(_covers(m.concept.family, family) for family in hard)}
    return {m.id for m in named if not m.concept.soft and m.id not in ids
            and not any(_covers(family, m.concept.family) for family in soft)}


@register("investigation")
def _investigation(pair: Pair) -> list[Finding]:
    src, tr = pair.found("test", "en"), pair.found("test", pair.language)
    lost, gained = _unmet(src, tr), _unmet(tr, src)
    if not lost and not gained:
        return []
    parts = [f"source asks for {said(src, lost)}, which the translation does not" if lost else "",
             f"translation asks for {said(tr, gained)}, which the source does not" if gained else ""]
    return [Finding("investigation", "error", "investigation mismatch: " + "; ".join(p for p in parts if p), _HINT)]
