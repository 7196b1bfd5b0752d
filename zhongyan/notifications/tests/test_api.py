import json
from typing import Any

import pytest

from zhongyan.accounts.models import User
from zhongyan.demands.models import Demand
from zhongyan.notifications import services
from zhongyan.notifications.models import EmailFrequency, Kind, Notification

pytestmark = pytest.mark.django_db
BASE = "/api/v1/notifications/"


def _notify(user: User, demand: Demand) -> Notification:
    (row,) = services.notify(
        recipients=[user], kind=Kind.PROPOSAL_RECEIVED, context={"demand": dict(demand.title)}, url="/dashboard/"
    )
    return row


def test_list_returns_my_notifications_only(as_user: Any, owner: User, solver: User, public_demand: Demand) -> None:
    mine = _notify(owner, public_demand)
    _notify(solver, public_demand)
    response = as_user(owner).get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == mine.public_id and item["read"] is False
    assert item["url"].endswith("/dashboard/")


def test_list_speaks_the_requested_language(as_user: Any, owner: User, public_demand: Demand) -> None:
    _notify(owner, public_demand)
    response = as_user(owner).get(BASE, headers={"Accept-Language": "en"})
    assert response.json()["items"][0]["title"] == "New proposal for “Hydrogen embrittlement of AHSS sheet”"


def test_unread_count_and_mark_read(as_user: Any, owner: User, public_demand: Demand) -> None:
    row = _notify(owner, public_demand)
    _notify(owner, public_demand)
    client = as_user(owner)
    assert client.get(BASE + "unread-count").json() == {"unread": 2}
    response = client.post(f"{BASE}{row.public_id}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.get(BASE + "unread-count").json() == {"unread": 1}
    assert client.get(BASE, {"unread": True}).json()["count"] == 1
    assert client.post(BASE + "read-all").json() == {"marked": 1}


def test_marking_another_persons_notification_is_404(
    as_user: Any, owner: User, solver: User, public_demand: Demand
) -> None:
    row = _notify(owner, public_demand)
    assert as_user(solver).post(f"{BASE}{row.public_id}/read").status_code == 404
    row.refresh_from_db()
    assert row.read_at is None


def test_anonymous_gets_401(as_user: Any) -> None:
    assert as_user(None).get(BASE).status_code == 401


def test_preferences_round_trip(as_user: Any, owner: User) -> None:
    client = as_user(owner)
    initial = client.get(BASE + "preferences").json()
    assert initial["language"] == "zh-hans" and len(initial["preferences"]) == len(Kind)
    payload = {
        "language": "en",
        "preferences": [
            {"kind": "question_asked", "in_app": False, "email": True, "email_frequency": EmailFrequency.DAILY}
        ],
    }
    response = client.put(BASE + "preferences", json.dumps(payload), content_type="application/json")
    assert response.status_code == 200
    saved = {item["kind"]: item for item in response.json()["preferences"]}
    assert response.json()["language"] == "en"
    assert saved["question_asked"]["in_app"] is False and saved["question_asked"]["email_frequency"] == "daily"


def test_preferences_refuse_an_unknown_language(as_user: Any, owner: User) -> None:
    payload = {"language": "fr", "preferences": []}
    response = as_user(owner).put(BASE + "preferences", json.dumps(payload), content_type="application/json")
    assert response.status_code == 400
    assert services.language_of(owner) == "zh-hans"


def test_preferences_refuse_an_unknown_kind(as_user: Any, owner: User) -> None:
    payload = {"preferences": [{"kind": "party", "in_app": True, "email": True}]}
    response = as_user(owner).put(BASE + "preferences", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
