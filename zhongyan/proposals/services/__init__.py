"""The proposal use cases: the only write path for proposals, reviews and awards."""

from zhongyan.proposals.services._common import (
    AlreadySubmitted,
    DeadlinePassed,
    IncompleteProposal,
    IncompleteReview,
    InvalidAttachment,
    ReviewClosed,
)
from zhongyan.proposals.services.award import award_proposals, close_without_award
from zhongyan.proposals.services.review import (
    CriterionInput,
    ReviewerIsSolver,
    RubricInUse,
    ScoreInput,
    answer_clarification,
    assign_reviewer,
    declare_conflict,
    ensure_rubric,
    request_clarification,
    save_rubric,
    score_proposal,
    shortlist_proposal,
    submit_review,
)
from zhongyan.proposals.services.submission import (
    ProposalContent,
    add_attachment,
    remove_attachment,
    save_draft,
    submit_proposal,
    withdraw_proposal,
)

__all__ = [
    "AlreadySubmitted",
    "CriterionInput",
    "DeadlinePassed",
    "IncompleteProposal",
    "IncompleteReview",
    "InvalidAttachment",
    "ProposalContent",
    "ReviewClosed",
    "ReviewerIsSolver",
    "RubricInUse",
    "ScoreInput",
    "add_attachment",
    "answer_clarification",
    "assign_reviewer",
    "award_proposals",
    "close_without_award",
    "declare_conflict",
    "ensure_rubric",
    "remove_attachment",
    "request_clarification",
    "save_draft",
    "save_rubric",
    "score_proposal",
    "shortlist_proposal",
    "submit_proposal",
    "submit_review",
    "withdraw_proposal",
]
