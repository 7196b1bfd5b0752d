"""The big screen of a venue: the page, its rotating QR code, the catch-up feed and the faces."""

from typing import Any

import segno
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from zhongyan.events.broadcast import guest_frame
from zhongyan.events.models import Attendance, Venue
from zhongyan.events.permissions import can_moderate_event
from zhongyan.events.tokens import check_screen_key, make_join_token, seconds_until_next_code

FEED_PAGE = 500


def _screen_venue(request: HttpRequest, venue_id: str) -> Venue:
    """The venue, if the request carries its screen key or comes from a moderator; else 404."""
    venue = get_object_or_404(Venue.objects.select_related("event"), public_id=venue_id)
    if check_screen_key(venue.public_id, request.GET.get("key", "")):
        return venue
    if can_moderate_event(request.user, venue.event):
        return venue
    raise Http404


def join_url(request: HttpRequest, venue: Venue) -> str:
    token = make_join_token(venue.public_id, venue.event.join_token_seconds)
    return request.build_absolute_uri(reverse("events:join_scan", args=[venue.public_id, token]))


@login_not_required
def screen(request: HttpRequest, venue_id: str) -> HttpResponse:
    venue = _screen_venue(request, venue_id)
    return render(
        request,
        "events/screen.html",
        {
            "venue": venue,
            "event": venue.event,
            "key": request.GET.get("key", ""),
            "count": Attendance.objects.filter(event=venue.event).on_wall().count(),
        },
    )


@login_not_required
@never_cache
def screen_qr(request: HttpRequest, venue_id: str) -> HttpResponse:
    """The QR fragment; the screen fetches it again shortly before the code changes."""
    venue = _screen_venue(request, venue_id)
    url = join_url(request, venue)
    period = venue.event.join_token_seconds
    refresh = max(2, min(30, seconds_until_next_code(period) + 1)) if period else 300
    svg = segno.make(url, error="m").svg_inline(border=2, dark="#0b2545", light="#ffffff", omitsize=True)
    return render(
        request,
        "events/screen.html#qr",
        {"svg": svg, "url": url, "refresh": refresh, "venue": venue, "key": request.GET.get("key", "")},
    )


@login_not_required
@never_cache
def screen_feed(request: HttpRequest, venue_id: str) -> JsonResponse:
    """Catch-up and polling: faces after `after` (a seq the screen already has), and the ids of
    hidden faces, so a screen that was offline converges on what the others show."""
    venue = _screen_venue(request, venue_id)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    event = venue.event
    guests = list(
        Attendance.objects.filter(event=event, id__gt=after)
        .on_wall()
        .select_related("venue")
        .order_by("id")[:FEED_PAGE]
    )
    hidden = list(Attendance.objects.filter(event=event, hidden=True).values_list("public_id", flat=True))
    payload: dict[str, Any] = {
        "guests": [guest_frame(guest) for guest in guests],
        "hidden": hidden,
        "count": Attendance.objects.filter(event=event).on_wall().count(),
        "more": len(guests) == FEED_PAGE,
    }
    return JsonResponse(payload)


@login_not_required
def face(request: HttpRequest, guest_id: str) -> FileResponse:
    """A guest's thumbnail. Shown on public screens anyway; the random id is the capability, and
    a hidden face is gone for everyone but the moderators."""
    guest = get_object_or_404(Attendance.objects.select_related("event"), public_id=guest_id)
    if not guest.thumbnail or (guest.hidden and not can_moderate_event(request.user, guest.event)):
        raise Http404
    try:
        stored = guest.thumbnail.open("rb")
    except FileNotFoundError:
        # A burst's batch is on the screens a moment before its files are written.
        raise Http404 from None
    response = FileResponse(stored, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
