"""Reviewer pages (assignments, conflict declaration, scoring) and the owner's pages (ranking,
reviewers, rubric, shortlist, award) and the solver's feedback."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.accounts.models import User
from zhongyan.core.errors import DomainError
from zhongyan.proposals import permissions, ranking, services
from zhongyan.proposals.forms import AssignReviewerForm, AwardForm, ConflictForm, CriterionFormSet, ScoreForm
from zhongyan.proposals.models import Proposal, ReviewAssignment, ReviewSubmission, Score
from zhongyan.proposals.views._common import deliverable_rows, demand_url, require, visible_demand, visible_proposal


def review_list(request: HttpRequest) -> HttpResponse:
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user).select_related("demand").order_by("-created_at")
    )
    return render(request, "proposals/review_list.html", {"assignments": assignments})


def _own_assignment(request: HttpRequest, public_id: str) -> ReviewAssignment:
    return get_object_or_404(
        ReviewAssignment.objects.select_related("demand"), public_id=public_id, reviewer=request.user
    )


def review_workspace(request: HttpRequest, public_id: str) -> HttpResponse:
    assignment = _own_assignment(request, public_id)
    proposals = Proposal.objects.none()
    if assignment.may_review:
        proposals = Proposal.objects.filter(demand=assignment.demand).in_evaluation().order_by("submitted_at")
    submitted = set(ReviewSubmission.objects.filter(assignment=assignment).values_list("proposal_id", flat=True))
    context = {
        "assignment": assignment,
        "demand": assignment.demand,
        "conflict_form": ConflictForm(),
        "rows": [(p, p.pk in submitted) for p in proposals],
        "scoring_open": assignment.demand.is_past_deadline,
    }
    return render(request, "proposals/review_workspace.html", context)


@require_POST
def review_conflict(request: HttpRequest, public_id: str) -> HttpResponse:
    assignment = _own_assignment(request, public_id)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.declare_conflict(
                actor=request.user,
                assignment=assignment,
                has_conflict=form.cleaned_data["has_conflict"],
                statement=form.cleaned_data["statement"],
            )
            return redirect("proposals:review_workspace", assignment.public_id)
        except DomainError as error:
            form.add_error(None, str(error.message))
    context = {"assignment": assignment, "demand": assignment.demand, "conflict_form": form, "rows": []}
    return render(request, "proposals/review_workspace.html", context, status=422)


def _score_context(assignment: ReviewAssignment, proposal: Proposal, form: ScoreForm) -> dict[str, object]:
    submission = ReviewSubmission.objects.filter(assignment=assignment, proposal=proposal).first()
    show_all = permissions.can_see_all_scores(assignment.reviewer, proposal)
    return {
        "assignment": assignment,
        "proposal": proposal,
        "demand": proposal.demand,
        "form": form,
        "submission": submission,
        "can_score": permissions.can_score_proposal(assignment.reviewer, proposal),
        "others": ranking.reviewer_scores(proposal) if show_all else None,
        "deliverables": deliverable_rows(proposal),
    }


def review_score(request: HttpRequest, public_id: str, proposal_id: str) -> HttpResponse:
    """Score one proposal: Save keeps the scores editable, Submit makes them final."""
    assignment = _own_assignment(request, public_id)
    require(assignment.may_review)
    proposal = get_object_or_404(Proposal.objects.filter(demand=assignment.demand).submitted(), public_id=proposal_id)
    criteria = list(services.ensure_rubric(assignment.demand).criteria.all())
    if request.method != "POST":
        initial = {}
        for score in Score.objects.filter(assignment=assignment, proposal=proposal).select_related("criterion"):
            initial[f"score_{score.criterion.public_id}"] = str(score.value)
            initial[f"comment_{score.criterion.public_id}"] = score.comment
        form = ScoreForm(initial=initial, criteria=criteria)
        return render(request, "proposals/review_score.html", _score_context(assignment, proposal, form))
    form = ScoreForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            if request.POST.get("action") == "submit":
                services.submit_review(
                    actor=request.user, proposal=proposal, scores=form.scores(), comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Your review was submitted."))
            else:
                services.score_proposal(actor=request.user, proposal=proposal, scores=form.scores())
                messages.success(request, _("Scores saved. Submit the review when you are done."))
            return redirect("proposals:review_score", assignment.public_id, proposal.public_id)
        except DomainError as error:
            form.add_error(None, str(error.message))
    return render(request, "proposals/review_score.html", _score_context(assignment, proposal, form), status=422)


def _ranking_context(request: HttpRequest, demand: object, award_form: AwardForm | None = None) -> dict[str, object]:
    proposals = list(Proposal.objects.filter(demand=demand).submitted().select_related("solver", "organisation"))
    ranked = ranking.rank_proposals(demand, proposals)  # type: ignore[arg-type]
    comments = {item.proposal.pk: ranking.comments_for(item.proposal, released_only=False) for item in ranked}
    in_evaluation = [p for p in proposals if p.status in Proposal.IN_EVALUATION]
    comment_ids = [c.public_id for p in in_evaluation for c in comments.get(p.pk, [])]
    return {
        "demand": demand,
        "demand_url": demand_url(demand),  # type: ignore[arg-type]
        "ranked": [(item, comments.get(item.proposal.pk, [])) for item in ranked],
        "criteria": ranking.criteria_of(demand),  # type: ignore[arg-type]
        "assignments": ReviewAssignment.objects.filter(demand=demand).select_related("reviewer"),
        "assign_form": AssignReviewerForm(),
        "award_form": award_form or AwardForm(proposals=in_evaluation, comment_ids=comment_ids),
        "can_award": permissions.can_award_demand(request.user, demand),  # type: ignore[arg-type]
        "in_evaluation": in_evaluation,
    }


def demand_ranking(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = visible_demand(request, public_id)
    require(permissions.can_manage_reviews(request.user, demand))
    return render(request, "proposals/ranking.html", _ranking_context(request, demand))


@require_POST
def reviewer_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = visible_demand(request, public_id)
    require(permissions.can_manage_reviews(request.user, demand))
    form = AssignReviewerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("proposals:ranking", demand.public_id)
    reviewer = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
    if reviewer is None:
        messages.error(request, _("No one with this e-mail address uses the platform."))
        return redirect("proposals:ranking", demand.public_id)
    try:
        services.assign_reviewer(actor=request.user, demand=demand, reviewer=reviewer)
        messages.success(request, _("%(name)s will review the proposals.") % {"name": reviewer.name})
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("proposals:ranking", demand.public_id)


@require_POST
def proposal_shortlist(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    try:
        services.shortlist_proposal(
            actor=request.user, proposal=proposal, shortlisted=request.POST.get("shortlisted") != "0"
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("proposals:ranking", proposal.demand.public_id)


@require_POST
def demand_award(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = visible_demand(request, public_id)
    require(permissions.can_manage_reviews(request.user, demand))
    context = _ranking_context(request, demand)
    in_evaluation: list[Proposal] = context["in_evaluation"]  # type: ignore[assignment]
    comment_ids = [choice for choice, _label in context["award_form"].fields["released"].choices]  # type: ignore[attr-defined]
    form = AwardForm(request.POST, proposals=in_evaluation, comment_ids=comment_ids)
    if form.is_valid():
        released = form.cleaned_data["released"]
        try:
            if form.cleaned_data["decision"] == "none":
                services.close_without_award(actor=request.user, demand=demand, released_comments=released)
                messages.success(request, _("The demand was closed without an award. Every solver got feedback."))
            else:
                winners = [p for p in in_evaluation if p.public_id in set(form.cleaned_data["winners"])]
                services.award_proposals(
                    actor=request.user, demand=demand, proposals=winners, released_comments=released
                )
                messages.success(request, _("The award was made. Every other solver got feedback."))
            return redirect("proposals:ranking", demand.public_id)
        except DomainError as error:
            form.add_error(None, str(error.message))
    context["award_form"] = form
    return render(request, "proposals/ranking.html", context, status=422)


def rubric_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = visible_demand(request, public_id)
    require(permissions.can_manage_reviews(request.user, demand))
    rubric = services.ensure_rubric(demand)
    if request.method == "POST":
        formset = CriterionFormSet(request.POST, prefix="criteria")
        if formset.is_valid():
            criteria = [f.to_input() for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                services.save_rubric(actor=request.user, demand=demand, criteria=criteria)
                messages.success(request, _("The rubric was saved."))
                return redirect("proposals:ranking", demand.public_id)
            except DomainError as error:
                messages.error(request, str(error.message))
        status = 422
    else:
        initial = [
            {"public_id": c.public_id, "name": c.name, "description": c.description, "weight": c.weight}
            for c in rubric.criteria.all()
        ]
        formset = CriterionFormSet(initial=initial, prefix="criteria")
        status = 200
    return render(request, "proposals/rubric_edit.html", {"demand": demand, "formset": formset}, status=status)


def proposal_feedback(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    require(permissions.can_read_feedback(request.user, proposal))
    context = {
        "proposal": proposal,
        "demand": proposal.demand,
        "demand_url": demand_url(proposal.demand),
        "feedback": ranking.feedback_for(proposal),
    }
    return render(request, "proposals/feedback.html", context)
