"""Moderators hide whole ideas: with a reason the authors read, out of every list, search, hint and
count for everyone else, undone by unhiding, audited; only campaign moderators and operators."""

import json
from typing import Any

import pytest
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.ideas import analytics, permissions, services, similar
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.tests.factories import make_idea
from zhongyan.ideas.tests.test_permissions import PERSONAS

pytestmark = pytest.mark.django_db

REASON = "Contains a supplier price list marked confidential"


def _hide(idea: Idea, moderator: User) -> Idea:
    return services.hide_idea(actor=moderator, idea=idea, reason=REASON)


#                 op   mod  exp  aut  emp  par  out  ano
MAY_HIDE = dict(zip(PERSONAS, [1, 1, 0, 0, 0, 0, 0, 0], strict=True))
SEES_HIDDEN = dict(zip(PERSONAS, [1, 1, 0, 1, 0, 0, 0, 0], strict=True))


def test_hide_permission_table(people: dict[str, Any], idea: Idea) -> None:
    actual = {persona: int(permissions.can_hide_idea(people[persona], idea)) for persona in PERSONAS}
    assert actual == MAY_HIDE


def test_who_still_sees_a_hidden_idea(people: dict[str, Any], idea: Idea, moderator: User) -> None:
    _hide(idea, moderator)
    idea.refresh_from_db()
    actual = {persona: int(permissions.can_view_idea(people[persona], idea)) for persona in PERSONAS}
    assert actual == SEES_HIDDEN
    in_scope = {
        persona: int(Idea.objects.visible_to(people[persona]).filter(pk=idea.pk).exists()) for persona in PERSONAS
    }
    assert in_scope == SEES_HIDDEN


def test_only_moderators_and_operators_hide_through_the_page(people: dict[str, Any], idea: Idea, as_user: Any) -> None:
    url = reverse("ideas:idea_hide", args=[idea.public_id])
    for persona in PERSONAS:
        if MAY_HIDE[persona]:
            continue
        response = as_user(people[persona]).post(url, {"reason": REASON})
        assert response.status_code == (302 if persona == "anonymous" else 404), persona
    idea.refresh_from_db()
    assert idea.hidden_at is None
    response = as_user(people["moderator"]).post(url, {"reason": REASON})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.is_hidden and idea.hidden_reason == REASON and idea.hidden_by == people["moderator"]


def test_service_refuses_a_non_moderator(idea: Idea, owner: User, teammate: User) -> None:
    for person in (owner, teammate):
        with pytest.raises(NotPermitted):
            services.hide_idea(actor=person, idea=idea, reason=REASON)


def test_hiding_needs_a_reason_and_the_form_keeps_the_page(idea: Idea, moderator: User, as_user: Any) -> None:
    with pytest.raises(DomainError):
        services.hide_idea(actor=moderator, idea=idea, reason="   ")
    response = as_user(moderator).post(reverse("ideas:idea_hide", args=[idea.public_id]), {"reason": " "})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    idea.refresh_from_db()
    assert idea.hidden_at is None


def test_hiding_and_unhiding_are_audited(idea: Idea, moderator: User, operator: User) -> None:
    _hide(idea, moderator)
    entry = AuditEntry.objects.get(verb="ideas.idea_hidden", target_id=idea.public_id)
    assert entry.data == {"reason": REASON}
    services.unhide_idea(actor=operator, idea=idea)
    idea.refresh_from_db()
    assert idea.hidden_at is None and idea.hidden_reason == "" and idea.hidden_by is None
    assert AuditEntry.objects.filter(verb="ideas.idea_unhidden", target_id=idea.public_id).exists()


