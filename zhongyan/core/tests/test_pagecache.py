"""The page cache's shared rules and its ASGI front (core/pagecache.py, core/pagefront.py).

The demand pages' own tests (demands/tests/test_page_cache.py) prove what a user sees; these
prove the front answers exactly when the middleware would, from real Redis."""

import asyncio
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.middleware.csrf import _check_token_format, _get_new_csrf_string, _unmask_cipher_token

from zhongyan.core import pagecache, pagefront
from zhongyan.core.versions import advance, read_many

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def test_a_masked_secret_is_a_token_django_accepts_for_that_secret() -> None:
    for _ in range(500):
        secret = _get_new_csrf_string()
        token = pagecache.mask_csrf_secret(secret)
        _check_token_format(token)
        assert len(token) == 64
        assert _unmask_cipher_token(token) == secret


def test_every_mask_is_new() -> None:
    secret = _get_new_csrf_string()
    assert len({pagecache.mask_csrf_secret(secret) for _ in range(200)}) == 200


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagecache, "_patterns", [r"cached-page/(?:[a-z0-9]+/)?"])
    monkeypatch.setattr(pagecache, "_compiled", None)


def test_registered_paths_match_with_and_without_the_language_prefix(registered: None) -> None:
    assert pagecache.path_registered("/cached-page/")
    assert pagecache.path_registered("/cached-page/abc123/")
    assert pagecache.path_registered("/en/cached-page/")
    assert not pagecache.path_registered("/zh-hans/cached-page/")
    assert not pagecache.path_registered("/cached-page/abc/edit/")
    assert not pagecache.path_registered("/other/")


# --- the ASGI front, against real Redis ---------------------------------------------------------


@pytest.fixture
def redis_cache(settings: Any, registered: None) -> Iterator[None]:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"the page cache's ASGI front needs Redis at {REDIS_URL}")
    prefix = f"zhongyan-test-front-{uuid.uuid4().hex[:8]}"
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "zhongyan.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.ALLOWED_HOSTS = ["testserver"]
    yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


class Downstream:
    """Django's place: records what reaches it and answers 204."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.scopes.append(scope)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def call(front: Any, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def run() -> None:
        try:
            await front(scope, receive, send)
        finally:
            await front.close()

    asyncio.run(run())
    return sent


class Stored:
    """A signed-in session with a stored page, as the middleware leaves them."""

    def __init__(self, path: str = "/cached-page/") -> None:
        self.session = SessionStore()
        self.session.update({"_auth_user_id": "7", "_auth_user_backend": "x", "_auth_user_hash": "h" * 64})
        self.session.save()
        self.secret = _get_new_csrf_string()
        self.path = path
        self.versions = read_many([pagecache.user_version_key(7), "test:version"])
        key = pagecache.entry_key(
            scheme="http", host="testserver", path=path, query="a=1", session_key=self.session.session_key or ""
        )
        self.entry = {
            "session": pagecache.session_digest(dict(self.session.items())),
            "versions": self.versions,
            "status": 200,
            "headers": [("Content-Type", "text/html; charset=utf-8"), ("X-Frame-Options", "DENY")],
            "body": b"<p>page</p><input value='" + pagecache.SENTINEL + b"'>",
        }
        cache.set(key, self.entry, 60)

    def scope(self, **changes: Any) -> dict[str, Any]:
        cookie = f"{settings.SESSION_COOKIE_NAME}={self.session.session_key}; {settings.CSRF_COOKIE_NAME}={self.secret}"
        scope = {
            "type": "http",
            "method": "GET",
            "scheme": "http",
            "path": self.path,
            "root_path": "",
            "query_string": b"a=1",
            "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        }
        scope.update(changes)
        return scope


@pytest.mark.django_db
def test_the_front_answers_a_stored_page_without_django(redis_cache: None) -> None:
    stored = Stored()
    downstream = Downstream()
    sent = call(pagefront.PageCacheFront(downstream), stored.scope())
    assert downstream.scopes == []
    start, body = sent
    assert start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"x-frame-options"] == b"DENY"
    assert headers[b"content-type"] == b"text/html; charset=utf-8"
    assert headers[b"content-length"] == str(len(body["body"])).encode()
    assert headers[b"set-cookie"].startswith(f"{settings.CSRF_COOKIE_NAME}={stored.secret};".encode())
    token = body["body"].split(b"value='")[1].split(b"'")[0].decode()
    assert _unmask_cipher_token(token) == stored.secret


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        "version moved on",
        "session changed",
        "signed out",
        "other query",
        "htmx",
        "message waiting",
    ],
)
def test_the_front_hands_every_doubtful_request_to_django(redis_cache: None, change: str) -> None:
    stored = Stored()
    scope = stored.scope()
    if change == "version moved on":
        advance("test:version")
    elif change == "session changed":
        stored.session["extra"] = 1
        stored.session.save()
    elif change == "signed out":
        stored.session.delete()
    elif change == "other query":
        scope = stored.scope(query_string=b"a=2")
    elif change == "htmx":
        scope["headers"].append((b"hx-request", b"true"))
    elif change == "message waiting":
        cookie = dict(scope["headers"])[b"cookie"] + b"; messages=abc"
        scope["headers"] = [(b"host", b"testserver"), (b"cookie", cookie)]
    downstream = Downstream()
    sent = call(pagefront.PageCacheFront(downstream), scope)
    assert len(downstream.scopes) == 1
    assert sent[0]["status"] == 204


@pytest.mark.django_db
def test_a_looked_up_miss_tells_django_not_to_look_again(redis_cache: None) -> None:
    stored = Stored()
    advance("test:version")
    downstream = Downstream()
    call(pagefront.PageCacheFront(downstream), stored.scope())
    assert (pagecache.MISSED_HEADER.encode(), b"1") in downstream.scopes[0]["headers"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scope_change",
    [
        {"method": "POST"},
        {"headers": [(b"host", b"evil.example.com")]},
        {"path": "/other/"},
    ],
    ids=["post", "host not allowed", "path not registered"],
)
def test_requests_the_cache_never_answers_pass_untouched(redis_cache: None, scope_change: dict[str, Any]) -> None:
    stored = Stored()
    scope = stored.scope()
    if "headers" in scope_change:
        cookie = dict(scope["headers"])[b"cookie"]
        scope_change = {"headers": [*scope_change["headers"], (b"cookie", cookie)]}
    scope.update(scope_change)
    downstream = Downstream()
    call(pagefront.PageCacheFront(downstream), scope)
    assert downstream.scopes == [scope]


@pytest.mark.django_db
def test_redis_gone_means_django_answers(redis_cache: None, settings: Any) -> None:
    stored = Stored()
    front = pagefront.PageCacheFront(Downstream())
    front.location = "redis://127.0.0.1:1/0"  # nothing listens there
    downstream = front.app
    sent = call(front, stored.scope())
    assert sent[0]["status"] == 204
    assert len(downstream.scopes) == 1  # type: ignore[attr-defined]


def test_the_front_is_mounted_only_with_redis_sessions(settings: Any) -> None:
    app = Downstream()
    settings.REDIS_URL = ""
    assert pagefront.mount(app) is app
