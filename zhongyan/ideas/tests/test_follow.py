"""Following a campaign: anyone who may see it follows from its page or the API, and hears of its
new ideas (see the notifications tests); people outside the audience cannot follow it."""

from typing import Any

import pytest
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.core.errors import NotPermitted
from zhongyan.ideas import services
from zhongyan.ideas.models import Campaign, CampaignFollow
from zhongyan.ideas.tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow_from_the_campaign_page(campaign: Campaign, owner: User, as_user: Any) -> None:
    client = as_user(owner)
    url = reverse("ideas:campaign_follow", args=[campaign.public_id])
    page = client.get(reverse("ideas:campaign_detail", args=[campaign.public_id])).content.decode()
    assert "关注新创意" in page and f'hx-post="{url}"' in page
    response = client.post(url, {"follow": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()
    assert CampaignFollow.objects.filter(campaign=campaign, user=owner).exists()
    client.post(url, {"follow": "1"})  # twice is still one follow
    assert CampaignFollow.objects.filter(campaign=campaign, user=owner).count() == 1
    assert client.post(url, {"follow": "0"}).status_code == 302
    assert not CampaignFollow.objects.exists()


def test_people_outside_the_audience_cannot_follow(operator: User, solver: User, as_user: Any) -> None:
    campaign = make_campaign(operator, audience=Campaign.Audience.EMPLOYEES)
    with pytest.raises(NotPermitted):
        services.follow_campaign(actor=solver, campaign=campaign)
    response = as_user(solver).post(reverse("ideas:campaign_follow", args=[campaign.public_id]), {"follow": "1"})
    assert response.status_code == 404
    assert not CampaignFollow.objects.exists()


def test_api_follows_and_unfollows(campaign: Campaign, owner: User, as_user: Any) -> None:
    client = as_user(owner)
    url = f"/api/v1/ideas/campaigns/{campaign.public_id}/follow"
    assert client.post(url).json() == {"following": True}
    assert CampaignFollow.objects.filter(campaign=campaign, user=owner).exists()
    assert client.delete(url).json() == {"following": False}
    assert not CampaignFollow.objects.exists()
