"""Search in the built site: Material's search box and results, CareBridge's index and worker.

Material's page still fetches ``search/search_index.json`` and starts the worker named in its
``__config``; ``worker_url`` points that at ``assets/javascripts/carebridge-search.js``, which
answers Material's messages from the sharded index (``searchindex``). Material's own index keeps
only the pages CareBridge does not index itself (about, hand-written pages), and is then cut
to its config, so no page downloads a whole index.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from markupsafe import Markup

from .search import SearchPage, Tokenizer, site_pages
from .searchindex import stub_material_index, write_index
from .synonyms import Synonym

WORKER = "assets/javascripts/carebridge-search.js"
INDEX_DIR = "search/cb"
_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")
# Pages that are not clinical answers: the home list, status, schema, side by side.
NOT_SEARCHED = ("index.md", "translation-status.md", "schema.md", "compare/")

log = logging.getLogger("mkdocs.plugins.carebridge")


def worker_url(config_html: str) -> str:
    """Material's ``__config`` with our worker in place of Material's (same relative base).

    >>> worker_url('"search": "../assets/javascripts/workers/search.a7633da7.min.js"')
    '"search": "../assets/javascripts/carebridge-search.js"'
    """
    out = _MATERIAL_WORKER.sub(WORKER, str(config_html))
    return Markup(out) if isinstance(config_html, Markup) else out  # already safe HTML: keep it so


def material_skips(src_uri: str) -> bool:
    """Pages left out of Material's index: CareBridge indexes protocols itself; the rest are not answers."""
    return src_uri.startswith(("protocols/", *NOT_SEARCHED))


def build_search(site_dir: Path, protocols: list[SearchPage], tokenizer: Tokenizer,
                 synonyms: list[Synonym]) -> dict[str, int]:
    """Write ``search/cb/`` from the protocols and Material's remaining pages; stub Material's index."""
    material = site_dir / "search" / "search_index.json"
    docs = json.loads(material.read_text(encoding="utf-8")).get("docs", []) if material.is_file() else []
    others = site_pages(docs, lambda url: False)
    sizes = write_index(protocols + others, tokenizer, synonyms, site_dir / INDEX_DIR)
    stub_material_index(material)
    log.info("carebridge: search index %s", sizes)
    return sizes
