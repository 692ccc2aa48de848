"""A catalog's header as gettext reads it: Language, charset and Plural-Forms, checked by line.

Babel forgives a header msgfmt refuses (a plural expression that picks no form, nplurals that is no
number) and allocates nplurals texts for every plural entry before anything could check it; these
checks run on the header as written (``pogrammar``), before and after Babel reads the catalog.
"""

from __future__ import annotations

import functools
import gettext
import re
from email import message_from_string

from babel.messages.catalog import Catalog, parse_separated_header
from babel.messages.plurals import get_plural

from ..problems import Problem, error
from .pogrammar import Scan, header_fields

_PLURAL_EXPRESSION = re.compile(r"plural\s*=\s*([^;]*)")
_C_EXPRESSION = re.compile(r"[\sn0-9()?:|&!=<>%+*/-]+")  # what msgfmt reads: no names but n
_NPLURALS = re.compile(r"(?:^|;)\s*nplurals\s*=\s*(\d+)\s*(?:;|$)")
# No language has more plural forms (Arabic has 6); Babel makes a list of nplurals texts for every
# plural entry, so "nplurals=999999999" would fill memory before any check could run.
MAX_PLURALS = 6


def plural_count_problems(scan: Scan, display: str, locale: str | None) -> list[Problem]:
    """A Plural-Forms nplurals Babel cannot read (not a number) or should not (more forms than any
    language has), read as Babel reads it: every header entry's fields, the last one winning."""
    problems = []
    for entry in scan.entries:
        if entry.obsolete or entry.msgid != "" or entry.context is not None:
            continue
        forms = message_from_string(entry.strings.get(0, "")).get_all("Plural-Forms") or []
        written = parse_separated_header(f" ;{forms[-1]}").get("nplurals", "2") if forms else "2"
        try:
            count: int | None = int(written)
        except ValueError:
            count = None
        if count is None or count > MAX_PLURALS:
            what = (f"nplurals '{written}' is not a whole number" if count is None
                    else f"nplurals={count}, but no language has more than {MAX_PLURALS} plural forms")
            problems.append(error(display, entry.line, 1, f"header Plural-Forms {what}", code="po-header",
                                  hint=f'set "Plural-Forms: {plural_forms(locale or "en")}\\n"'))
    return problems


def header_problems(catalog: Catalog, scan: Scan, display: str, locale: str | None) -> tuple[list[Problem], int | None]:
    """Header fields as parsed from the header entry's msgstr (a one-line header is as good as any)."""
    problems: list[Problem] = []
    if locale is None:
        return problems, None
    header = scan.header
    fields = header_fields(header.strings.get(0, "")) if header else {}
    line = header.line if header else 1
    if catalog.charset.lower() not in ("utf-8", "utf8"):
        problems.append(error(display, line, 1, f"catalog charset is {catalog.charset}, expected UTF-8", code="po-header",
                              hint='set "Content-Type: text/plain; charset=UTF-8\\n" and save the file as UTF-8'))
    if "Language" not in fields:
        problems.append(error(display, line, 1, "header has no Language field", code="po-header",
                              hint=f'add "Language: {locale}\\n" to the header'))
    elif str(catalog.locale_identifier) != locale:
        written = catalog.locale_identifier or "empty"
        problems.append(error(display, line, 1, f"header Language is {written}, folder says {locale}",
                              code="po-header", hint=f'set "Language: {locale}\\n"'))
    expected = plural_forms(locale)
    if "Plural-Forms" not in fields:
        problems.append(error(display, line, 1, "header has no Plural-Forms field", code="po-header",
                              hint=f'add "Plural-Forms: {expected}\\n"'))
        return problems, None
    found = _NPLURALS.search(fields["Plural-Forms"])
    nplurals = int(found.group(1)) if found else 0
    expression = _PLURAL_EXPRESSION.search(fields["Plural-Forms"])
    if expression is not None and not _C_EXPRESSION.fullmatch(expression.group(1)):
        problems.append(error(display, line, 1, f"header Plural-Forms plural expression '{expression.group(1).strip()}' "
                              "is not a gettext expression (n, numbers, ( ) ? : and C operators)", code="po-header",
                              hint=f'set "Plural-Forms: {expected}\\n"'))
        return problems, None
    if nplurals < 1 or "plural=" not in fields["Plural-Forms"].replace(" ", ""):
        problems.append(error(display, line, 1, f"header Plural-Forms '{fields['Plural-Forms']}' needs nplurals of 1 or "
                              "more and a plural expression", code="po-header", hint=f'set "Plural-Forms: {expected}\\n"'))
        return problems, None
    wrong = _plural_expression_problem(expression.group(1).strip() if expression else "", nplurals)
    if wrong:
        problems.append(error(display, line, 1, f"header Plural-Forms plural expression {wrong}", code="po-header",
                              hint=f'set "Plural-Forms: {expected}\\n"'))
        return problems, None
    return problems, nplurals


@functools.lru_cache(maxsize=64)
def _plural_expression_problem(expression: str, nplurals: int) -> str | None:
    """Why gettext cannot use ``expression`` to pick one of ``nplurals`` forms, tried for n = 0..1000
    as msgfmt tries it (a form outside 0..nplurals-1, a division by zero), or None.

    >>> _plural_expression_problem("n", 2)
    "'n' gives form 2 for n=2, but nplurals=2 has forms 0 to 1"
    >>> _plural_expression_problem("(n != 1)", 2) is None
    True
    """
    n = 0
    try:
        choose = gettext.c2py(expression)
        for n in range(1001):
            form = choose(n)
            if not 0 <= form < nplurals:
                return f"'{expression}' gives form {form} for n={n}, but nplurals={nplurals} has forms 0 to {nplurals - 1}"
    except ZeroDivisionError:
        return f"'{expression}' divides by zero for n={n}"
    except (ValueError, SyntaxError, RecursionError, MemoryError) as exc:
        return f"'{expression[:60]}' cannot be read ({exc})"
    return None


@functools.lru_cache(maxsize=64)  # Babel's locale lookup costs a millisecond; every catalog read asks
def plural_forms(locale: str) -> str:
    try:
        return str(get_plural(locale).plural_forms)
    except (ValueError, LookupError):
        return "nplurals=2; plural=(n != 1);"
