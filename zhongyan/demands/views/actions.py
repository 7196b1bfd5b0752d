"""What a user does on a demand page: lifecycle moves, NDA, Q&A, invitations, follows, files."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhongyan.accounts.models import User
from zhongyan.core.errors import DomainError
from zhongyan.demands import permissions as perms
from zhongyan.demands import services
from zhongyan.demands.forms import (
    AnswerForm,
    AttachmentForm,
    ExtendDeadlineForm,
    InviteForm,
    NdaAcceptForm,
    PersonSearchForm,
    QuestionForm,
    ReasonForm,
    ReviewDecisionForm,
)
from zhongyan.demands.models import Demand, DemandAttachment, Follow, Invitation, Question
from zhongyan.demands.views._shared import authorise, load_demand, posted

MOVES = {
    "submit": services.submit_demand,
    "publish": services.publish_demand,
    "close": services.close_demand,
    "evaluate": services.start_evaluation,
    "archive": services.archive_demand,
}
DONE = {
    "submit": gettext_lazy("Submitted."),
    "publish": gettext_lazy("Published."),
    "close": gettext_lazy("Closed for proposals."),
    "evaluate": gettext_lazy("Evaluation started."),
    "archive": gettext_lazy("Archived."),
    "withdraw": gettext_lazy("Withdrawn."),
}


def demand_move(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    """GET asks for confirmation, POST performs the move through its service."""
    demand = load_demand(request, public_id)
    if action not in MOVES and action != "withdraw":
        raise Http404
    authorise(perms.can_manage_demand(request.user, demand))
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if action == "withdraw":
                services.withdraw_demand(actor=request.user, demand=demand, reason=form.cleaned_data["reason"])
            else:
                MOVES[action](actor=request.user, demand=demand)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, str(DONE[action]))
        return redirect("demands:detail", demand.public_id)
    return render(request, "demands/demand_confirm.html", {"demand": demand, "action": action, "form": form})


def demand_extend(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_manage_demand(request.user, demand))
    form = ExtendDeadlineForm(posted(request), demand=demand)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend_deadline(actor=request.user, demand=demand, deadline=form.cleaned_data["deadline"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The deadline has been extended."))
            return redirect("demands:detail", demand.public_id)
    return render(request, "demands/demand_extend.html", {"demand": demand, "form": form})


def demand_review(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_review_demand(request.user, demand))
    form = ReviewDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.approve_demand(actor=request.user, demand=demand)
                messages.success(request, _("Approved and published."))
            else:
                services.reject_demand(actor=request.user, demand=demand, reason=form.cleaned_data["reason"])
                messages.success(request, _("Sent back to the owner."))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("demands:review_queue")
    return render(request, "demands/demand_review.html", {"demand": demand, "form": form})


def nda_accept(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    if perms.has_accepted_nda(request.user, demand):
        return redirect("demands:detail", demand.public_id)
    authorise(perms.can_accept_nda(request.user, demand))
    form = NdaAcceptForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_nda(actor=request.user, demand=demand, organisation=form.chosen_organisation())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("NDA accepted. The full demand is now open to you."))
            return redirect("demands:detail", demand.public_id)
    return render(request, "demands/nda_accept.html", {"demand": demand, "form": form})


@require_POST
def question_ask(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_ask_question(request.user, demand))
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.ask_question(actor=request.user, demand=demand, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your question has been sent to the owner."))
            return redirect(f"{demand_url(demand)}#qa")
    return render(request, "demands/question_form.html", {"demand": demand, "form": form})


@require_POST
def question_answer(request: HttpRequest, public_id: str, question_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    question = get_object_or_404(Question.objects.filter(demand=demand), public_id=question_id)
    if not perms.can_view_demand_details(request.user, demand):
        raise Http404
    authorise(perms.can_answer_question(request.user, question))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(actor=request.user, question=question, answer=form.cleaned_data["answer"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Answer published."))
            return redirect(f"{demand_url(demand)}#qa")
    return render(request, "demands/answer_form.html", {"demand": demand, "question": question, "form": form})


def demand_url(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.public_id])


def _people_matching(text: str) -> Q:
    query = Q(email__icontains=text)
    for code in settings.CONTENT_LANGUAGES:
        query |= Q(**{f"display_name__{code}__icontains": text})
    return query


def demand_invite(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_invite_solvers(request.user, demand))
    search = PersonSearchForm(request.GET or None)
    people = User.objects.none()
    if search.is_valid() and search.cleaned_data["q"]:
        text = search.cleaned_data["q"].strip()
        people = (
            User.objects.filter(is_active=True)
            .exclude(memberships__organisation=demand.organisation)
            .filter(_people_matching(text))
            .order_by("email")[:20]
        )
    form = InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_solver(
                actor=request.user,
                demand=demand,
                invitee=form.cleaned_data["invitee"],
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Invitation sent to %(name)s.") % {"name": form.cleaned_data["invitee"].name})
            return redirect("demands:invite", demand.public_id)
    invitations = demand.invitations.select_related("invitee").order_by("-created_at")
    context = {"demand": demand, "search": search, "people": people, "form": form, "invitations": invitations}
    template = (
        "demands/demand_invite.html#people"
        if request.htmx and request.method == "GET"
        else "demands/demand_invite.html"
    )
    return render(request, template, context)


@require_POST
def invitation_respond(request: HttpRequest, public_id: str, answer: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.select_related("demand"), demand__public_id=public_id, invitee=request.user
    )
    if answer not in ("accept", "decline"):
        raise Http404
    try:
        services.respond_to_invitation(actor=request.user, invitation=invitation, accept=answer == "accept")
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Invitation accepted.") if answer == "accept" else _("Invitation declined."))
    if answer == "accept":
        return redirect("demands:detail", public_id)
    return redirect("demands:invitations")


@require_POST
def follow_toggle(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    if Follow.objects.filter(demand=demand, user=request.user).exists():
        services.unfollow_demand(actor=request.user, demand=demand)
        following = False
    else:
        services.follow_demand(actor=request.user, demand=demand)
        following = True
    if request.htmx:
        return render(request, "demands/demand_detail.html#follow", {"demand": demand, "following": following})
    return redirect("demands:detail", demand.public_id)


@require_POST
def attachment_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_edit_demand(request.user, demand))
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(actor=request.user, demand=demand, upload=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("File attached."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("file", [])))
    return redirect(f"{demand_url(demand)}#attachments")


def attachment_download(request: HttpRequest, public_id: str, attachment_id: str) -> FileResponse:
    """The only way to a demand's files: 404 for anyone without access to the details."""
    demand = load_demand(request, public_id)
    if not perms.can_download_attachment(request.user, demand):
        raise Http404
    attachment = get_object_or_404(DemandAttachment.objects.filter(demand=demand), public_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request: HttpRequest, public_id: str, attachment_id: str) -> HttpResponse:
    demand = load_demand(request, public_id)
    authorise(perms.can_edit_demand(request.user, demand))
    attachment = get_object_or_404(DemandAttachment.objects.filter(demand=demand), public_id=attachment_id)
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("File removed."))
    return redirect(f"{demand_url(demand)}#attachments")
