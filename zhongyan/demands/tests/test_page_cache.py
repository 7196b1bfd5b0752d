"""The demand list and a demand's page served again from the page cache (core/pagecache.py): a
repeated request of the same session runs no view and no query, and every committed write,
sign-out, password change, deactivation, message or change of organisation shows at once."""

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from zhongyan.core import pagecache, versions
from zhongyan.core.content import bilingual
from zhongyan.demands import services
from zhongyan.demands.models import Demand, Follow
from zhongyan.demands.tests.factories import DemandFactory
from zhongyan.orgs.tests.factories import MembershipFactory

LIST = reverse("demands:list")
TOKEN = b'name="csrfmiddlewaretoken" value="'


@pytest.fixture
def public(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org, owner=owner, published=True, title=bilingual(zh="公开需求", en="Public Y")
    )


@pytest.fixture
def internal(owner_org: Any, owner: Any) -> Demand:
    return DemandFactory(
        organisation=owner_org, owner=owner, published=True, internal=True, title=bilingual(zh="内部需求", en="X")
    )


def page(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.public_id])


def warm(client: Client, url: str) -> bytes:
    """The first request sets the CSRF cookie; the second is rendered and stored."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def served_from_cache(response: Any) -> bool:
    """A stored page is answered before any template is rendered."""
    return response.status_code == 200 and not response.templates


def tokens(content: bytes) -> set[str]:
    found = set()
    for part in content.split(TOKEN)[1:]:
        found.add(part.split(b'"', 1)[0].decode())
    return found


def without_tokens(content: bytes) -> bytes:
    for token in tokens(content):
        content = content.replace(token.encode(), b"TOKEN")
    return content


def test_a_repeated_request_of_the_session_reads_nothing_but_the_session(
    as_user: Callable[..., Client], solver: Any, public: Demand, django_assert_max_num_queries: Any
) -> None:
    client = as_user(solver)
    first = warm(client, LIST)
    # The session is read from the database only where it is not kept in the cache (no Redis).
    with django_assert_max_num_queries(0 if "cache" in settings.SESSION_ENGINE else 1):
        again = client.get(LIST)
    assert served_from_cache(again)
    assert without_tokens(again.content) == without_tokens(first)


def test_the_stored_page_carries_a_fresh_token_for_the_sessions_csrf_secret(
    as_user: Callable[..., Client], solver: Any, public: Demand
) -> None:
    client = as_user(solver)
    first = warm(client, page(public))
    again = client.get(page(public))
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert len(tokens(first)) == 1
    assert len(tokens(again.content)) == 1
    assert tokens(first) != tokens(again.content)
    assert {_unmask_cipher_token(token) for token in tokens(again.content)} == {secret}
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == secret


def test_a_form_on_a_stored_page_posts_with_its_token(solver: Any, public: Demand) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(solver)
    warm(client, page(public))
    token = tokens(client.get(page(public)).content).pop()
    response = client.post(reverse("demands:follow", args=[public.public_id]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Follow.objects.filter(demand=public, user=solver).exists()


def test_the_stored_page_has_the_full_stacks_headers(as_user: Callable[..., Client], solver: Any) -> None:
    client = as_user(solver)
    client.get(LIST)
    rendered = client.get(LIST)
    stored = client.get(LIST)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Language", "Referrer-Policy"):
        assert stored.headers[header] == rendered.headers[header]


def test_another_session_of_another_person_gets_their_own_page(
    as_user: Callable[..., Client], solver: Any, outsider: Any, public: Demand
) -> None:
    solver.display_name, outsider.display_name = {"en": "Solver Sun"}, {"en": "Outsider Ou"}
    solver.save()
    outsider.save()
    warm(as_user(solver), LIST)
    content = warm(as_user(outsider), LIST).decode()
    assert "Outsider Ou" in content
    assert "Solver Sun" not in content


def test_an_outsider_never_gets_a_members_stored_page_of_an_internal_demand(
    as_user: Callable[..., Client], teammate: Any, outsider: Any, internal: Demand
) -> None:
    assert "内部需求" in warm(as_user(teammate), LIST).decode()
    assert "内部需求" not in warm(as_user(outsider), LIST).decode()
    assert as_user(outsider).get(page(internal)).status_code == 404


def test_signing_out_ends_the_stored_pages_of_the_session(as_user: Callable[..., Client], solver: Any) -> None:
    client = as_user(solver)
    warm(client, LIST)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    replay.cookies[settings.CSRF_COOKIE_NAME] = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = replay.get(LIST)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_password_changed_elsewhere_ends_the_stored_pages(as_user: Callable[..., Client], solver: Any) -> None:
    client = as_user(solver)
    warm(client, LIST)
    solver.set_password("a-new-and-long-password")
    solver.save()
    response = client.get(LIST)
    assert response.status_code == 302


def test_a_deactivated_user_is_not_served_stored_pages(as_user: Callable[..., Client], solver: Any) -> None:
    client = as_user(solver)
    warm(client, LIST)
    solver.is_active = False
    solver.save()
    assert client.get(LIST).status_code == 302


def test_what_a_concurrent_request_stores_during_a_user_write_is_retired_at_commit(
    solver: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Between the save and the commit another request still reads the old row: the page it
    stores (under the version it reads then) and the row it caches must not outlive the commit."""
    version_key = pagecache.user_version_key(solver.pk)
    with django_capture_on_commit_callbacks(execute=True):
        solver.is_active = False
        solver.save()
        read_during_the_write = versions.read(version_key)
        cache.set(f"accounts:user:{solver.pk}", "the old row, cached by a concurrent request")
    assert versions.read(version_key) > read_during_the_write
    assert cache.get(f"accounts:user:{solver.pk}") is None


