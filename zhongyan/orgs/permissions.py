"""Who may do what to an organisation. Services enforce these; views pass them to templates.

Operators are the platform's staff: they see every organisation, verify them, and may act as an
administrator of any organisation (to help when its own people cannot)."""

from typing import Any

from zhongyan.orgs.models import Membership, Organisation

Role = Membership.Role


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _operator(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_staff)


def role_in(user: Any, organisation: Organisation) -> str | None:
    """The user's role in the organisation, or None for non-members."""
    if not _signed_in(user):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()


def _manages(user: Any, organisation: Organisation) -> bool:
    return _operator(user) or role_in(user, organisation) in (Role.OWNER, Role.ADMIN)


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    if not _signed_in(user):
        return False
    return organisation.is_verified or _operator(user) or role_in(user, organisation) is not None


def can_create_organisation(user: Any) -> bool:
    return _signed_in(user)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return _manages(user, organisation)


def can_view_members(user: Any, organisation: Organisation) -> bool:
    return _operator(user) or role_in(user, organisation) is not None


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    return _manages(user, organisation)


def can_invite(user: Any, organisation: Organisation, role: str = Role.MEMBER) -> bool:
    if role == Role.OWNER:
        return _operator(user) or role_in(user, organisation) == Role.OWNER
    return _manages(user, organisation)


def can_decide_join_request(user: Any, organisation: Organisation) -> bool:
    return _manages(user, organisation)


def can_change_role(user: Any, membership: Membership, new_role: str | None = None) -> bool:
    """Administrators manage members and administrators; making an owner, or changing an owner's
    role, needs an owner (or an operator)."""
    organisation = membership.organisation
    if not _manages(user, organisation):
        return False
    if Role.OWNER in (membership.role, new_role):
        return _operator(user) or role_in(user, organisation) == Role.OWNER
    return True


def can_remove_member(user: Any, membership: Membership) -> bool:
    if _signed_in(user) and membership.user_id == user.pk:
        return True
    if not _manages(user, membership.organisation):
        return False
    return membership.role != Role.OWNER or _operator(user) or role_in(user, membership.organisation) == Role.OWNER


def can_leave(user: Any, organisation: Organisation) -> bool:
    return role_in(user, organisation) is not None


def can_request_to_join(user: Any, organisation: Organisation) -> bool:
    return _signed_in(user) and organisation.is_verified and role_in(user, organisation) is None


def can_verify_organisation(user: Any, organisation: Organisation | None = None) -> bool:
    return _operator(user)
