"""What the screens receive. Services call these with transaction.on_commit; the consumer only
forwards them (one source for the frame shapes, tested frame by frame)."""

import base64
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from zhongyan.events import groups
from zhongyan.events.models import Attendance


def guest_frame(attendance: Attendance, picture: bytes | None = None) -> dict[str, Any]:
    frame = {
        "id": attendance.public_id,
        # The feed cursor: screens ask for "everything after seq" when they reconnect.
        "seq": attendance.pk,
        "name": attendance.name,
        "organisation": attendance.organisation_name,
        "venue": attendance.venue.public_id,
        "thumbnail": reverse("events:face", args=[attendance.public_id]),
    }
    if picture is not None:
        # A new face carries its thumbnail (~6 KB), so the screens draw it from the frame: in a
        # burst of joins, K screens fetching each face would add K requests per join.
        frame["picture"] = "data:image/jpeg;base64," + base64.b64encode(picture).decode()
    return frame


def _send(event_public_id: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(groups.event_wall(event_public_id), message)


def announce_guest(attendance: Attendance, count: int, picture: bytes | None = None) -> None:
    frame = guest_frame(attendance, picture)
    _send(attendance.event.public_id, {"type": "wall.joined", "guest": frame, "count": count})


def announce_hidden(attendance: Attendance, count: int) -> None:
    _send(attendance.event.public_id, {"type": "wall.hidden", "id": attendance.public_id, "count": count})


def announce_shown(attendance: Attendance, count: int) -> None:
    _send(attendance.event.public_id, {"type": "wall.joined", "guest": guest_frame(attendance), "count": count})
