"""Django's Redis cache backend, made cheap per call.

Two costs of the stock backend show on every signed-in request (the session and the demand list
read Redis; issue 3's benchmark):
- each cache object opens its own connection pool, and Django keeps a cache object per thread
  (and per request context under ASGI): `SharedRedisPool` gives every cache object of a
  process the same pool for the same URL and options;
- every operation builds a new `redis.Redis` client around the pool, which copies the client's
  ~170 response callbacks into a fresh dict: about a millisecond of CPU per call, more than the
  round trip itself. `RedisCache` builds one client per pool and reuses it (a `redis.Redis`
  over a pool is safe to share between threads).
"""

from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedRedisPool(redis.ConnectionPool):
    """One connection pool per process for each URL and set of options."""

    _shared: dict[tuple[str, str], redis.ConnectionPool] = {}

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> redis.ConnectionPool:  # type: ignore[override]
        key = (url, repr(sorted(kwargs.items())))
        if key not in cls._shared:
            cls._shared[key] = super().from_url(url, **kwargs)
        return cls._shared[key]


_clients: dict[int, redis.Redis] = {}


class ReusedClientRedisCacheClient(RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> redis.Redis:
        pool = self._get_connection_pool(write)
        client = _clients.get(id(pool))
        if client is None or client.connection_pool is not pool:
            client = _clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._options = {"pool_class": "zhongyan.core.cache.SharedRedisPool", **self._options}
