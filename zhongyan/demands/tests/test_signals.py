"""The signal contract other modules (notifications, matching) rely on: sent after commit, with
sender=Demand and the documented keyword arguments."""

from typing import Any

from zhongyan.demands import services, signals
from zhongyan.demands.models import Demand
from zhongyan.demands.tests.factories import DemandFactory


def capture(signal: Any) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    signal.connect(receiver, weak=False)
    received.append({"_receiver": receiver})
    return received


def test_engagement_signals_carry_the_documented_arguments_after_commit(
    owner_org: Any, owner: Any, solver: Any, outsider: Any, django_capture_on_commit_callbacks: Any
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    names = ("nda_accepted", "question_asked", "question_answered", "solver_invited")
    captured = {name: capture(getattr(signals, name)) for name in names}
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            acceptance = services.accept_nda(actor=solver, demand=demand)
            question = services.ask_question(actor=solver, demand=demand, body="Which grades?")
            services.answer_question(actor=owner, question=question, answer="DP980.")
            invitation = services.invite_solver(actor=owner, demand=demand, invitee=outsider)
        assert all(len(events) == 1 for events in captured.values())  # nothing before commit
        for callback in callbacks:
            callback()
    finally:
        for name in names:
            getattr(signals, name).disconnect(captured[name][0]["_receiver"])
    events = {name: captured[name][1] for name in names}
    assert events["nda_accepted"]["acceptance"] == acceptance and events["nda_accepted"]["actor"] == solver
    assert events["question_asked"]["question"] == question
    assert events["question_answered"]["actor"] == owner
    assert events["solver_invited"]["invitation"] == invitation
    assert all(event["sender"] is Demand and event["demand"] == demand for event in events.values())