def test_a_message_waiting_in_a_cookie_is_shown_not_a_stored_page(
    as_user: Callable[..., Client], solver: Any, rf: Any
) -> None:
    client = as_user(solver)
    warm(client, LIST)
    storage = CookieStorage(rf.get("/"))
    storage.add(constants.SUCCESS, "Draft saved, well done.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(LIST)
    assert not served_from_cache(response)
    assert "Draft saved, well done." in response.content.decode()


def test_a_change_to_the_session_retires_its_stored_pages(as_user: Callable[..., Client], solver: Any) -> None:
    client = as_user(solver)
    warm(client, LIST)
    assert served_from_cache(client.get(LIST))
    session = client.session
    session["something"] = "else"
    session.save()
    assert not served_from_cache(client.get(LIST))
    assert served_from_cache(client.get(LIST))  # stored again for the session as it is now


def test_htmx_requests_are_never_answered_from_the_page_cache(
    as_user: Callable[..., Client], solver: Any, public: Demand
) -> None:
    client = as_user(solver)
    warm(client, LIST)
    fragment = client.get(LIST, headers={"HX-Request": "true"})
    assert not served_from_cache(fragment)
    assert b"<html" not in fragment.content
    assert "公开需求" in fragment.content.decode()


def test_publishing_a_demand_shows_on_the_next_request(
    as_user: Callable[..., Client],
    solver: Any,
    operator: Any,
    owner: Any,
    owner_org: Any,
    public: Demand,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = as_user(solver)
    warm(client, LIST)
    draft = DemandFactory(organisation=owner_org, owner=owner, title=bilingual(zh="新发布需求", en="Fresh"))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_demand(actor=owner, demand=draft)
        services.approve_demand(actor=operator, demand=draft)
    assert "新发布需求" in client.get(LIST).content.decode()


def test_a_question_answered_shows_on_everyones_stored_demand_page(
    as_user: Callable[..., Client],
    solver: Any,
    outsider: Any,
    owner: Any,
    public: Demand,
    django_capture_on_commit_callbacks: Any,
) -> None:
    reader = as_user(outsider)
    warm(reader, page(public))
    with django_capture_on_commit_callbacks(execute=True):
        question = services.ask_question(actor=solver, demand=public, body="What thickness range?")
        services.answer_question(actor=owner, question=question, answer="From 0.8 to 2.0 mm.")
    content = reader.get(page(public)).content.decode()
    assert "What thickness range?" in content
    assert "From 0.8 to 2.0 mm." in content


def test_following_shows_on_the_followers_stored_page(
    as_user: Callable[..., Client], solver: Any, public: Demand, django_capture_on_commit_callbacks: Any
) -> None:
    client = as_user(solver)
    warm(client, page(public))
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_demand(actor=solver, demand=public)
    assert 'aria-pressed="true"' in client.get(page(public)).content.decode()


def test_accepting_the_nda_opens_the_details_on_the_stored_page(
    as_user: Callable[..., Client],
    solver: Any,
    owner_org: Any,
    owner: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    demand = DemandFactory(organisation=owner_org, owner=owner, published=True, nda=True)
    client = as_user(solver)
    assert 'id="nda-gate"' in warm(client, page(demand)).decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_nda(actor=solver, demand=demand)
    content = client.get(page(demand)).content.decode()
    assert 'id="nda-gate"' not in content
    assert 'id="indicators"' in content


def test_joining_the_organisation_shows_its_internal_demands_on_the_stored_list(
    as_user: Callable[..., Client], outsider: Any, owner_org: Any, internal: Demand
) -> None:
    client = as_user(outsider)
    assert "内部需求" not in warm(client, LIST).decode()
    MembershipFactory(organisation=owner_org, user=outsider)
    assert "内部需求" in client.get(LIST).content.decode()


def test_the_page_cache_can_be_switched_off(as_user: Callable[..., Client], solver: Any, settings: Any) -> None:
    settings.PAGE_CACHE = False
    client = as_user(solver)
    warm(client, LIST)
    assert not served_from_cache(client.get(LIST))
