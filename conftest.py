"""Personas shared by every app's tests (STYLE.md): operator, demand owner, solver, reviewer,
outsider, and anonymous. Each is a real user with a verified e-mail and a real organisation."""

import contextlib
import importlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.accounts.tests.factories import PASSWORD, UserFactory
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.tests.factories import MembershipFactory, OrganisationFactory

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Personas get real passwords; the production hasher costs a second per user on a busy machine.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; URLs reversed by the next
    # test would then carry the /en/ prefix.
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _keep_the_test_connection(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Closing a streamed response (FileResponse) sends request_finished after the test client
    has put close_old_connections back on it, which would close PostgreSQL's connection in the
    middle of the test's transaction. The client re-connects whatever `close_old_connections` its
    module names, so it is given a no-op, and the real receiver is lifted for the test. Not for
    live-server tests: their server threads must keep closing their own connections."""
    if "live_server" in request.fixturenames:
        yield
        return
    import django.test.client
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    def keep(**kwargs: Any) -> None:
        return None

    monkeypatch.setattr(django.test.client, "close_old_connections", keep)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)
    request_started.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters and cached fragments must not leak from one test into the next."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["fragments"].clear()


_AUDIT_TRIGGERS = importlib.import_module("zhongyan.core.migrations.0002_audit_append_only")


@pytest.fixture(autouse=True)
def _audit_log_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    """Transactional tests end with a flush (DELETE FROM every table), which the audit log's
    append-only triggers refuse on SQLite (PostgreSQL flushes with TRUNCATE, which row triggers
    do not see). Lift the triggers for that flush only, and put them back for the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        for statement in _AUDIT_TRIGGERS.SQLITE:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in _AUDIT_TRIGGERS.SQLITE_REVERSE:
            cursor.execute(statement)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def operator_org(db: None) -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.OPERATOR, name={"zh-hans": "中央研究院", "en": "Central Research Institute"}
    )


@pytest.fixture
def owner_org(db: None) -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.BUSINESS_UNIT, name={"zh-hans": "冷轧厂", "en": "Cold Rolling Mill"}
    )


@pytest.fixture
def solver_org(db: None) -> Organisation:
    return OrganisationFactory(
        kind=Organisation.Kind.UNIVERSITY, name={"zh-hans": "钢铁大学", "en": "Steel University"}
    )


@pytest.fixture
def operator(operator_org: Organisation) -> User:
    user = UserFactory(operator=True, email="operator@example.com")
    MembershipFactory(organisation=operator_org, user=user, role=Membership.Role.ADMIN)
    return user


@pytest.fixture
def owner(owner_org: Organisation) -> User:
    """A demand owner: administrator of a business unit."""
    user = UserFactory(email="owner@example.com")
    MembershipFactory(organisation=owner_org, user=user, role=Membership.Role.OWNER)
    return user


@pytest.fixture
def teammate(owner_org: Organisation) -> User:
    """A plain member of the owner's organisation."""
    user = UserFactory(email="teammate@example.com")
    MembershipFactory(organisation=owner_org, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def solver(solver_org: Organisation) -> User:
    user = UserFactory(email="solver@example.com")
    MembershipFactory(organisation=solver_org, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def reviewer(db: None) -> User:
    return UserFactory(email="reviewer@example.com")


@pytest.fixture
def outsider(db: None) -> User:
    """Signed in, but belongs to nothing the test is about."""
    return UserFactory(email="outsider@example.com")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def file_database(transactional_db: None, tmp_path: Path) -> Iterator[None]:
    """For race tests on SQLite: move the test onto a database file. The in-memory test database
    uses a shared cache, whose table locks fail at once instead of waiting, unlike a real SQLite
    file where IMMEDIATE transactions queue. On PostgreSQL nothing changes."""
    import sqlite3

    from django.db import connection

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
    connection.connection = None  # the in-memory database stays alive through `memory`
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@pytest.fixture
def as_user() -> Any:
    return client_for


# --- browser tests -------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in this thread
    while the browser is open, and code that starts its own loop (async_to_sync, pyHanko,
    pytest-asyncio) cannot run beside it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _browser_required() -> bool:
    return os.environ.get("ZHONGYAN_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"BROWSER TESTS SKIPPED: {CHROMIUM} is missing (apt-get install chromium)"
        if _browser_required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    in_flight: set[Any] = set()
    context.on("request", lambda request: in_flight.add(request))
    context.on("requestfinished", lambda request: in_flight.discard(request))
    context.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # Let the requests the pages started (htmx fragments loading after the last step) finish
    # before the live server's database is flushed: on PostgreSQL a query still running beside
    # the flush's TRUNCATE can deadlock with it (seen once in a clean-clone CI run).
    for _ in range(50):
        if not in_flight:
            break
        with contextlib.suppress(Exception):
            page.wait_for_timeout(100)
    context.close()
