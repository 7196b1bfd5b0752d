"""Helpers shared by the demand services: row locking, audited status moves, signals after commit."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from zhongyan.core.audit import record
from zhongyan.core.content import all_text
from zhongyan.core.lifecycle import check_transition
from zhongyan.demands import caching, search, signals
from zhongyan.demands.models import Demand


def send_after_commit(signal: Signal, **kwargs: Any) -> None:
    send: Callable[[], Any] = partial(signal.send, sender=Demand, **kwargs)
    transaction.on_commit(send)


def locked(demand: Demand) -> Demand:
    """Lock the row and re-read it into the caller's object, so two concurrent moves see each
    other's result (SQLite serialises writers anyway; PostgreSQL needs the row lock)."""
    list(Demand.objects.select_for_update().filter(pk=demand.pk).values_list("pk", flat=True))
    demand.refresh_from_db()
    return demand


def move(actor: Any, demand: Demand, target: str, verb: str, data: dict[str, Any] | None = None) -> Demand:
    """Move a (locked) demand along its lifecycle, audit the move and announce it after commit."""
    old = demand.status
    check_transition(Demand.TRANSITIONS, old, target)
    demand.status = target
    now = timezone.now()
    update_fields = ["status", "updated_at"]
    if target == Demand.Status.PUBLISHED and demand.published_at is None:
        demand.published_at = now
        update_fields.append("published_at")
    if target == Demand.Status.CLOSED:
        demand.closed_at = now
        update_fields.append("closed_at")
    demand.save(update_fields=update_fields)
    caching.bump_generation()
    record(actor, f"demand.{verb}", demand, {"from": old, "to": target, **(data or {})})
    send_after_commit(signals.demand_status_changed, demand=demand, actor=actor, old_status=old, new_status=target)
    return demand


def refresh_search_text(demand: Demand) -> None:
    """Every content write (create, update) ends here: the cached lists move on after commit."""
    parts = [all_text(demand.title), all_text(demand.summary), all_text(demand.background), demand.keywords]
    parts += [f"{all_text(indicator.name)} {indicator.unit}" for indicator in demand.indicators.all()]
    parts += [all_text(field.name) for field in demand.fields.all()]
    demand.search_text = search.index_text(parts)
    Demand.objects.filter(pk=demand.pk).update(search_text=demand.search_text)
    caching.bump_generation()
