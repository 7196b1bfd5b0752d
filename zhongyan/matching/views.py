"""Fragments the demand page and the dashboard load by URL (htmx), with a full page as fallback."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.accounts.models import User
from zhongyan.core.errors import DomainError
from zhongyan.demands import services as demand_services
from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import can_invite_solvers, can_manage_demand
from zhongyan.matching.recommend import (
    demands_for_expert,
    invited_demands,
    recommend_experts,
    recommend_organisations,
    related_offerings,
)


def _managed_demand(request: HttpRequest, public_id: str) -> Demand:
    demand = get_object_or_404(
        Demand.objects.visible_to(request.user).select_related("organisation"), public_id=public_id
    )
    if not can_manage_demand(request.user, demand):
        raise Http404
    return demand


def _recommendations(request: HttpRequest, demand: Demand, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "demand": demand,
        "result": recommend_experts(demand),
        "offerings": related_offerings(demand),
        "organisations": recommend_organisations(demand),
        "can_invite": can_invite_solvers(request.user, demand),
        "error": error,
    }
    template = "matching/demand_recommendations.html"
    return render(request, template + "#panel" if request.htmx else template, context, status=status)


def demand_recommendations(request: HttpRequest, public_id: str) -> HttpResponse:
    return _recommendations(request, _managed_demand(request, public_id))


@require_POST
def invite(request: HttpRequest, public_id: str, user_id: str) -> HttpResponse:
    demand = _managed_demand(request, public_id)
    invitee = get_object_or_404(User, public_id=user_id, is_active=True)
    try:
        demand_services.invite_solver(actor=request.user, demand=demand, invitee=invitee)
    except DomainError as error:
        return _recommendations(request, demand, str(error.message), status=200 if request.htmx else 400)
    if not request.htmx:
        messages.success(request, _("Invitation sent to %(name)s.") % {"name": invitee.name})
    return _recommendations(request, demand)


def for_you(request: HttpRequest) -> HttpResponse:
    invitations = invited_demands(request.user)
    invited = {invitation.demand_id for invitation in invitations}
    recommendations = [rec for rec in demands_for_expert(request.user) if rec.obj.pk not in invited]
    context = {"invitations": invitations, "recommendations": recommendations}
    template = "matching/for_you.html"
    return render(request, template + "#panel" if request.htmx else template, context)
