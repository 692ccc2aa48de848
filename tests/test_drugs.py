"""The drugs page's dose links (site/drugs.py)."""

from __future__ import annotations

from carebridge.site.drugs import dose_links
from carebridge.site.localize import localize
from carebridge.site.words import Labels
from carebridge.source.library import Project, load_library
from carebridge.source.schema import enum_labels, load_schema

from .conftest import REPO


def test_dose_links_name_routes_and_units_with_the_builds_labels() -> None:
    project = Project.at(REPO)
    loaded, _ = load_library(project, [REPO / "protocols" / "obstetrics" / "postpartum-haemorrhage.yaml"])
    item = loaded[0]
    enums = enum_labels(load_schema(project.schema_path))
    links = dose_links(item, localize(item, None, "en"), "../p/", Labels(lambda s: s, enums))
    med = next(m for s in item.protocol.steps for m in s.medications)
    assert links and links[0].drug == med.drug and links[0].href.startswith("../p/#")
    assert enums["unit"][med.unit] in links[0].dose
    # A project's own schema labels (mkdocs.yml `schema:`) are the ones shown, not the package's.
    own = {**enums, "unit": {**enums["unit"], med.unit: "UNIT-LABEL"}, "route": {**enums["route"], med.route: "ROUTE"}}
    dose = dose_links(item, localize(item, None, "en"), "../p/", Labels(lambda s: s, own))[0].dose
    assert "UNIT-LABEL" in dose and "ROUTE" in dose
