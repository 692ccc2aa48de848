"""Stage 2: check a loaded protocol against the JSON Schema and the rules a schema cannot say."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jsonschema import ValidationError

from .. import markup
from ..problems import Problem, error
from .loader import Document, JsonPath, format_path
from .schema import DEFAULT_SCHEMA, edition_vocabulary, load_schema, resolve, schema_errors

_PATTERN_HINTS = {
    "slug": "use lowercase letters, digits and single hyphens, e.g. postpartum-haemorrhage",
    "semver": "write MAJOR.MINOR.PATCH, e.g. 1.2.0",
    "date": "write dates as YYYY-MM-DD, e.g. 2026-11-23",
    "url": "use a full https:// address without spaces",
    "locale": "use a gettext locale such as zh_CN",
}


# Anchors the protocol and side-by-side pages give their own parts (the templates in site/templates):
# a step shares its id with the page as its anchor, so a step named like one of these would send its
# "go to step" links, the flowchart's and the table of contents' to the wrong place.
PAGE_ANCHORS = {"scope": "the Scope section", "steps": "the Steps section", "adaptations": "the Adaptations section",
                "sources": "the Sources section", "history": "the Version history section",
                "glance-title": "the At a glance box", "cb-flow-title": "the flowchart's title",
                "cb-arrow": "the flowchart's arrowheads"}
PAGE_ANCHOR_FAMILIES = re.compile(r"(?P<source>source-.+)|(?P<adaptation>adaptation-.+)|(?P<step>step-.+-body)")


def page_anchor(step_id: str) -> str | None:
    """What else on a protocol page has ``step_id`` as its anchor, or None.

    >>> [page_anchor(s) for s in ("sources", "source-nice-ng235", "step-assess-body", "assess")]
    ['the Sources section', "source nice-ng235's entry", "step assess's text", None]
    """
    if step_id in PAGE_ANCHORS:
        return PAGE_ANCHORS[step_id]
    found = PAGE_ANCHOR_FAMILIES.fullmatch(step_id)
    if found is None:
        return None
    kind = found.lastgroup or ""
    name = step_id.removeprefix(f"{kind}-").removesuffix("-body") if kind == "step" else step_id.removeprefix(f"{kind}-")
    return f"{kind} {name}'s text" if kind == "step" else f"{kind} {name}'s entry"


_SHAPE_HINTS = {
    "object": "write the fields indented on the lines below this key, one `name: value` each",
    "array": "write a list: one item per line below this key, each starting with `- `",
    "boolean": "write true or false",
    "number": "write a number",
    "integer": "write a whole number",
}
_BOUNDS = {"minimum": "of at least", "maximum": "of at most", "exclusiveMinimum": "greater than"}


def _pattern_kind(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]+"):
        return "slug"
    if "(0|[1-9]" in pattern:
        return "semver"
    if "[0-9]{4}-" in pattern:
        return "date"
    if pattern.startswith("^https"):
        return "url"
    return "locale" if "[a-z]{2,3}" in pattern else ""


def _describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'string "{shown}"'
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, (int, float)):
        return f"number {value}"
    return {"dict": "a mapping", "list": "a list"}.get(type(value).__name__, type(value).__name__)


def _schema_problem(doc: Document, err: ValidationError, root_schema: dict[str, Any], extra: str = "") -> Problem:
    path: JsonPath = tuple(err.absolute_path)
    line, col = doc.locate(path)
    hint = ""
    message = err.message
    validator_name = str(err.validator)
    schema_name = str(root_schema.get("$id", "protocol.schema.json")).rsplit("/", 1)[-1]
    if validator_name == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        name = missing[0] if missing else "?"
        message = f"missing required field '{name}'"
        hint = f"add `{name}:` here (see schema/{schema_name})"
    elif validator_name == "additionalProperties":
        allowed = sorted(resolve(root_schema, err.schema).get("properties", {}))
        extras = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
        name = extra or (extras[0] if extras else "?")
        line, col = doc.locate(path + (name,), key=True)
        path = path + (name,)
        message = f"unknown field '{name}'"
        close = difflib.get_close_matches(str(name), allowed, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed fields here: {', '.join(allowed)}"
    elif validator_name == "type":
        message = f"expected {err.validator_value}, got {_describe(err.instance)}"
        if err.validator_value in ("number", "integer") and isinstance(err.instance, str):
            hint = _not_a_json_number(err.instance) or "write the number alone (amount: 10) and put the unit in `unit:`"
        elif err.validator_value == "boolean" and isinstance(err.instance, str):
            hint = "write true or false (yes, no, on and off are text here)"
        elif err.instance is None:
            hint = "write the value after the colon (or indented below it); an empty value is null"
        elif err.validator_value == "string":
            hint = "quote the value to make it text"
        else:
            hint = _SHAPE_HINTS.get(str(err.validator_value), f"write a {err.validator_value} here")
    elif validator_name == "enum":
        options = [str(o) for o in err.validator_value]
        message = f"{_describe(err.instance)} is not one of: {', '.join(options)}"
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(str(err.instance).lower(), list(lowered), n=1)
        hint = f"did you mean '{lowered[close[0]]}'?" if close else "pick one of the listed values"
    elif validator_name == "pattern":
        kind = _pattern_kind(str(err.validator_value))
        message = f"{_describe(err.instance)} is not a valid {kind or 'value'}"
        # a field's own description says what to write better than its regular expression
        schema = err.schema if isinstance(err.schema, dict) else {}
        hint = _PATTERN_HINTS.get(kind) or str(schema.get("x-hint") or schema.get("description")
                                               or f"must match {err.validator_value}")
    elif validator_name == "format":
        message = f"{_describe(err.instance)} is not a real {err.validator_value}"
        hint = _PATTERN_HINTS.get(str(err.validator_value), "")
    elif validator_name in ("minItems", "minLength"):
        message = f"{_describe(err.instance)} is too short ({validator_name} {err.validator_value})"
        hint = "fill in this field" if validator_name == "minLength" else "add at least one item"
    elif validator_name == "maxLength":
        message = f"{_describe(err.instance)} is too long (maxLength {err.validator_value})"
        hint = f"shorten it to at most {err.validator_value} characters"
    elif validator_name in ("minimum", "maximum", "exclusiveMinimum"):
        message = f"{_describe(err.instance)} is out of range ({validator_name} {err.validator_value})"
        hint = f"write a number {_BOUNDS[validator_name]} {err.validator_value}"
    if not hint:  # every problem says what to do; the schema has the field's rules
        hint = f"see this field in schema/{schema_name}"
    return error(doc.file, line, col, message, path=format_path(path), hint=hint, code="schema")


# Numbers YAML 1.1 tools read differently from what the editor meant; here they are text.
_LEGACY_NUMBERS = (
    (re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"),
     "{text} is not a number: older YAML tools read it in base 60 (1:30 as 90); write the amount as one number"),
    (re.compile(r"[-+]?0[0-9_]+"),
     "{text} is not a number: older YAML tools read a leading 0 as octal (010 as 8); write it without the 0"),
    (re.compile(r"[-+]?0(?:x[0-9a-fA-F_]+|o[0-7_]+|b[01_]+)"),
     "{text} is not a number here: write it in decimal digits"),
    (re.compile(r"[-+]?[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?"), "{text}: write the number without _ separators"),
    (re.compile(r"[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?"), "{text}: write a 0 before the decimal point (0.5, not .5)"),
    (re.compile(r"[-+]?[0-9]+\.(?:[eE][-+]?[0-9]+)?"), "{text}: write the number without a trailing point"),
    (re.compile(r"\+[0-9.eE+-]+"), "{text}: write the number without a + sign"),
)


def _not_a_json_number(text: str) -> str:
    """The hint for text that looks like a number but is not one (YAML 1.2 / JSON numbers only).

    >>> _not_a_json_number("1:30")
    '1:30 is not a number: older YAML tools read it in base 60 (1:30 as 90); write the amount as one number'
    >>> _not_a_json_number("10 IU")
    ''
    """
    for pattern, hint in _LEGACY_NUMBERS:
        if pattern.fullmatch(text.strip()):
            return hint.format(text=text.strip())
    return ""


def _ids(items: Iterable[Any]) -> list[str]:
    return [str(item["id"]) for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


class _Semantics:
    """Rules across fields: ids, references, dates, review status, safe text."""

    def __init__(self, doc: Document, expected_id: str | None, specialty_dir: str | None):
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.expected_id = expected_id
        self.specialty_dir = specialty_dir
        self.problems: list[Problem] = []

    @functools.cached_property
    def vocabulary(self) -> dict[str, dict[str, str]]:
        """The roles and resources hospital editions define (read only when a protocol names one)."""
        return edition_vocabulary()

    def report(self, path: JsonPath, message: str, hint: str, code: str, key: bool = False) -> None:
        line, col = self.doc.locate(path, key=key)
        self.problems.append(error(self.doc.file, line, col, message, path=format_path(path), hint=hint, code=code))

    def run(self) -> list[Problem]:
        d = self.data
        if self.expected_id is not None and d["id"] != self.expected_id:
            self.report(("id",), f"id '{d['id']}' does not match the file name '{self.expected_id}.yaml'",
                        f"rename the file to {d['id']}.yaml or set id: {self.expected_id}", "id-mismatch")
        if self.specialty_dir is not None and d["specialty"] != self.specialty_dir:
            folder = "protocols/" + (f"{self.specialty_dir}/" if self.specialty_dir not in ("", ".") else "")
            self.report(("specialty",), f"specialty '{d['specialty']}' but the file is in {folder}",
                        f"move the file to protocols/{d['specialty']}/", "specialty-dir")
        self._unique(("sources",), d["sources"], "source")
        self._unique(("steps",), d["steps"], "step")
        self._unique(("adaptations",), d.get("adaptations", []), "adaptation")
        for i, step_id in enumerate(_ids(d["steps"])):
            other = page_anchor(step_id)
            if other is not None:
                self.report(("steps", i, "id"), f"step id '{step_id}' is the page's anchor for {other}: links to "
                            "the step would go there", f"give the step another id, e.g. '{step_id}-step'", "step-anchor")
        steps = set(_ids(d["steps"]))
        sources = set(_ids(d["sources"]))
        medications = {m for s in d["steps"] for m in _ids(s.get("medications", []))}
        for i, step in enumerate(d["steps"]):
            self._unique(("steps", i, "medications"), step.get("medications", []), "medication")
            for b, branch in enumerate(step.get("decision", {}).get("branches", [])):
                if branch["goto"] not in steps:
                    self._unknown(("steps", i, "decision", "branches", b, "goto"), branch["goto"], steps, "step")
                elif branch["goto"] == step["id"]:
                    self.report(("steps", i, "decision", "branches", b, "goto"), "a decision cannot lead back to its own step",
                                "point goto at the next step to take", "decision-loop")
            self._cite(("steps", i, "source"), step.get("source"), sources)
            for key, variant in step.get("variants", {}).items():
                self._cite(("steps", i, "variants", key, "source"), variant.get("source"), sources)
            for m, med in enumerate(step.get("medications", [])):
                self._medication(("steps", i, "medications", m), med, sources, medications)
            for b, branch in enumerate(step.get("decision", {}).get("branches", [])):
                self._requires(("steps", i, "decision", "branches", b, "requires"), branch.get("requires"), steps)
        for a, adaptation in enumerate(d.get("adaptations", [])):
            self._cite(("adaptations", a, "source"), adaptation.get("source"), sources)
            if "step" in adaptation and adaptation["step"] not in steps:
                self._unknown(("adaptations", a, "step"), adaptation["step"], steps, "step")
        self._dates()
        self._review()
        self._safe_text(d, ())
        return self.problems

    def _medication(self, path: JsonPath, med: dict[str, Any], sources: set[str], medications: set[str]) -> None:
        self._cite(path + ("source",), med.get("source"), sources)
        for where, values in [(path, med)] + [(path + ("variants", k), v) for k, v in med.get("variants", {}).items()]:
            if where != path:
                self._cite(where + ("source",), values.get("source"), sources)
                if "amount_max" in values and "amount" not in values:
                    self.report(where + ("amount_max",), "a variant with amount_max needs amount too",
                                "write the range as amount: and amount_max:", "dose-range")
                    continue
            if "amount_max" in values and values["amount_max"] <= values["amount"]:
                self.report(where + ("amount_max",), "amount_max must be greater than amount",
                            "for a range 1 to 2 g write amount: 1 and amount_max: 2", "dose-range")
        alternative = med.get("alternative")
        if alternative is not None and (alternative not in medications or alternative == med["id"]):
            self._unknown(path + ("alternative",), alternative, medications - {med["id"]}, "medication")

    def _requires(self, path: JsonPath, requires: dict[str, Any] | None, steps: set[str]) -> None:
        if requires is None:
            return
        known = set(self.vocabulary["resource"])
        if requires["resource"] not in known:
            self._unknown(path + ("resource",), requires["resource"], known, "resource")
        if requires["otherwise"] not in steps:
            self._unknown(path + ("otherwise",), requires["otherwise"], steps, "step")

    def _unique(self, path: JsonPath, items: list[Any], what: str) -> None:
        seen: set[str] = set()
        for index, item_id in enumerate(_ids(items)):
            if item_id in seen:
                self.report(path + (index, "id"), f"duplicate {what} id '{item_id}'",
                            f"each {what} needs its own id; translations are keyed on it", "duplicate-id")
            seen.add(item_id)

    def _unknown(self, path: JsonPath, value: str, known: set[str], what: str) -> None:
        close = difflib.get_close_matches(value, sorted(known), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known {what} ids: {', '.join(sorted(known))}"
        self.report(path, f"no {what} with id '{value}'", hint, f"unknown-{what}")

    def _cite(self, path: JsonPath, citation: dict[str, Any] | None, sources: set[str]) -> None:
        if citation is not None and citation["ref"] not in sources:
            self._unknown(path + ("ref",), citation["ref"], sources, "source")

    def _dates(self) -> None:
        d = self.data
        last, nxt = dt.date.fromisoformat(d["last_reviewed"]), dt.date.fromisoformat(d["next_review"])
        if nxt <= last:
            self.report(("next_review",), f"next_review {nxt} is not after last_reviewed {last}",
                        "set the next review date after the last one", "dates-order")
        previous: dt.date | None = None
        for i, change in enumerate(d["history"]):
            when = dt.date.fromisoformat(change["date"])
            if previous is not None and when < previous:
                self.report(("history", i, "date"), "history is not in date order (oldest first)",
                            "list changes oldest first and add new versions at the end", "dates-order")
            previous = when
        versions = [c["version"] for c in d["history"]]
        if d["version"] not in versions:
            self.report(("version",), f"version {d['version']} has no entry in history",
                        f"add a history entry: - version: {d['version']}, date, summary", "history-version")

    def _review(self) -> None:
        d = self.data
        if d["status"] == "approved":
            if not d.get("reviewers"):
                self.report(("status",), "status 'approved' requires at least one named reviewer",
                            "add reviewers: with name, role and date, or set status: review", "approval")
            if d.get("demonstration"):
                self.report(("status",), "demonstration content cannot be 'approved'",
                            "remove demonstration: true after clinical review, or set status: review", "approval")

    def _safe_text(self, node: dict[str, Any] | list[Any], path: JsonPath) -> None:
        # Containers recurse; a text's path is made only when the text needs a second look (most do not).
        plain = markup.plain
        for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str):
                if not plain(value) or (value and not value.strip()):
                    self._text(value, path + (key,))
            elif isinstance(value, (dict, list)):
                self._safe_text(value, path + (key,))

    def _text(self, text: str, path: JsonPath) -> None:
        if not text.strip():
            # the schema's minLength counts spaces: a title of three spaces would be a blank heading
            self.report(path, "text is only white space", "write the text, or remove the field if it is optional", "blank")
            return
        for kind, name in markup.references(text):
            if name not in self.vocabulary[kind]:
                self._unknown(path, name, set(self.vocabulary[kind]), "role" if kind == "contact" else "resource")
        if markup.raw_html(text):
            self.report(path, "raw HTML is not allowed in protocol text",
                        "use Markdown (**bold**, [link](https://…)); write < and > as words or ≤ ≥", "raw-html")
        refusal = markup.link_refusal(text)
        if refusal:
            self.report(path, refusal + " (or #step-id anchors)", "link to a public https:// page", "unsafe-link")
        elif markup.images(text):  # to a public page (any other is an unsafe link above)
            self.report(path, f"images are not shown on pages: {markup.images(text)[0]}…",
                        "describe in words what it shows, or link to it: [the chart](https://…)", "image")


def validate_document(doc: Document, *, expected_id: str | None = None, specialty_dir: str | None = None,
                      schema_path: Path = DEFAULT_SCHEMA, semantics: bool = True) -> list[Problem]:
    """All problems of one loaded protocol; semantic rules run only on schema-valid data.
    ``semantics=False`` checks the schema alone (a hospital edition has rules of its own)."""
    schema = load_schema(schema_path)
    errors = sorted(schema_errors(doc.data, schema_path), key=lambda e: list(map(str, e.absolute_path)))
    problems = []
    for err in errors:
        if str(err.validator) == "additionalProperties" and isinstance(err.instance, dict):
            # jsonschema reports one error per mapping; editors want every unknown field at once.
            allowed = set(resolve(schema, err.schema).get("properties", {}))
            for extra in [k for k in err.instance if k not in allowed]:
                problems.append(_schema_problem(doc, err, schema, extra))
        else:
            problems.append(_schema_problem(doc, err, schema))
    if problems or not semantics:
        return problems
    return _Semantics(doc, expected_id, specialty_dir).run()
