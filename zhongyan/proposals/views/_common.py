"""Helpers shared by the proposal views."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from zhongyan.demands.models import Demand
from zhongyan.proposals.models import Proposal


def demand_url(demand: Demand) -> str:
    """The demand's page (owned by the demands app), or "" while that page does not exist."""
    try:
        return reverse("demands:detail", args=[demand.public_id])
    except NoReverseMatch:
        return ""


def visible_demand(request: HttpRequest, public_id: str) -> Demand:
    return get_object_or_404(Demand.objects.visible_to(request.user), public_id=public_id)


def visible_proposal(request: HttpRequest, public_id: str) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("demand", "solver", "organisation"),
        public_id=public_id,
    )


def own_active_proposal(user: Any, demand: Demand) -> Proposal | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Proposal.objects.filter(demand=demand, solver=user).active().first()


def require(condition: bool) -> None:
    """Hide what the user may not act on: the same 404 as an object outside their scope."""
    if not condition:
        raise Http404


def deliverable_rows(proposal: Proposal) -> list[tuple[Any, str]]:
    """(indicator, what the solver commits to) in the demand's indicator order."""
    texts = proposal.deliverables or {}
    return [(i, texts[str(i.pk)]) for i in proposal.demand.indicators.all() if texts.get(str(i.pk))]
