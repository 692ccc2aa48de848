"""store.py: the one catalog writer refuses a file that does not read back, that says something
else than meant, or that msgfmt rejects, and then writes nothing at all."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from carebridge.i18n import msgfmt, store
from carebridge.i18n.catalog import parse_catalog, render_catalog
from carebridge.i18n.pofile import set_previous_context
from carebridge.i18n.pogrammar import scan_po
from carebridge.problems import ProblemsFound

LONG = ("Measure the temperature correctly, look for life-threatening features and danger signs, sort the child "
        "with the traffic-light system, and escalate red features at once.")


# Fixed dates: Babel stamps "now" to the minute, so two catalogs built a moment apart could differ.
WHEN = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


def zh_catalog() -> Catalog:
    catalog = Catalog(locale="zh_CN", domain="fever", fuzzy=False, charset="utf-8", creation_date=WHEN,
                      revision_date=WHEN)
    catalog.add("Measure the body temperature", "测量体温", context="fever:summary", flags=["fuzzy"],
                previous_id=[LONG], user_comments=["审校：李护士"])
    catalog.add("Give 1 g", "给予1 g", context="fever:dose")
    set_previous_context(catalog.get("Measure the body temperature", "fever:summary"), "fever:old")
    return catalog


def babel_style_previous(text: str) -> str:
    """The broken #| lines Babel's writer produced (issue #10)."""
    return text.replace('#| msgctxt "fever:old"\n#| msgid ""\n#| "Measure the temperature correctly, look for '
                        'life-threatening features "\n',
                        '#| msgctxt "fever:old"\n#| msgid "" "Measure the temperature correctly, look for\n'
                        '#| life-threatening features" "\n', 1)


def needs_msgfmt() -> None:
    if msgfmt.msgfmt_path() is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")


def test_writes_a_catalog_that_reads_back_the_same(tmp_path: Path) -> None:
    path = tmp_path / "fever.po"
    assert store.write_files({path: zh_catalog()}, str) == [path]
    assert path.read_text(encoding="utf-8") == render_catalog(zh_catalog())
    assert store.write_files({path: zh_catalog()}, str) == []  # unchanged: not rewritten
    assert [p.name for p in tmp_path.iterdir()] == ["fever.po"]


def test_catalog_given_as_text_is_refused(tmp_path: Path) -> None:
    # The checks cannot be bypassed by rendering elsewhere and writing text.
    with pytest.raises(TypeError, match="never from text"):
        store.write_files({tmp_path / "fever.po": render_catalog(zh_catalog())}, str)
    assert list(tmp_path.iterdir()) == []


def test_a_rendering_that_does_not_read_back_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = babel_style_previous(render_catalog(zh_catalog()))
    assert broken != render_catalog(zh_catalog())
    monkeypatch.setattr(store, "render_catalog", lambda catalog: broken)
    other = tmp_path / "other.txt"
    with pytest.raises(ProblemsFound) as raised:
        store.write_files({other: "written with it or not at all\n", tmp_path / "fever.po": zh_catalog()}, str)
    (problem,) = raised.value.problems
    assert (problem.file, problem.code) == (str(tmp_path / "fever.po"), "po-write")
    assert "does not read back" in problem.message and "previous text (#|)" in problem.message
    assert list(tmp_path.iterdir()) == []  # neither file, no temporary file


def test_a_rendering_that_loses_a_translation_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lossy = render_catalog(zh_catalog()).replace('msgstr "给予1 g"', 'msgstr ""')
    monkeypatch.setattr(store, "render_catalog", lambda catalog: lossy)
    with pytest.raises(ProblemsFound) as raised:
        store.write_files({tmp_path / "fever.po": zh_catalog()}, str)
    assert "would not say what was meant" in raised.value.problems[0].message
    assert "Give 1 g" in raised.value.problems[0].message
    assert list(tmp_path.iterdir()) == []


def varied_catalogs() -> list[Catalog]:
    """Catalogs holding every part a PO entry has, with text that is hard to write and read back."""
    hard = ['say "stop" \\ now', "tab\there", "line one\nline two\n", "第一行\u2028第二行", "90%的患者 {name} %s",
            LONG * 3, "  leading and trailing  ", "#. not a comment", 'msgid "not a keyword"']
    out = []
    for locale in ("zh_CN", "en", None, "ar"):
        catalog = Catalog(locale=locale, domain="site" if locale == "en" else "fever", fuzzy=False, charset="utf-8",
                          creation_date=WHEN, revision_date=WHEN, header_comment="# Header\n#\n# second line")
        for i, text in enumerate(hard):
            message = catalog.add(text, f"译 {text}" if i % 3 else "", context=f"fever:{i}" if i % 2 else None,
                                  flags=["fuzzy", "c-format"] if i % 4 == 1 else [],
                                  user_comments=["审校：李护士", " ", "checked; see #12"] if i % 3 == 0 else [],
                                  auto_comments=["hint: keep the dose", ""] if i % 2 == 0 else [],
                                  locations=[("protocols/a b.yaml", i + 1), ("x.yaml", None)],
                                  previous_id=[f"old {text}"] if i % 4 == 1 else [])
            if i % 8 == 1:
                set_previous_context(message, "fever:old")
        catalog.add(("one dose", "{n} doses"), tuple(f"{n}剂" for n in range(catalog.num_plurals)),
                    context="fever:plural", auto_comments=["plural"])
        catalog.obsolete["gone"] = Message("gone", "旧的", flags=["fuzzy"], user_comments=["keep me"],
                                           previous_id=["older"], context="fever:gone")
        catalog.obsolete["gone2"] = Message(("a gone dose", "gone doses"), ("多剂",) * catalog.num_plurals,
                                            context="fever:gone2")
        out.append(catalog)
    return out


