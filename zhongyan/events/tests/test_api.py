import pytest
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.accounts.tokens import create_api_token
from zhongyan.events import services
from zhongyan.events.models import Attendance
from zhongyan.events.tests.factories import VenueFactory

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    _token, key = create_api_token(user=user, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_an_operator_creates_an_event_with_venues(operator: User) -> None:
    response = Client().post(
        "/api/v1/events/",
        {
            "title": {"zh-hans": "第七届学术年会", "en": "7th Academic Annual Conference"},
            "starts_at": "2026-12-01T09:00:00+08:00",
            "ends_at": "2026-12-01T17:00:00+08:00",
            "venues": [{"zh-hans": "主会场"}, {"zh-hans": "分会场", "en": "Sub-venue"}],
        },
        content_type="application/json",
        headers=bearer(operator),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [venue["is_main"] for venue in body["venues"]] == [True, False]


def test_an_outsider_cannot_create_events(outsider: User) -> None:
    response = Client().post(
        "/api/v1/events/",
        {"title": {"en": "X"}, "starts_at": "2026-12-01T09:00:00Z", "ends_at": "2026-12-01T10:00:00Z"},
        content_type="application/json",
        headers=bearer(outsider),
    )
    assert response.status_code == 403


def test_a_host_lists_guests_and_hides_one_and_others_cannot(outsider: User) -> None:
    venue = VenueFactory(is_main=True)
    guest, _created = services.join_event(venue=venue, selfie=None, name="王工", contact="w@example.com")
    host = bearer(venue.event.created_by)
    listing = Client().get(f"/api/v1/events/{venue.event.public_id}/guests", headers=host)
    assert [item["name"] for item in listing.json()["items"]] == ["王工"]
    response = Client().put(
        f"/api/v1/events/{venue.event.public_id}/guests/{guest.public_id}/visibility",
        {"hidden": True},
        content_type="application/json",
        headers=host,
    )
    assert response.status_code == 200
    assert Attendance.objects.get().hidden
    assert Client().get(f"/api/v1/events/{venue.event.public_id}/guests", headers=bearer(outsider)).status_code == 403
    assert Client().get(f"/api/v1/events/{venue.event.public_id}/statistics", headers=host).json()["hidden"] == 1
    assert Client().get("/api/v1/events/nope", headers=host).status_code == 404
