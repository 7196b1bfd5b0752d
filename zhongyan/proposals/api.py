"""REST endpoints for proposals and reviews: the same scopes, permissions and services as the
pages. Mounted at /api/v1/proposals/."""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from zhongyan.core.errors import NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.orgs.models import Organisation
from zhongyan.proposals import permissions, services
from zhongyan.proposals.models import Proposal, ReviewAssignment
from zhongyan.proposals.receipts import receipt_document, verify_receipt

router = Router(tags=["proposals"])


class ProposalIn(Schema):
    demand: str = Field(..., description="Public id of the demand")
    approach: dict[str, str] = Field(..., description='{"zh-hans": "...", "en": "..."}')
    team: dict[str, str] = {}
    timeline: dict[str, str] = {}
    budget: int | None = Field(None, ge=0)
    deliverables: dict[str, str] = Field({}, description="{indicator id: deliverable}")
    organisation: str | None = Field(None, description="Public id of an organisation you belong to")


class ReceiptOut(Schema):
    number: str
    sha256: str
    issued_at: datetime


class ProposalOut(Schema):
    id: str = Field(..., alias="public_id")
    demand: str
    status: str
    approach: dict[str, str]
    team: dict[str, str]
    timeline: dict[str, str]
    budget: int | None
    deliverables: dict[str, str]
    submitted_at: datetime | None
    receipt: ReceiptOut | None

    @staticmethod
    def resolve_demand(obj: Proposal) -> str:
        return obj.demand.public_id

    @staticmethod
    def resolve_receipt(obj: Proposal) -> Any:
        return getattr(obj, "receipt", None)


class VerifyIn(Schema):
    number: str
    sha256: str


class VerifyOut(Schema):
    matches: bool
    tampered: bool
    issued_at: datetime | None


class CriterionOut(Schema):
    id: str = Field(..., alias="public_id")
    name: dict[str, str]
    weight: int


class AssignmentOut(Schema):
    id: str = Field(..., alias="public_id")
    demand: str
    status: str
    criteria: list[CriterionOut]
    proposals: list[str]

    @staticmethod
    def resolve_demand(obj: ReviewAssignment) -> str:
        return obj.demand.public_id

    @staticmethod
    def resolve_criteria(obj: ReviewAssignment) -> list[Any]:
        return list(services.ensure_rubric(obj.demand).criteria.all())

    @staticmethod
    def resolve_proposals(obj: ReviewAssignment) -> list[str]:
        if not obj.may_review:
            return []
        return list(Proposal.objects.filter(demand=obj.demand).in_evaluation().values_list("public_id", flat=True))


class ConflictIn(Schema):
    has_conflict: bool
    statement: str = ""


class ScoreIn(Schema):
    value: int | None = Field(None, ge=1, le=5)
    comment: str = ""


class ScoresIn(Schema):
    scores: dict[str, ScoreIn] = Field(..., description="{criterion id: {value 1-5, comment}}")
    comment: str = ""
    submit: bool = Field(False, description="Make the review final")


class ScoresOut(Schema):
    submitted: bool
    scores: dict[str, int]


def _demand_for(request: HttpRequest, public_id: str) -> Demand:
    return get_object_or_404(Demand.objects.visible_to(request.user), public_id=public_id)


def _organisation(request: HttpRequest, public_id: str | None) -> Organisation | None:
    if not public_id:
        return None
    organisation = Organisation.objects.filter(public_id=public_id, memberships__user=request.user).first()
    if organisation is None:
        raise NotPermitted()
    return organisation


@router.post("/", response={201: ProposalOut}, summary="Submit a proposal (idempotent: a repeat returns it)")
def submit(request: HttpRequest, payload: ProposalIn) -> Status[Proposal]:
    demand = _demand_for(request, payload.demand)
    content = services.ProposalContent(
        approach=payload.approach,
        team=payload.team,
        timeline=payload.timeline,
        budget=payload.budget,
        deliverables=payload.deliverables,
        organisation=_organisation(request, payload.organisation),
    )
    proposal = services.submit_proposal(actor=request.user, demand=demand, content=content)
    return Status(201, Proposal.objects.select_related("demand", "receipt").get(pk=proposal.pk))


@router.get("/", response=list[ProposalOut], summary="My proposals")
@paginate(PageNumberPagination, page_size=20)
def list_own(request: HttpRequest) -> Any:
    return Proposal.objects.of_solver(request.user).select_related("demand", "receipt")


@router.post("/receipts/verify", response=VerifyOut, auth=None, summary="Check a receipt (no sign-in needed)")
def verify(request: HttpRequest, payload: VerifyIn) -> dict[str, Any]:
    result = verify_receipt(payload.number, payload.sha256)
    issued = result.receipt.issued_at if result.receipt and result.matches else None
    return {"matches": result.matches, "tampered": result.tampered, "issued_at": issued}


@router.get("/reviews/", response=list[AssignmentOut], summary="My review assignments")
def my_assignments(request: HttpRequest) -> Any:
    return ReviewAssignment.objects.filter(reviewer=request.user).select_related("demand")


def _own_assignment(request: HttpRequest, public_id: str) -> ReviewAssignment:
    return get_object_or_404(
        ReviewAssignment.objects.select_related("demand"), public_id=public_id, reviewer=request.user
    )


@router.post("/reviews/{assignment_id}/conflict", response=AssignmentOut, summary="Declare conflicts of interest")
def conflict(request: HttpRequest, assignment_id: str, payload: ConflictIn) -> ReviewAssignment:
    assignment = _own_assignment(request, assignment_id)
    return services.declare_conflict(
        actor=request.user, assignment=assignment, has_conflict=payload.has_conflict, statement=payload.statement
    )


@router.post("/reviews/{assignment_id}/proposals/{proposal_id}/scores", response=ScoresOut, summary="Score a proposal")
def score(request: HttpRequest, assignment_id: str, proposal_id: str, payload: ScoresIn) -> dict[str, Any]:
    assignment = _own_assignment(request, assignment_id)
    if not assignment.may_review:
        raise NotPermitted()
    proposal = get_object_or_404(Proposal.objects.filter(demand=assignment.demand).submitted(), public_id=proposal_id)
    scores = {key: services.ScoreInput(value=item.value, comment=item.comment) for key, item in payload.scores.items()}
    if payload.submit:
        services.submit_review(actor=request.user, proposal=proposal, scores=scores, comment=payload.comment)
    else:
        services.score_proposal(actor=request.user, proposal=proposal, scores=scores)
    values = dict(assignment.scores.filter(proposal=proposal).values_list("criterion__public_id", "value"))
    return {"submitted": payload.submit, "scores": values}


@router.get("/{proposal_id}", response=ProposalOut, summary="One proposal you may see")
def detail(request: HttpRequest, proposal_id: str) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("demand", "receipt"), public_id=proposal_id
    )


@router.get("/{proposal_id}/receipt", summary="The submission receipt, with the content its hash covers")
def receipt(request: HttpRequest, proposal_id: str) -> dict[str, Any]:
    proposal = detail(request, proposal_id)
    if not permissions.can_download_receipt(request.user, proposal) or not hasattr(proposal, "receipt"):
        raise Http404
    return receipt_document(proposal.receipt)
