"""pogrammar.py: what msgfmt rejects, found with its line, and what Babel's reader loses."""

from __future__ import annotations

import pytest

from carebridge.i18n.pogrammar import entry_problems, header_fields, scan_po

HEADER = ('msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n')  # 5 lines

# What Babel's writer produced for a changed long string before this module existed (issue #10).
BROKEN_PREVIOUS = ('#, fuzzy\n'
                   '#| msgid "" "Measure the temperature correctly, look for life-threatening\n'
                   '#| features and" " danger signs, sort the child with the traffic-light system,\n'
                   '#| and escalate" " red features at once."\n'
                   'msgctxt "fever:summary"\nmsgid "Measure the body temperature"\nmsgstr "测量体温"\n')


def test_broken_previous_msgid_is_a_syntax_error_at_its_line() -> None:
    scan = scan_po(HEADER + BROKEN_PREVIOUS, "x.po")
    (problem,) = scan.syntax  # one report for the whole #| block
    assert (problem.line, problem.code) == (7, "po-syntax")
    assert problem.message.startswith("previous text (#|)")
    assert "#| msgid \"\"" in problem.hint


def test_previous_msgctxt_msgid_and_plural_are_read_across_lines() -> None:
    text = HEADER + ('#, fuzzy\n#| msgctxt "old:place"\n#| msgid ""\n#| "first line\\n"\n#| "second \\"quoted\\""\n'
                     '#| msgid_plural "many"\nmsgctxt "new:place"\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "一"\n')
    scan = scan_po(text, "x.po")
    assert scan.syntax == []
    entry = scan.entries[-1]
    assert entry.previous == {"msgctxt": "old:place", "msgid": 'first line\nsecond "quoted"', "msgid_plural": "many"}
    assert (entry.line, entry.context, entry.flags) == (13, "new:place", {"fuzzy"})


def test_previous_text_of_an_obsolete_entry_is_read() -> None:
    scan = scan_po(HEADER + '#, fuzzy\n#~| msgid "older"\n#~ msgctxt "c"\n#~ msgid "old"\n#~ msgstr "旧"\n', "x.po")
    entry = scan.entries[-1]
    assert (entry.obsolete, entry.previous, entry.flags, entry.strings) == (True, {"msgid": "older"}, {"fuzzy"},
                                                                            {0: "旧"})


@pytest.mark.parametrize(("line", "column", "fragment"), [
    ('msgstr "y\\q"', 10, "escape \\q"),
    ('msgstr "y', 8, "not closed"),
    ('msgstr "y" "z"', 8, "not closed"),
])
def test_string_faults_have_line_and_column(line: str, column: int, fragment: str) -> None:
    (problem,) = scan_po(HEADER + f'msgid "x"\n{line}\n', "x.po").syntax
    assert (problem.line, problem.col) == (7, column)
    assert fragment in problem.message


def test_same_msgctxt_and_msgid_twice_is_reported_at_the_second() -> None:
    text = HEADER + 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "b"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "z"\n'
    problems = entry_problems(scan_po(text, "x.po"), "x.po", 1)
    assert [(p.line, p.code, p.message) for p in problems] == [
        (15, "po-duplicate", "the same msgctxt and msgid as the entry at line 7")]


def test_an_obsolete_entry_twice_or_beside_its_live_copy_is_a_duplicate() -> None:
    # msgfmt refuses both
    twice = HEADER + '#~ msgid "x"\n#~ msgstr "y"\n\n#~ msgid "x"\n#~ msgstr "y"\n'
    assert [p.line for p in entry_problems(scan_po(twice, "x.po"), "x.po", 1)] == [9]
    beside = HEADER + 'msgid "x"\nmsgstr "y"\n\n#~ msgid "x"\n#~ msgstr "y"\n'
    assert [p.line for p in entry_problems(scan_po(beside, "x.po"), "x.po", 1)] == [9]


@pytest.mark.parametrize("header", [
    'msgid ""\nmsgstr "Language: zh_CN\\nPlural-Forms: nplurals=1; plural=0;\\nContent-Type: text/plain; charset=UTF-8\\n"\n',
    'msgid ""\nmsgstr ""\n"Language: zh_CN\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n',
    'msgid ""\nmsgstr ""\n"Language: zh_CN\\nPlural-"\n"Forms: nplurals=1; plural=0;\\nContent-Type: text/plain; "\n'
    '"charset=UTF-8\\n"\n',
], ids=["one-line", "one-field-a-line", "split-anywhere"])
def test_header_fields_are_parsed_however_lines_are_split(header: str) -> None:
    scan = scan_po(header + '\nmsgid "x"\nmsgstr "y"\n', "x.po")
    assert scan.header is not None
    assert header_fields(scan.header.strings[0]) == {"Language": "zh_CN", "Plural-Forms": "nplurals=1; plural=0;",
                                                     "Content-Type": "text/plain; charset=UTF-8"}


@pytest.mark.parametrize(("continuation", "text", "column"), [
    ('"plain"', "plain", None), ('""', "", None), ('  "indented"  ', "indented", None),
    ('"tab\\there"', "tab\there", None), ('"a \\"quote\\""', 'a "quote"', None),
    ('"', None, 1), ('"open', None, 1), ('"one"two"', None, 1), ('  "bad \\q"', None, 8),
])
def test_continuation_lines_read_as_every_other_string(continuation: str, text: str | None, column: int | None) -> None:
    # Plain continuation lines take a short way; escapes, quotes and faults must read exactly as elsewhere.
    scan = scan_po(HEADER + f'msgctxt "c"\nmsgid "Give "\n{continuation}\nmsgstr "x"\n', "x.po")
    if text is None:
        assert [(p.line, p.col) for p in scan.syntax] == [(8, column)]
    else:
        assert scan.syntax == [] and scan.entries[-1].msgid == "Give " + text
