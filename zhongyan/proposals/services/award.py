"""The decision: award one or more proposals, or close without award; feedback to the others."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.proposals import signals
from zhongyan.proposals.models import Proposal, ReviewSubmission, Score
from zhongyan.proposals.permissions import can_award_demand
from zhongyan.proposals.services._common import lock_demand, now, send_after_commit


def _release(demand: Demand, released_comments: Iterable[str]) -> int:
    """Mark the chosen reviewer comments (score or review public ids) as released to the solver."""
    ids = {str(public_id) for public_id in released_comments}
    if not ids:
        return 0
    count = Score.objects.filter(proposal__demand=demand, public_id__in=ids).update(comment_released=True)
    count += ReviewSubmission.objects.filter(proposal__demand=demand, public_id__in=ids).update(comment_released=True)
    return count


def _to_evaluating(actor: Any, demand: Demand) -> None:
    if demand.status == Demand.Status.PUBLISHED:
        # The deadline passed but the closing task has not run yet: close on its behalf.
        demand_services.close_demand(actor=None, demand=demand)
        demand.refresh_from_db()
    if demand.status == Demand.Status.CLOSED:
        demand_services.start_evaluation(actor=actor, demand=demand)
        demand.refresh_from_db()


def _decide(actor: Any, demand: Demand, winners: set[int]) -> tuple[list[Proposal], list[Proposal]]:
    awarded, not_awarded = [], []
    decided_at = now()
    for proposal in Proposal.objects.select_for_update().filter(demand=demand).in_evaluation().order_by("pk"):
        proposal.status = Proposal.Status.AWARDED if proposal.pk in winners else Proposal.Status.NOT_AWARDED
        proposal.decided_at = decided_at
        proposal.save(update_fields=["status", "decided_at", "updated_at"])
        (awarded if proposal.pk in winners else not_awarded).append(proposal)
    for proposal in awarded:
        record(actor, "proposal.awarded", proposal, {"demand": demand.public_id})
        send_after_commit(signals.proposal_awarded, proposal=proposal, demand=demand, actor=actor)
    for proposal in not_awarded:
        record(actor, "proposal.not_awarded", proposal, {"demand": demand.public_id})
        send_after_commit(signals.proposal_not_awarded, proposal=proposal, demand=demand, actor=actor)
    return awarded, not_awarded


def award_proposals(
    *, actor: Any, demand: Demand, proposals: Iterable[Proposal], released_comments: Iterable[str] = ()
) -> list[Proposal]:
    """Award the given proposals; every other proposal in evaluation becomes not awarded and its
    solver gets their averaged scores and the released comments as feedback."""
    if not can_award_demand(actor, demand):
        raise NotPermitted()
    chosen = list(proposals)
    if not chosen:
        raise DomainError(_("Choose at least one proposal to award."))
    with transaction.atomic():
        demand = lock_demand(demand)
        if not can_award_demand(actor, demand):
            raise NotPermitted()
        winners = {proposal.pk for proposal in chosen}
        eligible = set(
            Proposal.objects.filter(demand=demand, pk__in=winners).in_evaluation().values_list("pk", flat=True)
        )
        if eligible != winners:
            raise DomainError(_("Only submitted proposals to this demand can be awarded."))
        _to_evaluating(actor, demand)
        released = _release(demand, released_comments)
        awarded, not_awarded = _decide(actor, demand, winners)
        demand_services.mark_demand_awarded(actor=actor, demand=demand)
        record(
            actor,
            "proposal.award_decided",
            demand,
            {
                "awarded": [p.public_id for p in awarded],
                "not_awarded": [p.public_id for p in not_awarded],
                "released_comments": released,
            },
        )
    return awarded


def close_without_award(*, actor: Any, demand: Demand, released_comments: Iterable[str] = ()) -> list[Proposal]:
    """No proposal wins: every proposal in evaluation becomes not awarded, with feedback."""
    if not can_award_demand(actor, demand):
        raise NotPermitted()
    with transaction.atomic():
        demand = lock_demand(demand)
        if not can_award_demand(actor, demand):
            raise NotPermitted()
        _to_evaluating(actor, demand)
        released = _release(demand, released_comments)
        _awarded, not_awarded = _decide(actor, demand, set())
        demand_services.mark_demand_not_awarded(actor=actor, demand=demand)
        record(
            actor,
            "proposal.closed_without_award",
            demand,
            {"not_awarded": [p.public_id for p in not_awarded], "released_comments": released},
        )
    return not_awarded
