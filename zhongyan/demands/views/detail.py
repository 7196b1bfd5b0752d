"""The demand page and the create/edit form."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhongyan.core.audit import history
from zhongyan.core.errors import DomainError
from zhongyan.demands import caching, services
from zhongyan.demands import permissions as perms
from zhongyan.demands.forms import (
    AnswerForm,
    AttachmentForm,
    DemandForm,
    IndicatorFormSet,
    QuestionForm,
    indicator_values,
)
from zhongyan.demands.models import Demand, Follow, Invitation, Question
from zhongyan.demands.views._shared import authorise, load_demand, posted

ACTION_LABELS = {
    "submit": (Demand.Status.IN_REVIEW, "btn-primary"),
    "publish": (Demand.Status.PUBLISHED, "btn-primary"),
    "close": (Demand.Status.CLOSED, "btn-outline-secondary"),
    "evaluate": (Demand.Status.EVALUATING, "btn-outline-primary"),
    "withdraw": (Demand.Status.WITHDRAWN, "btn-outline-danger"),
    "archive": (Demand.Status.ARCHIVED, "btn-outline-secondary"),
}


def _actions(user: Any, demand: Demand) -> list[str]:
    """Lifecycle buttons this user may press now (award buttons belong to proposals)."""
    if not perms.can_manage_demand(user, demand):
        return []
    allowed = Demand.TRANSITIONS[demand.status]
    actions = []
    if perms.can_submit_demand(user, demand):
        actions.append("submit")
    if demand.status == Demand.Status.DRAFT and user.is_staff:
        actions.append("publish")
    for action in ("close", "evaluate", "withdraw", "archive"):
        if ACTION_LABELS[action][0] in allowed:
            actions.append(action)
    return actions


def demand_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = request.user
    caching.serve_demand_from_cache(request, public_id)
    demand = caching.demand_for_page(public_id)
    if demand is None or not perms.can_view_demand(user, demand):
        raise Http404
    details = perms.can_view_demand_details(user, demand)
    manage = perms.can_manage_demand(user, demand)
    questions = (
        Question.objects.filter(demand=demand).visible_to(user, manager=manage).select_related("author")
        if details
        else Question.objects.none()
    )
    context = {
        "demand": demand,
        "details": details,
        "manage": manage,
        "can_edit": perms.can_edit_demand(user, demand),
        "can_accept_nda": perms.can_accept_nda(user, demand),
        "can_ask": perms.can_ask_question(user, demand),
        "can_invite": perms.can_invite_solvers(user, demand),
        "can_review": perms.can_review_demand(user, demand),
        "indicators": demand.indicators.all() if details else [],
        "attachments": demand.attachments.all() if details else [],
        "questions": questions,
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "attachment_form": AttachmentForm(),
        "following": Follow.objects.filter(demand=demand, user=user).exists(),
        "invitation": Invitation.objects.filter(demand=demand, invitee=user).first(),
        "actions": [(action, ACTION_LABELS[action]) for action in _actions(user, demand)],
        "history": history(demand).order_by("-seq")[:30] if manage else [],
        "fields": demand.fields.all(),
    }
    return render(request, "demands/demand_detail.html", context)


def _save_form(request: HttpRequest, form: DemandForm, formset: Any, demand: Demand | None) -> Demand | None:
    """Create or update through the services; a domain refusal becomes a form error."""
    try:
        with transaction.atomic():
            values = form.service_values()
            indicators = indicator_values(formset)
            if demand is None:
                demand = services.create_demand(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    indicators=indicators,
                    **values,
                )
            else:
                services.update_demand(actor=request.user, demand=demand, indicators=indicators, **values)
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    upload = form.cleaned_data.get("attachment")
    if upload:
        try:
            services.add_attachment(actor=request.user, demand=demand, upload=upload)
        except DomainError as error:
            # The draft is saved; only the file is refused.
            message = _("The demand was saved, but the file was refused: %(reason)s") % {"reason": error.message}
            messages.error(request, message)
    return demand


def _indicator_initial(demand: Demand) -> list[dict[str, Any]]:
    return [{"name": i.name, "target": i.target, "unit": i.unit} for i in demand.indicators.all()]


def demand_create(request: HttpRequest) -> HttpResponse:
    form = DemandForm(posted(request), request.FILES if request.method == "POST" else None, user=request.user)
    formset = IndicatorFormSet(posted(request), prefix="indicators")
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        demand = _save_form(request, form, formset, None)
        if demand is not None:
            messages.success(request, _("Draft saved. Submit it when it is ready."))
            return redirect("demands:detail", demand.public_id)
    return render(request, "demands/demand_form.html", {"form": form, "formset": formset})


def demand_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_edit_demand(request.user, demand))
    initial = {
        key: getattr(demand, key)
        for key in ("title", "summary", "background", "deliverables", "keywords", "budget_min", "budget_max")
    } | {
        "deadline": demand.deadline,
        "modes": demand.modes,
        "ip_terms": demand.ip_terms,
        "confidentiality": demand.confidentiality,
        "fields": list(demand.fields.all()),
    }
    form = DemandForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        user=request.user,
        demand=demand,
        initial=initial,
    )
    formset = IndicatorFormSet(posted(request), prefix="indicators", initial=_indicator_initial(demand))
    valid = request.method == "POST" and form.is_valid() & formset.is_valid()
    if valid and _save_form(request, form, formset, demand) is not None:
        messages.success(request, _("Changes saved."))
        return redirect("demands:detail", demand.public_id)
    context = {"form": form, "formset": formset, "demand": demand}
    return render(request, "demands/demand_form.html", context)
