"""E-mailed invitations: send, accept, decline, revoke."""

from django.db import transaction
from django.utils import timezone

from zhongyan.accounts.models import User
from zhongyan.core import audit
from zhongyan.core.errors import NotPermitted
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.mail import absolute_url, send_after_commit
from zhongyan.orgs.models import Invitation, Membership, Organisation
from zhongyan.orgs.services.common import (
    Role,
    refuse_owner_change,
    require,
)


def invite_member(*, actor: User, organisation: Organisation, email: str, role: str = Role.MEMBER) -> Invitation:
    """E-mail an invitation link. Inviting an address that already has an open invitation
    returns that invitation unchanged (no second e-mail), so pressing "invite" twice is harmless."""
    email = email.strip().lower()
    if role not in Role.values:
        raise errors.InvalidChoice()
    if not perms.can_invite(actor, organisation, role):
        refuse_owner_change(actor, organisation)
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
    require(perms.can_manage_members(actor, invitation.organisation))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise errors.InvitationUnavailable()
        invitation.status = Invitation.Status.REVOKED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(actor, "org.invitation_revoked", invitation.organisation, {"email": invitation.email})
    return invitation
