"""The events tests' clean-up: nothing a test started may outlive it."""

from collections.abc import Iterator

import pytest
from asgiref.sync import SyncToAsync
from django.db import connections


@pytest.fixture(autouse=True)
def _close_the_shared_thread_connections() -> Iterator[None]:
    """An async test's `sync_to_async` calls run in asgiref's one shared thread (there is no
    request thread to return to), which keeps its own database connection: PostgreSQL would
    refuse to drop the test database while it is open. Closed after each test, in that thread.
    (The join queue's drainer closes its own after every batch; the `phone` fixture stops it.)"""
    yield
    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)
