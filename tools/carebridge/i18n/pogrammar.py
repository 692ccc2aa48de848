"""The PO grammar msgfmt enforces, read line by line with positions.

Babel's reader forgives what ``msgfmt -c`` rejects (an unclosed string, a broken ``#|`` line, the
same msgctxt and msgid twice) and reads ``#|`` previous text as a translator comment. This reader
does not build a catalog (Babel does); it finds those faults with their line, and it returns what
Babel loses: the previous msgctxt/msgid of each entry and the header's fields as written. It also
keeps each entry's comments, so that the writer can check what it wrote without Babel's slower read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..markup import MAX_TEXT
from ..problems import Problem, error

# A quoted string whose escapes every tool reads alike (Babel reads only these five).
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"[ \t]*')
_ESCAPE = re.compile(r"\\(.)")
_KNOWN_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[ \t\"]|$)[ \t]*")
_LINE = re.compile(r'(?:(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)[ \t]*)?"((?:[^"\\]|\\.)*)"[ \t]*')
_PREVIOUS_KEYWORDS = ("msgctxt", "msgid", "msgid_plural")
_SYNTAX_HINT = 'end the line with " and write a quote inside text as \\"'
_ORDER_HINT = ('an entry is msgctxt "…" (if any), msgid "…", then msgstr "…": add the missing msgid line, or '
               "delete the stray line")
_PREVIOUS_HINT = ('write it as #| msgid "" followed by one #| "text" line per piece, or delete the #| lines '
                  "(they only show the earlier English); then run `carebridge i18n update`")


@dataclass
class Entry:
    """One PO entry as written: where its msgid is, its texts, and the text it was translated from."""

    line: int
    obsolete: bool
    context: str | None = None
    msgid: str = ""
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    previous: dict[str, str] = field(default_factory=dict)
    indexed: bool = False  # msgstr[N] (a plural entry's form) rather than msgstr
    comments: list[str] = field(default_factory=list)  # translator comments (``# …``), as Babel reads them
    raw_comments: list[str] = field(default_factory=list)  # and as written, after the "#" (``pofile.Verbatim``)
    notes: list[str] = field(default_factory=list)  # extracted comments (``#. …``), empty ones left out

    @property
    def key(self) -> tuple[bool, str | None, str]:
        return self.obsolete, self.context, self.msgid


@dataclass
class Scan:
    entries: list[Entry]
    syntax: list[Problem]  # faults in single lines: the file cannot be read safely

    @property
    def header(self) -> Entry | None:
        first = next((e for e in self.entries if not e.obsolete), None)
        return first if first is not None and first.msgid == "" and first.context is None else None


def header_fields(text: str) -> dict[str, str]:
    r"""The header's ``Name: value`` fields, however its lines are split.

    >>> header_fields("Language: zh_CN\nPlural-Forms: nplurals=1; plural=0;\n")
    {'Language': 'zh_CN', 'Plural-Forms': 'nplurals=1; plural=0;'}
    """
    fields: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields.setdefault(name.strip(), value.strip())
    return fields


def _unescape(body: str, display: str, number: int, column: int) -> tuple[str | None, Problem | None]:
    if "\\" not in body:
        return body, None
    for escape in _ESCAPE.finditer(body):
        if escape.group(1) not in _KNOWN_ESCAPES:
            return None, error(display, number, column + 1 + escape.start(),
                               f"PO syntax: escape \\{escape.group(1)} is not one every tool reads",
                               code="po-syntax", hint='use \\n, \\t, \\r, \\" or \\\\ (a backslash is written \\\\)')
    return _ESCAPE.sub(lambda m: _KNOWN_ESCAPES[m.group(1)], body), None


def _unquote(rest: str, display: str, number: int, column: int) -> tuple[str | None, Problem | None]:
    """The text of a quoted string that fills the rest of a line, or the problem with it."""
    match = _STRING.fullmatch(rest)
    if match is None:
        return None, error(display, number, column, "PO syntax: string is not closed with a double quote",
                           code="po-syntax", hint=_SYNTAX_HINT)
    return _unescape(match.group(1), display, number, column)


Field = tuple[str, int]  # keyword without index, and the msgstr index


class _Reader:
    """A line-by-line state machine: entries end at a blank line, a comment, or the next msgctxt/msgid."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.entries: list[Entry] = []
        self.syntax: list[Problem] = []
        self.current: Entry | None = None
        self.parts: dict[Field, list[str]] = {}  # joined once at the end: continuation lines stay linear
        self.target: Field | None = None  # the field a continuation line extends
        self.flags: set[str] = set()
        self.comments: list[str] = []
        self.raw_comments: list[str] = []
        self.notes: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.previous_target: str | None = None
        self.previous_broken = False
        self.column = 1  # where the current entry's first keyword is
        self.broken = False  # a line of the current entry is reported already: its order is not judged

    def finish(self) -> None:
        entry = self.current
        if entry is None and not self.parts:  # between entries (every comment and blank line): nothing to end
            self.target, self.broken = None, False
            return
        if entry is not None and ("msgid", 0) not in self.parts:  # msgfmt: a syntax error; Babel drops it
            if not self.broken:
                self.syntax.append(error(self.display, entry.line, self.column, "msgctxt without a msgid after it",
                                         code="po-syntax", hint=_ORDER_HINT))
        elif entry is not None:
            for (name, index), parts in self.parts.items():
                text = "".join(parts)
                if name == "msgctxt":
                    entry.context = text
                elif name == "msgid":
                    entry.msgid = text
                elif name == "msgid_plural":
                    entry.plural = text
                else:
                    entry.strings[index] = text
            self.entries.append(entry)
        self.current, self.target, self.parts, self.broken = None, None, {}, False

    def comment(self, line: str, number: int, written: str = "") -> None:
        """``line`` stripped; ``written`` as it was, trailing spaces and all (a translator's comment is kept so)."""
        self.finish()
        if line.startswith("#~|") or line.startswith("#|"):
            self.previous_line(line[3:] if line.startswith("#~|") else line[2:], number, line.index("|") + 2)
            return
        self.previous_target = None
        kind = line[1:2]
        if kind == ",":
            self.flags |= {flag for flag in re.split(r"[\s,]+", line[2:]) if flag}  # as msgfmt parts them
        elif kind == ".":
            if note := line[2:].strip():
                self.notes.append(note)
        elif kind != ":":  # a reference (#:) is no part of what a catalog says
            self.comments.append(line[1:].strip())
            self.raw_comments.append((written or line)[1:])

    def previous_line(self, body: str, number: int, column: int) -> None:
        stripped = body.strip()
        keyword = _KEYWORD.match(stripped)
        problem: Problem | None = None
        text: str | None = None
        target = keyword.group(1) if keyword else self.previous_target if stripped.startswith('"') else None
        if target is None or target not in _PREVIOUS_KEYWORDS:
            problem = error(self.display, number, column, "previous text (#|) is not a msgctxt, msgid or quoted line",
                            code="po-syntax", hint=_PREVIOUS_HINT)
        else:
            offset = keyword.end() if keyword else 0
            text, problem = _unquote(stripped[offset:], self.display, number, column + offset)
            if problem is not None:
                reason = problem.message.removeprefix("PO syntax: ")
                problem = error(self.display, number, problem.col, f"previous text (#|): {reason}", code="po-syntax",
                                hint=_PREVIOUS_HINT)
        if problem is not None or text is None or target is None:
            if not self.previous_broken and problem is not None:  # one report per #| block is enough
                self.syntax.append(problem)
            self.previous_broken, self.previous_target = True, None
            return
        self.previous.setdefault(target, []).append(text)
        self.previous_target = target

    def message_line(self, line: str, number: int, obsolete: bool, column: int) -> None:
        self.previous_target, self.previous_broken = None, False
        match = _LINE.fullmatch(line)
        if match is None:  # the slow path, only to say what is wrong and where
            keyword = _KEYWORD.match(line)
            if keyword is None and not line.startswith('"'):
                return  # an unknown keyword: Babel reports it
            offset = keyword.end() if keyword else 0
            _, problem = _unquote(line[offset:], self.display, number, column + offset)
            if problem is not None:
                self.syntax.append(problem)
                self.broken = True
            return
        keyword_text, index_text, body = match.groups()
        text, problem = (body, None) if "\\" not in body else _unescape(body, self.display, number,
                                                                         column + match.start(3) - 1)
        if problem is not None:
            self.syntax.append(problem)
            self.broken = True
            return
        self.field(keyword_text, index_text, text or "", number, obsolete, column)

    def field(self, keyword_text: str | None, index_text: str | None, text: str, number: int, obsolete: bool,
              column: int) -> None:
        """A line's keyword (None: a continuation), msgstr index and unescaped text, read."""
        if keyword_text is None:
            if self.current is not None and self.target is not None:
                self.parts[self.target].append(text)
            return
        name, index = keyword_text.split("[")[0], int(index_text or 0)
        indexed = index_text is not None
        # As Babel and msgfmt read: msgctxt starts an entry, and so does a msgid that does not follow one.
        if name == "msgctxt" or (name == "msgid" and (self.current is None or ("msgid", 0) in self.parts)):
            self.finish()
            self.current = Entry(number, obsolete, flags=self.flags,
                                 previous={k: "".join(v) for k, v in self.previous.items()},
                                 comments=self.comments, raw_comments=self.raw_comments, notes=self.notes)
            self.flags, self.previous, self.column, self.comments, self.notes = set(), {}, column, [], []
            self.raw_comments = []
        if name != "msgid" and name != "msgctxt" and ("msgid", 0) not in self.parts and not self.broken:
            self.syntax.append(error(self.display, number, column, f"{name} without a msgid before it",
                                     code="po-syntax", hint=_ORDER_HINT))
            self.current, self.target, self.parts = None, None, {}
            return
        if self.current is None:
            return
        if name == "msgid":
            self.current.line = number
        if name == "msgstr" and indexed:
            self.current.indexed = True
        self.target = (name, index)
        self.parts[self.target] = [text]


