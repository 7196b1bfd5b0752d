"""Use cases of the organisations module: the only write path for organisations, memberships,
invitations and join requests. Pages, the API and admin actions all call these functions.

Each one: permission check -> domain rules -> write in one transaction with an audit entry ->
e-mails after commit."""

from zhongyan.orgs.services.common import ADMIN_EDITABLE_FIELDS, EDITABLE_FIELDS
from zhongyan.orgs.services.invitations import accept_invitation, decline_invitation, invite_member, revoke_invitation
from zhongyan.orgs.services.join_requests import approve_join_request, decline_join_request, request_to_join
from zhongyan.orgs.services.members import change_role, leave_organisation, remove_member
from zhongyan.orgs.services.organisations import (
    create_organisation,
    reject_organisation,
    update_organisation,
    verify_organisation,
)

__all__ = [
    "ADMIN_EDITABLE_FIELDS",
    "EDITABLE_FIELDS",
    "accept_invitation",
    "approve_join_request",
    "change_role",
    "create_organisation",
    "decline_invitation",
    "decline_join_request",
    "invite_member",
    "leave_organisation",
    "reject_organisation",
    "remove_member",
    "request_to_join",
    "revoke_invitation",
    "update_organisation",
    "verify_organisation",
]
