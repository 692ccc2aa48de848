"""``carebridge new``: start a protocol that already validates, with its catalogs.

The new file carries every required field with a placeholder marked TODO, a comment above
each section saying what belongs there, and the yaml-language-server modeline so editors
check it against the schema while it is written. Its template and one catalog per existing
locale are written at the same time, so translators see it at once. Nothing is written
unless everything can be.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from ..i18n.catalog import merge, new_catalog, protocol_template, read_catalog
from ..i18n.store import write_files
from ..problems import Problem, error
from ..source.library import SITE_DOMAIN, Loaded, Project
from ..source.loader import load_text
from ..source.model import build_protocol
from ..source.schema import DEFAULT_SCHEMA, load_schema
from ..source.validate import validate_document
from .versioning import needs_quotes

KINDS = ("protocol", "patient-leaflet")
PLACEHOLDER_SOURCE = "replace-me"
PLACEHOLDER_URL = "https://example.org/replace-me"


@dataclass(frozen=True)
class Target:
    """Where a new protocol goes: ``protocols/<specialty>/<id>.yaml``."""

    specialty: str
    id: str
    path: Path


def _slugify(text: str) -> str:
    """A slug close to what the editor typed.

    >>> _slugify("Post Partum_Haemorrhage!")
    'post-partum-haemorrhage'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")


