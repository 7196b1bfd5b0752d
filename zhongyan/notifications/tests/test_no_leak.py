"""NDA and internal demands never leak through the inbox or e-mail (issue 3, "Proven by")."""

from typing import Any

import pytest
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.demands import signals as demand_signals
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import FollowFactory, InvitationFactory, NdaAcceptanceFactory, QuestionFactory
from zhongyan.notifications.models import Notification
from zhongyan.notifications.tests.conftest import SECRET_BACKGROUND
from zhongyan.proposals import signals as proposal_signals
from zhongyan.proposals.models import Proposal, ReviewAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks: Any) -> Any:
    def fire(signal: Any, sender: type, **kwargs: Any) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            signal.send(sender=sender, **kwargs)

    return fire


def test_outsider_following_an_internal_demand_hears_nothing(
    send: Any, owner: User, outsider: User, internal_demand: Demand, mailoutbox: list
) -> None:
    FollowFactory(demand=internal_demand, user=outsider)
    send(demand_signals.demand_published, Demand, demand=internal_demand, actor=owner)
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert mailoutbox == []


def test_asker_who_lost_access_to_an_internal_demand_hears_nothing(
    send: Any, owner: User, outsider: User, internal_demand: Demand, mailoutbox: list
) -> None:
    question = QuestionFactory(demand=internal_demand, author=outsider, is_public=False, answered=True)
    send(demand_signals.question_answered, Demand, demand=internal_demand, question=question, actor=owner)
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_solver_whose_invitation_was_declined_is_not_told_of_the_decision(
    send: Any, owner: User, solver: User, internal_demand: Demand, mailoutbox: list
) -> None:
    InvitationFactory(demand=internal_demand, invitee=solver, status="declined")
    proposal = Proposal.objects.create(
        demand=internal_demand, solver=solver, status=Proposal.Status.SUBMITTED, submitted_at=timezone.now()
    )
    send(proposal_signals.proposal_not_awarded, Proposal, proposal=proposal, demand=internal_demand, actor=owner)
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_follower_without_the_nda_is_not_told_of_public_answers(
    send: Any, owner: User, solver: User, outsider: User, nda_demand: Demand
) -> None:
    NdaAcceptanceFactory(demand=nda_demand, user=solver)
    FollowFactory(demand=nda_demand, user=outsider)
    question = QuestionFactory(demand=nda_demand, author=solver, is_public=True, answered=True)
    send(demand_signals.question_answered, Demand, demand=nda_demand, question=question, actor=owner)
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_no_notification_or_email_carries_anything_but_the_teaser_title(
    send: Any, owner: User, solver: User, reviewer: User, nda_demand: Demand, mailoutbox: list
) -> None:
    acceptance = NdaAcceptanceFactory(demand=nda_demand, user=solver)
    invitation = InvitationFactory(demand=nda_demand, invitee=solver, invited_by=owner)
    question = QuestionFactory(
        demand=nda_demand, author=solver, is_public=True, answered=True, body="SECRET QUESTION about 0.8 ppm"
    )
    proposal = Proposal.objects.create(
        demand=nda_demand, solver=solver, status=Proposal.Status.SUBMITTED, submitted_at=timezone.now()
    )
    assignment = ReviewAssignment.objects.create(demand=nda_demand, reviewer=reviewer, assigned_by=owner)
    send(demand_signals.solver_invited, Demand, demand=nda_demand, invitation=invitation, actor=owner)
    send(demand_signals.nda_accepted, Demand, demand=nda_demand, acceptance=acceptance, actor=solver)
    send(demand_signals.question_asked, Demand, demand=nda_demand, question=question, actor=solver)
    send(demand_signals.question_answered, Demand, demand=nda_demand, question=question, actor=owner)
    send(proposal_signals.proposal_submitted, Proposal, proposal=proposal, receipt=None, actor=solver)
    send(
        proposal_signals.review_assigned, Proposal, proposal=None, demand=nda_demand, assignment=assignment, actor=owner
    )
    send(proposal_signals.proposal_not_awarded, Proposal, proposal=proposal, demand=nda_demand, actor=owner)

    assert Notification.objects.count() == 7
    assert len(mailoutbox) >= 5
    secrets = [*SECRET_BACKGROUND.values(), *nda_demand.summary.values(), "SECRET QUESTION", "DP780"]
    for row in Notification.objects.all():
        assert set(row.context) <= {"demand", "actor"}
        assert row.context["demand"] == nda_demand.title
    for mail in mailoutbox:
        everything = mail.subject + mail.body + "".join(content for content, _type in mail.alternatives)
        for secret in secrets:
            assert secret not in everything
