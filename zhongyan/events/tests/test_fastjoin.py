"""The lean join endpoint (issue 6's burst): the same guarantees as the join page, checked
through the real ASGI application, its queue, drainer and the screens' WebSocket."""

import asyncio
import base64
import html
import re
import time
import zlib
from collections.abc import AsyncIterator
from io import BytesIO
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import signing
from django.test import Client
from PIL import Image

from zhongyan.accounts.models import User
from zhongyan.asgi import application
from zhongyan.core.audit_models import AuditEntry
from zhongyan.events import joinqueue
from zhongyan.events.fastjoin import parse_multipart
from zhongyan.events.models import Attendance, Venue
from zhongyan.events.selfies import SelfieRejected, process_client_selfie, sniff_picture
from zhongyan.events.tests.factories import VenueFactory
from zhongyan.events.tickets import NONCE_COOKIE
from zhongyan.events.tokens import make_join_token, make_screen_key

ORIGIN = "http://127.0.0.1"


def selfie(size: int = 256, colour: tuple[int, int, int] = (200, 120, 90), exif: bool = False) -> bytes:
    """What join.js uploads: a square JPEG made on a canvas."""
    image = Image.new("RGB", (size, size), colour)
    out = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def damaged_png() -> bytes:
    """A PNG whose magic and size are sound (the endpoint accepts it) but whose header chunk is
    corrupt: only decoding it, in the drainer, finds out."""
    out = BytesIO()
    Image.new("RGB", (64, 64), (10, 200, 10)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[29:33] = b"\0\0\0\0"  # the IHDR chunk's CRC
    return bytes(data)


def png_header(width: int, height: int) -> bytes:
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    chunk = b"IHDR" + ihdr
    return b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + chunk + zlib.crc32(chunk).to_bytes(4, "big")


def open_join_page(venue: Venue, client: Client | None = None, language: str = "") -> tuple[str, str, str]:
    """Scan, then load the join page as the phone does: (ticket, nonce cookie, lean URL)."""
    client = client or Client()
    token = make_join_token(venue.public_id, venue.event.join_token_seconds)
    assert client.get(f"{language}/j/{venue.public_id}/{token}/").status_code == 302
    page = client.get(f"{language}/join/{venue.public_id}/")
    body = page.content.decode()
    ticket = re.search(r'data-ticket="([^"]+)"', body)
    fast_url = re.search(r'data-fast-url="([^"]+)"', body)
    assert ticket and fast_url
    return html.unescape(ticket.group(1)), page.cookies[NONCE_COOKIE].value, fast_url.group(1)


@pytest_asyncio.fixture
async def phone() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url=ORIGIN) as client:
        yield client
    await joinqueue.close_queue()


async def post_join(
    phone: httpx.AsyncClient,
    page: tuple[str, str, str],
    fields: dict[str, str],
    photo: bytes | None = None,
    origin: str = ORIGIN,
) -> httpx.Response:
    ticket, nonce, url = page
    files = {"photo": ("selfie.jpg", photo, "image/jpeg")} if photo is not None else None
    return await phone.post(
        url,
        data={"ticket": ticket, **fields},
        files=files,
        headers={"Origin": origin, "Cookie": f"{NONCE_COOKIE}={nonce}"},
    )


