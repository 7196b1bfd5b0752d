"""REST endpoints for events: the same scopes, permissions and services as the pages."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.core.content import localized
from zhongyan.core.errors import NotPermitted
from zhongyan.events import services
from zhongyan.events.models import Attendance, Event
from zhongyan.events.permissions import can_moderate_event, can_view_statistics
from zhongyan.events.statistics import for_event

router = Router(tags=["events"])


class VenueOut(Schema):
    id: str = Field(..., alias="public_id")
    name: dict[str, str]
    is_main: bool


class EventOut(Schema):
    id: str = Field(..., alias="public_id")
    title: dict[str, str]
    display_title: str
    description: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    venues: list[VenueOut]

    @staticmethod
    def resolve_display_title(obj: Event) -> str:
        return localized(obj.title)

    @staticmethod
    def resolve_venues(obj: Event) -> list[object]:
        return list(obj.venues.all())


class EventIn(Schema):
    title: dict[str, str]
    description: dict[str, str] = {}
    starts_at: datetime
    ends_at: datetime
    venues: list[dict[str, str]] = Field(default=[], description="Venue names; the first is the main venue.")
    join_token_seconds: int = 60


class GuestOut(Schema):
    id: str = Field(..., alias="public_id")
    name: str
    organisation: str = Field(..., alias="organisation_name")
    venue: str
    hidden: bool
    joined_at: datetime = Field(..., alias="created_at")

    @staticmethod
    def resolve_venue(obj: Attendance) -> str:
        return obj.venue.public_id


class VisibilityIn(Schema):
    hidden: bool


class StatisticsOut(Schema):
    total: int
    with_photo: int
    hidden: int
    by_organisation: list[tuple[str, int]]
    by_venue: list[tuple[str, int]]


def _event(request: HttpRequest, public_id: str) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.auth).prefetch_related("venues", "roles"), public_id=public_id
    )


@router.get("/", response=list[EventOut], summary="Events")
@paginate(PageNumberPagination, page_size=20)
def list_events(request: HttpRequest) -> object:
    return Event.objects.visible_to(request.auth).prefetch_related("venues")


@router.post("/", response={201: EventOut}, summary="Create an event")
def create_event(request: HttpRequest, payload: EventIn) -> Status:
    return Status(201, services.create_event(actor=request.auth, **payload.dict()))


@router.get("/{public_id}", response=EventOut, summary="One event")
def get_event(request: HttpRequest, public_id: str) -> Event:
    return _event(request, public_id)


@router.get("/{public_id}/guests", response=list[GuestOut], summary="Guests who joined (hosts and moderators)")
@paginate(PageNumberPagination, page_size=100)
def list_guests(request: HttpRequest, public_id: str) -> object:
    event = _event(request, public_id)
    if not can_moderate_event(request.auth, event):
        raise NotPermitted()
    return Attendance.objects.filter(event=event).select_related("venue").order_by("id")


@router.put(
    "/{public_id}/guests/{guest_id}/visibility",
    response=GuestOut,
    summary="Hide a face from the screens, or show it again",
)
def set_visibility(request: HttpRequest, public_id: str, guest_id: str, payload: VisibilityIn) -> Attendance:
    event = _event(request, public_id)
    guest = get_object_or_404(Attendance.objects.select_related("venue", "event"), event=event, public_id=guest_id)
    return services.hide_guest(actor=request.auth, attendance=guest, hidden=payload.hidden)


@router.get("/{public_id}/statistics", response=StatisticsOut, summary="Check-in statistics")
def statistics(request: HttpRequest, public_id: str) -> object:
    event = _event(request, public_id)
    if not can_view_statistics(request.auth, event):
        raise NotPermitted()
    return for_event(event)
