"""Use cases of the organisations module: the only write path for organisations, memberships,
invitations and join requests. Pages, the API and admin actions all call these functions.

Each one: permission check -> domain rules -> write in one transaction with an audit entry ->
e-mails after commit."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhongyan.accounts.models import Field, User
from zhongyan.core import audit
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import NotPermitted
from zhongyan.core.lifecycle import check_transition
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.mail import absolute_url, manager_addresses, operator_addresses, owner_addresses, send_after_commit
from zhongyan.orgs.models import Invitation, JoinRequest, Membership, Organisation

Role = Membership.Role
EDITABLE_FIELDS = ("name", "kind", "description", "website", "city")
# Operators may also decide whether the organisation's demands need their review.
ADMIN_EDITABLE_FIELDS = (*EDITABLE_FIELDS, "requires_demand_review")


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted()


def _refuse_owner_change(actor: User, organisation: Organisation) -> None:
    """Administrators get the specific reason; everyone else just "not permitted"."""
    if perms.can_manage_members(actor, organisation):
        raise errors.OnlyOwnersMakeOwners()
    raise NotPermitted()


def _clean_text(value: Bilingual | None) -> Bilingual:
    return {code: text.strip() for code, text in (value or {}).items() if text and text.strip()}


def _clean_website(value: str | None) -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise errors.InvalidWebsite() from exc
    return value


def _check_kind(actor: User, kind: str) -> None:
    if kind not in Organisation.Kind.values:
        raise errors.InvalidChoice()
    if kind == Organisation.Kind.OPERATOR and not actor.is_staff:
        raise errors.OperatorKindReserved()


# --- organisations ----------------------------------------------------------------------------


def create_organisation(
    *,
    actor: User,
    name: Bilingual,
    kind: str,
    description: Bilingual | None = None,
    website: str = "",
    city: Bilingual | None = None,
    fields: Iterable[Field] = (),
) -> Organisation:
    """The creator becomes its owner; the organisation waits for an operator's verification."""
    _require(perms.can_create_organisation(actor))
    name = _clean_text(name)
    if not name:
        raise errors.NameRequired()
    _check_kind(actor, kind)
    website = _clean_website(website)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            description=_clean_text(description),
            website=website,
            city=_clean_text(city),
        )
        organisation.fields.set(fields)
        Membership.objects.create(organisation=organisation, user=actor, role=Role.OWNER)
        audit.record(actor, "org.created", organisation, {"name": name, "kind": kind})
        send_after_commit(
            "organisation_submitted",
            operator_addresses(),
            {"organisation": organisation, "actor": actor, "url": absolute_url("orgs:verification_queue")},
        )
    return organisation


