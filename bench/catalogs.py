"""CPU seconds of ``carebridge i18n update`` (a benchmark, not a test); print one JSON object.

    python bench/catalogs.py --protocols 200

- ``update_20k_cpu_s`` / ``update_20k_no_msgfmt_cpu_s``: a library of N protocols (see run.py) with every
  tenth step title changed, scaled to 20,000 messages, with and without msgfmt checking each
  written file (GNU gettext on PATH or not).
- ``update_again_cpu_s`` / ``update_one_edit_cpu_s`` (and ``_wall_s``): the same library updated
  again with nothing changed, then after one step title of one protocol was edited: what an editor
  waits for. The memo of the last update (``i18n/updatememo.py``) lets both skip every protocol
  whose files are as that update left them.
- ``long_title_<n>_cpu_s``: update after a protocol's title became one unbroken word of n characters,
  then after it changed by one character. Babel's writer took 33 s at 50,000 and grew with the square;
  a text of more than 10,000 characters is now refused (``markup.MAX_TEXT``), so n stays below.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, change_sources, make_library

CACHE: dict[str, str] = {}  # the run's own cache folder: it starts empty


def _run(args: list[str], cwd: Path, msgfmt: bool = True) -> tuple[float, float]:
    """Seconds of CPU (user + system, msgfmt included) and of wall time."""
    path = f"{BIN}:/usr/bin:/bin" if msgfmt else str(BIN)  # the console script needs nothing else
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(BIN / "carebridge"), *args], cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "PATH": path, "NO_MKDOCS_2_WARNING": "1", **CACHE})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def _timed(args: list[str], cwd: Path, msgfmt: bool = True) -> float:
    """Seconds of CPU: on a shared machine wall time is mostly waiting."""
    return _run(args, cwd, msgfmt)[0]


def edit_one(lib: Path) -> None:
    """One step title of one protocol edited, as an editor would."""
    path = sorted((lib / "protocols").rglob("*.yaml"))[len(list((lib / "protocols").rglob("*.yaml"))) // 2]
    text = path.read_text(encoding="utf-8")
    start = text.index("  title: ", text.index("\nsteps:"))
    end = text.index("\n", start)
    path.write_text(text[:end] + " (edited)" + text[end:], encoding="utf-8")


def library_update(n: int, tmp: Path, msgfmt: bool) -> tuple[int, float]:
    lib = tmp / f"lib-{msgfmt}"
    lib.mkdir()
    make_library(n, lib)
    _timed(["i18n", "update"], lib, msgfmt)  # bring copies to the writer's layout first
    messages = change_sources(lib, every=10)
    return messages, _timed(["i18n", "update"], lib, msgfmt)


def long_title(length: int, tmp: Path) -> tuple[float, float]:
    lib = tmp / f"long-{length}"
    lib.mkdir()
    make_library(1, lib)
    _timed(["i18n", "update"], lib)
    (path,) = (lib / "protocols").rglob("*.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("\ntitle: ") + 8
    end = text.index("\n", start)
    path.write_text(text[:start] + '"' + "x" * length + '"' + text[end:], encoding="utf-8")
    first = _timed(["i18n", "update"], lib)
    path.write_text(path.read_text(encoding="utf-8").replace("x" * length, "x" * length + "y"), encoding="utf-8")
    return first, _timed(["i18n", "update"], lib)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--protocols", type=int, default=200)
    # Texts longer than markup.MAX_TEXT (10,000 characters) are refused since, so the longest is just below.
    parser.add_argument("--lengths", type=int, nargs="*", default=[2_000, 9_999])
    args = parser.parse_args()
    result: dict[str, float | int | bool] = {"protocols": args.protocols, "msgfmt": shutil.which("msgfmt") is not None}
    with tempfile.TemporaryDirectory(prefix="carebridge-bench-") as tmp:
        CACHE["CAREBRIDGE_CACHE_DIR"] = str(Path(tmp) / "cache")
        for msgfmt in (True, False):
            messages, seconds = library_update(args.protocols, Path(tmp), msgfmt)
            result["update_messages"] = messages
            result["update_20k_cpu_s" if msgfmt else "update_20k_no_msgfmt_cpu_s"] = round(seconds * 20000 / messages, 3)
        lib = Path(tmp) / "lib-True"
        for name in ("update_again", "update_one_edit"):
            if name == "update_one_edit":
                edit_one(lib)
            cpu, wall = _run(["i18n", "update"], lib)
            result[f"{name}_cpu_s"], result[f"{name}_wall_s"] = round(cpu, 3), round(wall, 3)
        for length in args.lengths:
            first, changed = long_title(length, Path(tmp))
            result[f"long_title_{length}_cpu_s"] = round(first, 3)
            result[f"long_title_{length}_changed_cpu_s"] = round(changed, 3)
    print(json.dumps(result, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
