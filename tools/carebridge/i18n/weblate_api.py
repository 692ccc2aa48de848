"""Read which strings are approved in Weblate, and who approved them, through its REST API.

The contract (measured on Weblate 2026.10.1) is in ``weblate/reviews-api.md``: approved units
come from ``GET /api/units/?q=project:<slug> AND state:approved``; who approved each and when
from the latest "Translation approved" change (action 36) of that unit, which counts only
while the unit is still approved. Standard library only; the token travels in a header that
is never logged and never follows a redirect.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..problems import Problem, error

APPROVED = 30  # unit state "approved"
APPROVED_ACTION = 36  # change action "Translation approved"
MAX_PAGES = 100_000  # a `next` that never ends is a broken server, not a big project


class WeblateFailure(Exception):
    """Weblate could not be read; carries the problem to report (nothing is written then)."""

    def __init__(self, problem: Problem, status: int | None = None):
        super().__init__(str(problem))
        self.problem = problem
        self.status = status


@dataclass(frozen=True)
class Approval:
    """Who approved a unit last, when, and the text they approved."""

    username: str
    name: str  # the Weblate user's full name, or the username when it has none
    timestamp: dt.datetime  # aware, UTC
    text: str  # the target as approved

    @property
    def date(self) -> str:
        return self.timestamp.astimezone(dt.UTC).date().isoformat()


@dataclass(frozen=True)
class ApprovedUnit:
    """A string approved in Weblate now."""

    component: str  # Weblate component slug: a protocol id, `site` or `glossary`
    locale: str  # the translation's language_code, e.g. zh_CN (Weblate shows it as zh_Hans)
    context: str
    msgid: str
    target: str
    plural: bool
    web_url: str
    approval: Approval | None  # None: no "Translation approved" change names who approved it


class Weblate:
    """A read-only client: JSON out, ``Authorization: Token …``, every failure a WeblateFailure."""

    def __init__(self, url: str, token: str, *, token_env: str = "WEBLATE_TOKEN", timeout: float = 30):
        parts = urllib.parse.urlsplit(url.strip())
        path = parts.path.rstrip("/").removesuffix("/api")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.api = f"{self.origin}{path}/api/"
        self.token, self.token_env, self.timeout = token, token_env, timeout

    def absolute(self, url: str) -> str:
        """A URL from Weblate's answers, on the host we were given.

        Behind a proxy Weblate may name itself by another host or scheme; the token goes to
        ``--url`` only.
        >>> Weblate("https://w.example/", "t").absolute("http://internal:8080/api/units/?page=2")
        'https://w.example/api/units/?page=2'
        >>> Weblate("https://w.example/api/", "t").absolute("units/")
        'https://w.example/api/units/'
        """
        parts = urllib.parse.urlsplit(url)
        if not parts.scheme and not url.startswith("/"):
            return self.api + url  # our own calls: relative to the API root
        return f"{self.origin}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def get(self, url: str, params: dict[str, str] | None = None) -> Any:
        target = self.absolute(url)
        if params:
            target += ("&" if "?" in target else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(target, headers={"Accept": "application/json"})
        request.add_unredirected_header("Authorization", f"Token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise WeblateFailure(self._refused(target, exc.code, _detail(exc)), exc.code) from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise WeblateFailure(error(target, None, None, f"cannot reach Weblate: {reason}", code="weblate",
                                       hint="check --url (the address of Weblate you open in a browser) and that "
                                            "Weblate is running and reachable from here")) from None
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than any answer of Weblate's
            start = raw[:60].decode("utf-8", "replace").strip()
            raise WeblateFailure(error(target, None, None, f"Weblate's answer is not JSON (it starts {start!r})",
                                       code="weblate",
                                       hint="give --url as Weblate's own address, without /api/; a proxy or "
                                            "login page answered instead")) from None

    def _refused(self, target: str, status: int, detail: str) -> Problem:
        said = f" ({detail})" if detail else ""
        if status == 401:
            return error(target, None, None, f"Weblate refused the token in ${self.token_env} (HTTP 401{said})",
                         code="weblate", hint=f"export {self.token_env}=<your API key from Weblate: your profile → "
                                              "API access>; it is read from the environment, never the command line")
        if status == 403:
            return error(target, None, None, f"the Weblate user of ${self.token_env} may not read this (HTTP 403"
                         f"{said})", code="weblate", hint="use the token of a user who can see the project")
        return error(target, None, None, f"Weblate answered HTTP {status}{said}", code="weblate",
                     hint="check --url and --project; rerun later if Weblate is busy")

    def pages(self, url: str, params: dict[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every result of a paginated list, following ``next``."""
        page = self.get(url, params)
        seen = {self.absolute(url)}
        for _ in range(MAX_PAGES):
            results = page.get("results") if isinstance(page, dict) else None
            if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
                raise self.malformed(url, "a list without `results`")
            yield from results
            following = page.get("next")
            if not following:
                return
            if not isinstance(following, str) or self.absolute(following) in seen:
                raise self.malformed(url, f"a `next` page that repeats or is not a URL: {following!r}")
            seen.add(self.absolute(following))
            page = self.get(following)
        raise self.malformed(url, f"more than {MAX_PAGES} pages")

    def malformed(self, url: str, what: str) -> WeblateFailure:
        return WeblateFailure(error(self.absolute(url), None, None, f"unexpected answer from Weblate: {what}",
                                    code="weblate", hint="this Weblate may be a version whose API differs from "
                                                         "2026.10 (weblate/reviews-api.md); report it"))


