from typing import Any

import pytest
from django.urls import reverse

from zhongyan.accounts.models import User
from zhongyan.demands.models import Demand
from zhongyan.notifications import services
from zhongyan.notifications.models import EmailFrequency, Kind, Notification, NotificationSettings, Preference
from zhongyan.notifications.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _notify(
    user: User, demand: Demand, *, kind: str = Kind.PROPOSAL_RECEIVED, url: str = "/dashboard/"
) -> Notification:
    (row,) = services.notify(recipients=[user], kind=kind, context={"demand": dict(demand.title)}, url=url)
    return row


def test_inbox_shows_my_notifications_with_unread_in_bold(as_user: Any, owner: User, public_demand: Demand) -> None:
    read = _notify(owner, public_demand, kind=Kind.QUESTION_ASKED)
    services.mark_read(actor=owner, notification=read)
    _notify(owner, public_demand)
    response = as_user(owner).get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "先进高强汽车板氢脆" in html
    assert html.index("收到新的方案") < html.index("有新的提问")  # unread first, although older ones exist
    assert html.count('data-unread="1"') == 1


def test_inbox_is_translated_at_display_time(as_user: Any, owner: User, public_demand: Demand) -> None:
    _notify(owner, public_demand)
    html = as_user(owner).get("/en/notifications/").content.decode()
    assert "New proposal for “Hydrogen embrittlement of AHSS sheet”" in html


def test_inbox_shows_an_empty_state(as_user: Any, outsider: User) -> None:
    response = as_user(outsider).get(reverse("notifications:inbox"))
    assert 'id="notifications-empty"' in response.content.decode()


def test_inbox_is_paginated(as_user: Any, owner: User, public_demand: Demand) -> None:
    for _ in range(PAGE_SIZE + 3):
        _notify(owner, public_demand)
    first = as_user(owner).get(reverse("notifications:inbox"))
    second = as_user(owner).get(reverse("notifications:inbox"), {"page": 2})
    assert first.content.decode().count("data-notification=") == PAGE_SIZE
    assert second.content.decode().count("data-notification=") == 3
    assert as_user(owner).get(reverse("notifications:inbox"), {"page": "x"}).status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in(as_user: Any) -> None:
    response = as_user(None).get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    as_user: Any, owner: User, public_demand: Demand
) -> None:
    row = _notify(owner, public_demand)
    response = as_user(owner).post(reverse("notifications:open", args=[row.public_id]))
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_from_the_english_interface_keeps_english(as_user: Any, owner: User, public_demand: Demand) -> None:
    row = _notify(owner, public_demand)
    response = as_user(owner).post(f"/en/notifications/{row.public_id}/open/")
    assert response["Location"] == "/en/dashboard/"


def test_a_foreign_link_is_never_followed(as_user: Any, owner: User, public_demand: Demand) -> None:
    row = _notify(owner, public_demand, url="https://evil.example.com/")
    response = as_user(owner).post(reverse("notifications:open", args=[row.public_id]))
    assert response["Location"] == reverse("notifications:inbox")


@pytest.mark.parametrize("name", ["notifications:open", "notifications:mark_read"])
def test_another_persons_notification_is_404(
    name: str, as_user: Any, owner: User, solver: User, public_demand: Demand
) -> None:
    row = _notify(owner, public_demand)
    assert as_user(solver).post(reverse(name, args=[row.public_id])).status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_mark_all_read(as_user: Any, owner: User, public_demand: Demand) -> None:
    _notify(owner, public_demand)
    _notify(owner, public_demand)
    response = as_user(owner).post(reverse("notifications:mark_all_read"), follow=True)
    assert response.status_code == 200
    assert not Notification.objects.inbox_of(owner).unread().exists()


def test_mark_all_read_refuses_get(as_user: Any, owner: User) -> None:
    assert as_user(owner).get(reverse("notifications:mark_all_read")).status_code == 405


def test_badge_shows_the_unread_count(as_user: Any, owner: User, public_demand: Demand) -> None:
    _notify(owner, public_demand)
    _notify(owner, public_demand)
    html = as_user(owner).get(reverse("notifications:badge"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-unread="2"' in html


def test_badge_is_empty_without_unread(as_user: Any, owner: User) -> None:
    assert "badge" not in as_user(owner).get(reverse("notifications:badge")).content.decode()


def test_pages_load_the_badge_lazily(as_user: Any, owner: User) -> None:
    html = as_user(owner).get(reverse("portal:dashboard")).content.decode()
    assert 'hx-get="/notifications/badge/"' in html and 'hx-trigger="load, every 60s"' in html


def test_preferences_page_shows_every_kind(as_user: Any, owner: User) -> None:
    html = as_user(owner).get(reverse("notifications:preferences")).content.decode()
    assert html.count("<tr data-kind=") == len(Kind)


def test_preferences_are_saved(as_user: Any, owner: User) -> None:
    data = {"language": "en"}
    for kind in Kind.values:
        data[f"{kind}__in_app"] = "on"
        data[f"{kind}__email_frequency"] = EmailFrequency.IMMEDIATE
    data[f"{Kind.QUESTION_ASKED}__email"] = "on"
    data[f"{Kind.QUESTION_ASKED}__email_frequency"] = EmailFrequency.WEEKLY
    response = as_user(owner).post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=owner).language == "en"
    assert Preference.objects.get(user=owner, kind=Kind.QUESTION_ASKED).email_frequency == EmailFrequency.WEEKLY
    assert Preference.objects.get(user=owner, kind=Kind.PROPOSAL_RECEIVED).email is False


def test_bad_preferences_are_refused_and_keep_what_was_typed(as_user: Any, owner: User) -> None:
    data = {"language": "fr", f"{Kind.QUESTION_ASKED}__email_frequency": "hourly"}
    data[f"{Kind.NDA_ACCEPTED}__email"] = "on"
    response = as_user(owner).post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "选择一个有效的选项" in html
    assert (
        f'name="{Kind.NDA_ACCEPTED}__email" id="id_{Kind.NDA_ACCEPTED}__email" class="form-check-input" checked' in html
    )
    assert not Preference.objects.exists()


def test_preferences_page_at_english_interface(as_user: Any, owner: User) -> None:
    html = as_user(owner).get("/en/notifications/settings/").content.decode()
    assert "Notification settings" in html and "Daily digest" in html
