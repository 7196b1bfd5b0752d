"""The page cache's ASGI front: stored pages answered in the event loop, before Django.

With Redis (production), a request the page cache may answer (core/pagecache.py has the rules)
is looked up here with one asynchronous MGET (the session, the entry, the entry's versions) and,
on a hit, answered without the thread pool, the WSGI handler or any middleware: that hop and
Django's request handling cost more than the look-up itself (ADR 0015). Everything this front
decides is decided by the same functions as in `PageCacheMiddleware`, from the same inputs
Django would read (the host checked against ALLOWED_HOSTS, the scheme as SECURE_PROXY_SSL_HEADER
says, the cookies parsed by Django's parser); anything it is unsure of, or any error, goes to
Django unchanged, which renders the page and stores it for the next time.
"""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import import_module
from typing import Any

import redis
import redis.asyncio
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisSerializer
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host

from zhongyan.core import pagecache

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_MISSED = (pagecache.MISSED_HEADER.encode(), b"1")


def usable() -> bool:
    """The front needs the shared Redis cache, with the sessions kept in it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.CACHES["default"]["BACKEND"]
    return (
        bool(settings.REDIS_URL)
        and backend.endswith("RedisCache")
        and settings.SESSION_CACHE_ALIAS == "default"
        and hasattr(store, "cache_key_prefix")
        and not settings.USE_X_FORWARDED_HOST
    )


def mount(app: ASGIApp) -> ASGIApp:
    return PageCacheFront(app) if usable() else app


class _Request:
    __slots__ = ("cookies", "key", "session_key")

    def __init__(self, key: str, session_key: str, cookies: dict[str, str]) -> None:
        self.key, self.session_key, self.cookies = key, session_key, cookies


class PageCacheFront:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        backend = caches["default"]
        self.make_key = backend.make_key  # pure: the key prefix and version of the default cache
        self.location = settings.CACHES["default"]["LOCATION"]
        self.serializer = RedisSerializer()
        self.session_prefix = import_module(settings.SESSION_ENGINE).SessionStore.cache_key_prefix
        self.hints = pagecache.VersionHints()
        self.clients: dict[asyncio.AbstractEventLoop, redis.asyncio.Redis] = {}
        allowed = settings.ALLOWED_HOSTS
        self.allowed_hosts = [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG and not allowed else allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            request = self._cacheable(scope)
            if request is not None:
                if await self._serve(request, send):
                    return
                scope = {**scope, "headers": [*scope["headers"], _MISSED]}
        await self.app(scope, receive, send)

    def _cacheable(self, scope: Scope) -> _Request | None:
        path: str = scope["path"]
        if not pagecache.enabled() or scope.get("root_path") or not path.isascii():
            return None
        if not pagecache.path_registered(path):
            return None
        query = scope["query_string"].decode("latin-1")
        if "%00" in query:
            return None
        headers: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in headers or name == b"hx-request":
                return None  # a repeated header, or htmx asking for a fragment: Django decides
            headers[name] = value
        host = headers.get(b"host", b"").decode("latin-1")
        domain, _port = split_domain_port(host)
        if not domain or not validate_host(domain, self.allowed_hosts):
            return None
        scheme = self._scheme(scope, headers)
        if settings.SECURE_SSL_REDIRECT and scheme != "https":
            return None
        cookies = parse_cookie(headers.get(b"cookie", b"").decode("latin-1"))
        session_key = cookies.get(settings.SESSION_COOKIE_NAME, "")
        csrf_secret = cookies.get(settings.CSRF_COOKIE_NAME, "")
        if len(session_key) < 8 or not pagecache.csrf_secret_usable(csrf_secret) or "messages" in cookies:
            return None
        key = pagecache.entry_key(scheme=scheme, host=host, path=path, query=query, session_key=session_key)
        return _Request(key, session_key, cookies)

    @staticmethod
    def _scheme(scope: Scope, headers: dict[bytes, bytes]) -> str:
        """HttpRequest.scheme, from the same inputs."""
        if settings.SECURE_PROXY_SSL_HEADER:
            header, secure_value = settings.SECURE_PROXY_SSL_HEADER
            name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
            if name in headers:
                value = headers[name].decode("latin-1").split(",", 1)[0].strip()
                return "https" if value == secure_value else "http"
        return str(scope.get("scheme") or "http")

    def _client(self) -> redis.asyncio.Redis:
        loop = asyncio.get_running_loop()
        client = self.clients.get(loop)
        if client is None:
            for old in [old for old in self.clients if old.is_closed()]:
                del self.clients[old]
            pool = redis.asyncio.BlockingConnectionPool.from_url(self.location, max_connections=64, timeout=5)
            client = self.clients[loop] = redis.asyncio.Redis.from_pool(pool)
        return client

    def _loads(self, raw: bytes | None) -> Any:
        return None if raw is None else self.serializer.loads(raw)

    async def _serve(self, request: _Request, send: Send) -> bool:
        hint = self.hints.get(request.key)
        keys = [self.make_key(self.session_prefix + request.session_key), self.make_key(request.key)]
        keys += [self.make_key(version) for version in hint]
        try:
            values = await self._client().mget(keys)
            session, entry = self._loads(values[0]), self._loads(values[1])
            if entry is None or not session:
                return False
            if self.hints.remember(request.key, entry):
                hint = list(entry["versions"])
                values = [None, None, *await self._client().mget([self.make_key(version) for version in hint])]
        except (TimeoutError, redis.RedisError, OSError):
            return False  # Django answers (and says what is wrong with the cache, if anything)
        current = {version: self._loads(raw) for version, raw in zip(hint, values[2:], strict=True) if raw is not None}
        if not pagecache.still_valid(entry, session, current):
            return False
        secret = request.cookies[settings.CSRF_COOKIE_NAME]
        body = pagecache.body_for(entry, secret)
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in entry["headers"]]
        headers += [(b"content-length", str(len(body)).encode()), (b"set-cookie", _csrf_cookie(secret))]
        await send({"type": "http.response.start", "status": entry["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    async def close(self) -> None:
        for client in self.clients.values():
            with contextlib.suppress(Exception):
                await client.aclose()
        self.clients.clear()


def _csrf_cookie(secret: str) -> bytes:
    """The Set-Cookie value CsrfViewMiddleware would send, made by Django's own code."""
    response = HttpResponse()
    pagecache.set_csrf_cookie(response, secret)
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString().encode("latin-1")
