"""Red-team battery for the zh_CN translation checks.

``cases.yaml`` beside this file holds English protocol sentences, each with a faithful
Chinese translation and the same translation carrying exactly one seeded meaning error
of a named class (obligation softened, storage condition swapped, staff level swapped,
before/after, comparator drift, dropped clause, ...). This script runs the translation
checks on every faithful and every wrong translation and prints, per class, how many
seeded errors were blocked (a finding of severity ``error``), how many faithful
translations were blocked (false alarms), and how many pairs were told apart (the error
blocked while its faithful translation passed: an error blocked only by a finding that
also blocks the faithful text does not count there).

The cases were written independently of the checks: without reading their code, their
vocabularies or their test corpora, only the protocols, the real catalogs and the README's
description of what ``i18n check`` claims to catch. A miss here is a class of error the
checks do not see; a false alarm is a faithful translation they refuse.

Usage::

    python bench/battery/run.py                  # the per-class table
    python bench/battery/run.py --misses CLASS   # missed seeded errors of CLASS (or "all")
    python bench/battery/run.py --alarms         # blocked faithful translations, with findings
    python bench/battery/run.py --cases bench/battery/fresh.yaml --half dev    # the half to read
    python bench/battery/run.py --cases bench/battery/fresh.yaml --half held   # the table only

A battery stops being independent once its misses are read and the checks changed for them.
``--half`` keeps half of a battery unread: fix against the even-numbered (dev) cases and judge
the change by the odd-numbered (held) ones, which print their table and nothing else.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from carebridge.safety.equivalence import check_translation
from carebridge.safety.glossary import load_glossary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = HERE / "cases.yaml"
GLOSSARY = ROOT / "locales" / "zh_CN" / "glossary.yaml"
FIELDS = ("class", "en", "faithful", "wrong", "note")


@dataclass(frozen=True)
class Case:
    number: int
    cls: str
    en: str
    faithful: str
    wrong: str
    note: str


@dataclass(frozen=True)
class Outcome:
    blocked: bool
    messages: tuple[str, ...]


@dataclass
class Tally:
    wrong_blocked: int = 0
    pairs_right: int = 0
    wrong_warned: int = 0
    faithful_blocked: int = 0
    total: int = 0
    misses: list[tuple[Case, Outcome]] = field(default_factory=list)
    alarms: list[tuple[Case, Outcome]] = field(default_factory=list)


_MARKDOWN = re.compile(r"(?m)\*\*|`|\]\(|^[ \t]*(?:[-*+]|[0-9]+[.)])[ \t]")

def load_cases(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise SystemExit(f"{path}: expected a list of cases")
    cases: list[Case] = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) != set(FIELDS):
            raise SystemExit(f"{path}: case {number} must have exactly the fields {', '.join(FIELDS)}")
        values = [item[name] for name in FIELDS]
        if not all(isinstance(value, str) and value.strip() for value in values):
            raise SystemExit(f"{path}: case {number} has an empty or non-text field")
        cls, en, faithful, wrong, note = values
        if faithful == wrong:
            raise SystemExit(f"{path}: case {number} ({cls}) has the same faithful and wrong text")
        cases.append(Case(number, cls, en, faithful, wrong, note))
    return cases


def run(cases: Sequence[Case], glossary_path: Path) -> dict[str, Tally]:
    glossary, _ = load_glossary(glossary_path, glossary_path.name, "zh_CN")

    def check(source: str, translation: str) -> tuple[Outcome, bool]:
        # A source with Markdown in it stands for a Markdown field (steps, notes), as `i18n check` reads them
        findings = check_translation(source, translation, glossary=glossary, markup=bool(_MARKDOWN.search(source)))
        messages = tuple(f"{f.severity} {f.code}: {f.message}" for f in findings)
        blocked = any(f.severity == "error" for f in findings)
        return Outcome(blocked, messages), bool(findings)

    tallies: dict[str, Tally] = {}
    for case in cases:
        tally = tallies.setdefault(case.cls, Tally())
        tally.total += 1
        wrong, wrong_found = check(case.en, case.wrong)
        if wrong.blocked:
            tally.wrong_blocked += 1
        else:
            tally.wrong_warned += wrong_found
            tally.misses.append((case, wrong))
        faithful, _ = check(case.en, case.faithful)
        if faithful.blocked:
            tally.faithful_blocked += 1
            tally.alarms.append((case, faithful))
        elif wrong.blocked:
            tally.pairs_right += 1
    return tallies


def print_table(tallies: dict[str, Tally]) -> None:
    """One row per class: seeded errors blocked, missed ones (how many of those had a warning),
    faithful translations blocked, and pairs told apart (the error blocked, its faithful passed)."""
    width = max(len("class"), *(len(name) for name in tallies))
    columns = ("errors blocked", "missed (warned)", "false alarms", "pairs told apart")
    header = f"{'class':<{width}}  " + "  ".join(f"{column:>16}" for column in columns)
    print(header)
    print("-" * len(header))
    total = Tally()
    for name, tally in tallies.items():
        print_row(name, width, tally)
        total.wrong_blocked += tally.wrong_blocked
        total.pairs_right += tally.pairs_right
        total.wrong_warned += tally.wrong_warned
        total.faithful_blocked += tally.faithful_blocked
        total.total += tally.total
    print("-" * len(header))
    print_row("total", width, total)


def print_row(name: str, width: int, tally: Tally) -> None:
    cells = (
        f"{tally.wrong_blocked}/{tally.total} {share(tally.wrong_blocked, tally.total)}",
        f"{tally.total - tally.wrong_blocked} ({tally.wrong_warned})",
        f"{tally.faithful_blocked}/{tally.total}",
        f"{tally.pairs_right}/{tally.total} {share(tally.pairs_right, tally.total)}",
    )
    print(f"{name:<{width}}  " + "  ".join(f"{cell:>16}" for cell in cells))


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:3.0f}%" if whole else "  - "


def print_cases(title: str, rows: Sequence[tuple[Case, Outcome]], text: str) -> None:
    print(f"{title}: {len(rows)}")
    for case, outcome in rows:
        shown = case.wrong if text == "wrong" else case.faithful
        print(f"\n#{case.number} [{case.cls}] {case.note}")
        print(f"  en:       {case.en}")
        print(f"  {text + ':':<9} {shown}")
        if text == "wrong":
            print(f"  faithful: {case.faithful}")
        for message in outcome.messages:
            print(f"    - {message}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=Path, default=CASES, help="the cases file (default: %(default)s)")
    parser.add_argument("--glossary", type=Path, default=GLOSSARY, help="the zh_CN glossary (default: %(default)s)")
    parser.add_argument(
        "--misses", metavar="CLASS", help='print the missed seeded errors of CLASS ("all" for every class)'
    )
    parser.add_argument(
        "--alarms", action="store_true", help="print the blocked faithful translations and their findings"
    )
    parser.add_argument(
        "--half", choices=("all", "dev", "held"), default="all",
        help="even-numbered cases (dev: read them while fixing), odd-numbered ones (held: only the table) or all",
    )
    args = parser.parse_args(argv)
    if args.half == "held" and (args.misses is not None or args.alarms):
        parser.error("the held-out half prints its table only: its cases stay unread while the checks change")

    cases = [case for case in load_cases(args.cases)
             if args.half == "all" or (case.number % 2 == 0) == (args.half == "dev")]
    tallies = run(cases, args.glossary)
    if args.misses is not None and args.misses != "all" and args.misses not in tallies:
        parser.error(f"no class {args.misses!r}; classes: {', '.join(tallies)}")

    print_table(tallies)
    if args.misses is not None:
        names = list(tallies) if args.misses == "all" else [args.misses]
        for name in names:
            print()
            print_cases(f"missed [{name}]", tallies[name].misses, "wrong")
    if args.alarms:
        print()
        print_cases("false alarms", [row for tally in tallies.values() for row in tally.alarms], "faithful")
    return 0


if __name__ == "__main__":
    sys.exit(main())
