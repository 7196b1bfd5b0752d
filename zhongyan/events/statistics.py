"""Check-in statistics for organisers: joins over time, by organisation, by venue."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from zhongyan.core.content import localized
from zhongyan.events.models import Attendance, Event


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    height: float  # 0..1 of the tallest bar


@dataclass(frozen=True)
class EventStatistics:
    total: int
    with_photo: int
    hidden: int
    timeline: list[Bar]
    bucket_minutes: int
    by_organisation: list[tuple[str, int]]
    by_venue: list[tuple[str, int]]


def _bucket_minutes(first: datetime, last: datetime) -> int:
    span = (last - first).total_seconds() / 60
    for minutes in (1, 5, 15, 60, 240, 1440):
        if span / minutes <= 48:
            return minutes
    return 1440


def for_event(event: Event) -> EventStatistics:
    guests = Attendance.objects.filter(event=event)
    times = [timezone.localtime(t) for t in guests.order_by("created_at").values_list("created_at", flat=True)]
    timeline: list[Bar] = []
    minutes = 1
    if times:
        minutes = _bucket_minutes(times[0], times[-1])
        step = timedelta(minutes=minutes)
        start = times[0].replace(second=0, microsecond=0)
        start -= timedelta(minutes=start.minute % minutes if minutes < 60 else start.minute)
        counts: dict[int, int] = {}
        for moment in times:
            index = int((moment - start) / step)
            counts[index] = counts.get(index, 0) + 1
        tallest = max(counts.values())
        for index in range(max(counts) + 1):
            label = (start + index * step).strftime("%m-%d %H:%M" if minutes >= 1440 else "%H:%M")
            value = counts.get(index, 0)
            timeline.append(Bar(label, value, value / tallest))
    by_org: list[Any] = (
        guests.exclude(organisation_name="").values("organisation_name").annotate(n=Count("id")).order_by("-n")[:20]
    )
    by_venue = guests.values("venue__name").annotate(n=Count("id")).order_by("-n")
    return EventStatistics(
        total=len(times),
        with_photo=guests.exclude(thumbnail="").count(),
        hidden=guests.filter(hidden=True).count(),
        timeline=timeline,
        bucket_minutes=minutes,
        by_organisation=[(row["organisation_name"], row["n"]) for row in by_org],
        by_venue=[(localized(row["venue__name"]), row["n"]) for row in by_venue],
    )
