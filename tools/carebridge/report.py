"""Render collected problems as text, JSON or GitHub annotations. Pure: returns strings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from .problems import Problem, Severity

# A value quoted from a file may hold line breaks; written out, they would start a line that is
# not a problem (tools reading path:line:col lines, and people, would misread it). Other control
# characters (ESC starts a terminal's control sequences) and bidirectional controls are written as
# escapes too: a PO file's msgctxt or a file name must not set a terminal's title or reorder a log line.
_BREAK = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# A byte of a file name (or an argument) that is not UTF-8 reaches Python as a lone surrogate
# (U+DCFF for 0xff); written out as it is, it made output, JSON included, that is not UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _bytes_shown(text: str, backslash: str = "\\") -> str:
    r"""Lone surrogates written as the bytes they stand for (\xff), or as \udXXX when they stand for none.

    >>> _bytes_shown("ex\udcffample.yaml")
    'ex\\xffample.yaml'
    """
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: backslash + (f"x{ord(m.group()) - 0xDC00:02x}" if "\udc80" <= m.group() <= "\udcff"
                                                 else f"u{ord(m.group()):04x}"), text)


def _one_line(text: str) -> str:
    r"""Line breaks written as \n (or \r, \u2028...), so one problem stays one line; control characters as \x1b.

    >>> _one_line('string "ext. 8100\n<script>"')
    'string "ext. 8100\\n<script>"'
    """
    return _bytes_shown(_BREAK.sub(lambda m: repr(m.group())[1:-1], text))


def as_text(problems: Iterable[Problem]) -> str:
    lines: list[str] = []
    for problem in problems:
        lines.append(_one_line(str(problem)))
        if problem.hint:
            lines.append(f"  hint: {_one_line(problem.hint)}")
    return "\n".join(lines)


def _escape_property(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def as_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands, so problems show on the PR's lines.

    >>> as_github([Problem(Severity.ERROR, "a.yaml", 3, 2, "id", "bad", "fix it", "schema")])
    '::error file=a.yaml,line=3,col=2,title=carebridge schema::id: bad%0Ahint: fix it'
    """
    out = []
    for p in problems:
        props = [f"file={_escape_property(p.file)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.col is not None:
            props.append(f"col={p.col}")
        props.append(f"title={_escape_property('carebridge ' + (p.code or p.severity.value))}")
        text = (f"{p.path}: " if p.path else "") + p.message + (f"\nhint: {p.hint}" if p.hint else "")
        out.append(f"::{p.severity.value} {','.join(props)}::{_escape_data(text)}")
    return _bytes_shown("\n".join(out)).translate(_GITHUB_CONTROLS)


# What a workflow command may not hold after its own escapes (%0A for line breaks): as _one_line writes them.
_GITHUB_CONTROLS = {c: repr(chr(c))[1:-1] for c in (*range(0x09), *range(0x0B, 0x0D), *range(0x0E, 0x20),
                                                    *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def as_json(problems: list[Problem], **extra: object) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    body = {"problems": [p.as_json() for p in problems], "errors": errors,
            "warnings": len(problems) - errors, **extra}
    # a surrogate is only ever inside a JSON string, where \\xff is a backslash and "xff"
    return _bytes_shown(json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True), "\\\\")


def summary(problems: list[Problem], checked: int, what: str = "file") -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    plural = what if checked == 1 else what + "s"
    if not problems:
        return f"{checked} {plural} checked: no problems"
    return f"{checked} {plural} checked: {errors} error(s), {warnings} warning(s)"
