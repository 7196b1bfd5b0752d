"""Signed join tickets: what the join page hands the phone so that the join itself needs no
session, no database and no middleware (issue 6: thousands of guests post at the same second).

The Django join page issues a ticket only to a browser whose session holds a valid scan grant;
the ticket carries the grant's end, the event and venue, the guest's language and, when the
guest is signed in, their user id. It also carries a random nonce that the page sets as a
cookie as well: the lean endpoint accepts a post only when the cookie and the ticket agree
(double submit) and the Origin header names this host, so another site cannot post for a guest.
"""

import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any

from django.core import signing

_SALT = "zhongyan.events.ticket"
NONCE_COOKIE = "zy_join"


@dataclass(frozen=True)
class Ticket:
    event_id: int
    event_public_id: str
    venue_id: int
    venue_public_id: str
    expires: int
    nonce: str
    language: str
    user_id: int | None = None
    user_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def make_ticket(*, venue: Any, expires: float, nonce: str, language: str, user: Any = None) -> str:
    signed_in = getattr(user, "is_authenticated", False)
    payload = [
        venue.event_id,
        venue.event.public_id,
        venue.pk,
        venue.public_id,
        int(expires),
        nonce,
        language,
        user.pk if signed_in else None,
        user.name if signed_in else "",
    ]
    return signing.dumps(payload, salt=_SALT)


def read_ticket(value: str, now: float | None = None) -> Ticket | None:
    """The ticket, or None when it is forged, damaged or past its scan grant."""
    try:
        payload = signing.loads(value, salt=_SALT)
        ticket = Ticket(*payload)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if ticket.expires < (now if now is not None else time.time()):
        return None
    return ticket