_KEYWORDS = frozenset(("msgctxt", "msgid", "msgid_plural", "msgstr"))


def _simple_keyword_line(line: str) -> tuple[str, str | None, str] | None:
    """(keyword, msgstr index, text) of a line that is a keyword and one quoted string holding no
    escape and no other quote (most keyword lines), as ``_LINE`` reads it; None for any other line.

    >>> _simple_keyword_line('msgid "Give 1 g"'), _simple_keyword_line('msgstr[1] \t"x"')
    (('msgid', None, 'Give 1 g'), ('msgstr', '1', 'x'))
    >>> [_simple_keyword_line(line) for line in ('msgid "a\\"b"', 'msgid "a"b"', 'msgidx "a"', '"a"', 'msgstr[] "a"')]
    [None, None, None, None, None]
    """
    if line[-1] != '"' or "\\" in line:
        return None
    start = line.find('"')
    if start <= 0 or line.find('"', start + 1) != len(line) - 1:
        return None
    keyword = line[:start].rstrip(" \t")
    if keyword in _KEYWORDS:
        return keyword, None, line[start + 1:-1]
    if keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdecimal():
        return "msgstr", keyword[7:-1], line[start + 1:-1]
    return None


def scan_po(text: str, display: str) -> Scan:
    """Every entry with its line, and the lines msgfmt would reject."""
    reader = _Reader(display)
    # Lines end at \n only, as for msgfmt and Babel: str.splitlines would also end one at U+2028,
    # U+0085 or a form feed inside a quoted string and call the string unclosed
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            reader.finish()
            reader.previous_target = None
            continue
        if (line[0] == '"' and reader.target is not None and reader.current is not None and len(line) > 1
                and line[-1] == '"' and "\\" not in line and '"' not in line[1:-1]):
            # Most lines continue a string and hold no escape: what message_line would do, without its regexes.
            reader.previous_target, reader.previous_broken = None, False
            reader.parts[reader.target].append(line[1:-1])
            continue
        column = len(raw) - len(raw.lstrip()) + 1 if raw[0].isspace() else 1
        if line[0] != "#":
            simple = _simple_keyword_line(line)
            if simple is None:
                reader.message_line(line, number, False, column)
            else:  # what message_line would read, without its regexes
                reader.previous_target, reader.previous_broken = None, False
                reader.field(*simple, number, False, column)
        elif line.startswith("#~") and not line.startswith("#~|"):
            body = line[2:].lstrip()
            reader.message_line(body, number, True, column + len(line) - len(body))
        else:
            reader.comment(line, number, raw.lstrip().rstrip("\r"))
    reader.finish()
    return Scan(reader.entries, reader.syntax)


