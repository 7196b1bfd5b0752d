"""News from lower layers that changes what an item is matched by. Every signal here is already
sent after its transaction committed, so the task is enqueued directly. Organisations and the
catalogue send no signals: their edits are picked up at read time (`services.refresh_organisations`)."""

from typing import Any

from django.dispatch import receiver

from zhongyan.accounts.signals import profile_updated
from zhongyan.demands import signals as demand_signals
from zhongyan.matching import tasks
from zhongyan.proposals import signals as proposal_signals


@receiver(profile_updated)
def profile_changed(sender: Any, user: Any, **kwargs: Any) -> None:
    tasks.reindex_expert.enqueue(user.pk)
    tasks.reindex_member_organisations.enqueue(user.pk)  # their keywords are part of it


@receiver(demand_signals.demand_published)
@receiver(demand_signals.demand_status_changed)
def demand_changed(sender: Any, demand: Any, **kwargs: Any) -> None:
    tasks.reindex_demand.enqueue(demand.pk)


@receiver(proposal_signals.proposal_submitted)
@receiver(proposal_signals.proposal_withdrawn)
@receiver(proposal_signals.proposal_awarded)
def past_work_changed(sender: Any, proposal: Any, **kwargs: Any) -> None:
    tasks.reindex_expert.enqueue(proposal.solver_id)
    if proposal.organisation_id:
        tasks.reindex_organisation.enqueue(proposal.organisation_id)
