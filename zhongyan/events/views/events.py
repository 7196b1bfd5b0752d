"""Organisers' pages: list, create, detail, moderation, statistics."""

import csv
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.events import services, statistics
from zhongyan.events.forms import EventForm, VenueNamesForm
from zhongyan.events.models import Attendance, Event
from zhongyan.events.permissions import can_create_event, can_manage_event, can_moderate_event, can_view_statistics
from zhongyan.events.tokens import make_screen_key


def _event(request: HttpRequest, public_id: str) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).prefetch_related("roles", "venues"), public_id=public_id
    )


def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = Event.objects.visible_to(request.user)
    upcoming = events.filter(ends_at__gte=now).order_by("starts_at")
    past = Paginator(events.filter(ends_at__lt=now).order_by("-starts_at"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "can_create": can_create_event(request.user),
        },
    )


def event_create(request: HttpRequest) -> HttpResponse:
    if not can_create_event(request.user):
        raise Http404
    form = EventForm(request.POST or None)
    venues = VenueNamesForm(request.POST or None, prefix="venues")
    if request.method == "POST" and form.is_valid() and venues.is_valid():
        try:
            event = services.create_event(actor=request.user, venues=venues.venue_names(), **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event was created. Open a screen for each venue."))
            return redirect("events:detail", event.public_id)
    return render(request, "events/event_form.html", {"form": form, "venues": venues})


def event_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(request, public_id)
    if not can_manage_event(request.user, event):
        raise Http404
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        form.instance.refresh_from_db()
        try:
            services.update_event(actor=request.user, event=event, **changes)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", event.public_id)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def event_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(request, public_id)
    manage = can_moderate_event(request.user, event)
    venues = [(venue, make_screen_key(venue.public_id) if manage else "") for venue in event.venues.all()]
    mine = Attendance.objects.filter(event=event, user=request.user).first()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "venues": venues,
            "can_manage": can_manage_event(request.user, event),
            "can_moderate": manage,
            "attendance": mine,
            "count": Attendance.objects.filter(event=event).count(),
        },
    )


def moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(request, public_id)
    if not can_moderate_event(request.user, event):
        raise Http404
    query = request.GET.get("q", "").strip()
    guests = Attendance.objects.filter(event=event).select_related("venue").order_by("-id")
    if query:
        guests = guests.filter(name__icontains=query) | guests.filter(organisation_name__icontains=query)
    page = Paginator(guests, 60).get_page(request.GET.get("page"))
    return render(request, "events/moderate.html", {"event": event, "page": page, "query": query})


@require_POST
def toggle_guest(request: HttpRequest, public_id: str, guest: str) -> HttpResponse:
    event = _event(request, public_id)
    attendance = get_object_or_404(Attendance, event=event, public_id=guest)
    try:
        attendance = services.hide_guest(
            actor=request.user, attendance=attendance, hidden=request.POST.get("hidden") == "1"
        )
    except DomainError:
        raise Http404 from None
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "events/moderate.html#guest", {"event": event, "guest": attendance})
    return redirect("events:moderate", event.public_id)


def stats(request: HttpRequest, public_id: str) -> HttpResponse:
    event = _event(request, public_id)
    if not can_view_statistics(request.user, event):
        raise Http404
    return render(request, "events/stats.html", {"event": event, "stats": statistics.for_event(event)})


class _Echo:
    def write(self, value: str) -> str:
        return value


def stats_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    event = _event(request, public_id)
    if not can_view_statistics(request.user, event):
        raise Http404
    writer = csv.writer(_Echo())
    header = [
        _("Joined at"),
        _("Name"),
        pgettext("guest", "Organisation"),
        _("Venue"),
        _("Signed-in user"),
        _("Hidden"),
    ]

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(header)  # BOM, so spreadsheet programs read the Chinese as UTF-8
        for guest in Attendance.objects.filter(event=event).select_related("venue", "user").iterator():
            yield writer.writerow(
                [
                    timezone.localtime(guest.created_at).isoformat(timespec="seconds"),
                    guest.name,
                    guest.organisation_name,
                    str(guest.venue),
                    guest.user.email if guest.user else "",
                    _("yes") if guest.hidden else _("no"),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendance-{event.public_id}.csv"'
    return response
