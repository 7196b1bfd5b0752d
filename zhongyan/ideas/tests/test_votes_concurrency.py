"""200 people vote for one idea at the same moment: exactly 200 rows and a count of 200.

On PostgreSQL the unique constraint and the F() update inside one transaction settle it. On
SQLite the writers queue on IMMEDIATE transactions with a busy timeout, as configured in
settings. The test database of pytest-django on SQLite is an in-memory *shared-cache* database,
whose table locks fail at once instead of waiting ("database table is locked"), which no
deployment uses; so on SQLite the test copies the database to a file and points the voters'
connections at it, which is exactly the embedded deployment."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.db import connection, connections

from zhongyan.accounts.models import User
from zhongyan.ideas import services
from zhongyan.ideas.models import Idea, Vote
from zhongyan.ideas.tests.factories import make_campaign, make_idea

VOTERS = 200
T = TypeVar("T")


@contextmanager
def _writers_database(tmp_path: Path) -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "votes.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def _in_thread(work: Callable[[], T]) -> T:
    """Runs ORM work on a fresh connection (the one the voters use)."""
    box: list[T] = []

    def run() -> None:
        try:
            box.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box[0]


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_votes_leave_exactly_two_hundred(operator: Any, teammate: Any, tmp_path: Path) -> None:
    campaign = make_campaign(operator)
    idea = make_idea(campaign, teammate)
    voters = User.objects.bulk_create(User(email=f"voter{n}@example.com") for n in range(VOTERS))
    # One connection per thread: PostgreSQL's default max_connections (100) cannot hold 200, so
    # there the 200 votes are cast by 60 threads released together, each voting for a few people.
    workers = VOTERS if connection.vendor == "sqlite" else 60
    barrier = threading.Barrier(workers, timeout=120)
    errors: list[BaseException] = []
    results: list[bool] = []

    def vote(batch: list[tuple[int, User]]) -> None:
        try:
            mine = Idea.objects.select_related("campaign", "stage").get(pk=idea.pk)
            barrier.wait()
            for n, user in batch:
                results.append(services.cast_vote(actor=user, idea=mine))
                if n % 10 == 0:  # a double click must not count twice
                    results.append(services.cast_vote(actor=user, idea=mine))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    numbered = list(enumerate(voters))
    with _writers_database(tmp_path):
        threads = [threading.Thread(target=vote, args=(numbered[w::workers],)) for w in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rows, count = _in_thread(
            lambda: (Vote.objects.filter(idea_id=idea.pk).count(), Idea.objects.get(pk=idea.pk).vote_count)
        )
    assert errors == []
    assert rows == VOTERS
    assert count == VOTERS
    assert results.count(True) == VOTERS and results.count(False) == VOTERS // 10
