"""Experts for a demand: who sees them, what they say, who is excluded and why, one-click invite."""

from typing import Any

import pytest
from django.urls import reverse

from zhongyan.catalog.tests.factories import OfferingFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.demands.models import Invitation
from zhongyan.matching.recommend import recommend_experts
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory
from zhongyan.proposals.tests.factories import ReviewAssignmentFactory

pytestmark = pytest.mark.django_db


def _url(demand: Any) -> str:
    return reverse("matching:demand_recommendations", args=[demand.public_id])


def test_owner_sees_recommended_experts_with_reasons(as_user, owner, bf_demand, experts):
    response = as_user(owner).get(_url(bf_demand), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dr Ada Furnace" in body and "Li Lu" in body
    assert "<html" not in body  # the fragment, not the page
    ranked = [rec.obj for rec in response.context["result"].recommended]
    assert ranked[:2] == [experts["solver"], experts["zh"]] or ranked[:2] == [experts["zh"], experts["solver"]]
    top = response.context["result"].recommended[0]
    assert [f.code for f in top.shared_fields] == ["ironmaking"]
    assert top.match.explanation.terms


def test_english_expert_explanation_names_the_matching_publication(owner, bf_demand, experts):
    result = recommend_experts(bf_demand)
    ada = next(rec for rec in result.recommended if rec.obj == experts["solver"])
    assert ada.match.explanation.cross_language is False  # the demand is bilingual
    assert ada.match.explanation.best_snippet is not None


def test_colleagues_unavailable_and_conflicted_experts_are_never_recommended(owner, bf_demand, experts):
    ReviewAssignmentFactory(demand=bf_demand, reviewer=experts["zh"], conflicted=True)
    result = recommend_experts(bf_demand)
    recommended = {rec.obj for rec in result.recommended}
    assert experts["teammate"] not in recommended
    assert experts["busy"] not in recommended
    assert experts["zh"] not in recommended
    assert owner not in recommended
    assert experts["solver"] in recommended


def test_owner_sees_why_strong_matches_were_excluded(as_user, owner, bf_demand, experts):
    ReviewAssignmentFactory(demand=bf_demand, reviewer=experts["zh"], conflicted=True)
    response = as_user(owner).get(_url(bf_demand))
    reasons = {rec.obj: rec.reasons for rec in response.context["result"].excluded}
    assert reasons[experts["teammate"]] == ["same_organisation"]
    assert reasons[experts["busy"]] == ["unavailable"]
    assert reasons[experts["zh"]] == ["declared_conflict"]
    assert "暂不接受新工作" in response.content.decode()  # the reason, translated


def test_member_of_another_organisation_of_the_owner_is_excluded(owner, bf_demand, experts, solver_org):
    MembershipFactory(organisation=solver_org, user=owner, role=Membership.Role.MEMBER)
    result = recommend_experts(bf_demand)
    assert experts["solver"] not in {rec.obj for rec in result.recommended}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("operator", 200), ("teammate", 404), ("solver", 404), ("outsider", 404), (None, 302)],
)
def test_only_managers_see_recommendations(request, as_user, bf_demand, experts, operator, outsider, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    assert as_user(user).get(_url(bf_demand)).status_code == status


def test_one_click_invite_creates_the_invitation(as_user, owner, bf_demand, experts, mailoutbox):
    url = reverse("matching:invite", args=[bf_demand.public_id, experts["solver"].public_id])
    response = as_user(owner).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    invitation = Invitation.objects.get(demand=bf_demand)
    assert invitation.invitee == experts["solver"] and invitation.invited_by == owner
    assert AuditEntry.objects.filter(verb="demand.solver_invited").count() == 1
    ada = next(rec for rec in response.context["result"].recommended if rec.obj == experts["solver"])
    assert ada.invited


def test_inviting_twice_shows_a_translated_error_not_a_500(as_user, owner, bf_demand, experts):
    url = reverse("matching:invite", args=[bf_demand.public_id, experts["solver"].public_id])
    as_user(owner).post(url, headers={"HX-Request": "true"})
    response = as_user(owner).post(url, headers={"HX-Request": "true", "Accept-Language": "zh-hans"})
    assert response.status_code == 200
    assert response.context["error"]
    assert Invitation.objects.filter(demand=bf_demand).count() == 1


def test_solver_cannot_invite_through_matching(as_user, solver, bf_demand, experts):
    url = reverse("matching:invite", args=[bf_demand.public_id, experts["zh"].public_id])
    assert as_user(solver).post(url).status_code == 404
    assert not Invitation.objects.exists()


def test_demand_page_loads_the_panel_for_managers_only(as_user, owner, solver, bf_demand, experts):
    slot = reverse("matching:demand_recommendations", args=[bf_demand.public_id])
    detail = reverse("demands:detail", args=[bf_demand.public_id])
    assert slot in as_user(owner).get(detail).content.decode()
    assert slot not in as_user(solver).get(detail).content.decode()


def test_owner_sees_related_catalogue_technologies_but_not_drafts_or_labs(as_user, owner, bf_demand, experts):
    tech = OfferingFactory()
    draft = OfferingFactory(draft=True)
    lab = OfferingFactory(lab=True)
    response = as_user(owner).get(_url(bf_demand), headers={"HX-Request": "true"})
    shown = [rec.obj for rec in response.context["offerings"]]
    assert tech in shown and draft not in shown and lab not in shown
    api = as_user(owner).get(f"/api/v1/matching/demands/{bf_demand.public_id}/technologies")
    assert tech.public_id in [row["id"] for row in api.json()]
