"""Cached demand lists: the rendered list, reused by everyone who may see exactly the same demands.

Why: the list counts and sorts 10,000 visibility-filtered rows and renders twenty cards and a
filter form; that costs tens of milliseconds, while the answer changes only when a demand is
written (issue 3's benchmark: half the requests/s of a bare Django view).

What makes two requests share an entry (the key):
- a **generation** number that every demand write bumps after its transaction commits
  (`bump_generation`, called by the services), so a write is visible on the next request;
- the **visibility class** of the user: exactly the inputs of `DemandQuerySet.visible_to`
  (operator flag, organisations, non-declined invitations), so an entry is only ever served to
  someone who sees the same set of demands as the person it was rendered for;
- the language, the query string and whether htmx asked for the results fragment only.

Entries also expire after `TTL` seconds, which bounds what no write announces: a deadline
passing (the "open" filter and badge), an organisation or a field being renamed in its own app.
The generation lives in the shared cache (Redis in production); if it is ever evicted it restarts
from the clock in microseconds, which is larger than any number handed out before.
"""

import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Value
from django.http import HttpRequest
from django.utils import translation

from zhongyan.demands.models import Invitation
from zhongyan.orgs.models import Membership

GENERATION_KEY = "demands:generation"
TTL = 60


def _fresh_generation() -> int:
    return time.time_ns() // 1000


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY) or _fresh_generation()
    return int(value)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # evicted or never read: any fresh number is newer than the old ones
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def bump_generation() -> None:
    """Call inside the service's transaction: the cached lists move on once the write is committed."""
    transaction.on_commit(_bump)


def visibility_class(user: Any) -> str:
    """A digest of everything `DemandQuerySet.visible_to(user)` depends on besides the demands."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    if user.is_staff:
        return "operator"
    # One query for both inputs: this runs on every list request, cache hit or not.
    memberships = Membership.objects.filter(user=user).values_list(Value("o"), "organisation_id")
    invitations = (
        Invitation.objects.filter(invitee=user)
        .exclude(status=Invitation.Status.DECLINED)
        .values_list(Value("i"), "demand_id")
    )
    rows = sorted(memberships.union(invitations, all=True))
    if not rows:
        return "everyone"
    text = ";".join(f"{kind}:{pk}" for kind, pk in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def list_key(request: HttpRequest, *, fragment: bool) -> str:
    """The cache key of the demand list this request asks for. Reads the generation first: an
    entry rendered from rows older than the generation it is stored under cannot happen."""
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:32]
    parts = [
        str(generation()),
        translation.get_language() or "",
        visibility_class(request.user),
        "fragment" if fragment else "page",
        query,
    ]
    return "demands:list:" + ":".join(parts)
