import time
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from zhongyan.accounts.models import User
from zhongyan.core.audit_models import AuditEntry
from zhongyan.events.models import Attendance, Venue
from zhongyan.events.tests.factories import VenueFactory, jpeg_bytes
from zhongyan.events.tokens import make_join_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def venue() -> Venue:
    return VenueFactory(is_main=True)


def scanned(venue: Venue, client: Client | None = None) -> Client:
    client = client or Client()
    token = make_join_token(venue.public_id, venue.event.join_token_seconds)
    response = client.get(f"/j/{venue.public_id}/{token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/join/{venue.public_id}/"
    return client


def photo(data: bytes | None = None, name: str = "me.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), content_type=content_type)


def test_an_expired_code_shows_a_translated_message(venue: Venue) -> None:
    old = make_join_token(venue.public_id, 60, now=time.time() - 600)
    response = Client().get(f"/en/j/{venue.public_id}/{old}/")
    assert response.status_code == 410
    assert "This code has expired" in response.content.decode()
    assert Client().get(f"/j/{venue.public_id}/{old}/").content.decode().count("二维码已过期") == 1


def test_the_join_page_needs_a_scan_first(venue: Venue) -> None:
    assert Client().get(f"/join/{venue.public_id}/").status_code == 410


def test_a_guest_joins_with_name_contact_and_selfie(venue: Venue) -> None:
    client = scanned(venue)
    response = client.post(
        f"/join/{venue.public_id}/",
        {
            "name": "王工",
            "organisation": "宝钢股份",
            "contact": "Wang@Example.com",
            "photo": photo(jpeg_bytes(exif=True)),
        },
    )
    assert response.status_code == 302
    guest = Attendance.objects.get()
    assert (guest.name, guest.organisation_name, guest.contact) == ("王工", "宝钢股份", "wang@example.com")
    assert guest.user is None
    with guest.thumbnail.open("rb") as stored, Image.open(stored) as thumb:
        assert thumb.size == (128, 128)
        assert not thumb.getexif()
    assert AuditEntry.objects.filter(verb="event.joined").count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_repeated_taps_record_one_attendance(venue: Venue) -> None:
    client = scanned(venue)
    for _ in range(3):
        client.post(f"/join/{venue.public_id}/", {"name": "Li", "contact": "+86 138 0000 0000", "photo": photo()})
    other_phone = scanned(venue)
    other_phone.post(f"/join/{venue.public_id}/", {"name": "Li", "contact": "+8613800000000"})
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().contact == "+8613800000000"


def test_a_signed_in_user_joins_with_one_tap(venue: Venue, solver: User) -> None:
    client = Client()
    client.force_login(solver)
    scanned(venue, client)
    response = client.post(f"/join/{venue.public_id}/", {})
    assert response.status_code == 302
    guest = Attendance.objects.get()
    assert guest.user == solver
    assert guest.name == solver.name
    assert not guest.thumbnail
    client.post(f"/join/{venue.public_id}/", {"photo": photo()})
    guest.refresh_from_db()
    assert guest.thumbnail
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: photo(b"not an image at all", name="x.jpg"), "Upload a JPEG, PNG or WebP picture."),
        (
            lambda: photo(b"GIF89a" + b"\0" * 100, name="x.gif", content_type="image/gif"),
            "Upload a JPEG, PNG or WebP picture.",
        ),
    ],
)
def test_a_bad_picture_is_refused_and_the_typed_fields_are_kept(venue: Venue, upload, message: str) -> None:  # type: ignore[no-untyped-def]
    client = scanned(venue)
    response = client.post(
        f"/en/join/{venue.public_id}/",
        {"name": "Zhang San", "organisation": "Shipyard", "contact": "z@example.com", "photo": upload()},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Zhang San"' in body
    assert 'value="Shipyard"' in body
    assert Attendance.objects.count() == 0


def test_an_oversized_photo_is_refused(venue: Venue, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EVENT_PHOTO_MAX_BYTES = 1000
    client = scanned(venue)
    response = client.post(f"/en/join/{venue.public_id}/", {"name": "A", "contact": "a@example.com", "photo": photo()})
    assert "The photo is too large" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_a_decompression_bomb_is_refused(venue: Venue) -> None:
    bomb = BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")
    client = scanned(venue)
    response = client.post(
        f"/en/join/{venue.public_id}/",
        {"name": "A", "contact": "a@example.com", "photo": photo(bomb.getvalue(), "bomb.png", "image/png")},
    )
    assert "too many pixels" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_missing_name_and_contact_are_explained(venue: Venue) -> None:
    client = scanned(venue)
    response = client.post(f"/en/join/{venue.public_id}/", {"organisation": "Mill"})
    body = response.content.decode()
    assert "Tell us your name" in body
    assert "e-mail address or mobile number" in body
    assert 'value="Mill"' in body


def test_an_invalid_contact_is_explained(venue: Venue) -> None:
    client = scanned(venue)
    response = client.post(f"/en/join/{venue.public_id}/", {"name": "A", "contact": "12ab"})
    assert "Enter a valid e-mail address or phone number." in response.content.decode()
    assert Attendance.objects.count() == 0
