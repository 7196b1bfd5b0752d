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
from django.db import connection

TABLE = "matching_embedding_vector"
_checked: dict[str, bool] = {}


def wanted() -> bool:
    backend = getattr(settings, "MATCHING_VECTOR_BACKEND", None) or os.environ.get("MATCHING_VECTOR_BACKEND", "")
    return backend == "pgvector"


def extension_present() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'")
        return cursor.fetchone() is not None


def enabled() -> bool:
    alias = connection.alias
    if alias not in _checked:
        _checked[alias] = wanted() and extension_present()
        if _checked[alias]:
            ensure_table()
    return _checked[alias]


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


def nearest(item_type: str, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id FROM matching_embedding_vector WHERE item_type = %s AND NOT (item_id = ANY(%s))"
            " ORDER BY centroid <#> %s::vector LIMIT %s",
            [item_type, list(exclude), _literal(query), k],
        )
        return [row[0] for row in cursor.fetchall()]
