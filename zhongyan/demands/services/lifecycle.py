"""The demand lifecycle: draft → in review → published → closed → evaluating → awarded / not
awarded → archived, with withdrawal and deadline extension. Every move is audited."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands import caching, permissions, signals
from zhongyan.demands.models import Demand, NdaTemplate
from zhongyan.demands.nda import active_nda
from zhongyan.demands.services._common import locked, move, send_after_commit


class DeadlineInPast(DomainError):
    default_message = _("The deadline must be in the future.")


class DemandIncomplete(DomainError):
    default_message = _("Fill in the title, the summary and a future deadline before submitting.")


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted()


def _check_publishable(demand: Demand) -> None:
    if not any(demand.title.values()) or not any(demand.summary.values()):
        raise DemandIncomplete()
    if demand.deadline <= timezone.now():
        raise DemandIncomplete()


def _publish(actor: Any, demand: Demand, verb: str) -> Demand:
    _check_publishable(demand)
    if demand.confidentiality == Demand.Confidentiality.NDA and not demand.nda_text:
        # Frozen here: later template edits never change what solvers of this demand accept.
        demand.nda_text, demand.nda_version = active_nda()
        demand.save(update_fields=["nda_text", "nda_version", "updated_at"])
    move(actor, demand, Demand.Status.PUBLISHED, verb, {"nda_version": demand.nda_version})
    send_after_commit(signals.demand_published, demand=demand, actor=actor)
    return demand


def submit_demand(*, actor: Any, demand: Demand) -> Demand:
    """The owner is done with the draft: to operator review, or straight to publication when the
    organisation's demands need no approval."""
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_submit_demand(actor, demand))
        if not demand.organisation.requires_demand_review:
            return _publish(actor, demand, "published")
        _check_publishable(demand)
        move(actor, demand, Demand.Status.IN_REVIEW, "submitted")
        send_after_commit(signals.demand_submitted_for_review, demand=demand, actor=actor)
    return demand


def approve_demand(*, actor: Any, demand: Demand) -> Demand:
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_review_demand(actor, demand))
        return _publish(actor, demand, "approved")


def reject_demand(*, actor: Any, demand: Demand, reason: str = "") -> Demand:
    """Back to draft with the operator's reason, which the owner reads in the audit trail."""
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_review_demand(actor, demand))
        return move(actor, demand, Demand.Status.DRAFT, "rejected", {"reason": reason[:1000]})


def publish_demand(*, actor: Any, demand: Demand) -> Demand:
    """Publish a draft directly (organisations without review, or an operator), or approve one in
    review (operators only)."""
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        needs_operator = demand.status == Demand.Status.IN_REVIEW or (
            demand.status == Demand.Status.DRAFT and demand.organisation.requires_demand_review
        )
        if needs_operator:
            _require(actor.is_staff)
        return _publish(actor, demand, "published")


def close_demand(*, actor: Any | None, demand: Demand) -> Demand:
    """Close for proposals. The system (actor None) closes only once the deadline has passed; a
    manager may close early."""
    with transaction.atomic():
        locked(demand)
        if actor is None:
            if not demand.is_past_deadline:
                raise DomainError(_("The deadline has not passed yet."))
        else:
            _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.CLOSED, "closed", {"deadline": demand.deadline.isoformat()})


def start_evaluation(*, actor: Any, demand: Demand) -> Demand:
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.EVALUATING, "evaluation_started")


def extend_deadline(*, actor: Any, demand: Demand, deadline: datetime) -> Demand:
    """A later deadline; a demand already closed for proposals opens again."""
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        if demand.status not in (Demand.Status.PUBLISHED, Demand.Status.CLOSED):
            raise DomainError(_("Only a published or closed demand can have its deadline extended."))
        if deadline <= timezone.now():
            raise DeadlineInPast()
        if deadline <= demand.deadline:
            raise DomainError(_("The new deadline must be later than the current one."))
        old = demand.deadline
        demand.deadline = deadline
        demand.save(update_fields=["deadline", "updated_at"])
        caching.bump_generation()
        record(actor, "demand.deadline_extended", demand, {"from": old.isoformat(), "to": deadline.isoformat()})
        if demand.status == Demand.Status.CLOSED:
            move(actor, demand, Demand.Status.PUBLISHED, "reopened")
    return demand


def withdraw_demand(*, actor: Any, demand: Demand, reason: str = "") -> Demand:
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.WITHDRAWN, "withdrawn", {"reason": reason[:1000]})


def archive_demand(*, actor: Any, demand: Demand) -> Demand:
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.ARCHIVED, "archived")


def mark_demand_awarded(*, actor: Any, demand: Demand) -> Demand:
    """Called by the proposals award service inside its own transaction."""
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.AWARDED, "awarded")


def mark_demand_not_awarded(*, actor: Any, demand: Demand) -> Demand:
    with transaction.atomic():
        locked(demand)
        _require(permissions.can_manage_demand(actor, demand))
        return move(actor, demand, Demand.Status.NOT_AWARDED, "not_awarded")


def close_expired_demands() -> int:
    """Close every published demand whose deadline has passed; returns how many."""
    closed = 0
    for demand in Demand.objects.past_deadline().order_by("deadline").iterator():
        try:
            close_demand(actor=None, demand=demand)
        except DomainError:
            continue  # moved or extended concurrently: nothing to do
        closed += 1
    return closed


def save_nda_template(*, actor: Any, title: str, text: dict[str, str], activate: bool = True) -> NdaTemplate:
    """A new version of the NDA wording (versions are never edited: demands hash what they froze).
    Activating it deactivates the previous one; demands already published keep their text."""
    _require(getattr(actor, "is_staff", False))
    if not any((text or {}).values()):
        raise DomainError(_("Enter the NDA text in Chinese or English."))
    with transaction.atomic():
        latest = NdaTemplate.objects.select_for_update().order_by("-version").first()
        if activate:
            NdaTemplate.objects.filter(is_active=True).update(is_active=False)
        template = NdaTemplate.objects.create(
            title=title, text=text, version=(latest.version + 1 if latest else 1), is_active=activate
        )
        record(actor, "demand.nda_template_saved", template, {"version": template.version, "active": activate})
    return template


def activate_nda_template(*, actor: Any, template: NdaTemplate) -> NdaTemplate:
    _require(getattr(actor, "is_staff", False))
    with transaction.atomic():
        NdaTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
        NdaTemplate.objects.filter(pk=template.pk).update(is_active=True)
        template.is_active = True
        record(actor, "demand.nda_template_activated", template, {"version": template.version})
    return template