def connect(url: str, token_env: str, environ: dict[str, str]) -> tuple[Weblate | None, list[Problem]]:
    """A client for ``url`` with the token from the environment variable ``token_env``, or usage problems."""
    problems = []
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(error("<command line>", None, None, f"--url must be an http(s) address, got {url!r}",
                              hint="--url https://weblate.example", code="usage"))
    token = environ.get(token_env, "").strip()
    if not token:
        problems.append(error("<command line>", None, None, f"${token_env} is not set", code="usage",
                              hint=f"export {token_env}=<your API key: Weblate → your profile → API access>"))
    return (None if problems else Weblate(url, token, token_env=token_env)), problems


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"null")
    except (ValueError, OSError):
        return ""
    return str(body.get("detail", ""))[:200] if isinstance(body, dict) else ""


def approved_units(client: Weblate, project: str, *, locale: str | None = None,
                   since: dt.date | None = None) -> list[ApprovedUnit]:
    """Every unit of ``project`` approved now, with its latest approval.

    With ``since``, only units whose latest approval is from that day (UTC) on.
    """
    try:
        client.get(f"projects/{urllib.parse.quote(project)}/")
    except WeblateFailure as exc:
        if exc.status != 404:
            raise
        raise WeblateFailure(error(exc.problem.file, None, None, f"Weblate has no project '{project}'",
                                   code="weblate", hint="give the project's slug as in its address, "
                                   "/projects/<slug>/ (a private project is also unknown to a user who "
                                   f"may not see it: check ${client.token_env})"), 404) from None
    units = [u for u in client.pages("units/", {"q": f"project:{project} AND state:approved"})
             if u.get("state") == APPROVED]
    translations: dict[str, tuple[str, str]] = {}
    for unit in units:
        where = _text(client, unit, "translation")
        if where not in translations:
            translations[where] = _translation(client, where)
    wanted = [u for u in units if locale is None or translations[_text(client, u, "translation")][1] == locale]
    latest = _approvals(client, project, {_path(_text(client, u, "url")) for u in wanted}, since)
    if since is not None:  # approved now, but last approved before --since: not asked for
        wanted = [u for u in wanted if _path(u["url"]) in latest]
    out = []
    for unit in wanted:
        component, code = translations[_text(client, unit, "translation")]
        source, target = _texts(client, unit, "source"), _texts(client, unit, "target")
        out.append(ApprovedUnit(component, code, _text(client, unit, "context"), source[0], target[0],
                                len(source) > 1, str(unit.get("web_url") or unit["url"]),
                                latest.get(_path(unit["url"]))))
    return out


def _translation(client: Weblate, url: str) -> tuple[str, str]:
    """(component slug, language_code) of a translation."""
    data = client.get(url)
    component = data.get("component") if isinstance(data, dict) else None
    slug = component.get("slug") if isinstance(component, dict) else None
    code = data.get("language_code") if isinstance(data, dict) else None
    if not isinstance(slug, str) or not isinstance(code, str):
        raise client.malformed(url, "a translation without component slug or language_code")
    # Both name files here (locales/<code>/LC_MESSAGES/<slug>.po): "../../x" would be a path out of the project.
    if not _SLUG.fullmatch(slug) or not _LANGUAGE_CODE.fullmatch(code):
        raise client.malformed(url, f"a translation with component slug {slug[:60]!r} and language_code {code[:60]!r}, "
                                    "which name no component or language")
    return slug, code


_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:[_@-][A-Za-z0-9]{1,8}){0,3}")


def _approvals(client: Weblate, project: str, units: set[str], since: dt.date | None) -> dict[str, Approval]:
    """The latest approval of each unit (by unit path)."""
    params = {"action": str(APPROVED_ACTION)}
    if since is not None:
        params["timestamp_after"] = f"{since.isoformat()}T00:00:00Z"
    latest: dict[str, tuple[dt.datetime, int, dict[str, Any]]] = {}
    url = f"projects/{urllib.parse.quote(project)}/changes/"
    for change in client.pages(url, params):
        unit = change.get("unit")
        if change.get("action") != APPROVED_ACTION or not isinstance(unit, str) or _path(unit) not in units:
            continue
        when = _timestamp(client, url, change.get("timestamp"))
        if since is not None and when.date() < since:
            continue
        number = change.get("id", 0)
        if type(number) is not int:  # "abc", [1], 1e400, true: no change of Weblate's
            raise client.malformed(url, f"a change with id {str(number)[:40]!r}")
        key = (when, number, change)
        if _path(unit) not in latest or key[:2] > latest[_path(unit)][:2]:
            latest[_path(unit)] = key
    users: dict[str, tuple[str, str]] = {}
    out = {}
    for unit, (when, _, change) in latest.items():
        who = _text(client, change, "user")
        if who not in users:
            data = client.get(who)
            username = data.get("username") if isinstance(data, dict) else None
            if not isinstance(username, str) or not username:
                raise client.malformed(who, "a user without username")
            users[who] = (username, " ".join(str(data.get("full_name") or "").split()) or username)
        username, name = users[who]
        out[unit] = Approval(username, name, when, _text(client, change, "target"))
    return out


def _timestamp(client: Weblate, url: str, value: Any) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise client.malformed(url, f"a change with timestamp {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _path(url: str) -> str:
    """A Weblate API URL without its host: the same object wherever Weblate says it lives."""
    return urllib.parse.urlsplit(url).path


def _text(client: Weblate, data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise client.malformed(str(data.get("url") or ""), f"`{key}` is not text: {value!r}")
    return value


def _texts(client: Weblate, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise client.malformed(str(data.get("url") or ""), f"`{key}` is not a list of texts: {value!r}")
    return value
