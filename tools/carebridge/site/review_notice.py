"""What a translated page says about its clinical review: who reviewed it and when, or plainly
that no clinician has; and whether an approved protocol may be called approved in this language.

``notice`` returns data; ``templates/partials/review.html`` renders it for the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from ..i18n.reviews import Reviewer, ReviewState, ReviewStatus
from .localize import Localized
from .templating import environment
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


def _partial(words: Words, env: jinja2.Environment | None = None) -> Any:
    context = {"word": lambda msgid, **values: Markup(words.html(msgid, **values)),
               "lang_of": lang_of}
    return (env or environment()).get_template("partials/review.html").make_module(context)


def banner(n: ReviewNotice | None, words: Words, env: jinja2.Environment | None = None) -> str:
    """The lines under the title of a translated page (the template's ``banner``)."""
    return "" if n is None else str(_partial(words, env).banner(n)).strip()


def badge(n: ReviewNotice | None, words: Words, env: jinja2.Environment | None = None) -> str:
    """A badge for an approved protocol whose translation is not yet reviewed ("" otherwise)."""
    return str(_partial(words, env).badge(n)).strip()


def status_cells(n: ReviewNotice | None, words: Words, env: jinja2.Environment | None = None) -> tuple[str, str]:
    """The status page's "Reviewed" and "Not reviewed" cells."""
    partial = _partial(words, env)
    return str(partial.reviewed_cell(n)).strip(), str(partial.not_reviewed_cell(n)).strip()
