"""Filtering and sorting of demand lists, shared by the pages and the API. `data` holds cleaned
values: q, field (Field), organisation (Organisation), budget_min, budget_max, deadline_after
(date), mode, status ("open" or a status), sort."""

from datetime import datetime, time
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from zhongyan.demands.querysets import DemandQuerySet

SORT_ORDER = {
    "newest": [F("published_at").desc(nulls_last=True), "-created_at"],
    "deadline": ["deadline", "-created_at"],
    "budget_high": [F("budget_max").desc(nulls_last=True), "-created_at"],
    "budget_low": [F("budget_min").asc(nulls_last=True), "-created_at"],
}


def filter_demands(demands: DemandQuerySet, data: dict[str, Any]) -> DemandQuerySet:
    demands = demands.search(data.get("q") or "")
    if data.get("field"):
        demands = demands.filter(fields=data["field"])
    if data.get("organisation"):
        demands = demands.filter(organisation=data["organisation"])
    if data.get("budget_min") is not None:
        demands = demands.filter(Q(budget_max__gte=data["budget_min"]) | Q(budget_max__isnull=True))
    if data.get("budget_max") is not None:
        demands = demands.filter(Q(budget_min__lte=data["budget_max"]) | Q(budget_min__isnull=True))
    if data.get("deadline_after"):
        start = timezone.make_aware(datetime.combine(data["deadline_after"], time.min))
        demands = demands.filter(deadline__gte=start)
    if data.get("mode"):
        demands = demands.filter(modes__icontains=f'"{data["mode"]}"')
    if data.get("status") == "open":
        demands = demands.open_for_proposals()
    elif data.get("status"):
        demands = demands.filter(status=data["status"])
    return demands


def sort_order(sort: str | None) -> list[Any]:
    return SORT_ORDER.get(sort or "newest", SORT_ORDER["newest"])
