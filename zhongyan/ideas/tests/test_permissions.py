"""Personas × actions, as a table, and anonymity: no page, API response or export shows an
anonymous idea's author to anyone but an operator (and the authors themselves)."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.ideas import permissions, services
from zhongyan.ideas.models import Campaign, Idea
from zhongyan.ideas.tests.factories import make_campaign, make_idea

pytestmark = pytest.mark.django_db

PERSONAS = ["operator", "moderator", "expert", "author", "employee", "partner", "outsider", "anonymous"]


def _table(spec: str) -> dict[str, bool]:
    """'op mod exp aut emp par out ano' written as 1/0."""
    return dict(zip(PERSONAS, (flag == "1" for flag in spec.split()), strict=True))


# Audience "employees and partners": the outsider (no organisation) sees nothing.
PARTNER_CAMPAIGN_ACTIONS = {
    #                      op mod exp aut emp par out ano
    "view_campaign": _table("1 1 1 1 1 1 0 0"),
    "view_idea": _table("1 1 1 1 1 1 0 0"),
    "submit_idea": _table("1 1 1 1 1 1 0 0"),
    "edit_idea": _table("0 0 0 1 0 0 0 0"),
    "vote": _table("1 1 1 0 1 1 0 0"),
    "comment": _table("1 1 1 1 1 1 0 0"),
    "evaluate": _table("0 0 1 0 0 0 0 0"),
    "moderate": _table("1 1 0 0 0 0 0 0"),
    "advance": _table("1 1 0 0 0 0 0 0"),
    "analytics": _table("1 1 0 0 0 0 0 0"),
    "export": _table("1 1 0 0 0 0 0 0"),
    "edit_campaign": _table("1 0 0 0 0 0 0 0"),
}

CHECKS = {
    "view_campaign": lambda user, idea: permissions.can_view_campaign(user, idea.campaign),
    "view_idea": permissions.can_view_idea,
    "submit_idea": lambda user, idea: permissions.can_submit_idea(user, idea.campaign),
    "edit_idea": permissions.can_edit_idea,
    "vote": permissions.can_vote,
    "comment": permissions.can_comment,
    "evaluate": permissions.can_evaluate_idea,
    "moderate": lambda user, idea: permissions.can_moderate_campaign(user, idea.campaign),
    "advance": permissions.can_advance_idea,
    "analytics": lambda user, idea: permissions.can_view_analytics(user, idea.campaign),
    "export": lambda user, idea: permissions.can_export_ideas(user, idea.campaign),
    "edit_campaign": lambda user, idea: permissions.can_edit_campaign(user, idea.campaign),
}

PAGES = {
    "view_campaign": lambda idea: reverse("ideas:campaign_detail", args=[idea.campaign.public_id]),
    "view_idea": lambda idea: reverse("ideas:idea_detail", args=[idea.public_id]),
    "submit_idea": lambda idea: reverse("ideas:idea_create", args=[idea.campaign.public_id]),
    "edit_idea": lambda idea: reverse("ideas:idea_edit", args=[idea.public_id]),
    "evaluate": lambda idea: reverse("ideas:idea_evaluate", args=[idea.public_id]),
    "moderate": lambda idea: reverse("ideas:campaign_moderate", args=[idea.campaign.public_id]),
    "analytics": lambda idea: reverse("ideas:campaign_funnel", args=[idea.campaign.public_id]),
    "export": lambda idea: reverse("ideas:campaign_export", args=[idea.campaign.public_id]),
    "edit_campaign": lambda idea: reverse("ideas:campaign_edit", args=[idea.campaign.public_id]),
}


@pytest.fixture
def partner_idea(operator: User, moderator: User, expert: User, teammate: User) -> Idea:
    campaign = make_campaign(operator, audience=Campaign.Audience.PARTNERS, moderators=[moderator], experts=[expert])
    return make_idea(campaign, teammate)


@pytest.mark.parametrize("action", sorted(PARTNER_CAMPAIGN_ACTIONS))
def test_permission_table(action: str, people: dict[str, Any], partner_idea: Idea) -> None:
    expected = PARTNER_CAMPAIGN_ACTIONS[action]
    actual = {persona: bool(CHECKS[action](people[persona], partner_idea)) for persona in PERSONAS}
    assert actual == expected


@pytest.mark.parametrize("action", sorted(PAGES))
def test_pages_follow_the_table(action: str, people: dict[str, Any], partner_idea: Idea, as_user: Any) -> None:
    url = PAGES[action](partner_idea)
    for persona in PERSONAS:
        response = as_user(people[persona]).get(url)
        if persona == "anonymous":
            assert response.status_code == 302, persona
        elif PARTNER_CAMPAIGN_ACTIONS[action][persona]:
            assert response.status_code == 200, (persona, response.status_code)
        else:
            assert response.status_code == 404, (persona, response.status_code)


def test_employees_only_campaign_is_invisible_to_partners(
    operator: User, teammate: User, solver: User, owner: User
) -> None:
    campaign = make_campaign(operator, audience=Campaign.Audience.EMPLOYEES)
    idea = make_idea(campaign, teammate)
    assert not Campaign.objects.visible_to(solver).filter(pk=campaign.pk).exists()
    assert not Idea.objects.visible_to(solver).filter(pk=idea.pk).exists()
    assert Idea.objects.visible_to(owner).filter(pk=idea.pk).exists()


def test_everyone_campaign_is_open_to_the_outsider(operator: User, teammate: User, outsider: User) -> None:
    idea = make_idea(make_campaign(operator, audience=Campaign.Audience.EVERYONE), teammate)
    assert permissions.can_vote(outsider, idea)


def test_outsider_gets_404_from_the_api_for_a_partner_campaign(
    partner_idea: Idea, outsider: User, as_user: Any
) -> None:
    client = as_user(outsider)
    assert client.get(f"/api/v1/ideas/ideas/{partner_idea.public_id}").status_code == 404
    assert client.get(f"/api/v1/ideas/campaigns/{partner_idea.campaign.public_id}/ideas").status_code == 404
    assert client.post(f"/api/v1/ideas/ideas/{partner_idea.public_id}/vote").status_code == 404


# --- anonymity -----------------------------------------------------------------------------


@pytest.fixture
def anonymous_idea(operator: User, moderator: User, expert: User, owner_org: Any) -> Idea:
    from zhongyan.orgs.tests.factories import MembershipFactory

    author = UserFactory(email="hidden.author@example.com", display_name={"zh-hans": "隐名作者", "en": "Hidden Author"})
    MembershipFactory(organisation=owner_org, user=author)
    campaign = make_campaign(operator, anonymous=True, moderators=[moderator], experts=[expert])
    idea = make_idea(campaign, author)
    services.post_comment(actor=author, idea=idea, body="作者补充说明")
    services.advance_idea(actor=operator, idea=idea, stage=list(campaign.stages.all())[-2])
    return idea


def _everything(client: Any, idea: Idea) -> str:
    campaign = idea.campaign.public_id
    urls = [
        reverse("ideas:campaign_list"),
        reverse("ideas:campaign_detail", args=[campaign]),
        reverse("ideas:campaign_detail", args=[campaign]) + "?q=高炉",
        reverse("ideas:idea_detail", args=[idea.public_id]),
        reverse("ideas:campaign_moderate", args=[campaign]),
        reverse("ideas:campaign_export", args=[campaign]),
        reverse("ideas:campaign_funnel", args=[campaign]),
        "/en" + reverse("ideas:idea_detail", args=[idea.public_id]),
        f"/api/v1/ideas/campaigns/{campaign}/ideas",
        f"/api/v1/ideas/ideas/{idea.public_id}",
        f"/api/v1/ideas/ideas/{idea.public_id}/comments",
    ]
    return "\n".join(client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("persona", ["moderator", "expert", "employee", "partner"])
def test_no_page_api_or_export_reveals_an_anonymous_author(
    persona: str, people: dict[str, Any], anonymous_idea: Idea, as_user: Any
) -> None:
    text = _everything(as_user(people[persona]), anonymous_idea)
    assert "隐名作者" not in text and "Hidden Author" not in text and "hidden.author" not in text
    assert "高炉富氢喷吹降低焦比" in text  # the idea itself is there


def test_the_operator_sees_the_anonymous_author_everywhere(operator: User, anonymous_idea: Idea, as_user: Any) -> None:
    client = as_user(operator)
    export = client.get(reverse("ideas:campaign_export", args=[anonymous_idea.campaign.public_id])).content.decode()
    api = client.get(f"/api/v1/ideas/ideas/{anonymous_idea.public_id}").json()
    assert "隐名作者" in export
    assert api["author"] == "隐名作者"


def test_promoting_an_anonymous_idea_sends_no_mail_naming_the_author(
    operator: User, owner_org: Any, anonymous_idea: Idea, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.promote_idea(actor=operator, idea=anonymous_idea, organisation=owner_org)
    for message in mail.outbox:
        body = message.body + "".join(str(alt[0]) for alt in getattr(message, "alternatives", []))
        assert "隐名作者" not in body and "Hidden Author" not in body and "hidden.author" not in message.to
