"""Every channel-layer group name of the events module, in one place (venueless' habit)."""


def event_wall(event_public_id: str) -> str:
    """All screens of one event: a join at any venue appears on every screen."""
    return f"events.wall.{event_public_id}"


def qr_login(request_id: int) -> str:
    return f"events.qrlogin.{request_id}"
