"""A step's jurisdiction variants (``steps[].variants``): a country's own threshold, time limit or
procedure with its own source. Validated with positions, extracted as their own messages, checked
against their own English, shown first on that jurisdiction's pages and beside the base elsewhere,
and searchable."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from carebridge.i18n.checks import safety_check
from carebridge.i18n.extract import protocol_messages
from carebridge.site.localize import State, localize
from carebridge.site.render import PageContext, render_protocol
from carebridge.site.search import protocol_documents
from carebridge.site.words import Words
from carebridge.source.library import Loaded, Project
from carebridge.source.loader import load_text
from carebridge.source.model import build_protocol
from carebridge.source.validate import validate_document

REPO = Path(__file__).resolve().parents[1]
GOOD = (REPO / "tests/examples/good/protocols/nursing/example-escalation.yaml").read_text(encoding="utf-8")
CN = ("    variants:\n      CN:\n        label: China rule\n"
      "        instructions: Measure **all** observations within 10 minutes.\n"
      "        source: {ref: %s, section: \"2.1\"}\n")
BASE = "Measure **all** observations within 15 minutes."
VARIANT = "Measure **all** observations within 10 minutes."


def with_step_variant(variant: str) -> str:
    at = GOOD.index("    decision:\n")  # the first step's decision: the variant goes just before it
    return GOOD[:at] + variant + GOOD[at:]


def source_id() -> str:
    return GOOD.split("sources:\n", 1)[1].split("id: ", 1)[1].split("\n", 1)[0].strip()


def loaded(text: str) -> Loaded:
    doc, problems = load_text(text, "protocols/nursing/example-escalation.yaml")
    assert doc is not None and problems == []
    assert validate_document(doc) == []
    return Loaded(build_protocol(doc.data, "protocols/nursing/example-escalation.yaml"), doc)


def test_the_fixture_still_says_what_this_test_assumes() -> None:
    assert BASE in GOOD


def test_a_step_variant_is_data_with_its_own_source() -> None:
    item = loaded(with_step_variant(CN % source_id()))
    step = item.protocol.steps[0]
    variant = step.variant("CN")
    assert variant is not None and variant.instructions == VARIANT and variant.source.section == "2.1"
    assert step.variant("US") is None


def test_its_label_and_instructions_are_their_own_messages() -> None:
    item = loaded(with_step_variant(CN % source_id()))
    messages = {m.context.split(":", 1)[1]: m.msgid for m in protocol_messages(item.document)}
    assert messages["steps.assess.variants.CN.instructions"] == VARIANT
    assert messages["steps.assess.variants.CN.label"] == "China rule"
    assert messages["steps.assess.instructions"].startswith(BASE)


@pytest.mark.parametrize(("variant", "where", "message"), [
    (CN.replace("        source: {ref: %s, section: \"2.1\"}\n", ""), "steps[0].variants.CN", "source"),
    (CN.replace("%s", "no-such-source"), "steps[0].variants.CN.source.ref", "no-such-source"),
    (CN.replace("      CN:", "      China:") % "x", "steps[0].variants", "China"),
    (CN.replace("label: China rule", "label: C") % "x", "steps[0].variants.CN.label", ""),
])
def test_a_bad_step_variant_is_an_error_at_its_line(variant: str, where: str, message: str) -> None:
    text = with_step_variant(variant if "%s" not in variant else variant % source_id())
    doc, _ = load_text(text, "p.yaml")
    assert doc is not None
    problems = validate_document(doc)
    assert problems, "accepted a bad variant"
    first = problems[0]
    assert first.path.startswith(where) and message in first.message + first.hint
    assert first.line is not None and first.line > GOOD[:GOOD.index("    decision:\n")].count("\n")


def _zh(translations: dict[str, str]) -> Catalog:
    catalog = Catalog(locale="zh_CN", domain="example-escalation")
    for context, string in translations.items():
        source = {"steps.assess.variants.CN.instructions": VARIANT, "steps.assess.variants.CN.label": "China rule"}[context]
        catalog.add(source, string, context="example-escalation:" + context)
    return catalog


def test_the_check_compares_the_variant_with_its_own_english_not_the_base() -> None:
    item = loaded(with_step_variant(CN % source_id()))
    check = safety_check(Project.at(REPO / "tests/examples/good"), "zh_CN")
    path = ("steps", 0, "variants", "CN", "instructions")
    faithful = localize(item, _zh({"steps.assess.variants.CN.instructions": "在10分钟内测量**所有**观察指标。"}),
                        "zh-Hans", check)
    assert faithful.get(path, VARIANT).state is State.TRANSLATED
    # 15 minutes is the base protocol's number: in the China variant it is a wrong number.
    wrong = localize(item, _zh({"steps.assess.variants.CN.instructions": "在15分钟内测量**所有**观察指标。"}),
                     "zh-Hans", check)
    assert wrong.get(path, VARIANT).state is State.BLOCKED


def _page(jurisdiction: str, locale: str | None) -> str:
    item = loaded(with_step_variant(CN % source_id()))
    lang = "zh-Hans" if locale else "en"
    loc = localize(item, Catalog(locale=locale) if locale else None, lang)
    return render_protocol(item, loc, Words(None, lang), PageContext(lang, locale, jurisdiction=jurisdiction))


def test_the_page_of_that_jurisdiction_shows_the_variant_first_and_the_base_beside_it() -> None:
    page = _page("CN", "zh_CN")
    step = page[page.index('id="step-assess-body"'):]
    assert step.index("within 10 minutes") < step.index("within 15 minutes")
    assert "Protocol instructions" in step[step.index("within 10 minutes"):step.index("within 15 minutes")]
    assert "admonition info cb-step-variant" in step


def test_other_pages_show_the_base_first_and_the_variant_labelled_and_cited_beside_it() -> None:
    page = _page("", None)
    step = page[page.index('id="step-assess-body"'):]
    assert step.index("within 15 minutes") < step.index("within 10 minutes")
    variant = step[step.index("cb-step-variant"):]
    variant = variant[:variant.index("</p></div>", variant.index("cb-cite"))]  # to the end of its citation
    assert "China rule" in variant and "2.1" in variant
    assert "Protocol instructions" not in step.split("</section>")[0]


def test_search_finds_the_variant_text() -> None:
    item = loaded(with_step_variant(CN % source_id()))
    doc = protocol_documents(item, localize(item, None, "en"), "x/", {}, {})
    texts = [text for section in doc.sections for _, text in section.fields]
    assert any("within 10 minutes" in text for text in texts)
