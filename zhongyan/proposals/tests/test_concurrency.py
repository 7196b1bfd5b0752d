"""Races: a double-clicked submit, and submissions racing the demand's closing. Each thread has its
own database connection; SQLite's IMMEDIATE transactions and PostgreSQL's row lock on the demand
both make the writers queue."""

from collections.abc import Callable
from typing import Any

import pytest

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.core.testing import run_together
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, Receipt
from zhongyan.proposals.tests.helpers import accept_nda, content

pytestmark = pytest.mark.usefixtures("file_database")


@pytest.mark.django_db(transaction=True)
def test_double_clicked_submit_makes_exactly_one_proposal(nda_solver, demand):
    services.save_draft(actor=nda_solver, demand=demand, content=content())

    def click() -> Proposal:
        return services.submit_proposal(actor=nda_solver, demand=Demand.objects.get(pk=demand.pk), content=content())

    results = run_together(click, click, click)
    assert all(isinstance(result, Proposal) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Proposal.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert AuditEntry.objects.filter(verb="proposal.submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_double_clicked_first_submit_without_a_draft_makes_exactly_one_proposal(nda_solver, demand):
    def click() -> Proposal:
        return services.submit_proposal(actor=nda_solver, demand=Demand.objects.get(pk=demand.pk), content=content())

    results = run_together(click, click)
    assert all(isinstance(result, Proposal) for result in results), results
    assert Proposal.objects.count() == 1
    assert Receipt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_submissions_racing_the_close_are_accepted_whole_or_refused_whole(owner, demand):
    solvers = [UserFactory() for _ in range(4)]
    for solver in solvers:
        accept_nda(solver, demand)
        services.save_draft(actor=solver, demand=demand, content=content())

    def submitter(user: Any) -> Callable[[], Any]:
        return lambda: services.submit_proposal(actor=user, demand=Demand.objects.get(pk=demand.pk))

    def close() -> Any:
        return demand_services.close_demand(actor=owner, demand=Demand.objects.get(pk=demand.pk))

    results = run_together(
        submitter(solvers[0]), submitter(solvers[1]), close, submitter(solvers[2]), submitter(solvers[3])
    )
    assert not isinstance(results[2], Exception), results[2]
    demand.refresh_from_db()
    assert demand.status == Demand.Status.CLOSED
    for proposal in Proposal.objects.order_by("solver_id"):
        receipt = Receipt.objects.filter(proposal=proposal).first()
        audited = AuditEntry.objects.filter(verb="proposal.submitted", target_id=proposal.public_id).exists()
        if proposal.status == Proposal.Status.SUBMITTED:
            assert receipt is not None and audited
            assert proposal.submitted_at <= demand.closed_at
        else:
            assert proposal.status == Proposal.Status.DRAFT
            assert receipt is None and not audited
            assert proposal.submitted_at is None
    assert Receipt.objects.count() == Proposal.objects.submitted().count()


@pytest.mark.django_db(transaction=True)
def test_a_submission_failing_half_way_leaves_no_trace(nda_solver, demand, monkeypatch):
    services.save_draft(actor=nda_solver, demand=demand, content=content())

    def broken_receipt(proposal: Proposal) -> Receipt:
        raise RuntimeError("disk full")

    monkeypatch.setattr("zhongyan.proposals.services.submission._issue_receipt", broken_receipt)
    with pytest.raises(RuntimeError):
        services.submit_proposal(actor=nda_solver, demand=demand)
    proposal = Proposal.objects.get()
    assert proposal.status == Proposal.Status.DRAFT and proposal.submitted_at is None
    assert not Receipt.objects.exists()
    assert not AuditEntry.objects.filter(verb="proposal.submitted").exists()
