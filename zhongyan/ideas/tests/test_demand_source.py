"""The demand page links back to the idea it was promoted from, through an ideas fragment loaded
by URL (demands never import ideas), to people who may see that idea, naming no author."""

from typing import Any

import pytest
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.demands.models import Demand
from zhongyan.ideas import services
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea
from zhongyan.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _promote(campaign: Campaign, idea: Idea, actor: User, organisation: Organisation) -> Demand:
    services.advance_idea(actor=actor, idea=idea, stage=list(campaign.stages.all())[-2])
    return services.promote_idea(actor=actor, idea=idea, organisation=organisation)


def test_demand_page_loads_the_source_fragment_by_url(
    campaign: Campaign, idea: Idea, operator: User, owner_org: Organisation, owner: User, as_user: Any
) -> None:
    demand = _promote(campaign, idea, operator, owner_org)
    html = as_user(owner).get(reverse("demands:detail", args=[demand.public_id])).content.decode()
    assert f'hx-get="{reverse("ideas:demand_source", args=[demand.public_id])}"' in html


def test_fragment_links_the_idea_and_its_campaign(
    campaign: Campaign, idea: Idea, operator: User, owner_org: Organisation, owner: User, as_user: Any
) -> None:
    demand = _promote(campaign, idea, operator, owner_org)
    html = as_user(owner).get(reverse("ideas:demand_source", args=[demand.public_id])).content.decode()
    assert "由创意" in html and "高炉富氢喷吹降低焦比" in html and "低碳冶金跨领域创意征集" in html
    assert reverse("ideas:idea_detail", args=[idea.public_id]) in html
    assert reverse("ideas:campaign_detail", args=[campaign.public_id]) in html
    english = as_user(owner).get(f"/en/ideas/demand/{demand.public_id}/source/")
    assert "Promoted from the idea" in english.content.decode()


def test_people_who_may_not_see_the_idea_get_no_link(
    operator: User, teammate: User, owner: User, owner_org: Organisation, solver: User, as_user: Any
) -> None:
    campaign = make_campaign(operator, audience=Campaign.Audience.EMPLOYEES)
    idea = make_idea(campaign, teammate)
    demand = _promote(campaign, idea, operator, owner_org)
    assert as_user(owner).get(reverse("ideas:demand_source", args=[demand.public_id])).content.decode().strip()
    # The solver (a partner) sees neither the draft demand nor the employees' campaign.
    assert as_user(solver).get(reverse("ideas:demand_source", args=[demand.public_id])).status_code == 404
    demand.status = Demand.Status.PUBLISHED
    demand.save(update_fields=["status"])
    response = as_user(solver).get(reverse("ideas:demand_source", args=[demand.public_id]))
    assert response.status_code == 200 and response.content.decode().strip() == ""


def test_anonymous_idea_link_names_no_author(
    operator: User, teammate: User, owner: User, owner_org: Organisation, as_user: Any
) -> None:
    campaign = make_campaign(operator, anonymous=True)
    idea = make_idea(campaign, teammate)
    demand = _promote(campaign, idea, operator, owner_org)
    html = as_user(owner).get(reverse("ideas:demand_source", args=[demand.public_id])).content.decode()
    assert idea.public_id in html
    assert teammate.name not in html and teammate.email not in html


def test_demand_without_a_source_idea_gets_nothing(
    operator: User, owner_org: Organisation, owner: User, campaign: Campaign, as_user: Any
) -> None:
    idea = make_idea(campaign, owner)
    demand = _promote(campaign, idea, operator, owner_org)
    Idea.objects.filter(pk=idea.pk).update(promoted_demand=None)
    response = as_user(owner).get(reverse("ideas:demand_source", args=[demand.public_id]))
    assert response.status_code == 200 and response.content.decode().strip() == ""
