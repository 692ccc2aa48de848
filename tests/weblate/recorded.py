"""A Weblate on 127.0.0.1 that answers with recorded REST responses (tests/weblate/data/reviews-recorded.json).

Real HTTP, real sockets, real pagination: only the answers are fixed. Requests without the
right ``Authorization: Token`` get Weblate's 401; unknown paths its 404.
"""

from __future__ import annotations

import copy
import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).with_name("data") / "reviews-recorded.json"
TOKEN = "wlu_recordedTestToken0123456789abcdef"


def key(path_and_query: str) -> str:
    """The lookup key of a request: the path, then the decoded query sorted by name."""
    parts = urllib.parse.urlsplit(path_and_query)
    query = sorted(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return parts.path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")


def recorded() -> dict[str, Any]:
    """The recorded answers by key (a deep copy a test may change)."""
    return copy.deepcopy(json.loads(RECORDED.read_text(encoding="utf-8"))["responses"])


@dataclass
class FakeWeblate:
    url: str
    responses: dict[str, Any]
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # (path?query, Authorization)


@contextmanager
def serving(responses: dict[str, Any] | None = None) -> Iterator[FakeWeblate]:
    """Serve ``responses`` (default: the recording) on 127.0.0.1 until the block ends.

    A value that is a ``bytes`` is sent as it is, with Content-Type text/html (a proxy's page);
    ``{"__redirect__": URL}`` answers 302 to URL.
    """
    state = FakeWeblate("", recorded() if responses is None else responses)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("Authorization")))
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                self._send(401, {"detail": "Invalid token."})
                return
            answer = state.responses.get(key(self.path))
            if answer is None:
                self._send(404, {"detail": "No Project matches the given query."})
            elif isinstance(answer, dict) and "__redirect__" in answer:
                self.send_response(302)
                self.send_header("Location", answer["__redirect__"])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif isinstance(answer, bytes):
                self._send(200, answer, "text/html; charset=utf-8")
            else:
                self._send(200, json.loads(json.dumps(answer).replace("{origin}", state.url)))

        def _send(self, status: int, body: Any, kind: str = "application/json") -> None:
            raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
