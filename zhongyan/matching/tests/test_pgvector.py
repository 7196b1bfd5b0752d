"""The optional pgvector backend: exercised only on PostgreSQL with the `vector` extension (every test
but the first skips elsewhere, saying so)."""

import numpy as np
import pytest
from django.db import connection

from zhongyan.accounts.models import User
from zhongyan.accounts.services import update_profile
from zhongyan.core.content import bilingual
from zhongyan.matching import pgvector, registry, services
from zhongyan.matching.documents import demand_query
from zhongyan.matching.embedding import embed_text, get_encoder
from zhongyan.matching.models import Embedding
from zhongyan.matching.recommend import exclusions_for, recommend_experts, recommend_organisations

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


@pytest.fixture
def pgvector_backend(settings):
    """Switch the backend on for one test; skip where PostgreSQL lacks the extension."""
    if not pgvector.extension_present():
        pytest.skip("pgvector not available (needs PostgreSQL with CREATE EXTENSION vector)")
    settings.MATCHING_VECTOR_BACKEND = "pgvector"
    pgvector._checked.clear()
    yield settings
    pgvector._checked.clear()


def _ranking(result):
    return [(rec.obj.pk, round(rec.match.score, 5), tuple(rec.reasons)) for rec in result.recommended + result.excluded]


def test_recommendations_through_pgvector_equal_the_in_process_ones(
    pgvector_backend, monkeypatch, owner, bf_demand, experts, partner
):
    pgvector_backend.MATCHING_VECTOR_BACKEND = ""
    pgvector._checked.clear()
    in_process = (recommend_experts(bf_demand), recommend_organisations(bf_demand))
    assert in_process[0].recommended and in_process[1].recommended

    pgvector_backend.MATCHING_VECTOR_BACKEND = "pgvector"
    pgvector._checked.clear()
    assert pgvector.enabled()
    assert pgvector.backfill() == Embedding.objects.count()  # rows written while the backend was off
    registry.reset()
    asked = []
    real_nearest = pgvector.nearest
    monkeypatch.setattr(pgvector, "nearest", lambda *args, **kw: asked.append(args[0]) or real_nearest(*args, **kw))
    via_pgvector = (recommend_experts(bf_demand), recommend_organisations(bf_demand))

    assert set(asked) == {"expert", "organisation"}
    assert len(registry.get_index("expert")) == 0  # the experts were ranked without the in-process index
    assert _ranking(via_pgvector[0]) == _ranking(in_process[0])
    assert _ranking(via_pgvector[1]) == _ranking(in_process[1])


def test_the_candidate_pool_limits_what_pgvector_hands_the_engine(pgvector_backend, owner, bf_demand, experts):
    pgvector.backfill()
    pgvector_backend.MATCHING_PGVECTOR_CANDIDATES = 1
    excluded = len(exclusions_for(bf_demand))
    result = recommend_experts(bf_demand)
    assert len(result.recommended) + len(result.excluded) <= 1 + excluded
    query = embed_text(get_encoder(), demand_query(bf_demand).text)
    allowed = set(pgvector.nearest("expert", query, 1 + excluded))
    assert {rec.obj.pk for rec in result.recommended} <= allowed


def test_the_side_table_follows_embedding_changes(pgvector_backend, outsider, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_profile(actor=outsider, user=outsider, changes={"bio": bilingual(en="Blast furnace coal injection.")})
    assert _side_ids("expert") == {outsider.pk}
    User.objects.filter(pk=outsider.pk).update(is_active=False)
    services.reindex_expert(outsider.pk)
    assert _side_ids("expert") == set()


def _side_ids(item_type):
    with connection.cursor() as cursor:
        cursor.execute("SELECT item_id FROM matching_embedding_vector WHERE item_type = %s", [item_type])
        return {row[0] for row in cursor.fetchall()}
