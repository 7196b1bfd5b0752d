"""Idea pages: write (with duplicate hints), read, vote, join, attachments."""

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError
from zhongyan.ideas import permissions, services, similar
from zhongyan.ideas.forms import CommentForm, IdeaForm, ReasonForm
from zhongyan.ideas.models import Campaign, Comment, Idea, IdeaAttachment
from zhongyan.ideas.views._shared import campaign_for, idea_for, is_htmx, require


def _save(request: HttpRequest, form: IdeaForm, campaign: Campaign, idea: Idea | None) -> Idea | None:
    """Create or update, then attach; all or nothing, so a refused file keeps nothing half-saved."""
    data = form.cleaned_data
    submit = request.POST.get("action") == "submit"
    content = {
        "title": data["title"],
        "description": data["description"],
        "fields": data["taxonomy"],
        "co_authors": data["co_authors"],
        "submit": submit,
    }
    try:
        with transaction.atomic():
            if idea is None:
                idea = services.create_idea(actor=request.user, campaign=campaign, **content)
            else:
                idea = services.update_idea(actor=request.user, idea=idea, **content)
            for upload in data["attachments"]:
                services.add_attachment(actor=request.user, idea=idea, upload=upload)
    except DomainError as error:
        form.add_error(None, error.message)
        return None
    return idea


def _form_page(request: HttpRequest, campaign: Campaign, idea: Idea | None) -> HttpResponse:
    similar_url = reverse("ideas:similar", args=[campaign.public_id])
    if idea is not None:
        similar_url += f"?exclude={idea.public_id}"
    initial: dict[str, Any] = {}
    if idea is not None:
        initial = {
            "title": idea.title,
            "description": idea.description,
            "taxonomy": list(idea.fields.all()),
            "co_authors": ", ".join(idea.co_authors.values_list("email", flat=True)),
        }
    form = IdeaForm(request.POST or None, request.FILES or None, initial=initial, similar_url=similar_url)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, campaign, idea)
        if saved is not None:
            if saved.is_submitted:
                messages.success(request, _("Your idea was submitted."))
            else:
                messages.success(request, _("Your draft was saved. Only you and your co-authors can see it."))
            return redirect("ideas:idea_detail", saved.public_id)
    return render(request, "ideas/idea_form.html", {"form": form, "campaign": campaign, "idea": idea})


def idea_create(request: HttpRequest, public_id: str) -> HttpResponse:
    campaign = campaign_for(request, public_id)
    require(permissions.can_submit_idea(request.user, campaign))
    return _form_page(request, campaign, None)


def idea_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_edit_idea(request.user, idea))
    return _form_page(request, idea.campaign, idea)


@require_POST
def idea_similar(request: HttpRequest, public_id: str) -> HttpResponse:
    """The duplicate-hint fragment for the idea form (htmx, on a pause in typing)."""
    campaign = campaign_for(request, public_id)
    title = " ".join(value for key, value in request.POST.items() if key.startswith("title_"))
    description = " ".join(value for key, value in request.POST.items() if key.startswith("description_"))
    exclude = Idea.objects.filter(public_id=request.GET.get("exclude", "")).first()
    hints = similar.similar(
        user=request.user, campaign=campaign, title=title[:400], description=description[:2000], exclude=exclude
    )
    return render(request, "ideas/idea_form.html#hints", {"campaign": campaign, "hints": hints, "asked": True})


