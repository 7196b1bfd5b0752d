"""In-process vector index over normalised embeddings (inner product = cosine).

Two backends behind one interface, chosen by `IndexConfig` (see `make_index`):

* `ExactIndex` — a float32 matrix; a query is one matrix-vector product plus `argpartition`.
  Exact, no build cost, incremental add/update/remove (swap-with-last). Memory-bandwidth bound
  (~0.3 ms per 1k items on the 2-core box), so it is the default below 100k items.
* `HnswIndex` — usearch HNSW graph. Sub-linear search for very large collections, at the price of
  build time and approximate results (recall measured in bench/matching_latency.py).

Keys are non-negative integers (the caller keeps its own id <-> key map, e.g. a database pk).
Exclusions (conflicts of interest, the demand owner's colleagues) are applied here so top-k is
still k items after filtering.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from .embedding import normalize_rows

__all__ = ["ExactIndex", "HnswIndex", "IndexConfig", "VectorIndex", "load_index", "make_index"]


class VectorIndex(Protocol):
    ndim: int

    def add(self, keys: Sequence[int] | np.ndarray, vectors: np.ndarray) -> None: ...
    def remove(self, keys: Sequence[int] | np.ndarray) -> None: ...
    def search(self, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> tuple[np.ndarray, np.ndarray]: ...
    def save(self, path: str | os.PathLike[str]) -> None: ...
    def __len__(self) -> int: ...
    def __contains__(self, key: int) -> bool: ...


@dataclass(frozen=True)
class IndexConfig:
    backend: Literal["auto", "exact", "hnsw"] = "auto"
    # "auto" switches to HNSW at this many items. Measured on the 2-core box: exact search over 100k
    # 512-d vectors costs ~30 ms (memory-bound), which with ~25 ms of query encoding misses the 50 ms
    # p95 target; HNSW answers in ~3 ms at recall@20 ~0.95. Below 100k exact is fast and free to build.
    hnsw_threshold: int = 100_000
    # f16 halves memory against f32 at no measurable recall cost; i8 builds ~2.5x faster but caps
    # recall@20 near 0.95 (bench/matching_latency.py, docs/matching.md).
    hnsw_dtype: str = "f16"
    connectivity: int = 16
    expansion_add: int = 64
    # Search width: recall@20 vs exact at 100k was 0.84 / 0.94 / 0.965 / 0.995 for 64 / 160 / 320 / 640.
    expansion_search: int = 320


def make_index(ndim: int, *, expected_size: int = 0, config: IndexConfig | None = None) -> VectorIndex:
    config = config or IndexConfig()
    backend = config.backend
    if backend == "auto":
        backend = "hnsw" if expected_size >= config.hnsw_threshold else "exact"
    if backend == "hnsw":
        return HnswIndex(ndim, config=config)
    return ExactIndex(ndim, capacity=max(expected_size, 16))


def load_index(path: str | os.PathLike[str], *, config: IndexConfig | None = None) -> VectorIndex:
    """Load what `save` wrote; the format is recognised from the file (npz = exact, else usearch)."""
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic == b"PK":
        return ExactIndex.load(path)
    return HnswIndex.load(path, config=config)


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return top[np.argsort(-scores[top], kind="stable")][:k]


class ExactIndex:
    def __init__(self, ndim: int, *, capacity: int = 1024) -> None:
        self.ndim = ndim
        self._vectors = np.zeros((capacity, ndim), dtype=np.float32)
        self._keys = np.zeros(capacity, dtype=np.int64)
        self._rows: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: int) -> bool:
        return int(key) in self._rows

    def _grow(self, needed: int) -> None:
        capacity = len(self._keys)
        if needed <= capacity:
            return
        capacity = max(needed, capacity * 2)
        vectors = np.zeros((capacity, self.ndim), dtype=np.float32)
        vectors[: len(self)] = self._vectors[: len(self)]
        keys = np.zeros(capacity, dtype=np.int64)
        keys[: len(self)] = self._keys[: len(self)]
        self._vectors, self._keys = vectors, keys

    def add(self, keys: Sequence[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Add or replace (same key = update in place)."""
        vectors = normalize_rows(np.asarray(vectors, dtype=np.float32).reshape(-1, self.ndim))
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        if len(keys) != len(vectors):
            raise ValueError("keys and vectors differ in length")
        self._grow(len(self) + len(keys))
        for key, vector in zip(keys.tolist(), vectors, strict=True):
            row = self._rows.get(key)
            if row is None:
                row = len(self._rows)
                self._rows[key] = row
                self._keys[row] = key
            self._vectors[row] = vector

    def remove(self, keys: Sequence[int] | np.ndarray) -> None:
        for key in np.asarray(keys, dtype=np.int64).reshape(-1).tolist():
            row = self._rows.pop(key, None)
            if row is None:
                continue
            last = len(self._rows)
            if row != last:
                moved = int(self._keys[last])
                self._vectors[row] = self._vectors[last]
                self._keys[row] = moved
                self._rows[moved] = row

    def search(self, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosine scores) of the k best items, best first."""
        count = len(self)
        if count == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self._vectors[:count] @ normalize_rows(np.asarray(query, dtype=np.float32))
        for key in exclude:
            row = self._rows.get(int(key))
            if row is not None:
                scores[row] = -np.inf
        top = _top_k(scores, k)
        return self._keys[top].copy(), scores[top]

    def vector(self, key: int) -> np.ndarray:
        return self._vectors[self._rows[int(key)]].copy()

    def save(self, path: str | os.PathLike[str]) -> None:
        count = len(self)
        with open(path, "wb") as handle:  # an open handle stops numpy from appending ".npz" to the name
            np.savez(handle, keys=self._keys[:count], vectors=self._vectors[:count])

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ExactIndex:
        with np.load(Path(path), allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
        index = cls(vectors.shape[1], capacity=max(len(keys), 16))
        index.add(keys, vectors)
        return index


class HnswIndex:
    def __init__(self, ndim: int, *, config: IndexConfig | None = None, _index: object | None = None) -> None:
        from usearch.index import Index

        self.ndim = ndim
        self.config = config or IndexConfig()
        self._index = _index or Index(
            ndim=ndim,
            metric="ip",
            dtype=self.config.hnsw_dtype,
            connectivity=self.config.connectivity,
            expansion_add=self.config.expansion_add,
            expansion_search=self.config.expansion_search,
        )

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: int) -> bool:
        return bool(self._index.contains(int(key)))

    def add(self, keys: Sequence[int] | np.ndarray, vectors: np.ndarray, *, threads: int = 0) -> None:
        """Add or replace; `threads=0` lets usearch use every core for a bulk build."""
        keys = np.asarray(keys, dtype=np.uint64).reshape(-1)
        vectors = normalize_rows(np.asarray(vectors, dtype=np.float32).reshape(-1, self.ndim))
        if len(self._index):
            present = np.asarray(self._index.contains(keys), dtype=bool).reshape(-1)
            if present.any():
                self._index.remove(keys[present])
        self._index.add(keys, vectors, threads=threads)

    def remove(self, keys: Sequence[int] | np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.uint64).reshape(-1)
        present = np.asarray(self._index.contains(keys), dtype=bool).reshape(-1)
        if present.any():
            self._index.remove(keys[present])

    def search(self, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        if len(self) == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        excluded = {int(key) for key in exclude}
        wanted = min(len(self), k + len(excluded))
        matches = self._index.search(normalize_rows(np.asarray(query, dtype=np.float32)), wanted, threads=1)
        keys = np.asarray(matches.keys, dtype=np.int64)
        scores = 1.0 - np.asarray(matches.distances, dtype=np.float32)  # usearch "ip" distance is 1 - dot
        if excluded:
            keep = np.array([key not in excluded for key in keys.tolist()], dtype=bool)
            keys, scores = keys[keep], scores[keep]
        return keys[:k], scores[:k]

    def save(self, path: str | os.PathLike[str]) -> None:
        self._index.save(str(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, config: IndexConfig | None = None) -> HnswIndex:
        from usearch.index import Index

        restored = Index.restore(str(path))
        if restored is None:
            raise ValueError(f"{path} is not a usearch index")
        config = config or IndexConfig()
        restored.expansion_search = config.expansion_search
        return cls(restored.ndim, config=config, _index=restored)
