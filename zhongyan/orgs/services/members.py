"""Roles and removal. An organisation always keeps at least one owner."""

from django.db import transaction

from zhongyan.accounts.models import User
from zhongyan.core import audit
from zhongyan.core.errors import NotPermitted
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.mail import absolute_url, send_after_commit
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.services.common import (
    Role,
    refuse_owner_change,
    require,
)


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
        refuse_owner_change(actor, membership.organisation)
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
        require(perms.can_leave(actor, membership.organisation))
    elif not perms.can_remove_member(actor, membership):
        refuse_owner_change(actor, membership.organisation)
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
