"""REST endpoints for matching: the same scopes and permissions as the pages.

Experts, partner organisations and technologies for a demand: its managers only. Demands for me
and similar demands: only demands the caller may see, explained from their teaser text."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from zhongyan.accounts.models import User
from zhongyan.core.content import localized
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import can_manage_demand
from zhongyan.matching.recommend import (
    Recommendation,
    demands_for_expert,
    recommend_experts,
    recommend_organisations,
    related_offerings,
)
from zhongyan.matching.similar import similar_demands

router = Router(tags=["matching"])


class ExplanationOut(Schema):
    shared_fields: list[str]
    terms: list[str]
    snippet: str | None
    snippet_kind: str | None
    cross_language: bool


class ExpertMatchOut(Schema):
    id: str
    name: str
    score: float
    invited: bool
    excluded_because: list[str]
    explanation: ExplanationOut


class ExpertRecommendationsOut(Schema):
    recommended: list[ExpertMatchOut]
    excluded: list[ExpertMatchOut]


class DemandMatchOut(Schema):
    id: str
    title: str
    organisation: str
    score: float
    explanation: ExplanationOut


class SimilarIn(Schema):
    text: str
    k: int = 5


def _explanation(rec: Recommendation) -> dict[str, Any]:
    explanation = rec.match.explanation
    snippet = explanation.best_snippet
    return {
        "shared_fields": [field.code for field in rec.shared_fields],
        "terms": list(explanation.terms),
        "snippet": snippet.text if snippet else None,
        "snippet_kind": snippet.kind if snippet else None,
        "cross_language": explanation.cross_language,
    }


def _expert(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.obj.public_id,
        "name": rec.obj.name,
        "score": round(rec.match.score, 4),
        "invited": rec.invited,
        "excluded_because": rec.reasons,
        "explanation": _explanation(rec),
    }


def _demand(rec: Recommendation) -> dict[str, Any]:
    demand = rec.obj
    return {
        "id": demand.public_id,
        "title": localized(demand.title),
        "organisation": str(demand.organisation),
        "score": round(rec.match.score, 4),
        "explanation": _explanation(rec),
    }


def _managed(request: HttpRequest, public_id: str) -> Demand:
    demand = get_object_or_404(Demand.objects.visible_to(request.user), public_id=public_id)
    if not can_manage_demand(request.user, demand):
        raise Http404
    return demand


@router.get(
    "/demands/{public_id}/experts", response=ExpertRecommendationsOut, summary="Experts for a demand (managers)"
)
def experts_for_demand(request: HttpRequest, public_id: str) -> Any:
    result = recommend_experts(_managed(request, public_id))
    return {"recommended": [_expert(r) for r in result.recommended], "excluded": [_expert(r) for r in result.excluded]}


@router.post(
    "/demands/{public_id}/experts/{user_id}/invite", response={201: dict}, summary="Invite a recommended expert"
)
def invite_expert(request: HttpRequest, public_id: str, user_id: str) -> Any:
    demand = _managed(request, public_id)
    invitee = get_object_or_404(User, public_id=user_id, is_active=True)
    demand_services.invite_solver(actor=request.auth, demand=demand, invitee=invitee)  # type: ignore[attr-defined]
    return Status(201, {"invited": invitee.public_id})


class OfferingMatchOut(Schema):
    id: str
    title: str
    kind: str
    trl: int | None
    organisation: str
    score: float
    explanation: ExplanationOut


@router.get(
    "/demands/{public_id}/technologies", response=list[OfferingMatchOut], summary="Catalogue technologies for a demand"
)
def technologies_for_demand(request: HttpRequest, public_id: str) -> Any:
    return [
        {
            "id": rec.obj.public_id,
            "title": localized(rec.obj.title),
            "kind": rec.obj.kind,
            "trl": rec.obj.trl,
            "organisation": str(rec.obj.organisation),
            "score": round(rec.match.score, 4),
            "explanation": _explanation(rec),
        }
        for rec in related_offerings(_managed(request, public_id))
    ]


class MatchedOfferingOut(Schema):
    id: str
    title: str
    score: float


class OrganisationMatchOut(Schema):
    id: str
    name: str
    kind: str
    score: float
    excluded_because: list[str]
    matching_offerings: list[MatchedOfferingOut]
    explanation: ExplanationOut


class OrganisationRecommendationsOut(Schema):
    recommended: list[OrganisationMatchOut]
    excluded: list[OrganisationMatchOut]


def _organisation(rec: Recommendation) -> dict[str, Any]:
    return {
        "id": rec.obj.public_id,
        "name": str(rec.obj),
        "kind": rec.obj.kind,
        "score": round(rec.match.score, 4),
        "excluded_because": rec.reasons,
        "matching_offerings": [
            {"id": o.obj.public_id, "title": localized(o.obj.title), "score": round(o.match.score, 4)}
            for o in rec.offerings
        ],
        "explanation": _explanation(rec),
    }


@router.get(
    "/demands/{public_id}/organisations",
    response=OrganisationRecommendationsOut,
    summary="Partner organisations for a demand (managers)",
)
def organisations_for_demand(request: HttpRequest, public_id: str) -> Any:
    result = recommend_organisations(_managed(request, public_id))
    return {
        "recommended": [_organisation(r) for r in result.recommended],
        "excluded": [_organisation(r) for r in result.excluded],
    }


@router.get("/for-me", response=list[DemandMatchOut], summary="Open demands recommended for the caller")
def for_me(request: HttpRequest) -> Any:
    return [_demand(r) for r in demands_for_expert(request.auth)]  # type: ignore[attr-defined]


@router.post("/similar-demands", response=list[DemandMatchOut], summary="Demands you may see that resemble a text")
def similar(request: HttpRequest, payload: SimilarIn) -> Any:
    found = similar_demands(request.auth, payload.text, max(1, min(payload.k, 20)))  # type: ignore[attr-defined]
    return [_demand(Recommendation(match, demand)) for demand, match in found]