async def final_status(phone: httpx.AsyncClient, answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code == 202, answer.text
    response = await phone.get(answer.json()["status_url"], params={"wait": "10"})
    assert response.status_code == 200
    status: dict[str, Any] = response.json()
    return status


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_guest_joins_through_the_lean_endpoint_and_every_screen_gets_one_batch_frame(
    phone: httpx.AsyncClient,
) -> None:
    main = await sync_to_async(VenueFactory)(is_main=True)
    sub = await sync_to_async(VenueFactory)(event=main.event)
    screens = []
    for venue in (main, sub):
        screen = WebsocketCommunicator(
            application,
            f"/ws/events/screens/{venue.public_id}/?key={make_screen_key(venue.public_id)}",
            headers=[(b"host", b"127.0.0.1"), (b"origin", ORIGIN.encode())],
        )
        assert (await screen.connect())[0]
        screens.append(screen)
    page = await sync_to_async(open_join_page)(sub)
    answer = await post_join(
        phone, page, {"name": "王工", "organisation": "宝钢股份", "contact": "Wang@Example.com"}, selfie(exif=True)
    )
    status = await final_status(phone, answer)
    guest = await sync_to_async(Attendance.objects.select_related("venue").get)()
    frames = [await screen.receive_json_from(timeout=5) for screen in screens]
    # The files come after the screens, when the queue is idle; closing it writes them now.
    await joinqueue.close_queue()
    assert status["status"] == "done"
    assert status["attendance"] == guest.public_id
    assert status["on_wall"] is True
    assert (guest.name, guest.organisation_name, guest.contact, guest.venue) == (
        "王工",
        "宝钢股份",
        "wang@example.com",
        sub,
    )
    with guest.thumbnail.open("rb") as stored:
        thumbnail = stored.read()
    with Image.open(BytesIO(thumbnail)) as thumb:
        assert thumb.size == (128, 128)
    for screen, frame in zip(screens, frames, strict=True):
        assert frame == {
            "type": "joined_batch",
            "guests": [
                {
                    "id": guest.public_id,
                    "seq": guest.pk,
                    "name": "王工",
                    "organisation": "宝钢股份",
                    "venue": sub.public_id,
                    "thumbnail": f"/faces/{guest.public_id}.jpg",
                    "picture": "data:image/jpeg;base64," + base64.b64encode(thumbnail).decode(),
                }
            ],
            "count": 1,
        }
        await screen.disconnect()
    entries = await sync_to_async(list)(AuditEntry.objects.filter(verb="event.guests_joined").values_list("data"))
    assert entries == [({"attendances": [guest.public_id]},)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_the_photo_keeps_no_metadata(phone: httpx.AsyncClient) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    page = await sync_to_async(open_join_page)(venue)
    answer = await post_join(phone, page, {"name": "A", "contact": "a@example.com"}, selfie(exif=True))
    assert (await final_status(phone, answer))["status"] == "done"
    await joinqueue.close_queue()
    guest = await sync_to_async(Attendance.objects.get)()
    with guest.photo.open("rb") as stored, Image.open(stored) as photo:
        # A picture with EXIF (orientation, GPS) takes the full path: turned upright, re-encoded.
        assert photo.size == (512, 512)
        assert not photo.getexif()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_taps_at_the_same_moment_get_one_receipt_and_later_taps_the_same_attendance(
    phone: httpx.AsyncClient,
) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    page = await sync_to_async(open_join_page)(venue)
    fields = {"name": "Li", "contact": "+86 138 0000 0000"}
    answers = await asyncio.gather(*(post_join(phone, page, fields, selfie()) for _ in range(3)))
    assert len({answer.json()["receipt"] for answer in answers}) == 1
    first = await final_status(phone, answers[0])
    again = await final_status(phone, await post_join(phone, page, {"name": "Li", "contact": "+8613800000000"}))
    assert again["attendance"] == first["attendance"]
    assert await sync_to_async(Attendance.objects.count)() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_picture_found_damaged_by_the_drainer_is_reported_to_the_phone_translated(
    phone: httpx.AsyncClient,
) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    english = await sync_to_async(open_join_page)(venue, language="/en")
    status = await final_status(
        phone, await post_join(phone, english, {"name": "A", "contact": "a@example.com"}, damaged_png())
    )
    assert status == {"status": "refused", "message": "Upload a JPEG, PNG or WebP picture."}
    chinese = await sync_to_async(open_join_page)(venue)
    status = await final_status(
        phone, await post_join(phone, chinese, {"name": "B", "contact": "b@example.com"}, damaged_png())
    )
    assert status["status"] == "refused"
    assert "JPEG" in status["message"]
    assert "Upload" not in status["message"]
    assert await sync_to_async(Attendance.objects.count)() == 0
    # The person may try again with a sound picture.
    status = await final_status(
        phone, await post_join(phone, english, {"name": "A", "contact": "a@example.com"}, selfie())
    )
    assert status["status"] == "done"


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (png_header(20_000, 20_000) + b"\0" * 64, "The picture has too many pixels."),
        (b"GIF89a" + b"\0" * 100, "Upload a JPEG, PNG or WebP picture."),
        (b"\xff\xd8\xff\xe0" + b"\0" * 50, "The picture is damaged and cannot be read."),
    ],
)
async def test_a_bad_picture_is_refused_at_once(phone: httpx.AsyncClient, photo: bytes, message: str) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    page = await sync_to_async(open_join_page)(venue, language="/en")
    answer = await post_join(phone, page, {"name": "A", "contact": "a@example.com"}, photo)
    assert answer.status_code == 400
    assert answer.json() == {"message": message, "field": "photo"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_missing_name_and_invalid_contact_are_explained(phone: httpx.AsyncClient) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    page = await sync_to_async(open_join_page)(venue, language="/en")
    nameless = await post_join(phone, page, {"contact": "a@example.com"}, selfie())
    assert nameless.json()["field"] == "name"
    assert "Tell us your name" in nameless.json()["message"]
    invalid = await post_join(phone, page, {"name": "A", "contact": "12ab"}, selfie())
    assert invalid.json() == {"message": "Enter a valid e-mail address or phone number.", "field": "contact"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_another_site_an_old_or_forged_ticket_and_a_missing_cookie_are_refused(
    phone: httpx.AsyncClient, settings: Any
) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    ticket, nonce, url = await sync_to_async(open_join_page)(venue, language="/en")
    fields = {"name": "A", "contact": "a@example.com"}
    assert (await post_join(phone, (ticket, nonce, url), fields, origin="https://evil.example")).status_code == 403
    assert (await post_join(phone, (ticket, "other-nonce", url), fields)).status_code == 403
    forged = signing.dumps([1, "x", 1, venue.public_id, int(time.time()) + 60, nonce, "en", None, ""], salt="other")
    assert (await post_join(phone, (forged, nonce, url), fields)).status_code == 410
    payload = signing.loads(ticket, salt="zhongyan.events.ticket")
    payload[4] = int(time.time()) - 1
    expired = signing.dumps(payload, salt="zhongyan.events.ticket")
    answer = await post_join(phone, (expired, nonce, url), fields)
    assert answer.status_code == 410
    assert "Scan the code on the screen again" in answer.json()["message"]
    other_venue = await sync_to_async(VenueFactory)(event=venue.event)
    assert (await post_join(phone, (ticket, nonce, f"/fastjoin/{other_venue.public_id}/"), fields)).status_code == 410
    assert await sync_to_async(Attendance.objects.count)() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_oversized_body_is_refused_before_it_is_read(phone: httpx.AsyncClient) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    page = await sync_to_async(open_join_page)(venue, language="/en")
    answer = await post_join(phone, page, {"name": "A", "contact": "a@example.com"}, b"\xff\xd8\xff" + b"0" * 1_600_000)
    assert answer.status_code == 413
    assert "The photo is too large" in answer.json()["message"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_signed_in_user_joins_with_one_tap_and_the_done_page_knows_the_guest(
    phone: httpx.AsyncClient, solver: User
) -> None:
    venue = await sync_to_async(VenueFactory)(is_main=True)
    browser = Client()
    await sync_to_async(browser.force_login)(solver)
    page = await sync_to_async(open_join_page)(venue, browser)
    status = await final_status(phone, await post_join(phone, page, {"name": "ignored"}, selfie()))
    guest = await sync_to_async(Attendance.objects.get)()
    assert (guest.user_id, guest.name, guest.contact) == (solver.pk, solver.name, "")
    anonymous = await sync_to_async(open_join_page)(venue)
    answer = await post_join(phone, anonymous, {"name": "Zhang", "contact": "z@example.com"}, selfie())
    zhang = await final_status(phone, answer)
    other_phone = Client()
    done = await sync_to_async(other_phone.get)(zhang["done_url"])
    assert "Zhang" in done.content.decode()
    assert status["done_url"].startswith(f"/join/{venue.public_id}/done/?receipt=")


def test_the_multipart_reader_takes_fields_and_one_file_and_refuses_the_rest() -> None:
    body = (
        b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\n\xe7\x8e\x8b\x00\r\n'
        b'--b\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        b"\xff\xd8--\r\n\r\n\r\n--b--\r\n"
    )
    assert parse_multipart("multipart/form-data; boundary=b", body) == (
        {"name": "王"},
        {"photo": b"\xff\xd8--\r\n\r\n"},
    )
    assert parse_multipart("application/json", body) is None
    assert parse_multipart("multipart/form-data; boundary=b", body[:-4]) is None


def test_a_browser_selfie_takes_the_quick_path_and_keeps_its_pixels() -> None:
    data = selfie(colour=(30, 140, 220))
    processed = process_client_selfie(data, max_bytes=10**6)
    with Image.open(BytesIO(processed.thumbnail)) as thumb:
        assert thumb.size == (128, 128)
        assert max(abs(a - b) for a, b in zip(thumb.getpixel((64, 64)), (30, 140, 220), strict=True)) < 8
    assert sniff_picture(data) == ("JPEG", 256, 256)
    with pytest.raises(SelfieRejected):
        sniff_picture(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_unknown_receipt_is_not_found(phone: httpx.AsyncClient) -> None:
    response = await phone.get("/fastjoin/status/not-a-real-receipt-id/", params={"wait": "1"})
    assert (response.status_code, response.json()) == (404, {"status": "unknown"})