def idea_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    user = request.user
    comments = list(idea.comments.select_related("author", "hidden_by").order_by("created_at"))
    threads = [comment for comment in comments if comment.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in comments:
        comment.thread_replies = replies.get(comment.pk, [])
        comment.can_edit = permissions.can_edit_comment(user, comment)
        comment.can_report = permissions.can_report_comment(user, comment)
        comment.author_label = permissions.comment_author_label(user, comment)
    moderator = permissions.can_moderate_campaign(user, idea.campaign)
    own_evaluation = idea.evaluations.filter(expert=user).first() if user.is_authenticated else None
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "campaign": idea.campaign,
            "author_label": permissions.author_label_for(user, idea),
            "threads": threads,
            "comment_form": CommentForm(),
            "has_voted": idea.votes.filter(user=user).exists(),
            "can_vote": permissions.can_vote(user, idea),
            "can_comment": permissions.can_comment(user, idea),
            "can_edit": permissions.can_edit_idea(user, idea),
            "is_author": permissions.is_author(user, idea),
            "can_moderate": moderator,
            "can_evaluate": permissions.can_evaluate_idea(user, idea),
            "can_advance": permissions.can_advance_idea(user, idea),
            "can_promote": permissions.can_promote_idea(user, idea),
            "can_hide": permissions.can_hide_idea(user, idea),
            "summary": services.evaluation_summary(idea) if moderator else None,
            "own_evaluation": own_evaluation,
            "stages": idea.campaign.stages.all(),
            "stage_title": localized(idea.stage.name) if idea.stage else "",
        },
    )


@require_POST
def idea_submit(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    try:
        services.submit_idea(actor=request.user, idea=idea)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your idea was submitted."))
    return redirect("ideas:idea_detail", idea.public_id)


@require_POST
def idea_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.is_author(request.user, idea))
    try:
        services.withdraw_idea(actor=request.user, idea=idea)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("ideas:idea_detail", idea.public_id)
    messages.success(request, _("Your idea was withdrawn."))
    return redirect("ideas:campaign_detail", idea.campaign.public_id)


@require_POST
def idea_vote(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    try:
        if request.POST.get("vote") == "0":
            services.withdraw_vote(actor=request.user, idea=idea)
        else:
            services.cast_vote(actor=request.user, idea=idea)
    except DomainError as error:
        if not is_htmx(request):
            messages.error(request, str(error.message))
    idea.refresh_from_db(fields=["vote_count"])
    context = {
        "idea": idea,
        "has_voted": idea.votes.filter(user=request.user).exists(),
        "can_vote": permissions.can_vote(request.user, idea),
    }
    if is_htmx(request):
        return render(request, "ideas/idea_detail.html#vote", context)
    return redirect(request.POST.get("next") or reverse("ideas:idea_detail", args=[idea.public_id]))


@require_POST
def idea_join(request: HttpRequest, public_id: str) -> HttpResponse:
    """ "Join this idea instead": vote for it (if allowed) and continue with a comment."""
    idea = idea_for(request, public_id)
    if permissions.can_vote(request.user, idea):
        services.cast_vote(actor=request.user, idea=idea)
    messages.info(request, _("You joined this idea. Add what you had in mind as a comment."))
    target = reverse("ideas:idea_detail", args=[idea.public_id]) + "#comment-form"
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


def idea_hide(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_hide_idea(request.user, idea))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_idea(actor=request.user, idea=idea, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("The idea is hidden. Its authors see your reason."))
            return redirect("ideas:idea_detail", idea.public_id)
    return render(request, "ideas/idea_hide.html", {"idea": idea, "campaign": idea.campaign, "form": form})


@require_POST
def idea_unhide(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_hide_idea(request.user, idea))
    services.unhide_idea(actor=request.user, idea=idea)
    messages.success(request, _("The idea is visible again."))
    return redirect("ideas:idea_detail", idea.public_id)


def attachment_download(request: HttpRequest, public_id: str, attachment: str) -> FileResponse:
    idea = idea_for(request, public_id)
    item: IdeaAttachment = get_object_or_404(idea.attachments, public_id=attachment)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type)


@require_POST
def attachment_remove(request: HttpRequest, public_id: str, attachment: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    item = get_object_or_404(idea.attachments, public_id=attachment)
    try:
        services.remove_attachment(actor=request.user, attachment=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("ideas:idea_edit", idea.public_id)
