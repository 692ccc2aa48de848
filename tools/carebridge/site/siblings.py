"""The builds beside the main one: each other language, and each hospital edition's site.

A ``build`` starts its siblings as soon as the main build's settings are known and collects them
at its end (``languages.start``/``finish``). Siblings of one language share a process, built one
after the other, and the processes share the machine's cores (``chains``): an edition's build in
a process that has just built another one in its language reads and parses nothing again, which
is most of the cost of an edition. A ``serve`` keeps one long-lived worker per sibling instead
(``languages.Worker``): each rebuild asks it for a dirty build, so it reuses what it parsed and
rendered before; a worker whose settings changed is replaced.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import languages
from .config import plugin_entries, read_config
from .editions import edition_overrides, edition_site_dir

Sibling = tuple[str, dict[str, Any], Path]  # (name, MkDocs overrides, folder it builds into)


def nested_overrides(config: Any, lang: Any, root: Path, user_dict: str, **carebridge: Any) -> dict[str, Any]:
    """The settings one other language builds with: its theme language, search languages (and
    jieba dictionary), folder, docs and URL; the carebridge options of the main build."""
    raw = read_config(config.config_file_path)
    plugins = plugin_entries(raw, **carebridge)
    for entry in plugins:
        name, options = next(iter(entry.items()))
        if name in ("search", "material/search"):
            options["lang"] = list(lang.search_lang)
            if user_dict and "jieba_dict_user" not in options:
                options["jieba_dict_user"] = user_dict
    theme = dict(raw.get("theme", {}))
    theme["language"] = lang.theme_language
    overrides: dict[str, Any] = {"plugins": plugins, "theme": theme,
                                 "site_dir": str(Path(config.site_dir) / lang.prefix), "strict": config.strict}
    if lang.docs_dir:
        overrides["docs_dir"] = str(root / lang.docs_dir)
    if config.site_url:
        overrides["site_url"] = config.site_url.rstrip("/") + "/" + lang.prefix.strip("/") + "/"
    return overrides


def plan(config: Any, options: Any, langs: list[Any], editions: list[str],
         user_dict: Callable[[str], str]) -> list[tuple[str, Sibling]]:
    """What the main build (``config``, the plugin's ``options``) leaves to other processes, as
    (language, sibling): each other language of its site; and for the base site, each edition in
    its first language (which starts no builds of its own) and in each other language."""

    def replaced(site_dir: Path) -> str:  # where the site that this part replaces is published
        return str(Path(options.previous_site) / site_dir.relative_to(config.site_dir)) if options.previous_site else ""

    def nested(lang: Any, edition: str, site_dir: Path) -> dict[str, Any]:
        # an edition links the search files its base site in the same language holds alike
        shared = str(Path(config.site_dir) / lang.prefix) if edition and not options.edition else ""
        return {**nested_overrides(
            config, lang, Path(config.config_file_path).resolve().parent, user_dict(lang.locale),
            offline=options.offline, build_language=lang.locale, only=list(options.only),
            strict_review=options.strict_review, edition=edition,
            editions=[] if edition else list(options.editions), previous_site=replaced(site_dir),
            shared_site=shared), "site_dir": str(site_dir)}

    builds = [(lang.locale, (lang.locale, nested(lang, options.edition, Path(config.site_dir) / lang.prefix),
                             Path(config.site_dir) / lang.prefix)) for lang in langs[1:]]
    if options.edition:
        return builds
    raw = read_config(config.config_file_path)
    for eid in editions:
        target = edition_site_dir(config.site_dir, eid)
        plugins = plugin_entries(raw, offline=options.offline, only=list(options.only),
                                           strict_review=options.strict_review)
        builds.append((langs[0].locale, (f"edition {eid}", edition_overrides(plugins, eid, target, config.strict,
                                                                              replaced(target), config.site_dir),
                                         target)))
        builds += [(lang.locale, (f"edition {eid} {lang.locale}", nested(lang, eid, target / lang.prefix),
                                  target / lang.prefix)) for lang in langs[1:]]
    return builds


def chains(builds: list[tuple[str, Sibling]], cores: int) -> list[list[Sibling]]:
    """``builds`` as (group, sibling) in the processes that build them: one group (a language)
    per process, a group split in turn over the cores the other groups leave; order kept.

    >>> [[name for name, _, _ in chain] for chain in chains(
    ...     [("zh", ("zh", {}, "")), ("en", ("a", {}, "")), ("zh", ("a zh", {}, ""))], cores=2)]
    [['zh', 'a zh'], ['a']]
    >>> [[name for name, _, _ in chain] for chain in chains(
    ...     [("zh", ("zh", {}, "")), ("zh", ("a zh", {}, "")), ("zh", ("b zh", {}, ""))], cores=2)]
    [['zh', 'b zh'], ['a zh']]
    """
    groups: dict[str, list[Sibling]] = {}
    for group, sibling in builds:
        groups.setdefault(group, []).append(sibling)
    result: list[list[Sibling]] = []
    for members in groups.values():
        share = max(1, min(len(members), cores // len(groups)))
        result += [members[i::share] for i in range(share)]
    return result


@dataclass
class Siblings:
    running: languages.Running | None = None
    workers: dict[str, languages.Worker] = field(default_factory=dict)
    pending: list[languages.Worker] = field(default_factory=list)  # asked to build, not yet collected

    def start(self, config_file: str, builds: list[tuple[str, Sibling]], site_dir: Path, *, serving: bool,
              handover: Callable[[], bytes] = bytes) -> None:
        """Start ``builds`` (group, sibling): a build's processes start from what ``handover`` says
        this one parsed (a serve's workers keep their own)."""
        self.running = None
        if serving:
            for _, (name, overrides, target) in builds:
                self._request(config_file, name, overrides, target)
        elif builds:
            loaded = handover()
            self.running = languages.start(config_file, chains(builds, os.cpu_count() or 1), site_dir, loaded)
        for name in set(self.workers) - {name for _, (name, _, _) in builds}:  # a language or edition removed
            languages.stop(self.workers.pop(name))

    def _request(self, config_file: str, name: str, overrides: dict[str, Any], target: Path) -> None:
        worker = self.workers.get(name)
        if worker is None or worker.settings != languages.worker_settings(overrides, target):
            if worker is not None:
                languages.stop(worker)
            worker = self.workers[name] = languages.start_worker(config_file, name, overrides, target)
        languages.request(worker)
        self.pending.append(worker)

    def finish(self) -> list[tuple[str, bool, list[tuple[int, str]]]]:
        """Wait for every sibling: (name, ok, [(log level, message)]) each."""
        results = languages.finish(self.running)
        results += [(worker.locale, *languages.collect(worker)) for worker in self.pending]
        self.running, self.pending = None, []
        return results

    def cancel(self) -> None:
        """The main build failed: stop this build's processes; a worker's answer is read and
        dropped, so it is not taken for the next rebuild's."""
        languages.cancel(self.running)
        for worker in self.pending:
            languages.collect(worker)
        self.running, self.pending = None, []

    def stop(self) -> None:
        for worker in self.workers.values():
            languages.stop(worker)
        self.workers = {}
