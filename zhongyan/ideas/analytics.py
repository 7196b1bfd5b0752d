"""Funnel analytics for one campaign: ideas per stage, conversion between stages, participation."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from zhongyan.ideas.models import Campaign, Comment, Idea, Stage, Vote


@dataclass(frozen=True)
class StageRow:
    stage: Stage
    current: int  # ideas in this stage now
    reached: int  # ideas in this stage or a later one
    conversion: float | None  # reached / reached of the stage before (None for the first)
    share: float  # reached / submitted, for the bar width (0..100)


def funnel(campaign: Campaign) -> dict[str, Any]:
    """Hidden ideas (and their comments and votes) are left out of every count."""
    ideas = Idea.objects.filter(campaign=campaign, status=Idea.Status.SUBMITTED, hidden_at__isnull=True)
    per_stage = dict(ideas.values_list("stage_id").annotate(n=Count("pk")).values_list("stage_id", "n"))
    stages = list(campaign.stages.order_by("position"))
    total = sum(per_stage.values())
    rows: list[StageRow] = []
    remaining = total
    previous: int | None = None
    for stage in stages:
        reached = remaining
        rows.append(
            StageRow(
                stage=stage,
                current=per_stage.get(stage.pk, 0),
                reached=reached,
                conversion=(reached / previous) if previous else None,
                share=(100 * reached / total) if total else 0.0,
            )
        )
        remaining -= per_stage.get(stage.pk, 0)
        previous = reached
    comments = Comment.objects.filter(idea__in=ideas)
    votes = Vote.objects.filter(idea__in=ideas)
    participation = {
        "submitters": ideas.values("author").distinct().count(),
        "commenters": comments.values("author").distinct().count(),
        "voters": votes.values("user").distinct().count(),
        "ideas": total,
        "comments": comments.count(),
        "votes": votes.count(),
    }
    biggest = max(participation["submitters"], participation["commenters"], participation["voters"], 1)
    return {
        "rows": rows,
        "total": total,
        "participation": participation,
        "participation_bars": [
            ("submitters", participation["submitters"], 100 * participation["submitters"] / biggest),
            ("commenters", participation["commenters"], 100 * participation["commenters"] / biggest),
            ("voters", participation["voters"], 100 * participation["voters"] / biggest),
        ],
        "promoted": ideas.filter(promoted_demand__isnull=False).count(),
    }
