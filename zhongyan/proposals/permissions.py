"""Who may do what with proposals and their review. Services enforce these; views pass them to
templates as booleans. `can_view_proposal` answers for one object what
`Proposal.objects.visible_to(user)` answers for a list; the table test holds them together."""

from typing import Any

from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import can_manage_demand, can_view_demand_details, is_member
from zhongyan.proposals.models import ClarificationRequest, Proposal, ReviewAssignment, ReviewSubmission

# Reviewers score once proposals are in: after the deadline, while the owner evaluates.
SCORING_DEMAND_STATES = frozenset({Demand.Status.PUBLISHED, Demand.Status.CLOSED, Demand.Status.EVALUATING})
AWARDABLE_DEMAND_STATES = frozenset({Demand.Status.CLOSED, Demand.Status.EVALUATING})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def assignment_for(user: Any, demand: Demand) -> ReviewAssignment | None:
    if not _signed_in(user):
        return None
    return ReviewAssignment.objects.filter(demand=demand, reviewer=user).first()


def is_cleared_reviewer(user: Any, demand: Demand) -> bool:
    assignment = assignment_for(user, demand)
    return assignment is not None and assignment.may_review


def can_submit_proposal(user: Any, demand: Demand) -> bool:
    """Start, save and submit a proposal: a signed-in solver who may read the details (NDA accepted,
    or invited to an internal demand), outside the owning organisation, before the deadline."""
    return (
        _signed_in(user)
        and demand.accepts_proposals
        and not user.is_staff
        and not is_member(user, demand)
        and can_view_demand_details(user, demand)
    )


def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    if not _signed_in(user):
        return False
    if proposal.solver_id == user.pk:
        return True
    if not proposal.was_submitted:
        return False
    return can_manage_demand(user, proposal.demand) or is_cleared_reviewer(user, proposal.demand)


def can_edit_proposal(user: Any, proposal: Proposal) -> bool:
    return (
        _signed_in(user)
        and proposal.solver_id == user.pk
        and proposal.status == Proposal.Status.DRAFT
        and proposal.demand.accepts_proposals
    )


def can_withdraw_proposal(user: Any, proposal: Proposal) -> bool:
    return (
        _signed_in(user)
        and proposal.solver_id == user.pk
        and proposal.status in (Proposal.Status.DRAFT, Proposal.Status.SUBMITTED)
        and proposal.demand.accepts_proposals
    )


def can_download_receipt(user: Any, proposal: Proposal) -> bool:
    return _signed_in(user) and (proposal.solver_id == user.pk or can_manage_demand(user, proposal.demand))


def can_manage_reviews(user: Any, demand: Demand) -> bool:
    """Assign reviewers, edit the rubric, rank, shortlist, ask for clarification."""
    return can_manage_demand(user, demand)


def can_declare_conflict(user: Any, assignment: ReviewAssignment) -> bool:
    return _signed_in(user) and assignment.reviewer_id == user.pk


def can_score_proposal(user: Any, proposal: Proposal) -> bool:
    """A reviewer assigned to the demand, who declared no conflict, after the deadline, until the
    decision; and not once their review of this proposal is submitted."""
    demand = proposal.demand
    if not (_signed_in(user) and proposal.status in Proposal.IN_EVALUATION):
        return False
    if demand.status not in SCORING_DEMAND_STATES or not demand.is_past_deadline:
        return False
    assignment = assignment_for(user, demand)
    if assignment is None or not assignment.may_review or proposal.solver_id == user.pk:
        return False
    return not ReviewSubmission.objects.filter(assignment=assignment, proposal=proposal).exists()


def can_see_all_scores(user: Any, proposal: Proposal) -> bool:
    """The demand's managers always; a cleared reviewer only after submitting their own review."""
    if not _signed_in(user) or not proposal.was_submitted:
        return False
    if can_manage_demand(user, proposal.demand):
        return True
    assignment = assignment_for(user, proposal.demand)
    return (
        assignment is not None
        and assignment.may_review
        and ReviewSubmission.objects.filter(assignment=assignment, proposal=proposal).exists()
    )


def can_shortlist_proposal(user: Any, proposal: Proposal) -> bool:
    return (
        proposal.status in Proposal.IN_EVALUATION
        and is_awardable(proposal.demand)
        and can_manage_reviews(user, proposal.demand)
    )


def can_request_clarification(user: Any, proposal: Proposal) -> bool:
    return (
        proposal.status in Proposal.IN_EVALUATION
        and proposal.demand.status in SCORING_DEMAND_STATES
        and can_manage_reviews(user, proposal.demand)
    )


def can_answer_clarification(user: Any, request: ClarificationRequest) -> bool:
    return (
        _signed_in(user)
        and request.proposal.solver_id == user.pk
        and request.proposal.status in Proposal.IN_EVALUATION
        and not request.is_answered
    )


def is_awardable(demand: Demand) -> bool:
    """Closed or evaluating, or still published with the deadline passed (the closing task may lag)."""
    if demand.status == Demand.Status.PUBLISHED:
        return demand.is_past_deadline
    return demand.status in AWARDABLE_DEMAND_STATES


def can_award_demand(user: Any, demand: Demand) -> bool:
    return is_awardable(demand) and can_manage_demand(user, demand)


def can_read_feedback(user: Any, proposal: Proposal) -> bool:
    """The solver reads their scores and released comments once the owner has decided."""
    return (
        _signed_in(user)
        and proposal.solver_id == user.pk
        and proposal.status in (Proposal.Status.AWARDED, Proposal.Status.NOT_AWARDED)
    )
