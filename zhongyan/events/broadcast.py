"""What the screens receive. Services call these with transaction.on_commit; the consumer only
forwards them (one source for the frame shapes, tested frame by frame)."""

import base64
import contextlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse
from django.utils.translation import get_language

from zhongyan.events import groups
from zhongyan.events.models import Attendance


@lru_cache(maxsize=8)
def _face_url_template(language: str | None) -> str:
    # reverse() costs ~0.1 ms; a burst frame carries hundreds of face URLs.
    return reverse("events:face", args=["__id__"])


def guest_frame(attendance: Attendance, picture: bytes | None = None) -> dict[str, Any]:
    frame = {
        "id": attendance.public_id,
        # The feed cursor: screens ask for "everything after seq" when they reconnect.
        "seq": attendance.pk,
        "name": attendance.name,
        "organisation": attendance.organisation_name,
        "venue": attendance.venue.public_id,
        "thumbnail": _face_url_template(get_language()).replace("__id__", attendance.public_id),
    }
    if picture is not None:
        # A new face carries its thumbnail (~6 KB), so the screens draw it from the frame: in a
        # burst of joins, K screens fetching each face would add K requests per join.
        frame["picture"] = "data:image/jpeg;base64," + base64.b64encode(picture).decode()
    return frame


Outgoing = list[tuple[str, dict[str, Any]]]
_collected: ContextVar[Outgoing | None] = ContextVar("zhongyan_events_collected_frames", default=None)


@contextlib.contextmanager
def collecting() -> Iterator[Outgoing]:
    """Frames announced inside the block are kept (group, message) instead of sent, for a caller
    in a worker thread whose event loop sends them (the join queue's drainer): waiting here for
    that busy loop to send each frame held up the next batch of joins."""
    frames: Outgoing = []
    token = _collected.set(frames)
    try:
        yield frames
    finally:
        _collected.reset(token)


async def send_collected(frames: Outgoing) -> None:
    layer = get_channel_layer()
    if layer is not None:
        for group, message in frames:
            await layer.group_send(group, message)


def _send(event_public_id: str, message: dict[str, Any]) -> None:
    collected = _collected.get()
    if collected is not None:
        collected.append((groups.event_wall(event_public_id), message))
        return
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


def announce_guests(event_public_id: str, guests: list[tuple[Attendance, bytes | None]], count: int) -> None:
    """A batch of new faces in ONE frame (issue 6's burst): a screen gets a frame per batch
    rather than per guest. The frame is encoded here once; the consumers forward the text."""
    frame = {"type": "joined_batch", "guests": [guest_frame(a, picture) for a, picture in guests], "count": count}
    _send(event_public_id, {"type": "wall.encoded", "text": json.dumps(frame, ensure_ascii=False)})
