"""A source read through a record of what was asked of it and what it answered.

A hospital edition is one file that every page of its site reads, but each protocol's pages ask
only a few things of it: the teams for the roles they name, the drugs they dose, the resources
their branches need, their own local notes. Keyed by the whole file, one changed extension number
made all of a 1,000-protocol edition's pages again; keyed by what they asked and were answered,
only the pages that show it are made again (``Kept.remember_reading``).

``Reading`` stands in for the source while pages are made: each attribute read and each method
call (with its arguments) is a question, and a digest of the pickled answer is kept with it. The
pages are kept under the whole record; a later build asks the same questions of its own source
(``answers``) and uses the pages kept under what it is answered, if any. That is sound because
making is deterministic: the same answers lead to the same questions and so to the same pages.
Two hospitals that answer a page's questions differently each have their page kept. A question
or answer that cannot be pickled, or one question answered two ways in one making, leaves no
record: the pages are made every time, never reused wrongly.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import Any

Record = tuple[tuple[bytes, bytes], ...]  # (pickled question, digest of the answer), in the order asked


def _question(name: str, call: tuple[tuple[Any, ...], dict[str, Any]] | None) -> bytes:
    return pickle.dumps((name, call), protocol=pickle.HIGHEST_PROTOCOL)


def _digest(answer: Any) -> bytes:
    return hashlib.blake2b(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).digest()


class Reading:
    """``source`` as the making sees it (attributes and methods), with each question recorded."""

    def __init__(self, source: Any) -> None:
        self._source = source
        self._asked: dict[bytes, bytes] = {}
        self._usable = True

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # dunder probes (Jinja's __html__, pickle's) are not questions
            raise AttributeError(name)
        value = getattr(self._source, name)
        if not callable(value):
            self._note(name, None, value)
            return value

        def ask(*args: Any, **kwargs: Any) -> Any:
            answer = value(*args, **kwargs)
            self._note(name, (args, kwargs), answer)
            return answer

        return ask

    def _note(self, name: str, call: tuple[tuple[Any, ...], dict[str, Any]] | None, answer: Any) -> None:
        if not self._usable:
            return
        try:
            question, digest = _question(name, call), _digest(answer)
        except Exception:  # noqa: BLE001 - whatever will not pickle: no record, made every time
            self._usable = False
            return
        if self._asked.setdefault(question, digest) != digest:
            self._usable = False  # one question, two answers: the source is not a fixed input

    def record(self) -> Record | None:
        """What was asked and answered; None when it cannot vouch for a later build."""
        return tuple(self._asked.items()) if self._usable else None


def record_key(record: Record) -> bytes:
    """One digest of a whole record (part of the key the pages are kept under)."""
    digest = hashlib.blake2b(digest_size=32)
    for question, answer in record:
        digest.update(len(question).to_bytes(8, "big") + question + answer)
    return digest.digest()


def questions(record: Record) -> tuple[bytes, ...]:
    """The questions of a record, without their answers."""
    return tuple(question for question, _ in record)


def answers(source: Any, asked: tuple[bytes, ...]) -> Record | None:
    """How ``source`` answers ``asked`` now, as a record (the same record, and the same
    ``record_key``, only if every answer is the same as then); None if it cannot answer one."""
    found: list[tuple[bytes, bytes]] = []
    for question in asked:
        try:
            name, call = pickle.loads(question)  # the user's own cache folder, sealed (pagecache)
            value = getattr(source, name)
            found.append((question, _digest(value(*call[0], **call[1]) if call is not None else value)))
        except Exception:  # noqa: BLE001 - a question this source cannot answer: the pages are made again
            return None
    return tuple(found)