def test_author_sees_the_hidden_idea_with_the_reason(idea: Idea, moderator: User, teammate: User, as_user: Any) -> None:
    _hide(idea, moderator)
    html = as_user(teammate).get(reverse("ideas:idea_detail", args=[idea.public_id])).content.decode()
    assert 'id="idea-hidden"' in html and REASON in html
    assert "版主隐藏了这个创意" in html
    api = as_user(teammate).get(f"/api/v1/ideas/ideas/{idea.public_id}").json()
    assert api["hidden"] is True and api["hidden_reason"] == REASON
    listing = as_user(teammate).get(reverse("ideas:campaign_detail", args=[idea.campaign.public_id])).content.decode()
    assert idea.public_id in listing and "data-hidden" in listing


def test_hidden_idea_leaves_lists_api_search_hints_and_analytics_for_others(
    campaign: Campaign, idea: Idea, moderator: User, owner: User, operator: User, as_user: Any
) -> None:
    other = make_idea(campaign, operator, title={"zh-hans": "转炉煤气回收", "en": "Converter gas recovery"})
    assert analytics.funnel(campaign)["total"] == 2
    _hide(idea, moderator)
    client = as_user(owner)
    page = client.get(reverse("ideas:campaign_detail", args=[campaign.public_id])).content.decode()
    assert idea.public_id not in page and other.public_id in page
    search = client.get(reverse("ideas:campaign_detail", args=[campaign.public_id]), {"q": "富氢喷吹"}).content.decode()
    assert idea.public_id not in search
    api = client.get(f"/api/v1/ideas/campaigns/{campaign.public_id}/ideas").json()
    assert [row["id"] for row in api["items"]] == [other.public_id]
    assert client.get(f"/api/v1/ideas/ideas/{idea.public_id}").status_code == 404
    assert client.get(reverse("ideas:idea_detail", args=[idea.public_id])).status_code == 404
    for person in (owner, moderator):  # hints never point at a hidden idea, not even for moderators
        hints = similar.similar(user=person, campaign=campaign, title="高炉富氢喷吹降低焦比", engine=False)
        assert idea not in [hint.object for hint in hints["ideas"]]
    funnel = analytics.funnel(campaign)
    assert funnel["total"] == 1 and funnel["participation"]["submitters"] == 1
    csv = as_user(moderator).get(reverse("ideas:campaign_export", args=[campaign.public_id])).content.decode()
    assert idea.public_id not in csv and other.public_id in csv


def test_hidden_idea_takes_no_votes_comments_or_stage_moves(
    campaign: Campaign, idea: Idea, moderator: User, teammate: User, owner: User
) -> None:
    _hide(idea, moderator)
    idea.refresh_from_db()
    assert not permissions.can_comment(teammate, idea)
    assert not permissions.can_vote(moderator, idea)
    assert not permissions.can_advance_idea(moderator, idea)
    with pytest.raises(NotPermitted):
        services.post_comment(actor=teammate, idea=idea, body="Still here?")


def test_moderator_unhides_from_the_idea_page(idea: Idea, moderator: User, owner: User, as_user: Any) -> None:
    _hide(idea, moderator)
    page = as_user(moderator).get(reverse("ideas:idea_detail", args=[idea.public_id])).content.decode()
    assert reverse("ideas:idea_unhide", args=[idea.public_id]) in page
    response = as_user(moderator).post(reverse("ideas:idea_unhide", args=[idea.public_id]))
    assert response.status_code == 302
    assert as_user(owner).get(reverse("ideas:idea_detail", args=[idea.public_id])).status_code == 200


def test_api_hides_and_unhides_for_moderators_only(idea: Idea, moderator: User, owner: User, as_user: Any) -> None:
    url = f"/api/v1/ideas/ideas/{idea.public_id}"
    body = json.dumps({"reason": REASON})
    refused = as_user(owner).post(f"{url}/hide", body, content_type="application/json")
    assert refused.status_code == 403
    done = as_user(moderator).post(f"{url}/hide", body, content_type="application/json")
    assert done.status_code == 200 and done.json()["hidden"] is True
    assert as_user(owner).get(url).status_code == 404
    assert as_user(moderator).post(f"{url}/unhide").json()["hidden"] is False
    assert as_user(owner).get(url).json()["hidden"] is False
