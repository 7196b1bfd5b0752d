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

The visibility class itself is cached per user under a version that membership and invitation
writes move on (`forget_visibility`: the invitation services, and receivers of the organisations'
membership rows), so a cache hit costs no query at all.

Entries also expire after `TTL` seconds, which bounds what no write announces: a deadline
passing (the "open" filter and badge), an organisation or a field being renamed in its own app.
The generation lives in the shared cache (Redis in production); if it is ever evicted it restarts
from the clock in microseconds, which is larger than any number handed out before.
"""

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Value
from django.http import HttpRequest
from django.utils import translation

from zhongyan.core import pagecache, versions
from zhongyan.demands.models import Demand, Invitation
from zhongyan.orgs.models import Membership

GENERATION_KEY = "demands:generation"
TTL = 60


def generation() -> int:
    return versions.read(GENERATION_KEY)


def bump_generation() -> None:
    """Call inside the service's transaction: the cached lists move on once the write is committed."""
    versions.advance_after_commit(GENERATION_KEY)


def page_version_key(public_id: str) -> str:
    return f"demands:page-version:{public_id}"


def touch_demand(public_id: str) -> None:
    """Something shown on this demand's page changed (a question, an answer, an attachment, a
    follow, an NDA accepted, an invitation): its stored pages are not served again once the
    write is committed."""
    versions.advance_after_commit(page_version_key(public_id))


def _visibility_version_key(user_id: int) -> str:
    return f"demands:visibility-version:{user_id}"


def forget_visibility(user_id: int) -> None:
    """Someone's memberships or invitations changed: their next list request recomputes the class
    (now and again after commit: a class computed from rows read before the commit is retired)."""
    versions.advance_now_and_after_commit(_visibility_version_key(user_id))


def _compute_visibility_class(user: Any) -> str:
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


def visibility_class(user: Any, version: Any = None) -> str:
    """A digest of everything `DemandQuerySet.visible_to(user)` depends on besides the demands.
    Kept in the cache per user under their visibility version (`forget_visibility`)."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    if user.is_staff:
        return "operator"
    if version is None:
        version = versions.read(_visibility_version_key(user.pk))
    key = f"demands:visibility:{user.pk}:{version}"
    value = cache.get(key)
    if value is None:
        value = _compute_visibility_class(user)
        cache.set(key, value, TTL * 10)
    return str(value)


def serve_list_from_cache(request: HttpRequest) -> None:
    """The list page depends on the demands (the generation) and on what this person may see."""
    pagecache.serve_from_cache(request, versions=[GENERATION_KEY, _visibility_version_key(request.user.pk)])


def serve_demand_from_cache(request: HttpRequest, public_id: str) -> None:
    """A demand's page depends on the demand and its lists' generation (lifecycle, content), on
    what happens on the demand (touch_demand) and on this person's organisations and invitations."""
    keys = [GENERATION_KEY, page_version_key(public_id), _visibility_version_key(request.user.pk)]
    pagecache.serve_from_cache(request, versions=keys)


def visible_organisation_ids(user: Any, visible: Any) -> list[int]:
    """The organisations with a demand this person may see (the list's organisation filter),
    kept under the generation and the visibility class: the subquery scans every visible demand."""
    key = f"demands:organisations:{generation()}:{visibility_class(user)}"
    ids = cache.get(key)
    if ids is None:
        ids = sorted(set(visible.order_by().values_list("organisation_id", flat=True).distinct()))
        cache.set(key, ids, TTL)
    return list(ids)


def list_key(request: HttpRequest, *, fragment: bool) -> str:
    """The cache key of the demand list this request asks for. Reads the generation first: an
    entry rendered from rows older than the generation it is stored under cannot happen."""
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:32]
    user = request.user
    # One round trip for the list generation and the user's visibility version.
    wanted = [GENERATION_KEY]
    if getattr(user, "is_authenticated", False) and not user.is_staff:
        wanted.append(_visibility_version_key(user.pk))
    found = cache.get_many(wanted)
    list_generation = found.get(GENERATION_KEY) or generation()
    parts = [
        str(list_generation),
        translation.get_language() or "",
        visibility_class(user, found.get(wanted[-1]) if len(wanted) > 1 else None),
        "fragment" if fragment else "page",
        query,
    ]
    return "demands:list:" + ":".join(parts)


def demand_for_page(public_id: str) -> Demand | None:
    """The demand (with its organisation and owner) for the detail page, from the cache under the
    list generation: any demand write through the services moves it on. Only for reading: the
    caller decides visibility with `permissions.can_view_demand` (the same rule as
    `visible_to`, proven by the persona table), and every write loads the row afresh."""
    key = f"demands:object:{public_id}:{generation()}"
    demand = cache.get(key)
    if demand is None:
        demand = Demand.objects.select_related("organisation", "owner").filter(public_id=public_id).first()
        if demand is not None:
            cache.set(key, demand, TTL)
    return demand
