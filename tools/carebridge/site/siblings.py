"""The builds beside the main one: each other language, and each hospital edition's site.

A ``build`` starts one process per sibling as soon as the main build's settings are known and
collects them at its end (``languages.start``/``finish``). A ``serve`` keeps one long-lived
worker per sibling instead (``languages.Worker``): each rebuild asks it for a dirty build, so it
reuses what it parsed and rendered before; a worker whose settings changed is replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import languages

Sibling = tuple[str, dict[str, Any], Path]  # (name, MkDocs overrides, folder it builds into)


@dataclass
class Siblings:
    running: list[languages.Running] = field(default_factory=list)
    workers: dict[str, languages.Worker] = field(default_factory=dict)
    pending: list[languages.Worker] = field(default_factory=list)  # asked to build, not yet collected

    def start(self, config_file: str, builds: list[Sibling], site_dir: Path, *, serving: bool,
              handover: Callable[[], bytes] = bytes) -> None:
        """Start ``builds``; a build's processes start from what ``handover`` says this one parsed
        (a serve's workers keep their own)."""
        self.running = []
        loaded = handover() if builds and not serving else b""
        for name, overrides, target in builds:
            if serving:
                self._request(config_file, name, overrides, target)
            else:
                self.running.append(languages.start(config_file, name, overrides, target, site_dir, loaded))
        for name in set(self.workers) - {name for name, _, _ in builds}:  # a language or edition removed
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
        results = [(running.locale, *languages.finish(running)) for running in self.running]
        results += [(worker.locale, *languages.collect(worker)) for worker in self.pending]
        self.running, self.pending = [], []
        return results

    def cancel(self) -> None:
        """The main build failed: stop this build's processes; a worker's answer is read and
        dropped, so it is not taken for the next rebuild's."""
        for running in self.running:
            languages.cancel(running)
        for worker in self.pending:
            languages.collect(worker)
        self.running, self.pending = [], []

    def stop(self) -> None:
        for worker in self.workers.values():
            languages.stop(worker)
        self.workers = {}
