"""Version counters in the shared cache: numbers that only grow, moved on by writes after commit.

Caches key their entries by the versions of what they were computed from (the demand list's
generation, one person's visibility, one demand's page); a write moves a version on and every
entry made before it stops matching. If a counter is ever evicted it restarts from the clock in
microseconds, which is larger than any number handed out before, so an old entry can never
match a restarted counter.
"""

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction


def _fresh() -> int:
    return time.time_ns() // 1000


def read(key: str) -> int:
    """The counter's current value, starting it if it is missing."""
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), timeout=None)
        value = cache.get(key) or _fresh()
    return int(value)


def read_many(keys: Iterable[str]) -> dict[str, int]:
    """Several counters in one round trip; missing ones are started."""
    wanted = list(dict.fromkeys(keys))
    found = cache.get_many(wanted)
    return {key: int(found[key]) if key in found else read(key) for key in wanted}


def advance(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # evicted or never read: any fresh number is newer than the old ones
        cache.set(key, _fresh(), timeout=None)


def advance_after_commit(key: str) -> None:
    """Call inside the writing transaction: entries computed before the write stop matching once
    it is committed (and at once, outside a transaction)."""
    transaction.on_commit(lambda: advance(key))


def advance_now_and_after_commit(key: str) -> None:
    """For a write that others may read while its transaction is open: the version moves on at
    once (this transaction's own requests see the change) and again after commit, so an entry
    computed by a concurrent request from rows read before the commit cannot stay current."""
    advance(key)
    if transaction.get_connection().in_atomic_block:
        advance_after_commit(key)
