import datetime as dt
from io import BytesIO

import factory
from django.utils import timezone
from PIL import Image

from zhongyan.accounts.tests.factories import UserFactory
from zhongyan.core.content import bilingual
from zhongyan.events.models import Event, EventRole, Venue


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: bilingual(zh=f"学术年会{n}", en=f"Annual Conference {n}"))
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=8))
    created_by = factory.SubFactory(UserFactory)
    join_token_seconds = 60


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: bilingual(zh=f"分会场{n}", en=f"Sub-venue {n}"))
    is_main = False


class EventRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = EventRole.Role.MODERATOR


def jpeg_bytes(
    size: tuple[int, int] = (400, 300), colour: tuple[int, int, int] = (200, 120, 90), exif: bool = False
) -> bytes:
    image = Image.new("RGB", size, colour)
    out = BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0110] = "Phone 15"  # Model
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()
