"""Labels: a message that is only a unit ("g", "mL/kg", "units") or only a route ("IV (intravenous)").

The dose table prints these site words beside every dose, so "g" translated as "mg" changes every
tranexamic acid dose on the site, yet the numbers check never sees a number to compare. A label
is read as if it followed a number ("1 g") and its translation must read as the same unit; a
route label's translation must name its routes and no other, even one (静脉 in 静脉（PO）) that
would pass as a vein in running text.
"""

from __future__ import annotations

import re

from .findings import Finding
from .quantities import read
from .routes import ROUTE_KIN

# What a route label may hold besides its routes: 'IV infusion', 'PO (by mouth)', 'nebulised'.
_ROUTE_FILLER = re.compile(r"(?i)\b(?:infusions?|injections?|bolus|route|by|via|the)\b|[()（）/,，、\s]")
_NO_DIGIT = re.compile(r"^[^0-9０-９]*$")
_ASCII = re.compile(r"[A-Za-z]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
# What each counted unit of the dose table is called in Chinese: a tablet is not a capsule or a patch.
_COUNT_NOUNS = {"tablet": re.compile("片"), "tablets": re.compile("片"), "capsule": re.compile("粒|胶囊"),
                "puff": re.compile("揿|喷|吸"), "patch": re.compile("贴"), "ampoule": re.compile("支|安瓿"),
                "vial": re.compile("瓶|支"), "sachet": re.compile("袋"), "drop": re.compile("滴"),
                "suppository": re.compile("枚|粒|栓")}


def _unit(text: str) -> str | None:
    """The unit a label names, or None if it is not a unit label (more than a unit, or none)."""
    reading = read(f"1 {text.strip()}")
    if len(reading.quantities) != 1:
        return None
    quantity = reading.quantities[0]
    rest = text.strip()[len(quantity.unit_text):].strip() if quantity.unit_text else text
    return quantity.unit if quantity.unit and not rest else None


def check_labels(source: str, translation: str) -> list[Finding]:
    """Findings for a unit or route label; [] for any other text."""
    if not _NO_DIGIT.match(source) or len(source) > 40:
        return []
    unit = _unit(source)
    if unit is not None:
        reading = read(f"1 {translation.strip()}")
        said = reading.quantities[0].unit if len(reading.quantities) == 1 else None
        nouns = _COUNT_NOUNS.get(source.strip().lower())
        if nouns is not None and _CJK.search(translation) and not nouns.search(translation):
            return [Finding("units", "error", f"unit label changed: source counts {source.strip()}s, translation "
                            f"counts something else ({translation.strip()})", f"write {source.strip()} as "
                            f"{nouns.pattern.replace('|', ' or ')}; it is printed beside every dose")]
        if said != unit and not (unit == "#" and said is None):  # "Dose" (a count) as 剂量 names no unit
            return [Finding("units", "error", f"unit label changed: source is the unit {unit}, translation reads as "
                            f"{said or 'no unit'}", "translate the unit label as the same unit (g 克 or g, mL 毫升, "
                            "units 单位, mcg μg); it is printed beside every dose")]
        return []
    src_routes = read(source).routes
    if not src_routes:
        return []
    leftover = source
    for tag in src_routes:
        leftover = leftover.replace(tag.text, " ")
    if _ROUTE_FILLER.sub("", leftover):
        return []  # a sentence with a route in it, not a label: the route check compares it
    named = {t.code for t in src_routes}
    said_codes = {t.code for t in read(translation).routes} | {t.code for t in read(translation.upper()).routes}
    chinese = _ASCII.sub("", translation)  # 阴道给药（PR）: the code kept in brackets says nothing of the words
    if _CJK.search(chinese):
        said_codes = {t.code for t in read(chinese).routes} | (said_codes - named)
    for kin in ROUTE_KIN:  # 雾化吸入 (nebulised and inhaled) for "nebulised"
        if named & kin and said_codes & kin:
            said_codes = (said_codes - kin) | (named & kin)
    if said_codes != named:
        return [Finding("route", "error", f"route label changed: source names {', '.join(sorted(named))}, translation "
                        f"names {', '.join(sorted(said_codes)) or 'no route'}",
                        "name exactly the label's route (IV 静脉, IM 肌内, PO 口服, SC 皮下, IO 骨髓腔内); it is printed "
                        "beside every dose")]
    return []
