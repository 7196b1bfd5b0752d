"""Races: a double-clicked submit, and submissions racing the demand's closing. Each thread has its
own database connection; SQLite's IMMEDIATE transactions and PostgreSQL's row lock on the demand
both make the writers queue."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.audit_models import AuditEntry
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, Receipt
from zhongyan.proposals.tests.helpers import accept_nda, content


@pytest.fixture(autouse=True)
def file_database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """On SQLite, move this test onto a database file. The in-memory test database uses a shared
    cache, whose table locks fail at once instead of waiting, unlike a real SQLite file where
    IMMEDIATE transactions queue. On PostgreSQL nothing changes."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    name = connection.settings_dict["NAME"]
    connection.connection = None  # keep the in-memory database alive through `memory`
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call at the same moment in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


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
