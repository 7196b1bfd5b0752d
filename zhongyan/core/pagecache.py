"""Whole signed-in pages kept in the shared cache and served again without running Django.

Why: the busiest pages (the demand list and a demand's page, issue 3) are read far more often
than anything they show is written, and Django's middleware stack alone (session, CSRF, locale,
messages, authentication, security headers) costs more than a bare view. A page rendered once
for a session is kept, and the next identical request of that session gets the same bytes.
Two front ends share the rules below: `PageCacheMiddleware` (first in MIDDLEWARE) stores pages
and, without Redis, serves them; with Redis, `pagefront.PageCacheFront` serves them in the ASGI
layer before the request reaches Django's thread pool. ADR 0015 has the measurements.

When a stored page may be served again (everything the render read must be unchanged):
- the same request: method GET, scheme, host, path (which carries the language) and query
  string, not an htmx request, no `messages` cookie;
- the same session: the entry is keyed by the session cookie, and the session's data must
  still be exactly what the page was rendered from (a digest of it is stored). A session that
  ended, expired or changed (signed out, a message left in it, a password changed elsewhere,
  which flushes it) never matches;
- the same versions: the view names the version counters (core/versions.py) of what it shows
  when it opts in, read BEFORE it reads anything else; the entry holds their values, and a write
  that moves one on (after its commit) retires every page rendered before it. The signed-in
  user's own version is always among them: any save of the user row (deactivation, rename, a
  new password, staff flag) moves it on (accounts/backends.py);
- at most `ttl` seconds old, which bounds what no write announces (a deadline passing).

What differs between two responses is made afresh: the CSRF token in the page is masked anew
for every response (as Django does, so compression cannot leak it), and the CSRF cookie is set
again as CsrfViewMiddleware would. Every other header (CSP, HSTS, Vary, language…) is the one
the full stack produced for the stored page.

Only views that call `serve_from_cache(request, versions=...)` are ever stored, and only paths
an app registered with `register()` are ever looked up, so other pages pay nothing.
"""

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from zhongyan.core.versions import advance_now_and_after_commit, read_many

SENTINEL = b"\x00zhongyan-page-cache-csrf\x00"
TTL = 60
HINTS_PER_PROCESS = 50_000
# Set by the ASGI front on a request it looked up and missed: the middleware need not look again.
MISSED_HEADER = "x-zhongyan-page-cache"
_SKIPPED_HEADERS = {"content-length", "set-cookie"}
_CSRF_SECRET = re.compile(f"^[{re.escape(CSRF_ALLOWED_CHARS)}]{{{CSRF_SECRET_LENGTH}}}$")
_patterns: list[str] = []
_compiled: re.Pattern[str] | None = None

Entry = dict[str, Any]


def register(pattern: str) -> None:
    """Let the pages whose path (after the language prefix, without the leading slash) matches
    this regular expression be looked up in the cache."""
    global _compiled
    _patterns.append(pattern)
    _compiled = None


