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
