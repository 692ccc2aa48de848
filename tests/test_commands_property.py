"""A property of extract + update on the real library: whatever an editor types, the catalogs stay
valid for msgfmt and translate-toolkit, a second update changes no byte, no translator's work is
lost, and a changed string keeps its old translation as fuzzy with the old text in ``#|``.

Seeded random edits (long, short, multi-line, quotes, backslashes, tabs, CJK, trailing spaces) of
random translatable strings in a temporary copy of the repository; each seed is one example, so a
failure names the seed that reproduces it.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import msgfmt_check

from carebridge.i18n import commands
from carebridge.i18n.catalog import read_catalog
from carebridge.i18n.extract import protocol_messages_by_path
from carebridge.i18n.store import write_files
from carebridge.source.library import Project, load_library

REPO = Path(__file__).resolve().parents[1]
SEEDS = range(8)  # about 1 s each
PROTOCOLS_PER_SEED = 3
EDITS_PER_SEED = 6
COMMENT = "审校：属性测试"


def _mutate(rng: random.Random, text: str) -> tuple[str, bool]:
    """A new text for ``text``, and whether the edit is small (its old translation must be offered)."""
    new = rng.choice([
        f'{text} Say "stop" now.',
        f"{text} See C:\\notes\\n1 and 2\\3.",
        f"{text}\tthen\twait.",
        f"{text} 每8小时一次（q8h）。",
        f"{text}   \nA second line with trailing spaces   \n\n- an item",
        text.replace(" ", "  ", 1) + " (revised)",
        text + " " + " ".join(rng.choice(["dose", "review", "escalate", "血压", "x" * 40]) for _ in range(400)),
        "Short text " + str(rng.randint(10, 99)),
        text + " " + "y" * rng.randint(2000, 6000),  # one long unbroken word
    ])
    # Appending a quarter keeps any similarity measure far above the 70 % cutoff.
    return new, new.startswith(text.split(" ", 1)[0]) and len(new) - len(text) <= len(text) // 4


def _set(data: Any, path: tuple[str | int, ...], value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _copy_library(rng: random.Random, tree: Path) -> list[str]:
    for name in ("mkdocs.yml", "schema"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tree / name)
    chosen = rng.sample(sorted((REPO / "protocols").rglob("*.yaml")), PROTOCOLS_PER_SEED)
    (tree / "locales" / "templates").mkdir(parents=True)
    (tree / "locales" / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    for path in chosen:
        target = tree / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    for stem in [p.stem for p in chosen] + ["site"]:
        shutil.copy(REPO / "locales" / "templates" / f"{stem}.pot", tree / "locales" / "templates")
        shutil.copy(REPO / "locales" / "zh_CN" / "LC_MESSAGES" / f"{stem}.po", tree / "locales" / "zh_CN" / "LC_MESSAGES")
    return [p.stem for p in chosen]


def _catalogs(project: Project) -> dict[str, dict[tuple[str | None, str], Any]]:
    out: dict[str, dict[tuple[str | None, str], Any]] = {}
    for path in sorted((project.locales_dir / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        catalog, problems = read_catalog(path, project.rel(path), "zh_CN")
        assert problems == [] and catalog is not None, problems
        entries = {(m.context, m.id): m for m in catalog if m.id}
        entries.update({(m.context, f"obsolete:{m.id}"): m for m in catalog.obsolete.values()})
        out[path.stem] = entries
    return out


def _comment_some(rng: random.Random, project: Project) -> None:
    """Translator comments on a third of the entries: they must survive every update."""
    for path in sorted((project.locales_dir / "zh_CN" / "LC_MESSAGES").glob("*.po")):
        catalog, _ = read_catalog(path, project.rel(path), "zh_CN")
        assert catalog is not None
        for message in catalog:
            if message.id and rng.random() < 0.33:
                message.user_comments = [*message.user_comments, COMMENT]
        write_files({path: catalog}, project.rel)


def _edit(rng: random.Random, project: Project) -> dict[tuple[str, str], tuple[str, bool]]:
    """Edit random translatable strings; return {(context, old msgid): (new msgid, small)}."""
    loaded, problems = load_library(project)
    assert problems == []
    candidates = []
    for item in loaded:
        by_path = list(protocol_messages_by_path(item.document))
        keys = [(m.context, m.msgid) for _, m in by_path]
        candidates += [(item, path, m) for path, m in by_path if keys.count((m.context, m.msgid)) == 1]
    edits: dict[tuple[str, str], tuple[str, bool]] = {}
    touched: dict[Path, Any] = {}
    for item, path, message in rng.sample(candidates, len(candidates)):
        if len(edits) == EDITS_PER_SEED:
            break
        if any(context == message.context for context, _ in edits):
            continue  # one edit per context: list items share a context and match by similarity
        file = project.root / item.protocol.file
        data = touched.setdefault(file, yaml.safe_load(file.read_text(encoding="utf-8")))
        new, small = _mutate(rng, message.msgid)
        _set(data, path, new)
        edits[(message.context, message.msgid)] = (new.strip(), small)
    for file, data in touched.items():
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return edits




def _snapshot(project: Project) -> dict[str, bytes]:
    return {project.rel(p): p.read_bytes() for p in sorted(project.locales_dir.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_keep_catalogs_valid_idempotent_and_lossless(seed: int, tmp_path: Path) -> None:
    from translate.storage import po as tt_po

    rng = random.Random(seed)
    stems = _copy_library(rng, tmp_path)
    project = Project.at(tmp_path)
    commands.update(project)  # the committed catalogs, in case they lag behind the writer
    _comment_some(rng, project)
    before = _catalogs(project)
    edits = _edit(rng, project)

    commands.extract(project)
    commands.update(project)
    once = _snapshot(project)
    assert commands.update(project) == [], f"seed {seed}: the second update changed files"
    assert _snapshot(project) == once, f"seed {seed}: the second update is not byte-identical"

    for path in [*(project.locales_dir / "zh_CN" / "LC_MESSAGES").glob("*.po"), *project.templates_dir.glob("*.pot")]:
        assert msgfmt_check(path) == "", f"seed {seed}: {path.name}"
        store = tt_po.pofile.parsefile(str(path))
        assert bytes(store) == path.read_bytes(), f"seed {seed}: translate-toolkit rewrites {path.name}"
    after = _catalogs(project)
    previous_in_toolkit = {
        (u.getcontext(), u.source): u.prev_source
        for stem in stems
        for u in tt_po.pofile.parsefile(str(project.catalog_path("zh_CN", stem))).units if u.prev_source}

    for stem in [*stems, "site"]:
        for key, old in before[stem].items():
            if key in edits or key[1].startswith("obsolete:"):
                continue
            kept = after[stem].get(key)  # unchanged text: translation, fuzziness and comments as they were
            assert kept is not None, f"seed {seed}: {key} lost"
            assert (kept.string, kept.fuzzy, kept.user_comments) == (old.string, old.fuzzy, old.user_comments), key
    for (context, old_id), (new_id, small) in edits.items():
        stem = context.split(":", 1)[0]
        old = before[stem][(context, old_id)]
        new = after[stem][(context, new_id)]
        if not old.string:
            continue
        if new.string:  # offered as fuzzy, with the text it was translated from
            assert new.fuzzy and new.string == old.string, f"seed {seed}: {context}"
            assert COMMENT not in old.user_comments or COMMENT in new.user_comments
            expected = old.previous_id[0] if old.fuzzy and old.previous_id else old_id
            assert new.previous_id == [expected], f"seed {seed}: {context}"
            assert previous_in_toolkit[(context, new_id)] == expected, f"seed {seed}: {context}"
        else:  # too different to offer: the translation is kept as an obsolete entry
            assert not small, f"seed {seed}: a small edit of {context} lost its fuzzy suggestion"
            assert after[stem][(context, f"obsolete:{old_id}")].string == old.string
