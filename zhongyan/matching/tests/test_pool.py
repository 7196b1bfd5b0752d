"""The engine's candidate-pool search (vector index ∪ BM25 top C, then full scoring of the pool), on the
bilingual development set. Pure: no database."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from zhongyan.matching.embedding import get_encoder
from zhongyan.matching.engine import Item, Matcher, Query
from zhongyan.matching.index import ExactIndex, HnswIndex, IndexConfig

DATA = Path(__file__).parent / "data" / "devset.json"


def profile_item(profile: dict) -> Item:  # as bench/matching_quality.py builds them
    separator = "研究方向：" if profile["language"] == "zh" else "Keywords: "
    joiner = "、" if profile["language"] == "zh" else ", "
    text = f"{profile['bio']}\n{separator}{joiner.join(profile['keywords'])}"
    return Item(profile["id"], text, frozenset(profile["fields"]), profile["language"], tuple(profile["publications"]))


@pytest.fixture(scope="module")
def devset() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def queries(devset) -> list[Query]:
    return [Query(f"{d['title']}。{d['text']}", frozenset(d["fields"])) for d in devset["demands"]]


@pytest.fixture(scope="module")
def full(devset) -> Matcher:
    """Every profile scored on every search (the default below the pool threshold)."""
    matcher = Matcher(encoder=get_encoder())
    matcher.add(profile_item(p) for p in devset["profiles"])
    assert len(matcher) > 200
    return matcher


def pooled(full: Matcher, devset: dict, *, pool_size: int, **options) -> Matcher:
    """A matcher over the same profiles and stored vectors that always uses its candidate pool."""
    matcher = Matcher(encoder=get_encoder(), pool_threshold=0, pool_size=pool_size, **options)
    matcher.add_encoded_many((profile_item(p), full.sentence_vectors(p["id"])) for p in devset["profiles"])
    return matcher


def test_pool_covering_every_item_ranks_and_explains_like_the_full_scan(full, devset, queries):
    matcher = pooled(full, devset, pool_size=len(full) + 10)
    for query in queries:
        expected, got = full.search(query, k=10), matcher.search(query, k=10)
        assert [m.id for m in got] == [m.id for m in expected]
        for a, b in zip(got, expected, strict=True):
            assert a.score == pytest.approx(b.score, abs=1e-6)
            assert a.explanation.terms == b.explanation.terms
            assert a.explanation.shared_fields == b.explanation.shared_fields
            assert a.explanation.best_snippet == b.explanation.best_snippet
            assert a.explanation.cross_language == b.explanation.cross_language


def test_small_pool_keeps_the_full_scan_top_ten(full, devset, queries):
    """C = 100 of 210 profiles: candidates come from the vector index and BM25, not from everything."""
    matcher = pooled(full, devset, pool_size=100)
    overlaps = [len({m.id for m in matcher.search(q, k=10)} & {m.id for m in full.search(q, k=10)}) for q in queries]
    assert np.mean(overlaps) >= 9.0  # measured 9.8 (docs/matching.md)
    assert min(overlaps) >= 7


def test_exclusions_hold_in_the_pool_path(full, devset, queries):
    matcher = pooled(full, devset, pool_size=30)
    for query in queries[:10]:
        top = [m.id for m in matcher.search(query, k=10)]
        excluded = set(top[:5])
        again = matcher.search(query, k=10, exclude=excluded)
        assert len(again) == 10
        assert not excluded & {m.id for m in again}
        assert [m.id for m in again][:5] == [i for i in [m.id for m in again] if i not in excluded][:5]


def test_excluding_all_but_a_few_returns_exactly_those(full, devset, queries):
    matcher = pooled(full, devset, pool_size=30)
    ids = matcher.ids
    keep = {ids[3], ids[50], ids[120]}
    found = matcher.search(queries[0], k=10, exclude=set(ids) - keep)
    assert {m.id for m in found} == keep


def test_pool_path_sees_adds_updates_and_removals(full, devset, queries):
    matcher = pooled(full, devset, pool_size=20)
    query = queries[0]
    newcomer = Item("new", f"{query.text} {query.text}", query.fields, None, (query.text,))
    matcher.add([newcomer])
    assert len(matcher.vector_index) == len(matcher)
    assert matcher.search(query, k=5)[0].id == "new"

    matcher.add([Item("new", "热镀锌锌锅锌渣的形成与镀层重量控制。", frozenset({"coating"}))])  # text edited
    assert "new" not in {m.id for m in matcher.search(query, k=10)}
    assert np.allclose(matcher.vector_index.vector(matcher._keys["new"]), matcher.item_vector("new"), atol=1e-6)

    first = matcher.search(query, k=1)[0].id
    matcher.remove([first, "new"])
    assert len(matcher.vector_index) == len(matcher)
    assert first not in {m.id for m in matcher.search(query, k=20)}


def test_auto_backend_moves_the_item_vectors_to_hnsw_at_its_threshold(full, devset, queries):
    exact = pooled(full, devset, pool_size=100)
    assert isinstance(exact.vector_index, ExactIndex)
    hnsw = pooled(full, devset, pool_size=100, index_config=IndexConfig(hnsw_threshold=100))
    assert isinstance(hnsw.vector_index, HnswIndex)
    assert len(hnsw.vector_index) == len(hnsw)
    same = sum([m.id for m in hnsw.search(q, k=10)] == [m.id for m in exact.search(q, k=10)] for q in queries)
    assert same >= len(queries) - 2  # HNSW is approximate; on 210 items it should find the same pool
    hnsw.remove([hnsw.ids[0]])
    assert len(hnsw.vector_index) == len(hnsw)


def test_excluding_every_item_returns_nothing(full, devset, queries):
    matcher = pooled(full, devset, pool_size=30)
    assert matcher.search(queries[0], k=10, exclude=set(matcher.ids)) == []
