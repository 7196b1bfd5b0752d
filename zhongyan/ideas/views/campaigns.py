"""Campaign pages: list, create, edit, detail with its ideas, funnel analytics, moderation, export."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError
from zhongyan.ideas import analytics, permissions, services
from zhongyan.ideas.forms import CampaignForm, StageForm
from zhongyan.ideas.models import Campaign, CampaignFollow, CommentReport, Idea
from zhongyan.ideas.views._shared import campaign_for, is_htmx, require

SORTS = {"new": ("-submitted_at",), "votes": ("-vote_count", "-submitted_at"), "comments": ("-comments_n",)}


def campaign_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    campaigns = Campaign.objects.visible_to(request.user).annotate(
        ideas_n=Count(
            "ideas", filter=Q(ideas__status=Idea.Status.SUBMITTED, ideas__hidden_at__isnull=True), distinct=True
        )
    )
    drafts = Idea.objects.filter(author=request.user, status=Idea.Status.DRAFT).select_related("campaign")
    return render(
        request,
        "ideas/campaign_list.html",
        {
            "open": campaigns.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at"),
            "upcoming": campaigns.filter(opens_at__gt=now).order_by("opens_at"),
            "closed": Paginator(campaigns.filter(closes_at__lte=now).order_by("-closes_at"), 20).get_page(
                request.GET.get("page")
            ),
            "drafts": drafts,
            "can_create": permissions.can_create_campaign(request.user),
        },
    )


def _campaign_changes(form: CampaignForm) -> dict[str, object]:
    return dict(form.cleaned_data)


def campaign_create(request: HttpRequest) -> HttpResponse:
    require(permissions.can_create_campaign(request.user))
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, **_campaign_changes(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("ideas:campaign_detail", campaign.public_id)
    return render(request, "ideas/campaign_form.html", {"form": form})


def campaign_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    require(permissions.can_edit_campaign(request.user, campaign))
    form = CampaignForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(actor=request.user, campaign=campaign, **_campaign_changes(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("ideas:campaign_detail", campaign.public_id)
    return render(request, "ideas/campaign_form.html", {"form": form, "campaign": campaign})


def campaign_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    query = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "new") if request.GET.get("sort") in SORTS else "new"
    stage = request.GET.get("stage", "")
    ideas = (
        Idea.objects.visible_to(request.user)
        .submitted()
        .filter(campaign=campaign)
        .select_related("author", "stage")
        .annotate(comments_n=Count("comments", filter=Q(comments__hidden_at__isnull=True)))
    )
    if query:
        ideas = ideas.search(query)
    if stage.isdigit():
        ideas = ideas.filter(stage__position=int(stage))
    page = Paginator(ideas.order_by(*SORTS[sort]), 20).get_page(request.GET.get("page"))
    for idea in page:
        idea.author_label = permissions.author_label_for(request.user, idea)
    voted = set(request.user.idea_votes.filter(idea__in=list(page)).values_list("idea_id", flat=True))
    return render(
        request,
        "ideas/campaign_detail.html",
        {
            "campaign": campaign,
            "page": page,
            "query": query,
            "sort": sort,
            "stage": stage,
            "stages": campaign.stages.all(),
            "voted": voted,
            "drafts": Idea.objects.filter(campaign=campaign, author=request.user, status=Idea.Status.DRAFT),
            "can_submit": permissions.can_submit_idea(request.user, campaign),
            "can_edit": permissions.can_edit_campaign(request.user, campaign),
            "can_moderate": permissions.can_moderate_campaign(request.user, campaign),
            "following": CampaignFollow.objects.filter(campaign=campaign, user=request.user).exists(),
        },
    )


@require_POST
def campaign_follow(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    following = request.POST.get("follow") == "1"
    if following:
        services.follow_campaign(actor=request.user, campaign=campaign)
    else:
        services.unfollow_campaign(actor=request.user, campaign=campaign)
    if is_htmx(request):
        return render(request, "ideas/campaign_detail.html#follow", {"campaign": campaign, "following": following})
    return redirect("ideas:campaign_detail", campaign.public_id)


def campaign_funnel(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    require(permissions.can_view_analytics(request.user, campaign))
    return render(request, "ideas/campaign_funnel.html", {"campaign": campaign, **analytics.funnel(campaign)})


def campaign_moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    require(permissions.can_moderate_campaign(request.user, campaign))
    ideas = (
        Idea.objects.submitted().filter(campaign=campaign).select_related("author", "stage").order_by("stage__position")
    )
    stage = request.GET.get("stage", "")
    if stage.isdigit():
        ideas = ideas.filter(stage__position=int(stage))
    page = Paginator(ideas, 50).get_page(request.GET.get("page"))
    for idea in page:
        idea.author_label = permissions.author_label_for(request.user, idea)
        idea.summary = services.evaluation_summary(idea)
    reports = (
        CommentReport.objects.filter(comment__idea__campaign=campaign, resolved_at__isnull=True)
        .select_related("comment", "comment__idea", "comment__author", "reporter")
        .order_by("created_at")
    )
    for report in reports:
        report.author_label = permissions.comment_author_label(request.user, report.comment)
    return render(
        request,
        "ideas/campaign_moderate.html",
        {
            "campaign": campaign,
            "page": page,
            "stage": stage,
            "stages": campaign.stages.all(),
            "form": StageForm(campaign=campaign),
            "reports": reports,
        },
    )


@require_POST
def campaign_bulk_stage(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    require(permissions.can_moderate_campaign(request.user, campaign))
    form = StageForm(request.POST, campaign=campaign)
    chosen = request.POST.getlist("ideas")
    ideas = list(Idea.objects.submitted().filter(campaign=campaign, public_id__in=chosen))
    if not form.is_valid() or not ideas:
        messages.error(request, _("Choose ideas and a stage."))
    else:
        try:
            moved = services.advance_ideas(actor=request.user, ideas=ideas, stage=form.cleaned_data["stage"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, ngettext("%(n)d idea moved.", "%(n)d ideas moved.", moved) % {"n": moved})
    return redirect("ideas:campaign_moderate", campaign.public_id)


def campaign_export(request: HttpRequest, public_id: str) -> HttpResponse:
    """CSV of the submitted ideas (not the hidden ones); anonymous authors stay anonymous unless an operator exports."""
    campaign = campaign_for(request, public_id)
    require(permissions.can_export_ideas(request.user, campaign))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideas-{campaign.public_id}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 Chinese only with a byte-order mark.
    writer = csv.writer(response)
    writer.writerow(
        [_("Idea"), _("Title"), _("Author"), _("Stage"), _("Votes"), _("Score"), _("Submitted"), _("Demand")]
    )
    ideas = (
        Idea.objects.submitted()
        .not_hidden()
        .filter(campaign=campaign)
        .select_related("author", "stage", "promoted_demand")
    )
    for idea in ideas.order_by("submitted_at"):
        summary = services.evaluation_summary(idea)
        writer.writerow(
            [
                idea.public_id,
                localized(idea.title),
                permissions.author_label_for(request.user, idea),
                localized(idea.stage.name) if idea.stage else "",
                idea.vote_count,
                summary["average"] if summary["average"] is not None else "",
                idea.submitted_at.isoformat() if idea.submitted_at else "",
                idea.promoted_demand.public_id if idea.promoted_demand else "",
            ]
        )
    return response