def too_long(scan: Scan, display: str) -> list[Problem]:
    """A message longer than any protocol text: the catalog is not read (its checks would take hours)."""
    for entry in scan.entries:
        size = max(len(text) for text in (entry.msgid, entry.plural or "", *entry.strings.values()))
        if size > MAX_TEXT:
            return [error(display, entry.line, 1, f"a message of {size:,} characters (no protocol text has more "
                          f"than {MAX_TEXT:,})", code="po-size",
                          hint="look for a paste gone wrong; the catalog is not read until this entry is fixed")]
    return []


def entry_problems(scan: Scan, display: str, nplurals: int | None) -> list[Problem]:
    """What msgfmt refuses in a file whose lines are fine: an entry twice, a wrong number of plural forms."""
    problems: list[Problem] = []
    first: dict[tuple[str | None, str], int] = {}
    for entry in scan.entries:
        key = entry.context, entry.msgid  # an obsolete (#~) copy of a live entry counts too, as for msgfmt
        if key in first:
            where = "msgctxt and msgid" if entry.context is not None else "msgid"
            problems.append(error(display, entry.line, 1, f"the same {where} as the entry at line {first[key]}",
                                  code="po-duplicate", hint="keep one of the two entries (move any translation you "
                                  "need into it) and delete the other; msgfmt refuses a message defined twice"))
        else:
            first[key] = entry.line
        if entry.plural is None and entry.indexed:
            problems.append(error(display, entry.line, 1, "msgstr[N] in an entry without msgid_plural", code="po-plural",
                                  hint='write the translation as msgstr "…" (msgstr[N] is only for plural forms)'))
        elif entry.plural is not None and entry.strings and not entry.indexed:
            problems.append(error(display, entry.line, 1, "a plural entry (msgid_plural) needs msgstr[0], msgstr[1] …",
                                  code="po-plural", hint="give one msgstr[N] per plural form of the header"))
        if entry.plural is not None and nplurals and len(entry.strings) != nplurals:
            problems.append(error(display, entry.line, 1, f"{len(entry.strings)} plural form(s), the header says "
                                  f"{nplurals}", code="po-plural",
                                  hint="give exactly as many msgstr[N] as Plural-Forms nplurals"))
    return problems


# GNU gettext parts a "#," line's flags at commas and at white space ("#, c-format fuzzy" is fuzzy to
# msgfmt); Babel only at commas, so it would read one flag "c-format fuzzy" and show a fuzzy entry.
_FLAG_LINE = re.compile(r"^#,(?P<flags>[^\n]*)$", re.M)


def flags_apart(text: str) -> str:
    r"""Each flag line of PO ``text`` as Babel should read it.

    >>> flags_apart("#, c-format fuzzy\nmsgid \"a\"")
    '#, c-format, fuzzy\nmsgid "a"'
    """
    if "#," not in text:  # no flag line: no pass over every line
        return text
    return _FLAG_LINE.sub(lambda m: "#, " + ", ".join(f for f in re.split(r"[\s,]+", m["flags"]) if f), text)
