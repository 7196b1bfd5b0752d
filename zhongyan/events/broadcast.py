"""What the screens receive. Services call these with transaction.on_commit; the consumer only
forwards them (one source for the frame shapes, tested frame by frame)."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from zhongyan.events import groups
from zhongyan.events.models import Attendance


def guest_frame(attendance: Attendance) -> dict[str, Any]:
    return {
        "id": attendance.public_id,
        # The feed cursor: screens ask for "everything after seq" when they reconnect.
        "seq": attendance.pk,
        "name": attendance.name,
        "organisation": attendance.organisation_name,
        "venue": attendance.venue.public_id,
        "thumbnail": reverse("events:face", args=[attendance.public_id]),
    }


def _send(event_public_id: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(groups.event_wall(event_public_id), message)


def announce_guest(attendance: Attendance, count: int) -> None:
    _send(attendance.event.public_id, {"type": "wall.joined", "guest": guest_frame(attendance), "count": count})


def announce_hidden(attendance: Attendance, count: int) -> None:
    _send(attendance.event.public_id, {"type": "wall.hidden", "id": attendance.public_id, "count": count})


def announce_shown(attendance: Attendance, count: int) -> None:
    _send(attendance.event.public_id, {"type": "wall.joined", "guest": guest_frame(attendance), "count": count})