def test_the_grammar_reads_every_rendering_as_babel_does() -> None:
    # verify reads a rendering back through PO's grammar only; a full read (grammar and Babel, as a
    # build does) must see exactly the same catalog, or the faster check would be checking something else
    for catalog in varied_catalogs():
        text = render_catalog(catalog)
        display = "fever.po" if catalog.locale_identifier else "fever.pot"
        back, problems = parse_catalog(text, display, str(catalog.locale_identifier or "") or None, catalog.domain)
        assert back is not None and not [p for p in problems if p.severity.name == "ERROR"], problems
        babel = store._meaning(back)
        grammar = store._written_meaning(scan_po(text, display), back.num_plurals)
        assert grammar == babel
        assert store.verify(text, catalog, display) == []
        assert len(babel) > 12  # the rows compared are really there


@pytest.mark.parametrize(("lost", "before", "after"), [
    ("a translator comment", "# 审校：李护士\n", ""),
    ("a fuzzy flag", "#, fuzzy\n", ""),
    ("an empty line parting a translator's comment", "#\n# checked; see #12\n", "# checked; see #12\n"),
    ("previous text", '#| msgid "', '#| msgid "x'),
    ("an extracted comment", "#. hint: keep the dose\n", ""),
    ("a plural form", 'msgstr[0] "0剂"', 'msgstr[0] ""'),
    ("an obsolete entry's translation", '#~ msgstr "旧的"', '#~ msgstr ""'),
    ("the language", "Language: zh_CN", "Language: zh_TW"),
    ("a context", 'msgctxt "fever:3"', 'msgctxt "fever:33"'),
])
def test_a_rendering_that_loses_any_part_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       lost: str, before: str, after: str) -> None:
    catalog = varied_catalogs()[0]
    good = render_catalog(catalog)
    assert before in good, lost
    monkeypatch.setattr(store, "render_catalog", lambda c: good.replace(before, after, 1))
    with pytest.raises(ProblemsFound) as raised:
        store.write_files({tmp_path / "fever.po": catalog}, str)
    assert raised.value.problems[0].code == "po-write", lost
    assert list(tmp_path.iterdir()) == []


def test_what_only_msgfmt_refuses_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_msgfmt()
    broken = babel_style_previous(render_catalog(zh_catalog()))
    monkeypatch.setattr(store, "render_catalog", lambda catalog: broken)
    monkeypatch.setattr(store, "verify", lambda text, catalog, display: [])  # as if our reader had missed it
    path = tmp_path / "fever.po"
    path.write_text("the translator's file\n", encoding="utf-8")
    with pytest.raises(ProblemsFound) as raised:
        store.write_files({path: zh_catalog()}, lambda p: "locales/zh_CN/LC_MESSAGES/fever.po")
    (problem,) = raised.value.problems
    assert problem.file == "locales/zh_CN/LC_MESSAGES/fever.po" and problem.line is not None
    assert problem.message.startswith("msgfmt refuses the catalog about to be written")
    assert ".tmp" not in problem.message
    assert path.read_text(encoding="utf-8") == "the translator's file\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fever.po"]


def test_without_msgfmt_the_other_checks_still_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(msgfmt, "msgfmt_path", lambda: None)
    assert msgfmt.msgfmt_problems(tmp_path / "missing.po", "x.po") == []
    monkeypatch.setattr(store, "render_catalog", lambda catalog: babel_style_previous(render_catalog(catalog)))
    with pytest.raises(ProblemsFound):
        store.write_files({tmp_path / "fever.po": zh_catalog()}, str)


def test_template_passes_msgfmt_check_too(tmp_path: Path) -> None:
    needs_msgfmt()
    template = Catalog(domain="fever", fuzzy=False, charset="utf-8")
    template.add(LONG + ' "quoted" \\ 90%', context="fever:summary")
    path = tmp_path / "fever.pot"
    assert store.write_files({path: template}, str) == [path]
