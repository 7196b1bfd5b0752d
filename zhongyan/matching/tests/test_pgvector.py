"""The optional pgvector backend: exercised only on PostgreSQL with the `vector` extension."""

import numpy as np
import pytest

from zhongyan.matching import pgvector

pytestmark = pytest.mark.django_db


def test_pgvector_is_off_by_default_and_off_without_postgresql(settings):
    settings.MATCHING_VECTOR_BACKEND = ""
    pgvector._checked.clear()
    assert pgvector.enabled() is False


def test_pgvector_returns_nearest_centroids_when_present(settings):
    if not pgvector.extension_present():
        pytest.skip("pgvector not available (needs PostgreSQL with CREATE EXTENSION vector)")
    settings.MATCHING_VECTOR_BACKEND = "pgvector"
    pgvector._checked.clear()
    assert pgvector.enabled()
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(5, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    for item_id, vector in enumerate(vectors):
        pgvector.upsert("expert", item_id, vector)
    assert pgvector.nearest("expert", vectors[3], 1) == [3]
    assert 3 not in pgvector.nearest("expert", vectors[3], 2, exclude={3})
    pgvector._checked.clear()
