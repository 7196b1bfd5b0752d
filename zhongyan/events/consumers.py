"""The live wall's WebSocket. It only authorises and forwards: frames are built in broadcast.py."""

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from zhongyan.events import groups
from zhongyan.events.models import Venue
from zhongyan.events.permissions import can_moderate_event
from zhongyan.events.tokens import check_screen_key

FORBIDDEN = 4403


@database_sync_to_async
def _event_for_screen(venue_public_id: str, key: str, user: Any) -> str | None:
    """The event's public id when this connection may watch the venue's screen."""
    venue = Venue.objects.select_related("event").filter(public_id=venue_public_id).first()
    if venue is None:
        return None
    if check_screen_key(venue.public_id, key) or can_moderate_event(user, venue.event):
        return venue.event.public_id
    return None


class WallConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        event_id = await _event_for_screen(
            self.scope["url_route"]["kwargs"]["venue"], query.get("key", [""])[0], self.scope.get("user")
        )
        if event_id is None:
            await self.close(code=FORBIDDEN)
            return
        self.group = groups.event_wall(event_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def wall_joined(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "joined", "guest": message["guest"], "count": message["count"]})

    async def wall_hidden(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "hidden", "id": message["id"], "count": message["count"]})

    async def wall_encoded(self, message: dict[str, Any]) -> None:
        """A frame broadcast.py already encoded (a batch of faces): forwarded as it is."""
        await self.send(text_data=message["text"])
