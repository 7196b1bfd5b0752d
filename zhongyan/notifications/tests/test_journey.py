"""The real demand services, end to end: their signals reach the inbox and the mailbox."""

from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.notifications.models import Kind, Notification
from zhongyan.notifications.tests.conftest import speaks

pytestmark = pytest.mark.django_db


def test_invitation_question_and_answer_through_the_demand_services(
    owner: User, solver: User, public_demand: Demand, mailoutbox: list, django_capture_on_commit_callbacks: Any
) -> None:
    speaks(solver, "en")
    with django_capture_on_commit_callbacks(execute=True):
        demand_services.invite_solver(actor=owner, demand=public_demand, invitee=solver)
    with django_capture_on_commit_callbacks(execute=True):
        question = demand_services.ask_question(actor=solver, demand=public_demand, body="Which grades?")
    with django_capture_on_commit_callbacks(execute=True):
        demand_services.answer_question(actor=owner, question=question, answer="DP780 and DP980.")

    kinds = dict(Notification.objects.values_list("kind", "recipient__email"))
    assert kinds == {
        Kind.INVITATION_RECEIVED: solver.email,
        Kind.QUESTION_ASKED: owner.email,
        Kind.QUESTION_ANSWERED: solver.email,
    }
    subjects = {mail.to[0]: [] for mail in mailoutbox}
    for mail in mailoutbox:
        subjects[mail.to[0]].append(mail.subject)
    assert subjects[solver.email] == [
        "[Zhongyan] You are invited to respond to “Hydrogen embrittlement of AHSS sheet”",
        "[Zhongyan] A question on “Hydrogen embrittlement of AHSS sheet” was answered",
    ]
    assert subjects[owner.email] == ["[众研] 需求「先进高强汽车板氢脆」有新的提问"]
    assert all("DP780" not in mail.body and "Which grades" not in mail.body for mail in mailoutbox)
