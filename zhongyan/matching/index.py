"""In-process vector index over normalised embeddings (inner product = cosine).

Two backends behind one interface, chosen by `IndexConfig` (see `make_index`):

* `ExactIndex` — a float32 matrix; a query is one matrix-vector product plus `argpartition`.
  Exact, no build cost, incremental add/update/remove (swap-with-last). Memory-bandwidth bound
  (~0.15 ms per 1k items on one core of the 2-core box), so it is the default below 100k items.
* `HnswIndex` — usearch HNSW graph over int8 vectors whose candidates are re-ranked exactly on a
  float16 copy. Sub-linear search for very large collections, at the price of build time and
  approximate results (recall@20 and latency measured by bench/matching_latency.py with these
  very defaults; figures in docs/matching.md, choice in docs/decisions/0012).

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
    # "auto" switches to HNSW at this many items (ADR 0012). Figures: docs/matching.md, measured by
    # bench/matching_latency.py, which builds its indexes from these defaults.
    hnsw_threshold: int = 100_000
    # Graph storage. i8 builds ~3x faster than f16 and halves the graph's memory; its quantisation
    # error is removed by the exact float16 re-rank of the `candidates` best graph results.
    hnsw_dtype: str = "i8"
    connectivity: int = 16
    expansion_add: int = 64
    # Search width (usearch ef); never below `candidates`. Chosen for recall@20 >= 0.95 at 1M:
    # 0.88-0.91 / 0.95 / 0.97-0.98 / 0.99 at 640 / 1280 / 2560 / 5120 on two builds, search ~11-18 ms p50
    # at 2560 (docs/matching.md).
    expansion_search: int = 2560
    # Graph results re-scored exactly before the top k are returned.
    candidates: int = 80


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
    with np.load(Path(path), allow_pickle=False) as data:
        graph = "graph" in data.files
    return HnswIndex.load(path, config=config) if graph else ExactIndex.load(path)


_CHUNK = 65_536  # rows normalised and inserted at a time by HnswIndex.add


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
        # einsum, not `@`: numpy's own single-threaded SIMD loop. OpenBLAS splits a matrix-vector
        # product over both cores, and on a busy box waiting for the second thread cost ~8 ms at 10k
        # items (0.3 ms idle) and slowed the next query encoding; einsum streams the matrix at memory
        # speed on one core (~1.5 ms per 10k items, ~14 ms per 100k, idle 2-core box).
        query = normalize_rows(np.asarray(query, dtype=np.float32).reshape(-1))
        scores = np.einsum("ij,j->i", self._vectors[:count], query)
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
    """usearch HNSW graph over int8-quantised vectors, re-ranked exactly on float16 copies.

    The graph only has to find candidates: it is built and searched on int8 vectors (about 3x faster
    to build than float16 and half the memory), and the best `candidates` it returns are re-scored
    with the exact inner product on a float16 copy of every vector, which removes the int8
    quantisation error from the final ranking (int8 alone caps recall@20 near 0.88 on
    USE-like vectors). The graph's labels are row numbers ("slots") of that copy, so a search maps
    results back to keys with one array lookup; removed slots are reused by later adds.
    """

    def __init__(self, ndim: int, *, config: IndexConfig | None = None) -> None:
        from usearch.index import Index

        self.ndim = ndim
        self.config = config or IndexConfig()
        self._index = Index(
            ndim=ndim,
            metric="ip",
            dtype=self.config.hnsw_dtype,
            connectivity=self.config.connectivity,
            expansion_add=self.config.expansion_add,
            expansion_search=max(self.config.expansion_search, self.config.candidates),
        )
        self._vectors = np.zeros((0, ndim), dtype=np.float16)
        self._keys = np.zeros(0, dtype=np.int64)
        self._slots: dict[int, int] = {}
        self._free: list[int] = []
        self._used = 0  # slots ever handed out; rows [0, _used) of the arrays are meaningful

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, key: int) -> bool:
        return int(key) in self._slots

    @property
    def expansion_search(self) -> int:
        return int(self._index.expansion_search)

    @expansion_search.setter
    def expansion_search(self, width: int) -> None:
        self._index.expansion_search = int(width)

    def _grow(self, needed: int) -> None:
        capacity = len(self._keys)
        if needed <= capacity:
            return
        capacity = max(needed, capacity * 2, 16)
        vectors = np.zeros((capacity, self.ndim), dtype=np.float16)
        vectors[: len(self._vectors)] = self._vectors
        keys = np.full(capacity, -1, dtype=np.int64)
        keys[: len(self._keys)] = self._keys
        self._vectors, self._keys = vectors, keys

    def _assign_slots(self, keys: np.ndarray) -> np.ndarray:
        """A slot per key: its current one (the graph node is removed, to be re-added) or a free one."""
        if self._used == 0:  # bulk build into an empty index (keys are unique here): slots 0..n-1
            self._grow(len(keys))
            self._slots = dict(zip(keys.tolist(), range(len(keys)), strict=True))
            self._used = len(keys)
            return np.arange(len(keys), dtype=np.uint64)
        slots = np.empty(len(keys), dtype=np.uint64)
        replaced = []
        next_slot = self._used
        for position, key in enumerate(keys.tolist()):
            slot = self._slots.get(key)
            if slot is not None:
                replaced.append(slot)
            elif self._free:
                slot = self._free.pop()
            else:
                slot, next_slot = next_slot, next_slot + 1
            self._slots[key] = slot
            slots[position] = slot
        if replaced:
            self._index.remove(np.asarray(sorted(set(replaced)), dtype=np.uint64))
        self._grow(next_slot)
        self._used = next_slot
        return slots

    def add(self, keys: Sequence[int] | np.ndarray, vectors: np.ndarray, *, threads: int = 0) -> None:
        """Add or replace; `threads=0` lets usearch use every core for a bulk build.

        Vectors are normalised and inserted in chunks so a bulk build of 1M items holds no second
        float32 copy of the input (2 GB) besides the index itself.
        """
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        vectors = np.asarray(vectors).reshape(-1, self.ndim)
        if len(keys) != len(vectors):
            raise ValueError("keys and vectors differ in length")
        if len(keys) == 0:
            return
        # A key given twice in one call: the last vector wins, as with ExactIndex.
        _, last = np.unique(keys[::-1], return_index=True)
        if len(last) != len(keys):
            keep = np.sort(len(keys) - 1 - last)
            keys, vectors = keys[keep], vectors[keep]
        slots = self._assign_slots(keys)
        self._keys[slots.astype(np.int64)] = keys
        for start in range(0, len(keys), _CHUNK):
            chunk = normalize_rows(np.asarray(vectors[start : start + _CHUNK], dtype=np.float32))
            self._vectors[slots[start : start + _CHUNK].astype(np.int64)] = chunk
            self._index.add(slots[start : start + _CHUNK], chunk, threads=threads)

    def remove(self, keys: Sequence[int] | np.ndarray) -> None:
        slots = []
        for key in np.asarray(keys, dtype=np.int64).reshape(-1).tolist():
            slot = self._slots.pop(key, None)
            if slot is not None:
                slots.append(slot)
                self._keys[slot] = -1
                self._free.append(slot)
        if slots:
            self._index.remove(np.asarray(slots, dtype=np.uint64))

    def search(self, query: np.ndarray, k: int, *, exclude: Collection[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosine scores) of the k best items, best first: graph candidates, exact re-rank."""
        if len(self) == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = normalize_rows(np.asarray(query, dtype=np.float32).reshape(-1))
        excluded = {self._slots[int(key)] for key in exclude if int(key) in self._slots}
        wanted = min(len(self), max(self.config.candidates, k) + len(excluded))
        slots = np.asarray(self._index.search(query, wanted, threads=1).keys, dtype=np.int64)
        if excluded:
            slots = slots[[slot not in excluded for slot in slots.tolist()]]
        scores = self._vectors[slots].astype(np.float32) @ query
        order = _top_k(scores, k)
        return self._keys[slots[order]], scores[order]

    def vector(self, key: int) -> np.ndarray:
        return self._vectors[self._slots[int(key)]].astype(np.float32)

    def save(self, path: str | os.PathLike[str]) -> None:
        """One .npz: the serialised graph, the float16 re-rank copy and the slot -> key table."""
        graph = np.frombuffer(self._index.save(), dtype=np.uint8)
        with open(path, "wb") as handle:
            np.savez(handle, graph=graph, keys=self._keys[: self._used], vectors=self._vectors[: self._used])

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, config: IndexConfig | None = None) -> HnswIndex:
        from usearch.index import Index

        with np.load(Path(path), allow_pickle=False) as data:
            graph, keys, vectors = data["graph"], data["keys"], data["vectors"]
        restored = Index.restore(graph.tobytes())
        if restored is None:
            raise ValueError(f"{path} holds no usearch index")
        index = cls(restored.ndim, config=config or IndexConfig())
        restored.expansion_search = max(index.config.expansion_search, index.config.candidates)
        index._index = restored
        index._keys, index._vectors = keys.copy(), vectors.copy()
        index._slots = {key: slot for slot, key in enumerate(keys.tolist()) if key >= 0}
        index._free = [slot for slot, key in enumerate(keys.tolist()) if key < 0]
        index._used = len(keys)
        return index
