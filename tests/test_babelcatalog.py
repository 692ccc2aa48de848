"""babelcatalog.py: Babel's Catalog and read_po with the locale looked up once; nothing else differs."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po as babel_read_po

from carebridge.i18n.babelcatalog import LocaleCatalog, read_po

PO = '''msgid ""
msgstr ""
"Language: {language}\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"Content-Type: text/plain; charset=utf-8\\n"

#. a hint
#: protocols/fever.yaml:3
#, fuzzy
msgctxt "fever:dose"
msgid "Give 1 g"
msgstr "给予1 g"
'''


@pytest.mark.parametrize("locale", ["zh_CN", "en", "xx_YY", None])
def test_a_catalog_is_babels_with_the_locale_looked_up_once(locale: str | None) -> None:
    ours, babels = LocaleCatalog(locale=locale), Catalog(locale=locale)
    assert (ours.locale_identifier, ours.locale, ours.num_plurals, ours.plural_forms) == (
        babels.locale_identifier, babels.locale, babels.num_plurals, babels.plural_forms)
    if ours.locale is not None:
        assert LocaleCatalog(locale=locale).locale is ours.locale  # the cached object, not parsed again


@pytest.mark.parametrize("language", ["zh_CN", "zh-TW", "xx_YY", ""])
def test_read_po_reads_as_babel_does(language: str) -> None:
    text = PO.format(language=language)
    ours, babels = read_po(text, "zh_CN", "fever"), babel_read_po(io.StringIO(text), locale="zh_CN", domain="fever",
                                                                  abort_invalid=True)
    assert (ours.locale_identifier, ours.locale, ours.num_plurals) == (babels.locale_identifier, babels.locale,
                                                                        babels.num_plurals)
    assert [(m.id, m.string, m.context, m.flags, m.locations, m.auto_comments, m.lineno) for m in ours] == [
        (m.id, m.string, m.context, m.flags, m.locations, m.auto_comments, m.lineno) for m in babels]


def _header(catalog: Catalog) -> str:
    return str(next(iter(catalog)).string)


def test_the_header_is_made_once_and_anew_after_any_field_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    ours, babels = read_po(PO.format(language="zh_CN"), "zh_CN", "fever"), babel_read_po(
        io.StringIO(PO.format(language="zh_CN")), locale="zh_CN", domain="fever")
    made: list[int] = []
    real = Catalog._get_mime_headers

    def counting(self: Catalog) -> list[tuple[str, str]]:
        made.append(1)
        return real(self)  # type: ignore[no-any-return]

    monkeypatch.setattr(Catalog, "_get_mime_headers", counting)
    assert _header(ours) == _header(babels)
    made.clear()
    for _ in range(5):
        list(ours)
    assert len(made) <= 1  # made once (or already made), not once a pass
    edits: list[tuple[str, object]] = [("version", "9.9"), ("revision_date", dt.datetime(2030, 1, 2, tzinfo=dt.UTC)),
                                       ("last_translator", "A <a@b.c>"), ("locale", "zh_TW"), ("charset", "utf-8"),
                                       ("language_team", "zh_TW <x>")]
    for name, value in edits:
        setattr(ours, name, value)
        setattr(babels, name, value)
        assert _header(ours) == _header(babels), name
    ours.mime_headers = [("Project-Id-Version", "Other 2.0")]
    babels.mime_headers = [("Project-Id-Version", "Other 2.0")]
    assert _header(ours) == _header(babels) and "Other 2.0" in _header(ours)
