"""Use cases of the events module: the only write path."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
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


@dataclass(frozen=True)
class QueuedJoin:
    """One guest's join as the lean endpoint accepted it (identity already checked and the
    contact normalised), waiting for its batch. `key` is the person: one attendance per key."""

    key: str
    venue_id: int
    selfie: ProcessedSelfie | None
    user_id: int | None = None
    name: str = ""
    contact: str = ""
    organisation_name: str = ""


@dataclass(frozen=True)
class JoinResult:
    attendance: Attendance
    created: bool
    on_wall: bool
    # The selfie whose files this join still has to write (write_selfies), if any.
    unwritten: ProcessedSelfie | None = None


def _name_selfie(attendance: Attendance) -> None:
    """The files' names are known before they are written (upload_to + the public id)."""
    attendance.photo = f"events/faces/{attendance.public_id}.jpg"
    attendance.thumbnail = f"events/faces/thumbs/{attendance.public_id}.jpg"


def write_selfies(results: list[JoinResult]) -> None:
    """The files of a burst's faces, written when the queue is idle: the screens already have
    each thumbnail from the frame and the phone its own picture (joinqueue.py)."""
    for result in results:
        if result.unwritten is not None:
            _write_selfie(result.attendance, result.unwritten)


def _write_selfie(attendance: Attendance, selfie: ProcessedSelfie) -> None:
    for file, content in ((attendance.photo, selfie.photo), (attendance.thumbnail, selfie.thumbnail)):
        stored = file.storage.save(file.name, ContentFile(content))
        if stored != file.name:  # a file of that name was left behind: keep the row right
            Attendance.objects.filter(pk=attendance.pk).update(**{file.field.name: stored})


def join_event_batch(*, event_id: int, joins: list[QueuedJoin]) -> dict[str, JoinResult]:
    """Many guests of one event at once (issue 6's burst): the same rules as join_event, in one
    transaction with a few queries for the whole batch, one audit entry and one broadcast.
    Returns the result per join key; a person found twice in the batch is recorded once.

    The screens get the faces first: the frame carries each thumbnail inline; the files (~1 ms
    each to create) are left to write_selfies, which the drainer calls when the queue is idle."""
    if not joins:
        return {}
    first: dict[str, QueuedJoin] = {}
    for join in joins:
        first.setdefault(join.key, join)
    with transaction.atomic():
        # Batches of one event commit one after the other, so each broadcast's count includes
        # every face committed before it (two drainers may run at once).
        event = Event.objects.select_for_update().get(pk=event_id)
        venues = Venue.objects.filter(event=event).in_bulk([join.venue_id for join in first.values()])
        wanted = {key: join for key, join in first.items() if join.venue_id in venues}
        existing = _existing_by_key(event, wanted.values())
        fresh: dict[str, Attendance] = {}
        for key, join in wanted.items():
            if key in existing:
                continue
            attendance = Attendance(
                event=event,
                venue=venues[join.venue_id],
                user_id=join.user_id,
                contact="" if join.user_id else join.contact,
                name=join.name.strip()[:100],
                organisation_name=join.organisation_name.strip()[:200],
            )
            if join.selfie is not None:
                _name_selfie(attendance)
            fresh[key] = attendance
        # A join through the ordinary page may have inserted the same person meanwhile: that
        # row wins, as with a repeated tap.
        Attendance.objects.bulk_create(list(fresh.values()), ignore_conflicts=True)
        # The new rows' keys, without loading the rows again (an instance costs its ImageFields'
        # post_init work; bench/event_burst.py).
        keys = dict(
            Attendance.objects.filter(event=event, public_id__in=[a.public_id for a in fresh.values()]).values_list(
                "public_id", "pk"
            )
        )
        inserted = set(keys)
        rows = dict(existing)
        lost = False
        for key, attendance in fresh.items():
            if attendance.public_id in keys:
                attendance.pk = keys[attendance.public_id]
                attendance._state.adding = False
                rows[key] = attendance
            else:
                lost = True
        if lost:
            rows.update(_existing_by_key(event, wanted.values()))
        results: dict[str, JoinResult] = {}
        photographed: list[Attendance] = []
        for key, join in wanted.items():
            attendance = rows[key]
            created = attendance.public_id in inserted
            had_photo = bool(attendance.thumbnail) and not created
            if not created and not had_photo and join.selfie is not None:
                _name_selfie(attendance)
                attendance.updated_at = timezone.now()
                photographed.append(attendance)
            unwritten = join.selfie if not had_photo else None
            newly_on_wall = bool(attendance.thumbnail) and not had_photo and not attendance.hidden
            results[key] = JoinResult(attendance, created, newly_on_wall, unwritten)
        if photographed:
            Attendance.objects.bulk_update(photographed, ["photo", "thumbnail", "updated_at"])
        if inserted:
            record(None, "event.guests_joined", event, {"attendances": sorted(inserted)})
        appeared = [
            (result.attendance, first[key].selfie.thumbnail if first[key].selfie else None)
            for key, result in results.items()
            if result.on_wall
        ]
        if appeared:
            count = _visible_count(event)
            transaction.on_commit(lambda: broadcast.announce_guests(event.public_id, appeared, count))
    return results


def _existing_by_key(event: Event, joins: Any) -> dict[str, Attendance]:
    users = {join.user_id: join.key for join in joins if join.user_id}
    contacts = {join.contact: join.key for join in joins if not join.user_id}
    found: dict[str, Attendance] = {}
    query = models.Q(user_id__in=list(users)) | models.Q(user__isnull=True, contact__in=list(contacts))
    for attendance in Attendance.objects.filter(query, event=event).select_related("venue"):
        key = users.get(attendance.user_id) if attendance.user_id else contacts.get(attendance.contact)
        if key is not None:
            found[key] = attendance
    return found
