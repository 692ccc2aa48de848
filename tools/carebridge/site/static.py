"""The files every site carries beside its pages: CareBridge's stylesheet and script, the search
worker, the schema at its stable URL, and the offline bundle's search shim."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from .schemadoc import SCHEMA_URL
from .searchsite import WORKER, worker_script

ASSETS = Path(__file__).resolve().parent / "assets"
OFFLINE_SHIM = "assets/javascripts/iframe-worker-shim.js"


def offline_search(config: MkDocsConfig) -> None:
    """Search on pages opened from disk runs through a vendored shim. Material's offline plugin
    would add a CDN copy of it; ours is in the site."""
    config.extra["polyfills"] = [OFFLINE_SHIM]


def add_static(files: Files, config: MkDocsConfig, schema_path: Path, *, offline: bool) -> None:
    files.append(File.generated(config, WORKER, content=worker_script()))
    # The editors' contract, published beside its rendered page (schemadoc) at a stable URL.
    files.append(File.generated(config, SCHEMA_URL, abs_src_path=str(schema_path)))
    for name in ("carebridge.css", "carebridge.js"):
        files.append(File.generated(config, f"assets/{name}", abs_src_path=str(ASSETS / name)))
    config.extra_css.append("assets/carebridge.css")
    config.extra_javascript.append("assets/carebridge.js")
    if offline:
        for shim in (OFFLINE_SHIM, OFFLINE_SHIM.replace("-shim.js", "-inner.js")):
            files.append(File.generated(config, shim, abs_src_path=str(ASSETS / Path(shim).name)))
        offline_search(config)
