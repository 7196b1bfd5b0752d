"""Short-lived join tokens for the QR codes on venue screens, and signed screen keys.

A join token is an HMAC of the venue and the current time window, so no row is written when a
screen shows a new code. A token is accepted during its own window and the next one: a guest
who scans just before the code changes still gets in, a photo of the screen sent elsewhere
stops working after at most two windows.
"""

import time

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

_SALT = "zhongyan.events.join"
_SCREEN_SALT = "zhongyan.events.screen"


def _signature(venue_public_id: str, window: int) -> str:
    return salted_hmac(_SALT, f"{venue_public_id}:{window}", algorithm="sha256").hexdigest()[:16]


def current_window(period: int, now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // period) if period else 0


def make_join_token(venue_public_id: str, period: int, now: float | None = None) -> str:
    window = current_window(period, now)
    return f"{window:x}-{_signature(venue_public_id, window)}"


def check_join_token(venue_public_id: str, period: int, token: str, now: float | None = None) -> bool:
    window_hex, _sep, signature = token.partition("-")
    try:
        window = int(window_hex, 16)
    except ValueError:
        return False
    current = current_window(period, now)
    accepted = (current, current - 1) if period else (0,)
    if window not in accepted:
        return False
    return constant_time_compare(signature, _signature(venue_public_id, window))


def seconds_until_next_code(period: int, now: float | None = None) -> int:
    if not period:
        return 0
    now = now if now is not None else time.time()
    return max(1, int(period - (now % period)))


def make_screen_key(venue_public_id: str) -> str:
    """The secret in a screen's URL: a kiosk PC shows the wall without anyone signing in on it."""
    return signing.dumps(venue_public_id, salt=_SCREEN_SALT, compress=True)


def check_screen_key(venue_public_id: str, key: str) -> bool:
    try:
        return signing.loads(key, salt=_SCREEN_SALT) == venue_public_id
    except signing.BadSignature:
        return False
