"""The lower modules' signals, fired by hand with real objects, reach the right people."""

from typing import Any

import pytest
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.demands import signals as demand_signals
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import FollowFactory, InvitationFactory, NdaAcceptanceFactory, QuestionFactory
from zhongyan.notifications.models import Kind, Notification
from zhongyan.notifications.tests.conftest import make_demand
from zhongyan.orgs.models import Membership
from zhongyan.orgs.tests.factories import MembershipFactory
from zhongyan.proposals import signals as proposal_signals
from zhongyan.proposals.models import Proposal, ReviewAssignment

pytestmark = pytest.mark.django_db


def _recipients(kind: str) -> set[str]:
    return {row.recipient.email for row in Notification.objects.filter(kind=kind).select_related("recipient")}


def _mailed(mailoutbox: list) -> set[str]:
    return {address for mail in mailoutbox for address in mail.to}


def _proposal(demand: Demand, solver: User) -> Proposal:
    return Proposal.objects.create(
        demand=demand, solver=solver, status=Proposal.Status.SUBMITTED, submitted_at=timezone.now()
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Any:
    def fire(signal: Any, sender: type, **kwargs: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            signal.send(sender=sender, **kwargs)

    return fire


def test_invited_solver_is_told_in_the_inbox_and_by_email(
    send: Any, owner: User, solver: User, public_demand: Demand, mailoutbox: list
) -> None:
    invitation = InvitationFactory(demand=public_demand, invitee=solver, invited_by=owner)
    send(demand_signals.solver_invited, Demand, demand=public_demand, invitation=invitation, actor=owner)
    assert _recipients(Kind.INVITATION_RECEIVED) == {solver.email}
    assert _mailed(mailoutbox) == {solver.email}
    row = Notification.objects.get(kind=Kind.INVITATION_RECEIVED)
    assert row.actor == owner and row.context["demand"] == public_demand.title
    assert row.url == f"/demands/{public_demand.public_id}/"


def test_solver_invited_to_an_internal_demand_is_told(
    send: Any, owner: User, solver: User, internal_demand: Demand
) -> None:
    invitation = InvitationFactory(demand=internal_demand, invitee=solver, invited_by=owner)
    send(demand_signals.solver_invited, Demand, demand=internal_demand, invitation=invitation, actor=owner)
    assert _recipients(Kind.INVITATION_RECEIVED) == {solver.email}


def test_nda_acceptance_reaches_the_owner_in_the_inbox_only_by_default(
    send: Any, owner: User, solver: User, nda_demand: Demand, mailoutbox: list
) -> None:
    acceptance = NdaAcceptanceFactory(demand=nda_demand, user=solver)
    send(demand_signals.nda_accepted, Demand, demand=nda_demand, acceptance=acceptance, actor=solver)
    assert _recipients(Kind.NDA_ACCEPTED) == {owner.email}
    assert mailoutbox == []


def test_question_asked_reaches_the_owner(send: Any, owner: User, solver: User, public_demand: Demand) -> None:
    question = QuestionFactory(demand=public_demand, author=solver)
    send(demand_signals.question_asked, Demand, demand=public_demand, question=question, actor=solver)
    assert _recipients(Kind.QUESTION_ASKED) == {owner.email}


def test_public_answer_reaches_the_asker_and_followers_who_may_read_it(
    send: Any, owner: User, solver: User, outsider: User, nda_demand: Demand
) -> None:
    NdaAcceptanceFactory(demand=nda_demand, user=solver)
    with_nda = UserFactory(email="follower-nda@example.com")
    NdaAcceptanceFactory(demand=nda_demand, user=with_nda)
    FollowFactory(demand=nda_demand, user=with_nda)
    FollowFactory(demand=nda_demand, user=outsider)  # follows the teaser, never accepted the NDA
    question = QuestionFactory(demand=nda_demand, author=solver, is_public=True, answered=True)
    send(demand_signals.question_answered, Demand, demand=nda_demand, question=question, actor=owner)
    assert _recipients(Kind.QUESTION_ANSWERED) == {solver.email, with_nda.email}


def test_private_answer_reaches_only_the_asker(
    send: Any, owner: User, solver: User, outsider: User, public_demand: Demand
) -> None:
    FollowFactory(demand=public_demand, user=outsider)
    question = QuestionFactory(demand=public_demand, author=solver, is_public=False, answered=True)
    send(demand_signals.question_answered, Demand, demand=public_demand, question=question, actor=owner)
    assert _recipients(Kind.QUESTION_ANSWERED) == {solver.email}


def test_proposal_received_reaches_the_owner_and_organisation_admins_not_plain_members(
    send: Any, owner: User, teammate: User, solver: User, owner_org: Any, public_demand: Demand
) -> None:
    admin = UserFactory(email="admin@example.com")
    MembershipFactory(organisation=owner_org, user=admin, role=Membership.Role.ADMIN)
    proposal = _proposal(public_demand, solver)
    send(proposal_signals.proposal_submitted, Proposal, proposal=proposal, receipt=None, actor=solver)
    assert _recipients(Kind.PROPOSAL_RECEIVED) == {owner.email, admin.email}
    assert {row.url for row in Notification.objects.all()} == {f"/proposals/{proposal.public_id}/"}


def test_review_assignment_reaches_the_reviewer(
    send: Any, owner: User, reviewer: User, internal_demand: Demand, mailoutbox: list
) -> None:
    assignment = ReviewAssignment.objects.create(demand=internal_demand, reviewer=reviewer, assigned_by=owner)
    send(
        proposal_signals.review_assigned,
        Proposal,
        proposal=None,
        demand=internal_demand,
        assignment=assignment,
        actor=owner,
    )
    assert _recipients(Kind.REVIEW_ASSIGNED) == {reviewer.email}
    assert _mailed(mailoutbox) == {reviewer.email}
    assert Notification.objects.get().url == f"/reviews/{assignment.public_id}/"


@pytest.mark.parametrize(
    ("signal", "kind"),
    [
        (proposal_signals.proposal_awarded, Kind.PROPOSAL_AWARDED),
        (proposal_signals.proposal_not_awarded, Kind.PROPOSAL_NOT_AWARDED),
    ],
)
def test_decision_reaches_the_solver(
    send: Any, signal: Any, kind: str, owner: User, solver: User, public_demand: Demand, mailoutbox: list
) -> None:
    proposal = _proposal(public_demand, solver)
    send(signal, Proposal, proposal=proposal, demand=public_demand, actor=owner)
    assert _recipients(kind) == {solver.email}
    assert _mailed(mailoutbox) == {solver.email}


def test_demand_published_reaches_followers(send: Any, owner: User, solver: User, public_demand: Demand) -> None:
    FollowFactory(demand=public_demand, user=solver)
    send(demand_signals.demand_published, Demand, demand=public_demand, actor=owner)
    assert _recipients(Kind.DEMAND_PUBLISHED) == {solver.email}


def test_demand_submitted_for_review_reaches_operators(send: Any, operator: User, owner: User, owner_org: Any) -> None:
    demand = make_demand(owner_org, owner, in_review=True, internal=True)
    send(demand_signals.demand_submitted_for_review, Demand, demand=demand, actor=owner)
    assert _recipients(Kind.DEMAND_SUBMITTED_FOR_REVIEW) == {operator.email}


def test_a_failing_receiver_never_breaks_the_sender(send: Any, owner: User, public_demand: Demand) -> None:
    send(demand_signals.question_asked, Demand, demand=public_demand, question=None, actor=None)
    assert not Notification.objects.exists()
