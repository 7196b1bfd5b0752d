"""Reviewers, conflicts of interest, the rubric, scores, shortlist and clarification requests."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import Bilingual, bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.core.lifecycle import check_transition
from zhongyan.demands.models import Demand
from zhongyan.proposals import signals
from zhongyan.proposals.models import (
    ClarificationRequest,
    Criterion,
    Proposal,
    ReviewAssignment,
    ReviewSubmission,
    Rubric,
    Score,
)
from zhongyan.proposals.models.review import SCALE_MAX, SCALE_MIN
from zhongyan.proposals.permissions import (
    can_answer_clarification,
    can_declare_conflict,
    can_manage_reviews,
    can_request_clarification,
    can_score_proposal,
    can_shortlist_proposal,
)
from zhongyan.proposals.services._common import IncompleteReview, ReviewClosed, lock_demand, now, send_after_commit

DEFAULT_CRITERIA: list[tuple[Bilingual, int]] = [
    (bilingual(zh="技术方案的先进性与可行性", en="Technical merit and feasibility"), 40),
    (bilingual(zh="对技术指标的满足程度", en="Fit to the technical indicators"), 25),
    (bilingual(zh="团队能力与相关经验", en="Team capability and track record"), 20),
    (bilingual(zh="进度与预算的合理性", en="Realism of timeline and budget"), 15),
]


class ReviewerIsSolver(DomainError):
    default_message = _("This person has a proposal for the demand and cannot review it.")


class RubricInUse(DomainError):
    default_message = _("A criterion that reviewers have already scored cannot be removed.")


@dataclass
class CriterionInput:
    name: Bilingual
    weight: int
    description: Bilingual | None = None
    public_id: str | None = None


@dataclass
class ScoreInput:
    value: int | None
    comment: str = ""


def ensure_rubric(demand: Demand) -> Rubric:
    """The demand's rubric, created with the platform's default criteria on first use."""
    rubric, created = Rubric.objects.get_or_create(demand=demand)
    if created:
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, name=name, weight=weight, position=position)
            for position, (name, weight) in enumerate(DEFAULT_CRITERIA)
        )
    return rubric


def save_rubric(*, actor: Any, demand: Demand, criteria: list[CriterionInput]) -> Rubric:
    """Replace the rubric's criteria with `criteria` (kept by public id, new ones added, missing
    ones removed unless already scored)."""
    if not can_manage_reviews(actor, demand):
        raise NotPermitted()
    if not criteria:
        raise DomainError(_("A rubric needs at least one criterion."))
    with transaction.atomic():
        rubric = ensure_rubric(demand)
        existing = {criterion.public_id: criterion for criterion in rubric.criteria.all()}
        kept: set[str] = set()
        for position, item in enumerate(criteria):
            if item.weight < 1 or item.weight > 100:
                raise DomainError(_("Each weight must be between 1 and 100."))
            criterion = existing.get(item.public_id or "") or Criterion(rubric=rubric)
            criterion.name = item.name
            criterion.description = item.description or {}
            criterion.weight = item.weight
            criterion.position = position
            criterion.save()
            kept.add(criterion.public_id)
        removed = [criterion for public_id, criterion in existing.items() if public_id not in kept]
        if any(criterion.scores.exists() for criterion in removed):
            raise RubricInUse()
        for criterion in removed:
            criterion.delete()
        record(
            actor,
            "proposal.rubric_saved",
            demand,
            {"criteria": [{"name": item.name, "weight": item.weight} for item in criteria]},
        )
    return rubric


def assign_reviewer(*, actor: Any, demand: Demand, reviewer: Any) -> ReviewAssignment:
    if not can_manage_reviews(actor, demand):
        raise NotPermitted()
    if Proposal.objects.filter(demand=demand, solver=reviewer).active().exists():
        raise ReviewerIsSolver()
    with transaction.atomic():
        existing = ReviewAssignment.objects.filter(demand=demand, reviewer=reviewer).first()
        if existing is not None:
            return existing
        ensure_rubric(demand)
        try:
            with transaction.atomic():
                assignment = ReviewAssignment.objects.create(demand=demand, reviewer=reviewer, assigned_by=actor)
        except IntegrityError:
            return ReviewAssignment.objects.get(demand=demand, reviewer=reviewer)
        record(actor, "proposal.reviewer_assigned", demand, {"reviewer": reviewer.public_id})
        send_after_commit(signals.review_assigned, proposal=None, demand=demand, assignment=assignment, actor=actor)
    return assignment


def declare_conflict(
    *, actor: Any, assignment: ReviewAssignment, has_conflict: bool, statement: str = ""
) -> ReviewAssignment:
    """The reviewer's declaration. A declared conflict blocks the review for good; "no conflict"
    can later be turned into a conflict, never the other way round."""
    if not can_declare_conflict(actor, assignment):
        raise NotPermitted()
    statement = statement.strip()
    if has_conflict and not statement:
        raise DomainError(_("Describe the conflict of interest in a sentence or two."))
    with transaction.atomic():
        assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status == ReviewAssignment.Status.CONFLICTED:
            raise DomainError(_("You declared a conflict of interest for this demand; ask the owner to reassign."))
        if not has_conflict and assignment.status == ReviewAssignment.Status.CLEARED:
            return assignment
        assignment.coi_declared = has_conflict
        assignment.coi_statement = statement
        assignment.declared_at = now()
        assignment.status = ReviewAssignment.Status.CONFLICTED if has_conflict else ReviewAssignment.Status.CLEARED
        assignment.save()
        record(
            actor, "proposal.conflict_declared", assignment.demand, {"conflict": has_conflict, "statement": statement}
        )
    return assignment


def _write_scores(assignment: ReviewAssignment, proposal: Proposal, scores: dict[str, ScoreInput]) -> list[Score]:
    criteria = list(ensure_rubric(proposal.demand).criteria.all())
    written: list[Score] = []
    for criterion in criteria:
        item = scores.get(criterion.public_id)
        if item is None:
            continue
        if item.value is None:
            Score.objects.filter(assignment=assignment, proposal=proposal, criterion=criterion).delete()
            continue
        if not SCALE_MIN <= item.value <= SCALE_MAX:
            raise DomainError(_("Scores go from 1 to 5."))
        score, _created = Score.objects.update_or_create(
            assignment=assignment,
            proposal=proposal,
            criterion=criterion,
            defaults={"value": item.value, "comment": item.comment.strip()[:4000]},
        )
        written.append(score)
    return written


def _scoring_assignment(actor: Any, proposal: Proposal) -> ReviewAssignment:
    assignment = ReviewAssignment.objects.filter(demand=proposal.demand, reviewer=actor).first()
    if assignment is not None and ReviewSubmission.objects.filter(assignment=assignment, proposal=proposal).exists():
        raise ReviewClosed()
    if assignment is None or not can_score_proposal(actor, proposal):
        raise NotPermitted()
    return assignment


def score_proposal(*, actor: Any, proposal: Proposal, scores: dict[str, ScoreInput]) -> list[Score]:
    """Save the reviewer's scores (by criterion public id) without submitting: they may change them."""
    assignment = _scoring_assignment(actor, proposal)
    with transaction.atomic():
        written = _write_scores(assignment, proposal, scores)
        record(actor, "proposal.scored", proposal, {s.criterion.public_id: s.value for s in written})
    return written