def path_registered(path: str) -> bool:
    global _compiled
    if not _patterns:
        return False
    if _compiled is None:
        prefixes = "|".join(re.escape(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
        body = "|".join(f"(?:{pattern})" for pattern in _patterns)
        _compiled = re.compile(f"^/(?:(?:{prefixes})/)?(?:{body})$")
    return _compiled.match(path) is not None


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", True))


def user_version_key(user_id: Any) -> str:
    return f"pagecache:user:{user_id}"


def forget_user(user_id: Any) -> None:
    """The user row changed: pages rendered for them are not served again, including one a
    concurrent request rendered from the old row while the write's transaction was open."""
    advance_now_and_after_commit(user_version_key(user_id))


@dataclass(frozen=True)
class _Plan:
    versions: dict[str, int]
    ttl: int


def serve_from_cache(request: HttpRequest, *, versions: Iterable[str], ttl: int = TTL) -> None:
    """Called by a view before it reads anything: the page it renders depends only on the request,
    the session and these version counters, so it may be stored and served again while they hold."""
    if getattr(request, "_page_cache_key", None) is None or not request.user.is_authenticated:
        return
    keys = [user_version_key(request.user.pk), *versions]
    request._page_cache_plan = _Plan(read_many(keys), ttl)  # type: ignore[attr-defined]


# --- rules shared by both front ends ------------------------------------------------------------


def csrf_secret_usable(secret: str) -> bool:
    """The CSRF cookie as CsrfViewMiddleware keeps it; any other shape goes to Django to be replaced."""
    return _CSRF_SECRET.match(secret) is not None


def entry_key(*, scheme: str, host: str, path: str, query: str, session_key: str) -> str:
    text = "\n".join((scheme, host, path, query, session_key))
    return "pagecache:page:" + hashlib.sha256(text.encode()).hexdigest()[:48]


def session_digest(session: dict[str, Any]) -> str:
    text = json.dumps(session, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def still_valid(entry: Entry | None, session: dict[str, Any] | None, current_versions: dict[str, Any]) -> bool:
    return bool(
        entry is not None
        and session
        and entry["session"] == session_digest(session)
        and current_versions == entry["versions"]
    )


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
_CSRF_BASE = len(CSRF_ALLOWED_CHARS)
_UNBIASED_BELOW = 256 - 256 % _CSRF_BASE


def mask_csrf_secret(secret: str) -> str:
    """What django.middleware.csrf.get_token returns for this secret: a fresh random mask and the
    secret enciphered with it (the same format and the same checks accept it), at a tenth of the
    CPU (Django draws each of the mask's characters with `secrets.choice`)."""
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [byte % _CSRF_BASE for byte in os.urandom(2 * CSRF_SECRET_LENGTH) if byte < _UNBIASED_BELOW]
    mask = mask[:CSRF_SECRET_LENGTH]
    chars = CSRF_ALLOWED_CHARS
    pairs = zip(secret, mask, strict=True)
    return "".join(chars[offset] for offset in mask) + "".join(
        chars[(_CSRF_INDEX[char] + offset) % _CSRF_BASE] for char, offset in pairs
    )


def body_for(entry: Entry, csrf_secret: str) -> bytes:
    body: bytes = entry["body"]
    if SENTINEL in body:
        body = body.replace(SENTINEL, mask_csrf_secret(csrf_secret).encode())
    return body


def set_csrf_cookie(response: HttpResponse, secret: str) -> None:
    """What CsrfViewMiddleware does for every page that shows a token: renew the cookie."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )


class VersionHints:
    """Entry key -> the version keys that entry depends on, remembered per process so the next
    look-up can read them in the same round trip as the session and the entry. Only a hint: the
    values are always compared with the entry's own list."""

    def __init__(self) -> None:
        self.keys: dict[str, list[str]] = {}

    def get(self, key: str) -> list[str]:
        return self.keys.get(key, [])

    def remember(self, key: str, entry: Entry) -> bool:
        """True if the hint was missing or wrong (the caller must read the versions again)."""
        wanted = list(entry["versions"])
        if self.keys.get(key) == wanted:
            return False
        if len(self.keys) >= HINTS_PER_PROCESS:
            self.keys.pop(next(iter(self.keys)))
        self.keys[key] = wanted
        return True


# --- the Django middleware: stores pages, and serves them when no ASGI front does -----------------


class PageCacheMiddleware:
    """First in MIDDLEWARE: a stored page is answered before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore
        self.shared_session_cache = settings.SESSION_CACHE_ALIAS == "default"
        self.hints = VersionHints()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        request._page_cache_key = key  # type: ignore[attr-defined]
        if not request.headers.get(MISSED_HEADER):
            response = self._serve(request, key)
            if response is not None:
                return response
        response = self.get_response(request)
        plan = getattr(request, "_page_cache_plan", None)
        if plan is not None:
            self._store(request, key, plan, response)
        return response

    def _key(self, request: HttpRequest) -> str | None:
        if not enabled() or request.method != "GET" or not path_registered(request.path_info):
            return None
        meta = request.META
        query = meta.get("QUERY_STRING", "")
        if "HTTP_HX_REQUEST" in meta or "%00" in query:
            return None
        cookies = request.COOKIES
        session_key = cookies.get(settings.SESSION_COOKIE_NAME)
        if not session_key or not csrf_secret_usable(cookies.get(settings.CSRF_COOKIE_NAME, "")):
            return None
        if "messages" in cookies or (settings.SECURE_SSL_REDIRECT and not request.is_secure()):
            return None  # the stack shows the messages, or SecurityMiddleware redirects
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # the full stack answers it (400)
        return entry_key(scheme=request.scheme, host=host, path=request.path, query=query, session_key=session_key)

    def _look_up(self, session_key: str, key: str) -> tuple[dict[str, Any] | None, Entry | None, dict[str, Any]]:
        """The session, the entry and the current values of the entry's versions, in one round
        trip when the session lives in the cache and this process has seen the entry before."""
        store = self.session_store(session_key)
        if store.session_key is None:  # not a well-formed session key
            return None, None, {}
        hint = self.hints.get(key)
        if hasattr(store, "cache_key") and self.shared_session_cache:
            found = cache.get_many([store.cache_key, key, *hint])
            session, entry = found.pop(store.cache_key, None), found.pop(key, None)
        else:
            found = cache.get_many([key, *hint])
            entry = found.pop(key, None)
            session = store.load() if entry is not None else None
        if entry is not None and self.hints.remember(key, entry):
            found = cache.get_many(list(entry["versions"]))
        return session, entry, found

    def _serve(self, request: HttpRequest, key: str) -> HttpResponse | None:
        session, entry, current = self._look_up(request.COOKIES[settings.SESSION_COOKIE_NAME], key)
        if entry is None or not still_valid(entry, session, current):
            return None
        secret = request.COOKIES[settings.CSRF_COOKIE_NAME]
        response = HttpResponse(body_for(entry, secret), status=entry["status"])
        for name, value in entry["headers"]:
            response.headers[name] = value
        set_csrf_cookie(response, secret)
        return response

    def _store(self, request: HttpRequest, key: str, plan: _Plan, response: HttpResponse) -> None:
        session = request.session  # type: ignore[attr-defined]
        if (
            response.status_code != 200
            or response.streaming
            or session.modified
            or session.session_key != request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        body = response.content
        token = getattr(request, "_page_csrf_token", None)
        if token:
            body = body.replace(token.encode(), SENTINEL)
        headers = [(name, value) for name, value in response.headers.items() if name.lower() not in _SKIPPED_HEADERS]
        entry = {
            "session": session_digest(dict(session.items())),
            "versions": plan.versions,
            "status": response.status_code,
            "headers": headers,
            "body": body,
        }
        cache.set(key, entry, plan.ttl)
