"""Who may add and change catalogue entries: administrators of the offering organisation, operators."""

from typing import Any

from zhongyan.catalog.models import Offering
from zhongyan.orgs.models import Membership, Organisation

ADMIN_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def can_create_offering_for(user: Any, organisation: Any) -> bool:
    if not _signed_in(user):
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, role__in=ADMIN_ROLES).exists()


def can_edit_offering(user: Any, offering: Offering) -> bool:
    return can_create_offering_for(user, offering.organisation)


def organisations_for(user: Any) -> Any:
    if not _signed_in(user):
        return Organisation.objects.none()
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=ADMIN_ROLES)
