"""Where a site's protocol pages come from: made now, or kept from an earlier build (``pagecache``,
on disk) or from an earlier rebuild of the same serve (``incremental.Reuse``, in memory).

A protocol's pages are shared by the base site and every hospital edition: they are kept by what
they asked of the edition (``pagecache.Kept.remember_reading``), and the base site asks its
questions of ``edition_view.NoEdition``, which answers as an edition that says nothing. The
side-by-side page, which only the base site has, is kept apart.
"""

from __future__ import annotations

from typing import Any

from ..source.library import Loaded
from .direct import Direct
from .edition_view import page_jurisdiction
from .incremental import Reuse
from .pagecache import Kept
from .protocolpages import Compared, Made, Shared, compare_pages, protocol_pages
from .words import Words

NO_COMPARE: Compared = ([], {})


class ProtocolStore:
    def __init__(self) -> None:
        self.reuse = Reuse()  # a serve's pages, from one rebuild to the next
        self.kept = Kept(None)  # a plain build's pages, between builds
        self.compare = Kept(None)  # and, apart, the base site's side-by-side pages

    def open(self, kept: Kept) -> None:
        """A plain build's store (``incremental.page_store``); the side-by-side pages share its folder and key."""
        self.kept, self.compare = kept, Kept(kept.folder, kept.shared)

    def pages(self, item: Loaded, key: tuple[Any, ...], shared: Shared, direct: Direct, words: Words, *,
              serving: bool, side_by_side: bool) -> tuple[Made, Compared]:
        """The protocol's pages and, if ``side_by_side``, its side-by-side page. ``key`` is what the
        pages read besides the edition: the protocol's and its catalogs' digests, Markdown's settings
        and how much the build says (a build that says less, not -v, keeps its own)."""
        def make(here: Any = shared.here) -> Made:
            return protocol_pages(item, shared._replace(here=here), direct)

        def compare() -> Compared:
            return compare_pages(item, shared, direct) if side_by_side else NO_COMPARE

        if serving:  # (Markdown's settings, ``direct.signature``, come from mkdocs.yml: in the serve's shared key)
            return self.reuse.get(item.protocol.id, lambda: (make(), compare()), words)  # type: ignore[no-any-return]
        anchors = {"loaded": item, "protocol": item.protocol, "document": item.document}
        # Kept by what they asked of the hospital edition, not by its whole file: an edited contact
        # makes again only the pages that name the role. The jurisdiction counts only for a protocol
        # with a variant for it.
        made = self.kept.remember_reading(self.kept.key(*key, page_jurisdiction(item.protocol, shared.jurisdiction)),
                                          shared.here, make, anchors, words)
        if not side_by_side or shared.other is None:
            return made, NO_COMPARE
        return made, self.compare.remember(self.kept.key(*key, "side by side"), compare, anchors, words)

    def counts(self) -> str:
        return (f"protocol pages: {self.kept.hits} reused from the cache, {self.kept.made} made; "
                f"side-by-side pages: {self.compare.hits} reused, {self.compare.made} made")
