"""Pages of the organisations module: load through the scope (hidden -> 404), authorise
(visible but not allowed -> 403), call the service, render or redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.orgs import permissions as perms
from zhongyan.orgs import services
from zhongyan.orgs.forms import (
    InvitationForm,
    JoinRequestForm,
    OrganisationFilterForm,
    OrganisationForm,
    RoleForm,
    VerificationDecisionForm,
)
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation

PAGE_SIZE = 20


def _load(request: HttpRequest, public_id: str) -> Organisation:
    return get_object_or_404(Organisation.objects.visible_to(request.user), public_id=public_id)


def _authorise(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET)
    organisations = Organisation.objects.visible_to(request.user).prefetch_related("fields")
    if form.is_valid():
        organisations = organisations.search(form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
    # Newest verified first; the member's own pending organisations after them.
    organisations = organisations.order_by(F("verified_at").desc(nulls_last=True), "created_at")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "orgs/organisation_list.html#results" if request.htmx else "orgs/organisation_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "filtered": any(request.GET.get(k) for k in ("q", "kind"))},
    )


def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    user = request.user
    show_members = perms.can_view_members(user, organisation)
    context = {
        "organisation": organisation,
        "role": perms.role_in(user, organisation),
        "memberships": organisation.memberships.select_related("user").by_rank() if show_members else None,
        "can_edit": perms.can_edit_organisation(user, organisation),
        "can_manage": perms.can_manage_members(user, organisation),
        "can_verify": perms.can_verify_organisation(user, organisation),
        "can_join": perms.can_request_to_join(user, organisation),
        "pending_request": JoinRequest.objects.pending().filter(organisation=organisation, user=user).first(),
        "join_form": JoinRequestForm(),
        "decision_form": VerificationDecisionForm(),
    }
    return render(request, "orgs/organisation_detail.html", context)


def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Organisation created. An operator will verify it shortly."))
            return redirect("orgs:detail", organisation.public_id)
    return render(request, "orgs/organisation_form.html", {"form": form, "organisation": None})


def organisation_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_edit_organisation(request.user, organisation))
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fields = data.pop("fields")
        try:
            services.update_organisation(actor=request.user, organisation=organisation, fields=fields, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:detail", organisation.public_id)
    organisation.refresh_from_db()
    return render(request, "orgs/organisation_form.html", {"form": form, "organisation": organisation})


def members(request: HttpRequest, public_id: str, invitation_form: InvitationForm | None = None) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_manage_members(request.user, organisation))
    memberships = list(organisation.memberships.select_related("user").by_rank())
    for membership in memberships:
        membership.can_change = perms.can_change_role(request.user, membership)  # type: ignore[attr-defined]
        membership.can_remove = perms.can_remove_member(request.user, membership)  # type: ignore[attr-defined]
        membership.role_form = RoleForm(initial={"role": membership.role}, prefix=membership.user.public_id)  # type: ignore[attr-defined]
    context = {
        "organisation": organisation,
        "memberships": memberships,
        "join_requests": organisation.join_requests.pending().select_related("user"),
        "invitations": organisation.invitations.pending().select_related("invited_by"),
        "invitation_form": invitation_form or InvitationForm(),
    }
    return render(request, "orgs/organisation_members.html", context, status=400 if invitation_form else 200)


def _membership(organisation: Organisation, user_public_id: str) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        organisation=organisation,
        user__public_id=user_public_id,
    )


@require_POST
def member_role(request: HttpRequest, public_id: str, user_public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_manage_members(request.user, organisation))
    membership = _membership(organisation, user_public_id)
    form = RoleForm(request.POST, prefix=user_public_id)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered roles."))
        return redirect("orgs:members", organisation.public_id)
    try:
        services.change_role(actor=request.user, membership=membership, role=form.cleaned_data["role"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Role changed."))
    return redirect("orgs:members", organisation.public_id)


def member_remove(request: HttpRequest, public_id: str, user_public_id: str) -> HttpResponse:
    """GET asks for confirmation; POST removes (or leaves, when it is the user's own membership)."""
    organisation = _load(request, public_id)
    membership = _membership(organisation, user_public_id)
    leaving = membership.user_id == request.user.pk
    _authorise(perms.can_remove_member(request.user, membership))
    if request.method == "POST":
        try:
            services.remove_member(actor=request.user, membership=membership)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if leaving:
                messages.success(request, _("You have left the organisation."))
                return redirect("orgs:list")
            messages.success(request, _("Member removed."))
        return redirect("orgs:detail" if leaving else "orgs:members", organisation.public_id)
    return render(
        request, "orgs/member_remove.html", {"organisation": organisation, "membership": membership, "leaving": leaving}
    )


@require_POST
def join_request_create(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_request_to_join(request.user, organisation))
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.request_to_join(actor=request.user, organisation=organisation, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request has been sent to the organisation's administrators."))
    return redirect("orgs:detail", organisation.public_id)


@require_POST
def join_request_decide(request: HttpRequest, public_id: str, request_public_id: str, decision: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_decide_join_request(request.user, organisation))
    join_request = get_object_or_404(JoinRequest, organisation=organisation, public_id=request_public_id)
    decide = services.approve_join_request if decision == "approve" else services.decline_join_request
    try:
        decide(actor=request.user, join_request=join_request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Request approved.") if decision == "approve" else _("Request declined."))
    return redirect("orgs:members", organisation.public_id)


@require_POST
def invitation_create(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_invite(request.user, organisation))
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite_member(actor=request.user, organisation=organisation, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("orgs:members", organisation.public_id)
    return members(request, public_id, invitation_form=form)


@require_POST
def invitation_revoke(request: HttpRequest, public_id: str, invitation_public_id: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_manage_members(request.user, organisation))
    invitation = get_object_or_404(Invitation, organisation=organisation, public_id=invitation_public_id)
    try:
        services.revoke_invitation(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation revoked."))
    return redirect("orgs:members", organisation.public_id)


def invitation_respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation", "invited_by"), token=token)
    wrong_email = invitation.email.lower() != request.user.email.lower()
    if request.method == "POST" and not wrong_email:
        try:
            if request.POST.get("decision") == "accept":
                services.accept_invitation(actor=request.user, token=token)
                messages.success(request, _("Welcome! You are now a member."))
                return redirect("orgs:detail", invitation.organisation.public_id)
            services.decline_invitation(actor=request.user, token=token)
            messages.info(request, _("Invitation declined."))
            return redirect("portal:dashboard")
        except DomainError as exc:
            messages.error(request, exc.message)
            invitation.refresh_from_db()
    context = {"invitation": invitation, "wrong_email": wrong_email}
    return render(request, "orgs/invitation_respond.html", context, status=403 if wrong_email else 200)


def verification_queue(request: HttpRequest) -> HttpResponse:
    _authorise(perms.can_verify_organisation(request.user))
    state = request.GET.get("state")
    state = state if state in Organisation.Verification.values else Organisation.Verification.PENDING
    organisations = (
        Organisation.objects.filter(verification=state).prefetch_related("memberships__user").order_by("created_at")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": Organisation.Verification.choices,
        "form": VerificationDecisionForm(),
    }
    return render(request, "orgs/verification_queue.html", context)


@require_POST
def verification_decide(request: HttpRequest, public_id: str, decision: str) -> HttpResponse:
    organisation = _load(request, public_id)
    _authorise(perms.can_verify_organisation(request.user, organisation))
    form = VerificationDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "verify":
            services.verify_organisation(actor=request.user, organisation=organisation, note=note)
            messages.success(request, _("%(name)s is verified.") % {"name": organisation})
        else:
            services.reject_organisation(actor=request.user, organisation=organisation, note=note)
            messages.success(
                request, _("%(name)s was rejected; its owners have been told why.") % {"name": organisation}
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    next_url = request.POST.get("next")
    if next_url == "detail":
        return redirect("orgs:detail", organisation.public_id)
    return redirect("orgs:verification_queue")
