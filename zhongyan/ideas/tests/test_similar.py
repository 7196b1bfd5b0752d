"""Duplicate hints: the token-overlap fallback and, when installed, the matching engine."""

from typing import Any

import pytest
from django.urls import reverse

from zhongyan.core.content import bilingual
from zhongyan.ideas import similar
from zhongyan.ideas.models import Campaign
from zhongyan.ideas.tests.factories import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(campaign: Campaign, teammate: Any, operator: Any) -> list[Any]:
    return [
        make_idea(campaign, teammate),  # 高炉富氢喷吹降低焦比 / hydrogen-rich injection
        make_idea(
            campaign,
            operator,
            title=bilingual(zh="食堂餐厨垃圾堆肥", en="Composting canteen food waste"),
            description=bilingual(zh="把食堂垃圾做成肥料。", en="Turn canteen waste into fertiliser."),
        ),
    ]


def test_the_fallback_finds_the_idea_sharing_words(
    monkeypatch: Any, campaign: Campaign, ideas: list[Any], owner: Any
) -> None:
    monkeypatch.setattr(similar, "TextMatcher", None)
    hints = similar.similar(user=owner, campaign=campaign, title="高炉喷吹富氢煤气", description="降低焦比和碳排放")
    assert [hint.object for hint in hints["ideas"]] == [ideas[0]]


def test_the_fallback_finds_nothing_for_an_unrelated_draft(
    monkeypatch: Any, campaign: Campaign, ideas: list[Any], owner: Any
) -> None:
    monkeypatch.setattr(similar, "TextMatcher", None)
    hints = similar.similar(user=owner, campaign=campaign, title="冷轧机颤振监测", description="振动传感器")
    assert hints == {"ideas": [], "demands": []}


def test_a_too_short_draft_gets_no_hints(campaign: Campaign, ideas: list[Any], owner: Any) -> None:
    assert similar.similar(user=owner, campaign=campaign, title="高") == {"ideas": [], "demands": []}


def test_hints_skip_drafts_and_the_idea_being_edited(
    monkeypatch: Any, campaign: Campaign, ideas: list[Any], owner: Any
) -> None:
    monkeypatch.setattr(similar, "TextMatcher", None)
    make_idea(campaign, owner, submit=False, title=bilingual(zh="高炉富氢喷吹草稿"))
    hints = similar.similar(user=owner, campaign=campaign, title="高炉富氢喷吹", exclude=ideas[0])
    assert hints["ideas"] == []


def test_similar_demands_are_only_those_the_user_may_see(
    monkeypatch: Any, campaign: Campaign, owner: Any, solver: Any, owner_org: Any
) -> None:
    from zhongyan.demands.tests.factories import DemandFactory

    monkeypatch.setattr(similar, "TextMatcher", None)
    internal = DemandFactory(
        organisation=owner_org,
        owner=owner,
        status="published",
        confidentiality="internal",
        title=bilingual(zh="高炉富氢喷吹工艺优化"),
        summary=bilingual(zh="富氢喷吹降低焦比"),
    )
    assert [h.object for h in similar.similar(user=owner, campaign=campaign, title="高炉富氢喷吹")["demands"]] == [
        internal
    ]
    assert similar.similar(user=solver, campaign=campaign, title="高炉富氢喷吹")["demands"] == []


@pytest.mark.skipif(similar.TextMatcher is None, reason="the matching engine is not installed")
def test_the_engine_finds_an_english_idea_for_a_chinese_draft(campaign: Campaign, operator: Any, owner: Any) -> None:
    english = make_idea(
        campaign,
        operator,
        title=bilingual(en="Hydrogen injection into the blast furnace"),
        description=bilingual(en="Replace part of the pulverised coal with hydrogen to cut the coke rate and CO2."),
    )
    make_idea(
        campaign,
        operator,
        title=bilingual(en="Composting canteen food waste"),
        description=bilingual(en="Turn canteen waste into fertiliser."),
    )
    hints = similar.similar(
        user=owner, campaign=campaign, title="高炉喷氢", description="用氢气替代部分煤粉，降低焦比", engine=True
    )
    assert hints["ideas"] and hints["ideas"][0].object == english


def test_the_hint_fragment_offers_to_join(
    monkeypatch: Any, campaign: Campaign, ideas: list[Any], owner: Any, as_user: Any
) -> None:
    monkeypatch.setattr(similar, "TextMatcher", None)
    response = as_user(owner).post(
        reverse("ideas:similar", args=[campaign.public_id]),
        {"title_0": "高炉富氢喷吹", "description_0": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("ideas:idea_join", args=[ideas[0].public_id]) in html
    assert "<html" not in html


def test_joining_an_idea_votes_for_it(campaign: Campaign, ideas: list[Any], owner: Any, as_user: Any) -> None:
    response = as_user(owner).post(reverse("ideas:idea_join", args=[ideas[0].public_id]))
    assert response.status_code == 302 and response["Location"].endswith("#comment-form")
    ideas[0].refresh_from_db()
    assert ideas[0].vote_count == 1


def test_joining_from_the_htmx_hint_redirects_to_the_comment_form(
    campaign: Campaign, ideas: list[Any], owner: Any, as_user: Any
) -> None:
    response = as_user(owner).post(
        reverse("ideas:idea_join", args=[ideas[0].public_id]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("ideas:idea_detail", args=[ideas[0].public_id]) + "#comment-form"
