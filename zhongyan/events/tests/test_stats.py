import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhongyan.accounts.models import User
from zhongyan.events import services
from zhongyan.events.selfies import process_selfie
from zhongyan.events.tests.factories import VenueFactory, jpeg_bytes

pytestmark = pytest.mark.django_db


def test_organisers_see_statistics_and_export_csv(outsider: User) -> None:
    main = VenueFactory(is_main=True)
    sub = VenueFactory(event=main.event)
    selfie = process_selfie(SimpleUploadedFile("a.jpg", jpeg_bytes()), max_bytes=10**7)
    services.join_event(venue=main, selfie=selfie, name="王工", contact="w@example.com", organisation_name="宝钢股份")
    services.join_event(venue=sub, selfie=None, name="Li", contact="l@example.com", organisation_name="宝钢股份")
    services.join_event(venue=sub, selfie=None, name="Kim", contact="k@example.com", organisation_name="Hyundai")
    host = Client()
    host.force_login(main.event.created_by)
    page = host.get(f"/en/events/{main.event.public_id}/statistics/")
    assert page.status_code == 200
    assert page.context["stats"].total == 3
    assert page.context["stats"].with_photo == 1
    assert page.context["stats"].by_organisation == [("宝钢股份", 2), ("Hyundai", 1)]
    assert sorted(n for _name, n in page.context["stats"].by_venue) == [1, 2]
    csv = b"".join(host.get(f"/en/events/{main.event.public_id}/attendance.csv").streaming_content).decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Joined at,Name,Organisation,Venue")
    assert len(lines) == 4
    assert "王工,宝钢股份" in csv
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(f"/events/{main.event.public_id}/statistics/").status_code == 404
    assert stranger.get(f"/events/{main.event.public_id}/attendance.csv").status_code == 404
