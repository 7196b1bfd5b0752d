"""What a big screen receives, frame by frame, and who may change it."""

import base64

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.asgi import application
from zhongyan.events import services
from zhongyan.events.models import Attendance, EventRole, Venue
from zhongyan.events.selfies import process_selfie
from zhongyan.events.tests.factories import EventRoleFactory, VenueFactory, jpeg_bytes
from zhongyan.events.tokens import make_screen_key


def _join(venue: Venue, name: str, contact: str) -> Attendance:
    selfie = process_selfie(SimpleUploadedFile("a.jpg", jpeg_bytes()), max_bytes=10**7)
    attendance, _created = services.join_event(venue=venue, selfie=selfie, name=name, contact=contact)
    return attendance


def _read_thumbnail(attendance: Attendance) -> bytes:
    with attendance.thumbnail.open("rb") as stored:
        return stored.read()


async def _connect(venue: Venue, key: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        f"/ws/events/screens/{venue.public_id}/?key={key}",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")],
    )
    connected, _code = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_every_screen_of_the_event_receives_a_join_at_any_venue() -> None:
    main = await sync_to_async(VenueFactory)(is_main=True)
    sub = await sync_to_async(VenueFactory)(event=main.event)
    screens = [
        await _connect(main, make_screen_key(main.public_id)),
        await _connect(sub, make_screen_key(sub.public_id)),
    ]
    guest = await sync_to_async(_join)(sub, "王工", "wang@example.com")
    expected = {
        "type": "joined",
        "guest": {
            "id": guest.public_id,
            "seq": guest.pk,
            "name": "王工",
            "organisation": "",
            "venue": sub.public_id,
            "thumbnail": f"/faces/{guest.public_id}.jpg",
        },
        "count": 1,
    }
    thumbnail = await sync_to_async(_read_thumbnail)(guest)
    for screen in screens:
        frame = await screen.receive_json_from(timeout=3)
        # The new face's thumbnail comes inline, so a screen draws it without a request.
        assert frame["guest"].pop("picture") == "data:image/jpeg;base64," + base64.b64encode(thumbnail).decode()
        assert frame == expected
    for screen in screens:
        await screen.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_hidden_face_leaves_every_screen() -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    guest = await sync_to_async(_join)(venue, "Li", "li@example.com")
    screen = await _connect(venue, make_screen_key(venue.public_id))
    await sync_to_async(services.hide_guest)(actor=venue.event.created_by, attendance=guest)
    assert await screen.receive_json_from(timeout=3) == {"type": "hidden", "id": guest.public_id, "count": 0}
    await screen.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_screen_without_a_valid_key_is_refused() -> None:
    venue = await sync_to_async(VenueFactory)()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/events/screens/{venue.public_id}/?key=forged",
        headers=[(b"host", b"127.0.0.1"), (b"origin", b"http://127.0.0.1")],
    )
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4403


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_screen_answers_pings() -> None:
    venue = await sync_to_async(VenueFactory)()
    screen = await _connect(venue, make_screen_key(venue.public_id))
    await screen.send_json_to({"type": "ping"})
    assert await screen.receive_json_from(timeout=3) == {"type": "pong"}
    await screen.disconnect()


@pytest.mark.django_db
def test_the_feed_catches_a_screen_up() -> None:
    venue = VenueFactory(is_main=True)
    first, second, third = (_join(venue, f"Guest {i}", f"g{i}@example.com") for i in range(3))
    services.hide_guest(actor=venue.event.created_by, attendance=second)
    key = make_screen_key(venue.public_id)
    data = Client().get(f"/screens/{venue.public_id}/feed/", {"key": key, "after": first.pk}).json()
    assert [guest["id"] for guest in data["guests"]] == [third.public_id]
    assert data["hidden"] == [second.public_id]
    assert data["count"] == 2
    assert Client().get(f"/screens/{venue.public_id}/feed/", {"key": "nope"}).status_code == 404


@pytest.mark.django_db
def test_the_screen_page_and_its_qr_code_need_the_key() -> None:
    venue = VenueFactory(is_main=True)
    key = make_screen_key(venue.public_id)
    assert Client().get(f"/screens/{venue.public_id}/").status_code == 404
    page = Client().get(f"/screens/{venue.public_id}/", {"key": key})
    assert page.status_code == 200
    assert '<canvas id="wall"' in page.content.decode()
    qr = Client().get(f"/screens/{venue.public_id}/qr/", {"key": key})
    assert "<svg" in qr.content.decode()
    assert f"/j/{venue.public_id}/" in qr.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "allowed"), [("host", True), ("moderator", True), ("outsider", False)])
def test_only_hosts_and_moderators_hide_faces(persona: str, allowed: bool, outsider: User) -> None:
    venue = VenueFactory(is_main=True)
    guest = _join(venue, "A", "a@example.com")
    user = {
        "host": venue.event.created_by,
        "moderator": EventRoleFactory(event=venue.event, role=EventRole.Role.MODERATOR).user,
        "outsider": outsider,
    }[persona]
    client = Client()
    client.force_login(user)
    response = client.post(f"/events/{venue.event.public_id}/guests/{guest.public_id}/visibility/", {"hidden": "1"})
    guest.refresh_from_db()
    assert guest.hidden is allowed
    assert response.status_code == (302 if allowed else 404)


@pytest.mark.django_db
def test_a_hidden_face_is_gone_for_everyone_but_moderators(outsider: User) -> None:
    venue = VenueFactory(is_main=True)
    guest = _join(venue, "A", "a@example.com")
    shown = Client().get(f"/faces/{guest.public_id}.jpg")
    shown.close()
    assert shown.status_code == 200
    services.hide_guest(actor=venue.event.created_by, attendance=guest)
    assert Client().get(f"/faces/{guest.public_id}.jpg").status_code == 404
    host = Client()
    host.force_login(venue.event.created_by)
    seen_by_host = host.get(f"/faces/{guest.public_id}.jpg")
    seen_by_host.close()
    assert seen_by_host.status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_frames_announced_while_collecting_go_out_only_when_sent_and_in_order() -> None:
    from zhongyan.events import broadcast

    venue = await sync_to_async(VenueFactory)(is_main=True)
    screen = await _connect(venue, make_screen_key(venue.public_id))

    def announce_two() -> broadcast.Outgoing:
        with broadcast.collecting() as frames:
            first = _join(venue, "一号", "one@example.com")
            second = _join(venue, "二号", "two@example.com")
            broadcast.announce_hidden(first, 1)
            broadcast.announce_hidden(second, 0)
        return frames

    frames = await sync_to_async(announce_two)()
    assert await screen.receive_nothing(timeout=0.3)
    await broadcast.send_collected(frames)
    received = [await screen.receive_json_from(timeout=5) for _ in range(len(frames))]
    assert [frame["type"] for frame in received] == ["joined", "joined", "hidden", "hidden"]
    assert [frame["count"] for frame in received][-2:] == [1, 0]
    await screen.disconnect()
