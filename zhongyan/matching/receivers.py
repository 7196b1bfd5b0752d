"""News from lower layers that changes what an item is matched by. Every signal here is already
sent after its transaction committed, so the task is enqueued directly."""

from typing import Any

from django.dispatch import receiver

from zhongyan.accounts.signals import profile_updated
from zhongyan.demands import signals as demand_signals
from zhongyan.matching import tasks
from zhongyan.proposals import signals as proposal_signals


@receiver(profile_updated)
def profile_changed(sender: Any, user: Any, **kwargs: Any) -> None:
    tasks.reindex_expert.enqueue(user.pk)


@receiver(demand_signals.demand_published)
@receiver(demand_signals.demand_status_changed)
def demand_changed(sender: Any, demand: Any, **kwargs: Any) -> None:
    tasks.reindex_demand.enqueue(demand.pk)


@receiver(proposal_signals.proposal_submitted)
@receiver(proposal_signals.proposal_withdrawn)
@receiver(proposal_signals.proposal_awarded)
def past_work_changed(sender: Any, proposal: Any, **kwargs: Any) -> None:
    tasks.reindex_expert.enqueue(proposal.solver_id)
