"""The cached demand list (demands/caching.py) never shows a demand to someone who may not see it,
and shows every committed write on the next request."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from zhongyan.core.content import bilingual
from zhongyan.demands import caching, services
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory, InvitationFactory
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory

LIST = reverse("demands:list")


def titles(client: Any, url: str = LIST, **headers: Any) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def internal(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org,
        owner=owner,
        published=True,
        internal=True,
        title=bilingual(zh="内部需求", en="Internal X"),
    )


@pytest.fixture
def public(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org, owner=owner, published=True, title=bilingual(zh="公开需求", en="Public Y")
    )


def test_outsider_never_gets_the_list_cached_for_a_member(
    as_user: Callable[..., Any], teammate: Any, outsider: Any, internal: Demand, public: Demand
) -> None:
    assert "内部需求" in titles(as_user(teammate))
    page = titles(as_user(outsider))
    assert "公开需求" in page
    assert "内部需求" not in page


def test_invited_person_sees_the_internal_demand_the_shared_list_hides(
    as_user: Callable[..., Any], outsider: Any, invited: Any, internal: Demand, public: Demand
) -> None:
    assert "内部需求" not in titles(as_user(outsider))
    InvitationFactory(demand=internal, invitee=invited)
    assert "内部需求" in titles(as_user(invited))


def test_declining_an_invitation_takes_the_internal_demand_off_the_cached_list(
    as_user: Callable[..., Any],
    invited: Any,
    internal: Demand,
    django_capture_on_commit_callbacks: Any,
) -> None:
    invitation = InvitationFactory(demand=internal, invitee=invited)
    client = as_user(invited)
    assert "内部需求" in titles(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.respond_to_invitation(actor=invited, invitation=invitation, accept=False)
    assert "内部需求" not in titles(client)


def test_joining_the_organisation_shows_its_internal_demands_at_once(
    as_user: Callable[..., Any], outsider: Any, owner_org: Any, internal: Demand
) -> None:
    client = as_user(outsider)
    assert "内部需求" not in titles(client)
    MembershipFactory(organisation=owner_org, user=outsider, role=Membership.Role.MEMBER)
    assert "内部需求" in titles(client)


def test_operator_list_is_not_served_to_a_solver(
    as_user: Callable[..., Any], operator: Any, solver: Any, internal: Demand
) -> None:
    assert "内部需求" in titles(as_user(operator))
    assert "内部需求" not in titles(as_user(solver))


def test_published_demand_appears_on_the_next_request(
    as_user: Callable[..., Any],
    operator: Any,
    owner_org: Any,
    owner: Any,
    solver: Any,
    public: Demand,
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = DemandFactory(organisation=owner_org, owner=owner, title=bilingual(zh="新发布需求", en="Fresh Z"))
    client = as_user(solver)
    assert "新发布需求" not in titles(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_demand(actor=operator, demand=draft)
    assert "新发布需求" in titles(client)


def test_edited_title_shows_on_the_next_request(
    as_user: Callable[..., Any], owner: Any, solver: Any, public: Demand, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(solver)
    assert "公开需求" in titles(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_demand(actor=owner, demand=public, title=bilingual(zh="改过的标题", en="Renamed"))
    page = titles(client)
    assert "改过的标题" in page
    assert "公开需求" not in page


def test_withdrawn_demand_leaves_the_list_on_the_next_request(
    as_user: Callable[..., Any], owner: Any, solver: Any, public: Demand, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(solver)
    assert "公开需求" in titles(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_demand(actor=owner, demand=public, reason="no budget")
    assert "公开需求" not in titles(client)


def test_a_rolled_back_write_does_not_move_the_generation(
    owner: Any, public: Demand, django_capture_on_commit_callbacks: Any
) -> None:
    before = caching.generation()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.update_demand(actor=owner, demand=public, title=bilingual(zh="回滚", en="Rolled back"))
        raise RuntimeError
    assert callbacks == []
    assert caching.generation() == before


def test_a_committed_write_moves_the_generation(
    owner: Any, public: Demand, django_capture_on_commit_callbacks: Any
) -> None:
    before = caching.generation()
    with django_capture_on_commit_callbacks(execute=True):
        services.extend_deadline(actor=owner, demand=public, deadline=public.deadline + timedelta(days=7))
    assert caching.generation() > before


def test_generation_restarts_above_every_earlier_value_when_evicted(db: None) -> None:
    first = caching.generation()
    cache.delete(caching.GENERATION_KEY)
    assert caching.generation() > first


def test_htmx_fragment_and_full_page_are_cached_apart(as_user: Callable[..., Any], solver: Any, public: Demand) -> None:
    client = as_user(solver)
    fragment = titles(client, HX_Request="true")
    page = titles(client)
    assert fragment.lstrip().startswith('<div id="demand-results">')
    assert "<html" in page and "公开需求" in page
    assert titles(client, HX_Request="true") == fragment


def test_english_and_chinese_lists_are_cached_apart(as_user: Callable[..., Any], solver: Any, public: Demand) -> None:
    client = as_user(solver)
    assert "公开需求" in titles(client)
    english = titles(client, "/en" + LIST)
    assert "Public Y" in english and "公开需求" not in english


def test_search_results_are_cached_per_query(as_user: Callable[..., Any], solver: Any, public: Demand) -> None:
    client = as_user(solver)
    assert "公开需求" in titles(client, LIST + "?q=公开")
    assert "公开需求" not in titles(client, LIST + "?q=不存在的词")
