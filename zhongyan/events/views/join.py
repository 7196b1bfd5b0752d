"""Guests join from their phones: scan, (sign up quickly,) take a selfie, appear on the screens."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhongyan.core.errors import DomainError
from zhongyan.events import joinqueue, services
from zhongyan.events.fastjoin import PATH_PREFIX
from zhongyan.events.forms import JoinForm
from zhongyan.events.models import Attendance, Venue
from zhongyan.events.selfies import process_selfie
from zhongyan.events.tickets import NONCE_COOKIE, make_ticket, new_nonce
from zhongyan.events.tokens import check_join_token

SESSION_KEY = "events_join"
# After a valid scan the guest has this long to finish, even though the code on the screen changes.
GRANT_SECONDS = 20 * 60


def _granted(request: HttpRequest, venue: Venue) -> bool:
    grants = request.session.get(SESSION_KEY, {})
    return grants.get(venue.public_id, 0) > time.time()


@login_not_required
def join_scan(request: HttpRequest, venue_id: str, token: str) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("event"), public_id=venue_id)
    if not check_join_token(venue.public_id, venue.event.join_token_seconds, token):
        return render(request, "events/join_expired.html", {"venue": venue}, status=410)
    grants = request.session.get(SESSION_KEY, {})
    grants[venue.public_id] = time.time() + GRANT_SECONDS
    request.session[SESSION_KEY] = grants
    return redirect("events:join", venue.public_id)


@login_not_required
def join(request: HttpRequest, venue_id: str) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("event"), public_id=venue_id)
    if not _granted(request, venue):
        return render(request, "events/join_expired.html", {"venue": venue}, status=410)
    signed_in = request.user.is_authenticated
    existing = _existing(request, venue)
    posted = request.method == "POST"
    form = JoinForm(request.POST if posted else None, request.FILES if posted else None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = _join(request, venue, form)
        except DomainError as error:
            form.add_error("photo" if form.cleaned_data.get("photo") else None, error.message)
        else:
            request.session[f"events_guest_{venue.event.public_id}"] = attendance.public_id
            return redirect("events:join_done", venue.public_id)
    login_url = reverse("account_login") + "?next=" + request.get_full_path()
    nonce = request.COOKIES.get(NONCE_COOKIE) or new_nonce()
    context = {"venue": venue, "event": venue.event, "form": form, "existing": existing, "login_url": login_url}
    response = render(request, "events/join.html", {**context, **_fast_join(request, venue, nonce)})
    # The double-submit half of the lean endpoint's CSRF check (tickets.py).
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        max_age=GRANT_SECONDS,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _fast_join(request: HttpRequest, venue: Venue, nonce: str) -> dict[str, str]:
    """What the page's JavaScript needs to post the join to the lean endpoint (fastjoin.py)."""
    expires = request.session.get(SESSION_KEY, {}).get(venue.public_id, 0)
    ticket = make_ticket(venue=venue, expires=expires, nonce=nonce, language=get_language(), user=request.user)
    return {"ticket": ticket, "fast_url": f"{PATH_PREFIX}{venue.public_id}/?lang={get_language()}"}


def _existing(request: HttpRequest, venue: Venue) -> Attendance | None:
    if request.user.is_authenticated:
        return Attendance.objects.filter(event=venue.event, user=request.user).first()
    guest_id = request.session.get(f"events_guest_{venue.event.public_id}")
    return Attendance.objects.filter(event=venue.event, public_id=guest_id).first() if guest_id else None


def _join(request: HttpRequest, venue: Venue, form: JoinForm) -> Attendance:
    photo = form.cleaned_data.get("photo")
    selfie = process_selfie(photo, max_bytes=settings.EVENT_PHOTO_MAX_BYTES) if photo else None
    if request.user.is_authenticated:
        attendance, _created = services.join_event(venue=venue, selfie=selfie, user=request.user)
    else:
        attendance, _created = services.join_event(
            venue=venue,
            selfie=selfie,
            name=form.cleaned_data["name"],
            contact=form.cleaned_data["contact"],
            organisation_name=form.cleaned_data.get("organisation", ""),
        )
    return attendance


@login_not_required
def join_done(request: HttpRequest, venue_id: str) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("event"), public_id=venue_id)
    _adopt_receipt(request, venue, request.GET.get("receipt", ""))
    attendance = _existing(request, venue)
    if attendance is None:
        return redirect("events:join", venue.public_id)
    return render(
        request,
        "events/join_done.html",
        {
            "venue": venue,
            "event": venue.event,
            "attendance": attendance,
            "message": _("You are on the screen!") if attendance.thumbnail else "",
        },
    )


def _adopt_receipt(request: HttpRequest, venue: Venue, receipt: str) -> None:
    """After a lean join the session does not know the guest yet: the receipt (a secret only
    that phone has) tells which attendance it made."""
    status = joinqueue.receipt_status(receipt) if receipt else None
    if status and status.get("status") == "done" and status.get("event") == venue.event.public_id:
        request.session[f"events_guest_{venue.event.public_id}"] = status["attendance"]
