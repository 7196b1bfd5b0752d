"""Solver pages: the demand's proposals panel, the editor with autosave, a proposal, "my proposals"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.demands.permissions import can_manage_demand
from zhongyan.proposals import permissions, services
from zhongyan.proposals.forms import AnswerForm, ClarificationForm, ProposalForm
from zhongyan.proposals.models import ClarificationRequest, Proposal
from zhongyan.proposals.views._common import (
    deliverable_rows,
    demand_url,
    own_active_proposal,
    require,
    visible_demand,
    visible_proposal,
)


def demand_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    """The fragment the demand page loads with htmx: the solver's own proposal, or for managers
    the count and a link to the ranking."""
    demand = visible_demand(request, public_id)
    manages = can_manage_demand(request.user, demand)
    proposals = Proposal.objects.filter(demand=demand)
    context = {
        "demand": demand,
        "manages": manages,
        "own": own_active_proposal(request.user, demand),
        "can_submit": permissions.can_submit_proposal(request.user, demand),
        "submitted_count": proposals.submitted().count() if manages else None,
        "recent": proposals.submitted().select_related("solver")[:5] if manages else (),
        "can_award": permissions.can_award_demand(request.user, demand),
    }
    return render(request, "proposals/demand_panel.html", context)


def _editor(request: HttpRequest, form: ProposalForm, proposal: Proposal | None, status: int = 200) -> HttpResponse:
    context = {"form": form, "demand": form.demand, "proposal": proposal, "demand_url": demand_url(form.demand)}
    return render(request, "proposals/proposal_edit.html", context, status=status)


def proposal_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    """The editor. Save keeps a draft; Upload saves the draft then attaches the file (a refused file
    leaves the typed text saved and on screen); Submit saves, submits and shows the receipt."""
    demand = visible_demand(request, public_id)
    proposal = own_active_proposal(request.user, demand)
    if proposal is not None and proposal.was_submitted:
        return redirect("proposals:detail", proposal.public_id)
    if not permissions.can_submit_proposal(request.user, demand):
        # Past the deadline a draft stays readable on its own page; everyone else gets a 404.
        require(proposal is not None)
        return redirect("proposals:detail", proposal.public_id)  # type: ignore[union-attr]
    if request.method != "POST":
        form = ProposalForm(initial=ProposalForm.initial_for(proposal), user=request.user, demand=demand)
        return _editor(request, form, proposal)
    form = ProposalForm(request.POST, request.FILES, user=request.user, demand=demand)
    if not form.is_valid():
        return _editor(request, form, proposal, status=422)
    action = request.POST.get("action", "save")
    try:
        # The draft is saved first, in its own transaction, so a refused submission loses nothing.
        proposal = services.save_draft(actor=request.user, demand=demand, content=form.content())
        if action == "submit":
            proposal = services.submit_proposal(actor=request.user, demand=demand)
            messages.success(request, _("Your proposal was submitted. Keep your receipt."))
            return redirect("proposals:receipt", proposal.public_id)
    except services.AlreadySubmitted:
        # A double click: the first request submitted it.
        return redirect("proposals:detail", own_active_proposal(request.user, demand).public_id)
    except services.IncompleteProposal as error:
        form.add_error("approach", str(error.message))
        return _editor(request, form, own_active_proposal(request.user, demand), status=422)
    except DomainError as error:
        form.add_error(None, str(error.message))
        return _editor(request, form, own_active_proposal(request.user, demand), status=422)
    upload = form.cleaned_data.get("attachment")
    if upload:
        try:
            services.add_attachment(actor=request.user, proposal=proposal, upload=upload)
        except DomainError as error:
            form.add_error("attachment", str(error.message))
            return _editor(request, form, proposal, status=422)
    messages.success(request, _("Draft saved."))
    return redirect("proposals:edit", demand.public_id)


@require_POST
def proposal_autosave(request: HttpRequest, public_id: str) -> HttpResponse:
    """htmx autosave: saves the draft and answers with the status line (never a full page)."""
    demand = visible_demand(request, public_id)
    form = ProposalForm(request.POST, user=request.user, demand=demand)
    context: dict[str, object] = {"saved": None, "errors": None}
    if not form.is_valid():
        context["errors"] = [str(e) for errors in form.errors.values() for e in errors]
        return render(request, "proposals/proposal_edit.html#autosave_status", context)
    try:
        context["saved"] = services.save_draft(actor=request.user, demand=demand, content=form.content())
    except DomainError as error:
        context["errors"] = [str(error.message)]
    return render(request, "proposals/proposal_edit.html#autosave_status", context)


@require_POST
def attachment_delete(request: HttpRequest, public_id: str, attachment_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    attachment = get_object_or_404(proposal.attachments, public_id=attachment_id)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
        messages.success(request, _("Attachment removed."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("proposals:edit", proposal.demand.public_id)


def attachment_download(request: HttpRequest, public_id: str, attachment_id: str) -> FileResponse:
    """Attachments are private files: served only here, to whoever may see the proposal."""
    proposal = visible_proposal(request, public_id)
    attachment = get_object_or_404(proposal.attachments, public_id=attachment_id)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


def proposal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    user = request.user
    context = {
        "proposal": proposal,
        "demand": proposal.demand,
        "demand_url": demand_url(proposal.demand),
        "is_solver": proposal.solver_id == user.pk,
        "can_edit": permissions.can_edit_proposal(user, proposal),
        "can_withdraw": permissions.can_withdraw_proposal(user, proposal),
        "can_receipt": permissions.can_download_receipt(user, proposal) and hasattr(proposal, "receipt"),
        "can_clarify": permissions.can_request_clarification(user, proposal),
        "can_feedback": permissions.can_read_feedback(user, proposal),
        "clarifications": proposal.clarifications.all(),
        "clarification_form": ClarificationForm(),
        "answer_form": AnswerForm(),
        "deliverables": deliverable_rows(proposal),
    }
    return render(request, "proposals/proposal_detail.html", context)


@require_POST
def proposal_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    require(proposal.solver_id == request.user.pk)
    try:
        services.withdraw_proposal(actor=request.user, proposal=proposal)
        messages.success(request, _("Your proposal was withdrawn."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("proposals:detail", proposal.public_id)


@require_POST
def clarification_request(request: HttpRequest, public_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    form = ClarificationForm(request.POST)
    if form.is_valid():
        try:
            services.request_clarification(
                actor=request.user, proposal=proposal, question=form.cleaned_data["question"]
            )
            messages.success(request, _("Your question was sent to the solver."))
        except DomainError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Write the question for the solver."))
    return redirect("proposals:detail", proposal.public_id)


@require_POST
def clarification_answer(request: HttpRequest, public_id: str, request_id: str) -> HttpResponse:
    proposal = visible_proposal(request, public_id)
    clarification = get_object_or_404(ClarificationRequest, proposal=proposal, public_id=request_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_clarification(actor=request.user, request=clarification, answer=form.cleaned_data["answer"])
            messages.success(request, _("Your answer was sent."))
        except DomainError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Write your answer."))
    return redirect("proposals:detail", proposal.public_id)


def my_proposals(request: HttpRequest) -> HttpResponse:
    proposals = Proposal.objects.of_solver(request.user).select_related("demand", "receipt")
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/proposal_list_mine.html",
        {"page": page, "status": status, "statuses": Proposal.Status.choices},
    )
