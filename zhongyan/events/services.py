"""Use cases of the events module: the only write path."""

import re
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.events import broadcast
from zhongyan.events.models import Attendance, Event, EventRole, Venue
from zhongyan.events.permissions import can_create_event, can_manage_event, can_moderate_event
from zhongyan.events.selfies import ProcessedSelfie

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9]{6,15}$")


class InvalidContact(DomainError):
    default_message = _("Enter a valid e-mail address or phone number.")


class InvalidSchedule(DomainError):
    default_message = _("The event must end after it starts.")


def normalise_contact(contact: str) -> str:
    """E-mail addresses in lower case, phone numbers as digits with an optional leading +."""
    value = contact.strip()
    if "@" in value:
        if not EMAIL.match(value):
            raise InvalidContact()
        return value.lower()
    digits = re.sub(r"[\s\-().]", "", value)
    if not PHONE.match(digits):
        raise InvalidContact()
    return digits


def create_event(
    *,
    actor: Any,
    title: Bilingual,
    starts_at: datetime,
    ends_at: datetime,
    venues: list[Bilingual],
    description: Bilingual | None = None,
    schedule: Bilingual | None = None,
    organisation: Any = None,
    join_token_seconds: int = 60,
) -> Event:
    if not can_create_event(actor):
        raise NotPermitted()
    if ends_at < starts_at:
        raise InvalidSchedule()
    with transaction.atomic():
        event = Event.objects.create(
            title=title,
            description=description or {},
            schedule=schedule or {},
            starts_at=starts_at,
            ends_at=ends_at,
            organisation=organisation,
            join_token_seconds=join_token_seconds,
            created_by=actor,
        )
        for position, name in enumerate(venues or [{"zh-hans": "主会场", "en": "Main venue"}]):
            Venue.objects.create(event=event, name=name, is_main=position == 0, position=position)
        EventRole.objects.create(event=event, user=actor, role=EventRole.Role.HOST)
        record(actor, "event.created", event, {"venues": len(venues)})
    return event


def update_event(*, actor: Any, event: Event, **changes: Any) -> Event:
    if not can_manage_event(actor, event):
        raise NotPermitted()
    starts_at = changes.get("starts_at", event.starts_at)
    ends_at = changes.get("ends_at", event.ends_at)
    if ends_at < starts_at:
        raise InvalidSchedule()
    with transaction.atomic():
        for name, value in changes.items():
            setattr(event, name, value)
        event.save()
        record(actor, "event.updated", event, {"fields": sorted(changes)})
    return event


def add_venue(*, actor: Any, event: Event, name: Bilingual) -> Venue:
    if not can_manage_event(actor, event):
        raise NotPermitted()
    with transaction.atomic():
        venue = Venue.objects.create(event=event, name=name, position=event.venues.count())
        record(actor, "event.venue_added", event, {"venue": venue.public_id})
    return venue


def set_event_role(*, actor: Any, event: Event, user: Any, role: str | None) -> None:
    """Make someone a host or moderator, or (role None) take their role away."""
    if not can_manage_event(actor, event):
        raise NotPermitted()
    with transaction.atomic():
        if role is None:
            EventRole.objects.filter(event=event, user=user).delete()
        else:
            EventRole.objects.update_or_create(event=event, user=user, defaults={"role": role})
        record(actor, "event.role_set", event, {"user": user.public_id, "role": role})


def _visible_count(event: Event) -> int:
    return Attendance.objects.filter(event=event).on_wall().count()


def join_event(
    *,
    venue: Venue,
    selfie: ProcessedSelfie | None,
    user: Any = None,
    name: str = "",
    contact: str = "",
    organisation_name: str = "",
) -> tuple[Attendance, bool]:
    """Record a guest once per event; a repeated tap returns the existing attendance (and adds
    the photo if the first tap had none). Returns (attendance, created)."""
    event = venue.event
    signed_in = getattr(user, "is_authenticated", False)
    if signed_in:
        lookup: dict[str, Any] = {"event": event, "user": user}
        name = name.strip() or user.name
    else:
        lookup = {"event": event, "contact": normalise_contact(contact)}
        name = name.strip()
        if not name:
            raise DomainError(_("Tell us your name, so the others know who joined."))
    try:
        with transaction.atomic():
            attendance, created = Attendance.objects.select_for_update().get_or_create(
                **lookup,
                defaults={"venue": venue, "name": name[:100], "organisation_name": organisation_name.strip()[:200]},
            )
            had_photo = bool(attendance.thumbnail)
            if selfie is not None and not had_photo:
                attendance.photo.save(f"{attendance.public_id}.jpg", ContentFile(selfie.photo), save=False)
                attendance.thumbnail.save(f"{attendance.public_id}.jpg", ContentFile(selfie.thumbnail), save=False)
                attendance.save(update_fields=["photo", "thumbnail", "updated_at"])
            if created:
                record(user if signed_in else None, "event.joined", event, {"attendance": attendance.public_id})
            newly_on_wall = bool(attendance.thumbnail) and not had_photo and not attendance.hidden
            if newly_on_wall:
                count = _visible_count(event)
                picture = selfie.thumbnail if selfie is not None else None
                transaction.on_commit(lambda: broadcast.announce_guest(attendance, count, picture))
    except IntegrityError:
        # Two taps raced past get_or_create; the other one won: same result as a repeated tap.
        return Attendance.objects.get(**lookup), False
    return attendance, created


def hide_guest(*, actor: Any, attendance: Attendance, hidden: bool = True) -> Attendance:
    event = attendance.event
    if not can_moderate_event(actor, event):
        raise NotPermitted()
    with transaction.atomic():
        attendance = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if attendance.hidden == hidden:
            return attendance
        attendance.hidden = hidden
        attendance.hidden_by = actor if hidden else None
        attendance.save(update_fields=["hidden", "hidden_by", "updated_at"])
        record(
            actor, "event.guest_hidden" if hidden else "event.guest_shown", event, {"attendance": attendance.public_id}
        )
        count = _visible_count(event)
        announce = broadcast.announce_hidden if hidden else broadcast.announce_shown
        transaction.on_commit(lambda: announce(attendance, count))
    return attendance
