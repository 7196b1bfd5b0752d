"""The in-process index: one engine `Matcher` per item type, loaded from the `Embedding` table.

Each process keeps its own copy. The process that re-encodes an item updates its copy at once
(`put`/`drop`); every other process catches up on its next search (`sync`): rows whose
`updated_at` moved since its last sync are re-read (an indexed query), and a count mismatch
triggers a cheap id diff for deletions. Nothing is re-encoded on load: the stored sentence
vectors go straight into the matcher.

Optional settings (none is required; defaults in the engine): `MATCH_POOL_THRESHOLD` (items above
which a search scores a candidate pool, default 5,000), `MATCH_POOL_SIZE` (candidates per source,
default 200) and `MATCH_INDEX_BACKEND` ("auto", "exact" or "hnsw"; "auto" = exact numpy below
`IndexConfig.hnsw_threshold` items, usearch HNSW from there on). See docs/matching.md.
"""

from __future__ import annotations

import threading
from datetime import datetime

import numpy as np
from django.conf import settings

from zhongyan.matching.documents import Document
from zhongyan.matching.engine import POOL_SIZE, POOL_THRESHOLD, Matcher
from zhongyan.matching.index import IndexConfig
from zhongyan.matching.models import Embedding


def vectors_from_bytes(data: bytes | memoryview, dim: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32).reshape(-1, dim)


class MatchIndex:
    def __init__(self, item_type: str) -> None:
        self.item_type = item_type
        self.matcher = Matcher(
            index_config=IndexConfig(backend=getattr(settings, "MATCH_INDEX_BACKEND", "auto")),
            pool_threshold=getattr(settings, "MATCH_POOL_THRESHOLD", POOL_THRESHOLD),
            pool_size=getattr(settings, "MATCH_POOL_SIZE", POOL_SIZE),
        )
        self.hashes: dict[str, str] = {}
        self._synced_to: datetime | None = None
        self._lock = threading.RLock()

    def put(self, item_id: int, document: Document, vectors: np.ndarray) -> None:
        key = str(item_id)
        with self._lock:
            self.matcher.add_encoded(document.item(key), vectors)
            self.hashes[key] = document.hash

    def drop(self, item_id: int) -> None:
        key = str(item_id)
        with self._lock:
            self.matcher.remove([key])
            self.hashes.pop(key, None)

    def sync(self) -> None:
        with self._lock:
            rows = Embedding.objects.filter(item_type=self.item_type)
            changed = rows if self._synced_to is None else rows.filter(updated_at__gte=self._synced_to)
            for row in changed.iterator(chunk_size=500):
                key = str(row.item_id)
                if self.hashes.get(key) != row.text_hash:
                    document = Document(row.text, tuple(row.titles), tuple(row.field_codes))
                    self.matcher.add_encoded(document.item(key), vectors_from_bytes(row.vectors, row.dim))
                    self.hashes[key] = row.text_hash
                if self._synced_to is None or row.updated_at > self._synced_to:
                    self._synced_to = row.updated_at
            if rows.count() != len(self.hashes):
                stored = {str(item_id) for item_id in rows.values_list("item_id", flat=True)}
                gone = [key for key in self.hashes if key not in stored]
                self.matcher.remove(gone)
                for key in gone:
                    self.hashes.pop(key)

    def __len__(self) -> int:
        return len(self.hashes)


def stored_matcher(item_type: str, item_ids: list[int]) -> Matcher:
    """A throw-away matcher over a few stored items (the pgvector candidates), built from their stored
    vectors without re-encoding; items are added in primary-key order, as `MatchIndex.sync` adds them."""
    matcher = Matcher()
    rows = Embedding.objects.filter(item_type=item_type, item_id__in=item_ids).order_by("pk")
    for row in rows:
        document = Document(row.text, tuple(row.titles), tuple(row.field_codes))
        matcher.add_encoded(document.item(str(row.item_id)), vectors_from_bytes(row.vectors, row.dim))
    return matcher


_indexes: dict[str, MatchIndex] = {}
_registry_lock = threading.Lock()


def get_index(item_type: str) -> MatchIndex:
    with _registry_lock:
        if item_type not in _indexes:
            _indexes[item_type] = MatchIndex(item_type)
        return _indexes[item_type]


def reset() -> None:
    """Forget every in-process index (tests; after a database restore)."""
    with _registry_lock:
        _indexes.clear()
