"""Comments: post, reply, edit within the window, report, hide with a reason, restore."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.ideas import permissions, services
from zhongyan.ideas.forms import CommentForm, ReasonForm
from zhongyan.ideas.models import Comment
from zhongyan.ideas.views._shared import idea_for, require


def _back(comment_or_idea_id: str, anchor: str = "") -> HttpResponse:
    return redirect(reverse("ideas:idea_detail", args=[comment_or_idea_id]) + anchor)


def comment_post(request: HttpRequest, public_id: str) -> HttpResponse:
    idea = idea_for(request, public_id)
    require(permissions.can_comment(request.user, idea))
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parent = idea.comments.filter(public_id=form.cleaned_data["parent"]).first()
        try:
            comment = services.post_comment(
                actor=request.user, idea=idea, body=form.cleaned_data["body"], parent=parent
            )
        except DomainError as error:
            form.add_error("body", error.message)
        else:
            return _back(idea.public_id, f"#c-{comment.public_id}")
    # Refused: the page again, with what was typed and the translated reason.
    return render(request, "ideas/comment_form.html", {"idea": idea, "form": form}, status=400)


def _comment(request: HttpRequest, public_id: str, comment_id: str) -> Comment:
    idea = idea_for(request, public_id)
    return get_object_or_404(idea.comments.select_related("idea__campaign", "author"), public_id=comment_id)


def comment_edit(request: HttpRequest, public_id: str, comment_id: str) -> HttpResponse:
    comment = _comment(request, public_id, comment_id)
    require(comment.author_id == request.user.pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(actor=request.user, comment=comment, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error("body", error.message)
        else:
            return _back(public_id, f"#c-{comment.public_id}")
    return render(request, "ideas/comment_form.html", {"idea": comment.idea, "form": form, "comment": comment})


def comment_report(request: HttpRequest, public_id: str, comment_id: str) -> HttpResponse:
    comment = _comment(request, public_id, comment_id)
    require(permissions.can_report_comment(request.user, comment))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_comment(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("Thank you. A moderator will look at this comment."))
            return _back(public_id, f"#c-{comment.public_id}")
    return render(request, "ideas/comment_reason.html", {"comment": comment, "form": form, "action": "report"})


def comment_hide(request: HttpRequest, public_id: str, comment_id: str) -> HttpResponse:
    comment = _comment(request, public_id, comment_id)
    require(permissions.can_moderate_campaign(request.user, comment.idea.campaign))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_comment(actor=request.user, comment=comment, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("The comment is hidden. Its author sees your reason."))
            return _back(public_id, f"#c-{comment.public_id}")
    return render(request, "ideas/comment_reason.html", {"comment": comment, "form": form, "action": "hide"})


@require_POST
def comment_restore(request: HttpRequest, public_id: str, comment_id: str) -> HttpResponse:
    comment = _comment(request, public_id, comment_id)
    require(permissions.can_moderate_campaign(request.user, comment.idea.campaign))
    if request.POST.get("dismiss"):
        services.dismiss_reports(actor=request.user, comment=comment)
        messages.success(request, _("The reports were dismissed."))
        return redirect("ideas:campaign_moderate", comment.idea.campaign.public_id)
    services.restore_comment(actor=request.user, comment=comment)
    messages.success(request, _("The comment is visible again."))
    return _back(public_id, f"#c-{comment.public_id}")
