from zhongyan.proposals.models.proposal import Proposal, ProposalAttachment, Receipt
from zhongyan.proposals.models.review import (
    ClarificationRequest,
    Criterion,
    ReviewAssignment,
    ReviewSubmission,
    Rubric,
    Score,
)

__all__ = [
    "ClarificationRequest",
    "Criterion",
    "Proposal",
    "ProposalAttachment",
    "Receipt",
    "ReviewAssignment",
    "ReviewSubmission",
    "Rubric",
    "Score",
]
