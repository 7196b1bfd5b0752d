"""Personas × actions on proposals: the permission function and the HTTP answer agree.

Scenario "open": the demand takes proposals; the author has submitted; reviewers are assigned.
Scenario "evaluating": the deadline passed. Scenario "decided": a rival's proposal won.
"""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.proposals import permissions, services
from zhongyan.proposals.models import Proposal, ReviewAssignment
from zhongyan.proposals.tests.helpers import accept_nda, cleared_reviewer, pass_deadline, submit

pytestmark = pytest.mark.django_db

PERSONAS = [
    "operator",
    "owner",
    "teammate",
    "reviewer",
    "conflicted_reviewer",
    "author",
    "solver_without_nda",
    "other_solver",
    "outsider",
    "anonymous",
]


@pytest.fixture
def world(operator, owner, teammate, reviewer, outsider, nda_solver, demand) -> dict[str, Any]:
    conflicted = UserFactory(email="conflicted@example.com")
    other_solver = UserFactory(email="other@example.com")
    accept_nda(other_solver, demand)
    cleared_reviewer(owner, demand, reviewer)
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=conflicted)
    services.declare_conflict(actor=conflicted, assignment=assignment, has_conflict=True, statement="合作者")
    proposal = submit(nda_solver, demand)
    people = {
        "operator": operator,
        "owner": owner,
        "teammate": teammate,
        "reviewer": reviewer,
        "conflicted_reviewer": conflicted,
        "author": nda_solver,
        "solver_without_nda": UserFactory(email="nonda@example.com"),
        "other_solver": other_solver,
        "outsider": outsider,
        "anonymous": None,
    }
    return {"people": people, "proposal": proposal, "demand": demand, "owner": owner, "other": other_solver}


def _evaluating(world: dict[str, Any]) -> None:
    pass_deadline(world["demand"])
    world["proposal"].refresh_from_db()


def _decided(world: dict[str, Any]) -> None:
    rival = UserFactory()
    accept_nda(rival, world["demand"])
    winner = submit(rival, world["demand"], "rival")
    _evaluating(world)
    services.award_proposals(actor=world["owner"], demand=world["demand"], proposals=[winner])
    world["proposal"].refresh_from_db()


def _user(world: dict[str, Any], persona: str) -> Any:
    return world["people"][persona] or AnonymousUser()


def _http(as_user: Any, world: dict[str, Any], persona: str) -> Any:
    return as_user(world["people"][persona])


def _status_for(allowed: bool, anonymous: bool, ok: int) -> int:
    if anonymous:
        return 302
    return ok if allowed else 404


# persona: (may see the proposal, may submit to the demand, may withdraw the proposal)
OPEN = {
    "operator": (True, False, False),
    "owner": (True, False, False),
    "teammate": (False, False, False),
    "reviewer": (True, False, False),
    "conflicted_reviewer": (False, False, False),
    "author": (True, True, True),
    "solver_without_nda": (False, False, False),
    "other_solver": (False, True, False),
    "outsider": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_seeing_a_proposal(world, persona, as_user):
    see = OPEN[persona][0]
    assert permissions.can_view_proposal(_user(world, persona), world["proposal"]) is see
    assert Proposal.objects.visible_to(_user(world, persona)).filter(pk=world["proposal"].pk).exists() is see
    response = _http(as_user, world, persona).get(reverse("proposals:detail", args=[world["proposal"].public_id]))
    assert response.status_code == _status_for(see, persona == "anonymous", 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_submitting_to_the_demand(world, persona, as_user):
    may = OPEN[persona][1]
    assert permissions.can_submit_proposal(_user(world, persona), world["demand"]) is may
    response = _http(as_user, world, persona).get(reverse("proposals:edit", args=[world["demand"].public_id]))
    # The author has already submitted: the editor sends them to their proposal.
    ok = 302 if persona == "author" else 200
    assert response.status_code == _status_for(may, persona == "anonymous", ok)


@pytest.mark.parametrize("persona", PERSONAS)
def test_withdrawing_the_proposal(world, persona, as_user):
    may = OPEN[persona][2]
    assert permissions.can_withdraw_proposal(_user(world, persona), world["proposal"]) is may
    response = _http(as_user, world, persona).post(reverse("proposals:withdraw", args=[world["proposal"].public_id]))
    assert response.status_code == _status_for(may, persona == "anonymous", 302)
    withdrawn = Proposal.objects.get(pk=world["proposal"].pk).status == Proposal.Status.WITHDRAWN
    assert withdrawn is may


# persona: (may score, may see every reviewer's scores, may award)
EVALUATING = {
    "operator": (False, True, True),
    "owner": (False, True, True),
    "teammate": (False, False, False),
    "reviewer": (True, False, False),
    "conflicted_reviewer": (False, False, False),
    "author": (False, False, False),
    "solver_without_nda": (False, False, False),
    "other_solver": (False, False, False),
    "outsider": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_scoring_the_proposal(world, persona, as_user):
    _evaluating(world)
    may = EVALUATING[persona][0]
    assert permissions.can_score_proposal(_user(world, persona), world["proposal"]) is may
    assignment = ReviewAssignment.objects.filter(reviewer__email="reviewer@example.com").get()
    if persona == "conflicted_reviewer":
        assignment = ReviewAssignment.objects.get(reviewer__email="conflicted@example.com")
    url = reverse("proposals:review_score", args=[assignment.public_id, world["proposal"].public_id])
    response = _http(as_user, world, persona).get(url)
    assert response.status_code == _status_for(may, persona == "anonymous", 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_seeing_every_reviewers_scores(world, persona, as_user):
    _evaluating(world)
    may = EVALUATING[persona][1]
    assert permissions.can_see_all_scores(_user(world, persona), world["proposal"]) is may
    response = _http(as_user, world, persona).get(reverse("proposals:ranking", args=[world["demand"].public_id]))
    assert response.status_code == _status_for(may, persona == "anonymous", 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_awarding(world, persona, as_user):
    _evaluating(world)
    may = EVALUATING[persona][2]
    assert permissions.can_award_demand(_user(world, persona), world["demand"]) is may
    response = _http(as_user, world, persona).post(
        reverse("proposals:award", args=[world["demand"].public_id]),
        {"decision": "award", "winners": [world["proposal"].public_id]},
    )
    assert response.status_code == _status_for(may, persona == "anonymous", 302)
    awarded = Proposal.objects.get(pk=world["proposal"].pk).status == Proposal.Status.AWARDED
    assert awarded is may


@pytest.mark.parametrize("persona", PERSONAS)
def test_reading_the_feedback(world, persona, as_user):
    _decided(world)
    may = persona == "author"
    assert permissions.can_read_feedback(_user(world, persona), world["proposal"]) is may
    response = _http(as_user, world, persona).get(reverse("proposals:feedback", args=[world["proposal"].public_id]))
    assert response.status_code == _status_for(may, persona == "anonymous", 200)
