"""Routes compared: the ones the source names must be in the translation, and no other.

Split from ``equivalence`` (which runs it). The whole texts are compared first; when they name
the same routes but their lines correspond one to one (a list of medicines), line by line, so a
route moved to another item is caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .clinical_terms import ROUTES, Tag
from .findings import Finding
from .quantities import Reading, read

_ROUTE_NAMES = {code: name for code, name, *_ in ROUTES}
ROUTE_KIN = (frozenset({"inhaled", "nebulised"}),)  # 雾化吸入 is both


def _route_list(tags: Iterable[Tag]) -> str:
    return ", ".join(dict.fromkeys(f"{t.code} ({t.text})" if t.text != t.code else t.code for t in tags))


# Words that give a medicine into a vein without naming the route: 静脉推注 for "as a bolus" adds nothing.
_IMPLIES_IV = re.compile(r"(?i)(?<![A-Za-z])(?:bolus(?:es)?|infus(?:e|ed|ion|ions|ing)|drip|push)(?![A-Za-z])")
# ... nor 口服 for "take one tablet": a tablet, capsule or syrup is swallowed
_IMPLIES_PO = re.compile(r"(?i)(?<![A-Za-z])(?:tablets?|capsules?|caplets?|syrups?|swallow(?:s|ed|ing)?|chew(?:s|ed|ing)?)(?![A-Za-z])")


def _compare(src: Reading, tr: Reading, implied: frozenset[str] = frozenset()) -> list[Finding]:
    src_codes, tr_codes = {t.code for t in src.routes}, {t.code for t in tr.routes}
    missing = sorted(src_codes - tr_codes)
    if missing:
        names = ", ".join(f"{code} ({_ROUTE_NAMES[code]})" for code in missing)
        found = _route_list(t for t in tr.routes if t.code not in src_codes) or "no route"
        return [Finding("route", "error", f"route mismatch: source has {names}; translation has {found}",
                        "IV 静脉, IM 肌内, PO 口服, SC 皮下, SL 舌下, PR 经直肠, IO 骨髓腔内")]
    # 静脉血栓 or 皮下出血 name a vein or the skin (weak tags, not counted); a route the source does
    # not name (口服亦可 added to an IV dose, 肌内注射 for "give") changes what the patient gets; one its
    # words imply does not (静脉滴注 for "an infusion running" beside an IM dose).
    extra = [t for t in tr.routes if t.strong and t.code not in src_codes | implied
             and not any(t.code in kin and src_codes & kin for kin in ROUTE_KIN)]
    if extra:
        return [Finding("route", "error", f"route not in source: translation has {_route_list(extra)}",
                        "name only the routes the source names (or allow it: # carebridge-allow: route — why)")]
    return []


def _check_routes_by_line(source: str, translation: str, markup: bool) -> list[Finding]:
    """Routes exchanged between the items of a list ("nifedipine, by mouth" as 静脉注射 while another
    item says 静脉) leave both sides naming the same routes: when the lines correspond one to one,
    compare them line by line."""
    src_lines = [line for line in source.splitlines() if line.strip()]
    tr_lines = [line for line in translation.splitlines() if line.strip()]
    if len(src_lines) < 2 or len(src_lines) != len(tr_lines):
        return []
    for n, (s, t) in enumerate(zip(src_lines, tr_lines, strict=True), 1):
        found = _compare(read(s, markup=markup), read(t, markup=markup))
        if found:
            return [replace(found[0], message=f"line {n} of {len(src_lines)}: {found[0].message}")]
    return []


# How a source says a dose goes into a vein at once: as a bolus, a push, an injection, slowly or over minutes.
_SAYS_BOLUS = re.compile(r"(?i)(?<![A-Za-z])(?:bolus(?:es)?|push(?:ed)?|inject(?:s|ed|ing|ion|ions)?|stat|slow(?:ly)?"
                         r"|over (?:at least )?[0-9]+(?:[–-][0-9]+| to [0-9]+)? ?(?:seconds?|minutes?|mins?))(?![A-Za-z])")
_ZH_BOLUS = re.compile(r"静脉(?:内)?注射|静脉推注|静注|静推")


def _bolus_read_in(source: str, translation: str, src: Reading) -> list[Finding]:
    """"IV" is how a drug goes in, not how fast: 静脉注射 (静注, 静推) is read on a Chinese ward as a
    push, so where the source says neither bolus nor injection nor over how long, it is a warning."""
    if not any(t.code == "IV" for t in src.routes) or _SAYS_BOLUS.search(source):
        return []
    found = _ZH_BOLUS.search(translation)
    if found is None:
        return []
    return [Finding("route", "warning", f"'{found.group()}' reads as an injection pushed at once; the source says "
                    "only that it is given IV", "write 静脉给药 for IV; 静脉滴注 where the source says an infusion, "
                    "静脉推注 only where it says a bolus or an injection")]


def check_routes(source: str, translation: str, readings: tuple[Reading, Reading], markup: bool) -> list[Finding]:
    """Route findings for a source and its translation, as ``read`` found them (``readings``)."""
    src, tr = readings
    implied = {code for code, words in (("IV", _IMPLIES_IV), ("PO", _IMPLIES_PO)) if words.search(source)}
    found = _compare(src, tr, frozenset(implied))
    if not found and src.routes:
        found = _check_routes_by_line(source, translation, markup)
    return found or _bolus_read_in(source, translation, src)
