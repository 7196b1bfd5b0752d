"""Helpers that walk proposals through the services, as the pages do."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.core.content import bilingual
from zhongyan.demands.models import Demand, NdaAcceptance
from zhongyan.proposals import services
from zhongyan.proposals.models import Proposal, ReviewAssignment


def accept_nda(user: User, demand: Demand) -> None:
    NdaAcceptance.objects.create(demand=demand, user=user, text_hash=demand.nda_text_hash())


def content(text: str = "在线检测方案", **extra: Any) -> services.ProposalContent:
    return services.ProposalContent(
        approach=bilingual(zh=text, en="Inline inspection"),
        team=bilingual(zh="钢铁大学团队", en="Steel University team"),
        timeline=bilingual(zh="十二个月", en="Twelve months"),
        budget=600_000,
        **extra,
    )


def submit(user: User, demand: Demand, text: str = "在线检测方案") -> Proposal:
    return services.submit_proposal(actor=user, demand=demand, content=content(text))


def pass_deadline(demand: Demand, status: str = Demand.Status.CLOSED) -> Demand:
    Demand.objects.filter(pk=demand.pk).update(deadline=timezone.now() - timedelta(minutes=1), status=status)
    demand.refresh_from_db()
    return demand


def cleared_reviewer(owner: User, demand: Demand, reviewer: User) -> ReviewAssignment:
    assignment = services.assign_reviewer(actor=owner, demand=demand, reviewer=reviewer)
    return services.declare_conflict(actor=reviewer, assignment=assignment, has_conflict=False)


def all_scores(demand: Demand, value: int, comment: str = "") -> dict[str, services.ScoreInput]:
    criteria = services.ensure_rubric(demand).criteria.all()
    return {c.public_id: services.ScoreInput(value=value, comment=comment) for c in criteria}
