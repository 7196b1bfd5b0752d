"""Optional pgvector backend: item centroids in PostgreSQL, for nearest-neighbour candidate search
when the expert base outgrows one process's memory (docs/matching.md, "pgvector").

Enabled by `MATCHING_VECTOR_BACKEND=pgvector` (setting or environment variable) on PostgreSQL with
the `vector` extension installed (`CREATE EXTENSION vector` by a superuser). Anywhere else —
SQLite, PostgreSQL without the extension — `enabled()` is False and nothing here runs, so the
embedded default never needs it. The side table is created on first use, not by a migration,
because a migration cannot depend on an extension that may be absent.
"""

from __future__ import annotations

import os
from collections.abc import Collection

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from zhongyan.matching.embedding import mean_vector
from zhongyan.matching.models import Embedding

TABLE = "matching_embedding_vector"
MAX_EF_SEARCH = 1000  # pgvector's upper bound for hnsw.ef_search
_checked: dict[str, bool] = {}


def wanted() -> bool:
    """The setting wins when defined (even empty); otherwise the environment variable."""
    backend = getattr(settings, "MATCHING_VECTOR_BACKEND", None)
    if backend is None:
        backend = os.environ.get("MATCHING_VECTOR_BACKEND", "")
    return backend == "pgvector"


def extension_present() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
        return cursor.fetchone() is not None


def enabled() -> bool:
    alias = connection.alias
    if alias in _checked:
        return _checked[alias]
    if not (wanted() and extension_present()):
        _checked[alias] = False
        return False
    ensure_table()
    if connection.in_atomic_block:
        # The side table exists for good only once this transaction commits: remember the answer then,
        # so a rollback cannot leave a cached "yes" without a table.
        transaction.on_commit(lambda: _checked.__setitem__(alias, True), using=alias)
    else:
        _checked[alias] = True
    return True


def ensure_table(dim: int = 512) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} ("
            " item_type varchar(12) NOT NULL, item_id bigint NOT NULL,"
            f" centroid vector({dim}) NOT NULL, PRIMARY KEY (item_type, item_id))"
        )
        # nearest(): inner-product search over normalised centroids.
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS matching_embedding_vector_hnsw ON {TABLE} USING hnsw (centroid vector_ip_ops)"
        )


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{value:.6f}" for value in np.asarray(vector, dtype=np.float32).ravel()) + "]"


def upsert(item_type: str, item_id: int, centroid: np.ndarray) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO matching_embedding_vector (item_type, item_id, centroid) VALUES (%s, %s, %s::vector)"
            " ON CONFLICT (item_type, item_id) DO UPDATE SET centroid = EXCLUDED.centroid",
            [item_type, item_id, _literal(centroid)],
        )


def delete(item_type: str, item_ids: Collection[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM matching_embedding_vector WHERE item_type = %s AND item_id = ANY(%s)",
            [item_type, list(item_ids)],
        )


def backfill(*, batch: int = 500) -> int:
    """Make the side table mirror the `Embedding` table: rows written while the backend was off are
    added or refreshed, rows of items gone since are deleted (run by `rebuild_match_index`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM matching_embedding_vector v WHERE NOT EXISTS (SELECT 1 FROM matching_embedding e"
            " WHERE e.item_type = v.item_type AND e.item_id = v.item_id)"
        )
    written = 0
    rows = Embedding.objects.values_list("item_type", "item_id", "dim", "vectors").order_by("pk")
    chunk: list[list[object]] = []
    for item_type, item_id, dim, data in rows.iterator(chunk_size=batch):
        centroid = mean_vector(np.frombuffer(bytes(data), dtype=np.float32).reshape(-1, dim))
        chunk.append([item_type, item_id, _literal(centroid)])
        if len(chunk) >= batch:
            written += _upsert_many(chunk)
            chunk = []
    return written + _upsert_many(chunk)


def _upsert_many(rows: list[list[object]]) -> int:
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO matching_embedding_vector (item_type, item_id, centroid) VALUES (%s, %s, %s::vector)"
                " ON CONFLICT (item_type, item_id) DO UPDATE SET centroid = EXCLUDED.centroid",
                rows,
            )
    return len(rows)


def nearest(item_type: str, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> list[int]:
    """Ids of the `k` items whose normalised centroid has the largest inner product with `query`."""
    # An HNSW scan returns at most `hnsw.ef_search` rows (40 by default, 1000 at most), so widen it to k
    # for this transaction only.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('hnsw.ef_search', %s, true)", [str(min(max(k, 40), MAX_EF_SEARCH))])
        cursor.execute(
            "SELECT item_id FROM matching_embedding_vector WHERE item_type = %s AND NOT (item_id = ANY(%s))"
            " ORDER BY centroid <#> %s::vector LIMIT %s",
            [item_type, list(exclude), _literal(query), k],
        )
        return [row[0] for row in cursor.fetchall()]
