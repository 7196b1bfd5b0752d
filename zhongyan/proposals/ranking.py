"""Aggregate scores: the owner's ranking and each solver's structured feedback. Only submitted
reviews count; scores a reviewer is still editing stay private to them."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count

from zhongyan.demands.models import Demand
from zhongyan.proposals.models import Criterion, Proposal, ReviewSubmission, Score

TWO_PLACES = Decimal("0.01")


def _round(value: float | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class CriterionAverage:
    criterion: Criterion
    average: Decimal | None
    count: int


@dataclass
class RankedProposal:
    proposal: Proposal
    averages: list[CriterionAverage]
    weighted: Decimal | None
    reviews: int
    rank: int | None = None


@dataclass
class Comment:
    public_id: str
    criterion: Criterion | None
    text: str
    released: bool


@dataclass
class Feedback:
    proposal: Proposal
    averages: list[CriterionAverage]
    weighted: Decimal | None
    reviews: int
    comments: list[Comment] = field(default_factory=list)


def criteria_of(demand: Demand) -> list[Criterion]:
    return list(Criterion.objects.filter(rubric__demand=demand).order_by("position", "created_at"))


def _final_scores(proposals: Any) -> Any:
    """Scores that belong to a submitted review of the same proposal by the same reviewer."""
    submitted = ReviewSubmission.objects.filter(proposal__in=proposals).values_list("assignment_id", "proposal_id")
    pairs = set(submitted)
    return [
        row
        for row in Score.objects.filter(proposal__in=proposals).values(
            "assignment_id", "proposal_id", "criterion_id", "value"
        )
        if (row["assignment_id"], row["proposal_id"]) in pairs
    ]


def weighted_average(averages: list[CriterionAverage]) -> Decimal | None:
    scored = [item for item in averages if item.average is not None]
    total_weight = sum(item.criterion.weight for item in scored)
    if not scored or not total_weight:
        return None
    total = sum(item.average * item.criterion.weight for item in scored)  # type: ignore[operator]
    return _round(total / total_weight)


def _averages(criteria: list[Criterion], rows: list[dict[str, Any]]) -> list[CriterionAverage]:
    result = []
    for criterion in criteria:
        values = [row["value"] for row in rows if row["criterion_id"] == criterion.pk]
        average = _round(Decimal(sum(values)) / len(values)) if values else None
        result.append(CriterionAverage(criterion=criterion, average=average, count=len(values)))
    return result


def rank_proposals(demand: Demand, proposals: Any) -> list[RankedProposal]:
    """Proposals with per-criterion averages and the weighted score, best first (unscored last)."""
    proposals = list(proposals)
    criteria = criteria_of(demand)
    rows = _final_scores(proposals)
    reviews = dict(
        ReviewSubmission.objects.filter(proposal__in=proposals)
        .values("proposal_id")
        .annotate(n=Count("pk"))
        .values_list("proposal_id", "n")
    )
    ranked = []
    for proposal in proposals:
        averages = _averages(criteria, [row for row in rows if row["proposal_id"] == proposal.pk])
        ranked.append(
            RankedProposal(
                proposal=proposal,
                averages=averages,
                weighted=weighted_average(averages),
                reviews=reviews.get(proposal.pk, 0),
            )
        )
    ranked.sort(key=lambda item: (item.weighted is None, -(item.weighted or 0), item.proposal.submitted_at))
    for position, item in enumerate(ranked, start=1):
        item.rank = position if item.weighted is not None else None
    return ranked


def comments_for(proposal: Proposal, *, released_only: bool) -> list[Comment]:
    """Reviewer comments on a proposal (submitted reviews only), without the reviewers' names."""
    comments: list[Comment] = []
    submissions = ReviewSubmission.objects.filter(proposal=proposal).order_by("submitted_at")
    if released_only:
        submissions = submissions.filter(comment_released=True)
    for submission in submissions:
        if submission.comment:
            comments.append(Comment(submission.public_id, None, submission.comment, submission.comment_released))
    final = ReviewSubmission.objects.filter(proposal=proposal).values_list("assignment_id", flat=True)
    scores = (
        Score.objects.filter(proposal=proposal, assignment_id__in=list(final))
        .exclude(comment="")
        .select_related("criterion")
        .order_by("criterion__position", "created_at")
    )
    if released_only:
        scores = scores.filter(comment_released=True)
    comments += [Comment(score.public_id, score.criterion, score.comment, score.comment_released) for score in scores]
    return comments


def feedback_for(proposal: Proposal) -> Feedback:
    """What the solver reads after the decision: averages per criterion, the weighted score and the
    comments the owner released."""
    ranked = rank_proposals(proposal.demand, [proposal])[0]
    return Feedback(
        proposal=proposal,
        averages=ranked.averages,
        weighted=ranked.weighted,
        reviews=ranked.reviews,
        comments=comments_for(proposal, released_only=True),
    )


def reviewer_scores(proposal: Proposal) -> list[dict[str, Any]]:
    """Every submitted review of a proposal, for the owner and for reviewers who submitted theirs."""
    result = []
    for submission in ReviewSubmission.objects.filter(proposal=proposal).select_related("assignment__reviewer"):
        scores = Score.objects.filter(assignment=submission.assignment, proposal=proposal).select_related("criterion")
        result.append({"submission": submission, "reviewer": submission.assignment.reviewer, "scores": list(scores)})
    return result
