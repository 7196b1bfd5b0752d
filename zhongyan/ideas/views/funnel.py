"""Evaluation by experts, stage moves by moderators, promotion to a demand."""

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.demands.models import Demand
from zhongyan.ideas import permissions, services
from zhongyan.ideas.forms import EvaluationForm, PromoteForm, StageForm
from zhongyan.ideas.models import Idea
from zhongyan.ideas.views._shared import idea_for, require


def idea_evaluate(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_evaluate_idea(request.user, idea))
    criteria = list(idea.campaign.criteria.all())
    existing = idea.evaluations.filter(expert=request.user).first()
    initial = {}
    if existing is not None:
        initial = {"note": existing.note, "conflict": existing.conflict, "conflict_reason": existing.conflict_reason}
        initial |= {f"score_{key}": value for key, value in existing.scores.items()}
    form = EvaluationForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_idea(
                actor=request.user,
                idea=idea,
                scores=form.scores(),
                note=form.cleaned_data["note"],
                conflict=form.cleaned_data["conflict"],
                conflict_reason=form.cleaned_data["conflict_reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your evaluation was saved."))
            return redirect("ideas:idea_detail", idea.public_id)
    return render(request, "ideas/idea_evaluate.html", {"idea": idea, "form": form, "existing": existing})


@require_POST
def idea_stage(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_advance_idea(request.user, idea))
    form = StageForm(request.POST, campaign=idea.campaign)
    if not form.is_valid():
        messages.error(request, _("Choose a stage."))
    else:
        try:
            services.advance_idea(actor=request.user, idea=idea, stage=form.cleaned_data["stage"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The idea moved to “%(stage)s”.") % {"stage": form.cleaned_data["stage"]})
    return redirect("ideas:idea_detail", idea.public_id)


def idea_promote(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_promote_idea(request.user, idea))
    organisations = services.promotion_organisations(request.user)
    initial = {"deadline": (timezone.localtime() + timedelta(days=60)).replace(second=0, microsecond=0)}
    if organisations.count() == 1:
        initial["organisation"] = organisations.first()
    form = PromoteForm(request.POST or None, organisations=organisations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.promote_idea(
                actor=request.user,
                idea=idea,
                organisation=form.cleaned_data["organisation"],
                deadline=form.cleaned_data["deadline"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A draft demand was created from the idea. Complete it and submit it."))
            return redirect("demands:detail", demand.public_id)
    return render(request, "ideas/idea_promote.html", {"idea": idea, "form": form})


def demand_source(request: HttpRequest, public_id: str) -> HttpResponse:
    """The demand page's "promoted from" panel, loaded by URL (demands sit below ideas and never
    import them): the source ideas this person may see, or an empty answer. No author is named."""
    demand = get_object_or_404(Demand.objects.visible_to(request.user), public_id=public_id)
    ideas = Idea.objects.visible_to(request.user).filter(promoted_demand=demand).select_related("campaign")
    return render(request, "ideas/demand_source.html", {"ideas": list(ideas.order_by("submitted_at"))})
