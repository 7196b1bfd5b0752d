"""Which stored items a query is ranked against.

By default, every item of the type, in this process's index (`registry`). With the pgvector backend
(`pgvector.enabled()`), PostgreSQL picks the candidates first: the `pool` items whose stored centroid
is nearest the query's vector, ranked then by the same hybrid engine from their stored vectors, so a
process never has to hold every expert in memory. When the pool covers every item the two give the
same ranking (tests/test_pgvector.py proves it); beyond that, an item that shares words with the
query but whose meaning sits far from it can be missed, which is the price of not scanning them all.
"""

from __future__ import annotations

from django.conf import settings

from zhongyan.matching import pgvector
from zhongyan.matching.embedding import embed_text, get_encoder
from zhongyan.matching.engine import Matcher, Query
from zhongyan.matching.registry import get_index, stored_matcher

DEFAULT_POOL = 200


def pool_size() -> int:
    return int(getattr(settings, "MATCHING_PGVECTOR_CANDIDATES", DEFAULT_POOL))


def matcher_for(item_type: str, query: Query, *, extra: int = 0) -> Matcher:
    """The matcher to search `query` in; `extra` widens the pool by the number of ids the caller will
    exclude, so excluded items do not eat into the k results."""
    if not pgvector.enabled():
        index = get_index(item_type)
        index.sync()
        return index.matcher
    vector = embed_text(get_encoder(), query.text)
    return stored_matcher(item_type, pgvector.nearest(item_type, vector, pool_size() + extra))