def _scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted.

    >>> _scalar("Hand hygiene"), _scalar("Step 1: call for help"), _scalar("yes")
    ('Hand hygiene', '"Step 1: call for help"', '"yes"')
    """
    return json.dumps(value, ensure_ascii=False) if needs_quotes(value) else value  # JSON strings are YAML


def _next_review(day: dt.date) -> dt.date:
    """A year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def parse_target(project: Project, target: str) -> tuple[Target | None, list[Problem]]:
    """``<specialty>/<id>`` checked against the schema and the library; problems if it cannot be made."""
    schema = load_schema(project.schema_path)
    parts = target.strip().removesuffix(".yaml").split("/")
    if len(parts) == 3 and parts[0] == project.protocols_dir.name:
        parts = parts[1:]  # protocols/<specialty>/<id> is what the editor sees in the tree
    # Only the two names: no absolute path, no .., no empty or . part can lead outside protocols/.
    if len(parts) != 2 or any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None, [error("<command line>", None, None, f"'{target}' is not <specialty>/<id>",
                            hint="e.g. carebridge new obstetrics/postpartum-haemorrhage", code="usage")]
    specialty, protocol_id = parts
    problems: list[Problem] = []
    specialties = [str(s) for s in schema["properties"]["specialty"]["enum"]]
    if specialty not in specialties:
        close = difflib.get_close_matches(specialty.lower(), specialties, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"choose one of: {', '.join(specialties)}"
        problems.append(error("<command line>", None, None, f"unknown specialty '{specialty}'", hint=hint,
                              code="specialty"))
    slug = schema["$defs"]["slug"]
    if not re.fullmatch(slug["pattern"], protocol_id) or len(protocol_id) > slug.get("maxLength", 64):
        suggestion = _slugify(protocol_id)
        example = f"e.g. {suggestion}" if suggestion and suggestion != protocol_id else "e.g. postpartum-haemorrhage"
        problems.append(error("<command line>", None, None, f"'{protocol_id}' is not a valid protocol id",
                              hint=f"use lowercase letters, digits and single hyphens, at most 64 characters, {example}",
                              code="slug"))
    elif protocol_id == SITE_DOMAIN:
        problems.append(error("<command line>", None, None, f"the id '{SITE_DOMAIN}' is reserved for the site's own words",
                              hint="choose another id", code="slug"))
    if problems:  # before any look at the disk: a 300-character name is not a file name
        return None, problems
    path = project.protocols_dir / specialty / f"{protocol_id}.yaml"
    if path.exists():
        problems.append(error(project.rel(path), None, None, "a protocol with this id already exists here",
                              hint="choose another id, or edit this file and run `carebridge bump` on it",
                              code="exists"))
    elif not problems:
        for other in sorted(project.protocols_dir.rglob(f"{protocol_id}.yaml")):
            problems.append(error(project.rel(other), None, None, f"the id '{protocol_id}' is already used here",
                                  hint="ids are unique across the library: choose another id", code="exists"))
    return (None if problems else Target(specialty, protocol_id, path)), problems


def _modeline(project: Project, folder: Path) -> str:
    """The editor's schema line: the project's schema, else its ``schema/`` copy, else the published one."""
    candidates = [project.root / "schema" / "protocol.schema.json"]
    if project.schema_path != DEFAULT_SCHEMA:
        candidates.insert(0, project.schema_path)
    for schema in candidates:
        if schema.exists() and project.root in schema.parents:
            return f"# yaml-language-server: $schema={os.path.relpath(schema, folder).replace(os.sep, '/')}\n"
    return ""


def scaffold_text(project: Project, target: Target, *, title: str, kind: str, today: dt.date) -> str:
    """The new protocol's YAML: every required field, TODO placeholders, a comment per section."""
    schema = load_schema(project.schema_path)
    modeline = _modeline(project, target.path.parent)
    leaflet = kind == "patient-leaflet"
    statuses = ", ".join(schema["properties"]["status"]["enum"])
    specialties = "\n# ".join(textwrap.wrap(", ".join(schema["properties"]["specialty"]["enum"]) + ".", 96))
    who = "who the leaflet is for (patients, families)" if leaflet else "who the protocol applies to"
    where = "when it is given and where it is used" if leaflet else "where it applies (ward, clinic, level of hospital)"
    step = "the first section, e.g. what happened" if leaflet else "the first step"
    what = "what the reader needs to know, in plain words" if leaflet else "what to do"
    return f"""\
{modeline}# Started with `carebridge new` on {today.isoformat()}. Replace every TODO, then run
# `carebridge validate` and `carebridge i18n update`. Every field is described in
# schema/protocol.schema.json.

# The stable identifier: equals the file name. Never change it; translations are keyed on it.
id: {target.id}
# protocol: a procedure for staff. patient-leaflet: plain-language information for patients and families.
kind: {kind}
# MAJOR.MINOR.PATCH of the English text. After any change of content run `carebridge bump`.
version: 0.1.0
# One of: {statuses}. approved needs named reviewers (reviewers:) and no demonstration flag.
status: draft
# Marks every page "demonstration — not for clinical use". Remove it only after clinical review.
demonstration: true
# Where the site lists it; the file must sit in protocols/<specialty>/. One of:
# {specialties}
specialty: {target.specialty}
# Optional: the partnership it comes from, e.g. "UK trust with a Fuzhou hospital group".
# partnership: TODO
title: {_scalar(title)}
# One or two sentences shown under the title and on the home page.
summary: {_scalar(f"TODO: one or two sentences saying what this {'leaflet' if leaflet else 'protocol'} is for.")}
# Who and where it applies. Add exclusions: (a list) for who or what is out of scope.
scope:
  population: {_scalar(f"TODO: {who}")}
  setting: {_scalar(f"TODO: {where}")}
# The people responsible for the content.
owners:
  - name: {_scalar("TODO: your name")}
    role: {_scalar("TODO: your role, e.g. Content author")}
# Named clinical reviewers; status: approved needs at least one:
# reviewers:
#   - name: Dr A. Example
#     role: Consultant
#     date: {today.isoformat()}
# Dates are YYYY-MM-DD. For a draft, last_reviewed is the day it was started.
last_reviewed: {today.isoformat()}
next_review: {_next_review(today).isoformat()}
# Public sources. Every dose, threshold and time limit cites one of them by id, with the section.
sources:
  # TODO: this source is a placeholder. Replace id, title, publisher, year and url with the
  # guideline you follow (a public https:// address), and update every `ref: {PLACEHOLDER_SOURCE}`.
  - id: {PLACEHOLDER_SOURCE}
    title: {_scalar("TODO: title of the source")}
    publisher: {_scalar("TODO: publisher")}
    year: {today.year}
    url: {PLACEHOLDER_URL}  # TODO: the source's https:// address
    # checked: {today.isoformat()}  # the day you confirmed this is the latest version; validate warns until then
# Optional: warning signs that need immediate escalation, shown first on the page:
# red_flags:
#   - Systolic blood pressure below 90 mmHg
# The {'sections' if leaflet else 'steps'}, in order. Ids are stable: translations and decisions refer to them.
# A step may also have medications: (drug, amount, unit, route, frequency, source),
# decision: (question, branches with when and goto) and red_flags:.
steps:
  - id: first-step
    title: {_scalar(f"TODO: {step}")}
    instructions: {_scalar(f"TODO: {what}, in Markdown. Keep every number and unit exact.")}
    source: {{ref: {PLACEHOLDER_SOURCE}, section: {_scalar("TODO: section")}}}
# Optional: what changes for practice in a locale, and why (shown as callouts):
# adaptations:
#   - id: family-carer
#     locale: zh_CN
#     step: first-step
#     category: family-role
#     note: What changes in this locale's practice.
#     rationale: Why it changes.
# Every version, oldest first; the current version needs an entry (`carebridge bump` adds it).
history:
  - version: 0.1.0
    date: {today.isoformat()}
    summary: First draft.
"""


def _default_title(protocol_id: str) -> str:
    """``postpartum-haemorrhage`` → ``Postpartum haemorrhage``; an id too short for a title (the
    schema's minLength is 3) gets a placeholder to replace.

    >>> _default_title("postpartum-haemorrhage"), _default_title("ab")
    ('Postpartum haemorrhage', 'TODO: title of ab')
    """
    title = protocol_id.replace("-", " ").capitalize()
    return title if len(title) >= 3 else f"TODO: title of {protocol_id}"


def plan(project: Project, target: str, *, title: str | None = None, kind: str = "protocol",
         today: dt.date) -> tuple[dict[Path, Catalog | str], list[Problem]]:
    """Every file ``new`` writes (protocol, template, one catalog per locale), or the problems that stop it."""
    where, problems = parse_target(project, target)
    if kind not in load_schema(project.schema_path)["properties"]["kind"]["enum"]:
        problems.append(error("<command line>", None, None, f"unknown kind '{kind}'",
                              hint=f"use one of: {', '.join(KINDS)}", code="usage"))
    if where is None or problems:
        return {}, problems
    heading = " ".join((title or _default_title(where.id)).split())
    text = scaffold_text(project, where, title=heading, kind=kind, today=today)
    display = project.rel(where.path)
    doc, problems = load_text(text, display)
    if doc is None:
        return {}, problems
    problems += validate_document(doc, expected_id=where.id, specialty_dir=where.specialty,
                                  schema_path=project.schema_path)
    if problems:  # only a title the schema refuses gets here
        return {}, problems
    loaded = Loaded(build_protocol(doc.data, display), doc)
    template = protocol_template(loaded, project)
    files: dict[Path, Catalog | str] = {where.path: text, project.template_path(where.id): template}
    for locale in project.locales():
        path = project.catalog_path(locale, where.id)
        if path.exists():  # left by a deleted protocol of the same id: keep its work
            existing, found = read_catalog(path, project.rel(path), locale)
            problems += found
            if existing is not None:
                files[path] = merge(existing, template)
        else:
            files[path] = new_catalog(template, locale, where.id)
    if any(p.severity.value == "error" for p in problems):
        return {}, problems
    return files, problems


def refused_by_its_arguments(project: Project, problems: list[Problem]) -> bool:
    """Whether every problem is about what the command was asked (target, title, kind): a usage
    error (exit 2). The only project files ``new`` reads are catalogs left by a deleted protocol."""
    catalogs = project.rel(project.locales_dir) + "/"
    return all(not p.file.startswith(catalogs) for p in problems)


def create(project: Project, target: str, *, title: str | None = None, kind: str = "protocol",
           today: dt.date) -> tuple[list[Path], list[Problem]]:
    """Write a new protocol and its catalogs; on any problem write nothing.

    Returns the files written (the protocol first) and the problems found.
    """
    files, problems = plan(project, target, title=title, kind=kind, today=today)
    if not files:
        return [], problems
    written = write_files(files, project.rel)  # catalogs through the one catalog writer
    protocol = next(path for path in files if path.suffix == ".yaml")
    return sorted(written, key=lambda p: (p != protocol, str(p))), problems