def update_organisation(
    *, actor: User, organisation: Organisation, fields: Iterable[Field] | None = None, **changes: Any
) -> Organisation:
    """Change the profile. A rejected organisation edited by its own people goes back into the
    operators' queue, so fixing what was wrong is how one asks for another look."""
    _require(perms.can_edit_organisation(actor, organisation))
    unknown = set(changes) - set(ADMIN_EDITABLE_FIELDS if actor.is_staff else EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for key in ("name", "description", "city"):
        if key in changes:
            changes[key] = _clean_text(changes[key])
    if "name" in changes and not changes["name"]:
        raise errors.NameRequired()
    if "kind" in changes and changes["kind"] != organisation.kind:
        _check_kind(actor, changes["kind"])
    if "website" in changes:
        changes["website"] = _clean_website(changes["website"])
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = sorted(key for key, value in changes.items() if getattr(organisation, key) != value)
        for key in changed:
            setattr(organisation, key, changes[key])
        if fields is not None:
            new_ids = {field.pk for field in fields}
            if new_ids != set(organisation.fields.values_list("pk", flat=True)):
                organisation.fields.set(list(new_ids))
                changed.append("fields")
        resubmitted = organisation.verification == Organisation.Verification.REJECTED and not actor.is_staff
        if resubmitted:
            organisation.verification = Organisation.Verification.PENDING
        organisation.save()
        audit.record(actor, "org.updated", organisation, {"changed": changed, "resubmitted": resubmitted})
        if resubmitted:
            send_after_commit(
                "organisation_submitted",
                operator_addresses(),
                {"organisation": organisation, "actor": actor, "url": absolute_url("orgs:verification_queue")},
            )
    return organisation


def _decide_verification(*, actor: User, organisation: Organisation, target: str, note: str) -> Organisation:
    _require(perms.can_verify_organisation(actor, organisation))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_transition(Organisation.TRANSITIONS, organisation.verification, target)
        organisation.verification = target
        organisation.verification_note = note
        organisation.verified_at = timezone.now() if target == Organisation.Verification.VERIFIED else None
        organisation.save(update_fields=["verification", "verification_note", "verified_at", "updated_at"])
        verb = "org.verified" if target == Organisation.Verification.VERIFIED else "org.rejected"
        audit.record(actor, verb, organisation, {"note": note})
        send_after_commit(
            "verification_decided",
            owner_addresses(organisation),
            {"organisation": organisation, "note": note, "url": absolute_url("orgs:detail", organisation.public_id)},
        )
    return organisation


def verify_organisation(*, actor: User, organisation: Organisation, note: str = "") -> Organisation:
    return _decide_verification(
        actor=actor, organisation=organisation, target=Organisation.Verification.VERIFIED, note=note.strip()[:500]
    )


def reject_organisation(*, actor: User, organisation: Organisation, note: str) -> Organisation:
    _require(perms.can_verify_organisation(actor, organisation))
    note = (note or "").strip()[:500]
    if not note:
        raise errors.NoteRequired()
    return _decide_verification(
        actor=actor, organisation=organisation, target=Organisation.Verification.REJECTED, note=note
    )


# --- members ------------------------------------------------------------------------------------


def _owners_left_after(membership: Membership) -> int:
    """Owners remaining if this membership stopped being an owner. Locks the owner rows, so two
    owners demoting each other at the same time cannot leave the organisation without one."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
    return len([pk for pk in owners if pk != membership.pk])


def change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise errors.InvalidChoice()
    if not perms.can_change_role(actor, membership, role):
        _refuse_owner_change(actor, membership.organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Role.OWNER and _owners_left_after(membership) == 0:
            raise errors.LastOwner()
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor,
            "org.member_role_changed",
            membership.organisation,
            {"user": membership.user.public_id, "from": old_role, "to": role},
        )
    return membership


def remove_member(*, actor: User, membership: Membership) -> None:
    """Remove someone, or leave (when the actor removes their own membership)."""
    leaving = membership.user_id == actor.pk
    if leaving:
        _require(perms.can_leave(actor, membership.organisation))
    elif not perms.can_remove_member(actor, membership):
        _refuse_owner_change(actor, membership.organisation)
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("organisation", "user").get(pk=membership.pk)
        if membership.role == Role.OWNER and _owners_left_after(membership) == 0:
            raise errors.LastOwner()
        organisation, user = membership.organisation, membership.user
        membership.delete()
        audit.record(
            actor,
            "org.member_left" if leaving else "org.member_removed",
            organisation,
            {"user": user.public_id, "role": membership.role},
        )
        if not leaving:
            send_after_commit(
                "member_removed",
                [user.email],
                {"organisation": organisation, "url": absolute_url("orgs:detail", organisation.public_id)},
            )


def leave_organisation(*, actor: User, organisation: Organisation) -> None:
    membership = Membership.objects.filter(organisation=organisation, user=actor).first()
    if membership is None:
        raise NotPermitted()
    remove_member(actor=actor, membership=membership)


# --- invitations ----------------------------------------------------------------------------------


def invite_member(*, actor: User, organisation: Organisation, email: str, role: str = Role.MEMBER) -> Invitation:
    """E-mail an invitation link. Inviting an address that already has an open invitation
    returns that invitation unchanged (no second e-mail), so pressing "invite" twice is harmless."""
    email = email.strip().lower()
    if role not in Role.values:
        raise errors.InvalidChoice()
    if not perms.can_invite(actor, organisation, role):
        _refuse_owner_change(actor, organisation)
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise errors.AlreadyMember()
    with transaction.atomic():
        open_invitation = (
            Invitation.objects.select_for_update().pending().filter(organisation=organisation, email=email).first()
        )
        if open_invitation is not None:
            if not open_invitation.is_expired:
                return open_invitation
            open_invitation.status = Invitation.Status.EXPIRED
            open_invitation.save(update_fields=["status", "updated_at"])
        invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=actor)
        audit.record(actor, "org.member_invited", organisation, {"email": email, "role": role})
        send_after_commit(
            "invitation",
            [email],
            {
                "invitation": invitation,
                "organisation": organisation,
                "actor": actor,
                "url": absolute_url("orgs:invitation", invitation.token),
            },
        )
    return invitation


def _open_invitation_for(actor: User, token: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().select_related("organisation").filter(token=token).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        raise errors.InvitationUnavailable()
    if invitation.is_expired:
        raise errors.InvitationExpired()
    if invitation.email.lower() != actor.email.lower():
        raise errors.WrongInvitee()
    return invitation


def accept_invitation(*, actor: User, token: str) -> Membership:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted()
    with transaction.atomic():
        invitation = _open_invitation_for(actor, token)
        organisation = invitation.organisation
        if Membership.objects.filter(organisation=organisation, user=actor).exists():
            raise errors.AlreadyMember()
        membership = Membership.objects.create(organisation=organisation, user=actor, role=invitation.role)
        invitation.status = Invitation.Status.ACCEPTED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor, "org.invitation_accepted", organisation, {"role": invitation.role})
        inviter = invitation.invited_by
        send_after_commit(
            "invitation_accepted",
            [inviter.email] if inviter else [],
            {
                "organisation": organisation,
                "member": actor,
                "url": absolute_url("orgs:members", organisation.public_id),
            },
        )
    return membership


def decline_invitation(*, actor: User, token: str) -> Invitation:
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted()
    with transaction.atomic():
        invitation = _open_invitation_for(actor, token)
        invitation.status = Invitation.Status.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor, "org.invitation_declined", invitation.organisation, {"email": invitation.email})
    return invitation


def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    _require(perms.can_manage_members(actor, invitation.organisation))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise errors.InvitationUnavailable()
        invitation.status = Invitation.Status.REVOKED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor, "org.invitation_revoked", invitation.organisation, {"email": invitation.email})
    return invitation


# --- join requests --------------------------------------------------------------------------------


def request_to_join(*, actor: User, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to join. Asking again while a request is open returns the open request."""
    if perms.role_in(actor, organisation) is not None:
        raise errors.AlreadyMember()
    if getattr(actor, "is_authenticated", False) and not organisation.is_verified:
        raise errors.OrganisationNotVerified()
    _require(perms.can_request_to_join(actor, organisation))
    existing = JoinRequest.objects.pending().filter(organisation=organisation, user=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                organisation=organisation, user=actor, message=(message or "").strip()[:1000]
            )
            audit.record(actor, "org.join_requested", organisation, {"request": join_request.public_id})
            send_after_commit(
                "join_requested",
                manager_addresses(organisation),
                {
                    "organisation": organisation,
                    "join_request": join_request,
                    "requester": actor,
                    "url": absolute_url("orgs:members", organisation.public_id),
                },
            )
    except IntegrityError:
        # The same person asked twice at once; the other request won.
        return JoinRequest.objects.pending().get(organisation=organisation, user=actor)
    return join_request


def _decide_join_request(*, actor: User, join_request: JoinRequest, approve: bool) -> JoinRequest:
    _require(perms.can_decide_join_request(actor, join_request.organisation))
    with transaction.atomic():
        # Two administrators deciding at once: the second waits for this lock, then sees the
        # request decided and is refused, so exactly one membership is created.
        join_request = (
            JoinRequest.objects.select_for_update().select_related("organisation", "user").get(pk=join_request.pk)
        )
        if join_request.status != JoinRequest.Status.PENDING:
            raise errors.AlreadyDecided()
        organisation, user = join_request.organisation, join_request.user
        if approve:
            Membership.objects.get_or_create(organisation=organisation, user=user, defaults={"role": Role.MEMBER})
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        join_request.decided_by = actor
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit.record(
            actor,
            "org.join_approved" if approve else "org.join_declined",
            organisation,
            {"request": join_request.public_id, "user": user.public_id},
        )
        send_after_commit(
            "join_decided",
            [user.email],
            {
                "organisation": organisation,
                "approved": approve,
                "url": absolute_url("orgs:detail", organisation.public_id),
            },
        )
    return join_request


def approve_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    return _decide_join_request(actor=actor, join_request=join_request, approve=True)


def decline_join_request(*, actor: User, join_request: JoinRequest) -> JoinRequest:
    return _decide_join_request(actor=actor, join_request=join_request, approve=False)