def submit_review(
    *, actor: Any, proposal: Proposal, scores: dict[str, ScoreInput], comment: str = ""
) -> ReviewSubmission:
    """Save the scores and make them final; the reviewer then sees the other reviewers' scores."""
    assignment = _scoring_assignment(actor, proposal)
    with transaction.atomic():
        _write_scores(assignment, proposal, scores)
        criteria = set(ensure_rubric(proposal.demand).criteria.values_list("pk", flat=True))
        scored = set(Score.objects.filter(assignment=assignment, proposal=proposal).values_list("criterion", flat=True))
        if criteria - scored:
            raise IncompleteReview()
        try:
            with transaction.atomic():
                submission = ReviewSubmission.objects.create(
                    assignment=assignment, proposal=proposal, comment=comment.strip()[:4000], submitted_at=now()
                )
        except IntegrityError as error:
            raise ReviewClosed() from error
        values = dict(
            Score.objects.filter(assignment=assignment, proposal=proposal).values_list("criterion__public_id", "value")
        )
        record(actor, "proposal.review_submitted", proposal, {"scores": values})
    return submission


def shortlist_proposal(*, actor: Any, proposal: Proposal, shortlisted: bool = True) -> Proposal:
    if not can_shortlist_proposal(actor, proposal):
        raise NotPermitted()
    target = Proposal.Status.SHORTLISTED if shortlisted else Proposal.Status.SUBMITTED
    with transaction.atomic():
        lock_demand(proposal.demand)
        proposal.refresh_from_db()
        if proposal.status == target:
            return proposal
        check_transition(Proposal.TRANSITIONS, proposal.status, target)
        proposal.status = target
        proposal.save(update_fields=["status", "updated_at"])
        record(actor, "proposal.shortlisted" if shortlisted else "proposal.unshortlisted", proposal)
    return proposal


def request_clarification(*, actor: Any, proposal: Proposal, question: str) -> ClarificationRequest:
    if not can_request_clarification(actor, proposal):
        raise NotPermitted()
    question = question.strip()
    if not question:
        raise DomainError(_("Write the question for the solver."))
    with transaction.atomic():
        request = ClarificationRequest.objects.create(proposal=proposal, asked_by=actor, question=question[:4000])
        record(actor, "proposal.clarification_requested", proposal, {"question": request.question})
        send_after_commit(signals.clarification_requested, proposal=proposal, request=request, actor=actor)
    return request


def answer_clarification(*, actor: Any, request: ClarificationRequest, answer: str) -> ClarificationRequest:
    if not can_answer_clarification(actor, request):
        raise NotPermitted()
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer."))
    with transaction.atomic():
        request = ClarificationRequest.objects.select_for_update().get(pk=request.pk)
        if request.is_answered:
            raise DomainError(_("This question has already been answered."))
        request.answer = answer[:8000]
        request.answered_at = now()
        request.save(update_fields=["answer", "answered_at", "updated_at"])
        record(actor, "proposal.clarification_answered", request.proposal, {"answer": request.answer})
    return request
