"""What a translated page says about its clinical review: who reviewed it and when, or plainly
that no clinician has; and whether an approved protocol may be called approved in this language.

``notice`` returns data; ``banner``, ``badge`` and ``status_cells`` render it for the pages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..i18n.reviews import Reviewer, ReviewState, ReviewStatus
from .localize import Localized
from .words import Words, lang_of


@dataclass(frozen=True)
class ReviewNotice:
    """The review of one protocol's translation into one language, as the site shows it."""

    reviewed: int   # strings a clinician reviewed exactly as they are now
    total: int
    changed: int    # strings changed after review (that review no longer counts)
    reviewers: tuple[Reviewer, ...]  # newest first, only those whose review still covers a string
    approved: bool  # the English protocol's status is approved
    complete: bool  # every string reviewed and shown translated

    @property
    def withheld(self) -> bool:
        """Approved in English, but not in this language: the page says the translation is not yet reviewed."""
        return self.approved and not self.complete


def notice(state: ReviewState, status: str, loc: Localized) -> ReviewNotice:
    """The notice for one protocol (``status`` its English status, ``loc`` the page's texts)."""
    counts = state.counts()
    return ReviewNotice(counts[ReviewStatus.REVIEWED], state.total, counts[ReviewStatus.CHANGED], state.reviewers,
                        status == "approved", state.complete and loc.fallbacks == 0)


def _people(reviewers: tuple[Reviewer, ...]) -> str:
    return ", ".join(f'<span lang="{lang_of(r.name)}">{html.escape(r.name)}</span> '
                     f'(<span lang="{lang_of(r.role)}">{html.escape(r.role)}</span>, <time>{html.escape(r.date)}</time>)'
                     for r in reviewers)


def banner(n: ReviewNotice | None, words: Words) -> str:
    """The lines under the title of a translated page."""
    if n is None:
        return ""
    out = []
    if n.withheld:
        out.append(f'<div class="cb-banner cb-banner--unreviewed" role="status" data-search-exclude><strong>'
                   f'{words.html("Translation not yet reviewed.")}</strong> '
                   f'{words.html("The English protocol is approved; this translation is not approved for clinical use until a bilingual clinician has reviewed every text.")}'
                   "</div>")
    if not n.reviewed:
        line = words.html("No clinician has reviewed this translation yet.")
    elif n.reviewed == n.total:
        line = words.html("Translation reviewed by {people}.").replace("{people}", _people(n.reviewers))
    else:
        line = words.html("{reviewed} of {total} texts of this translation were reviewed by {people}; the others have not been reviewed by a clinician.",
                          reviewed=str(n.reviewed), total=str(n.total)).replace("{people}", _people(n.reviewers))
    if n.changed:
        line += " " + words.html("{count} text(s) changed after review; their review no longer counts.",
                                 count=str(n.changed))
    out.append(f'<p class="cb-review-note" role="note" data-search-exclude>{line}</p>')
    return "\n".join(out)


def badge(n: ReviewNotice | None, words: Words) -> str:
    """A badge for an approved protocol whose translation is not yet reviewed ("" otherwise)."""
    if n is None or not n.withheld:
        return ""
    return f'<span class="cb-badge cb-badge--unreviewed">{words.html("Translation not yet reviewed")}</span>'


def status_cells(n: ReviewNotice | None, words: Words) -> tuple[str, str]:
    """The status page's "Reviewed" and "Not reviewed" cells."""
    if n is None:
        return "—", "—"
    changed = (f' <span class="cb-stale">{words.html("{count} changed since review", count=str(n.changed))}</span>'
               if n.changed else "")
    return f"{n.reviewed}{changed}", str(n.total - n.reviewed)
