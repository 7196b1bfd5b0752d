"""May this person hear about this demand? Asked before any notification names a demand.

The demands module's permission functions decide when they exist; until then (they are being
written alongside) the same rules are read from the demand's `visible_to` scope and its NDA
acceptances. Only existence-level visibility is needed to name a demand: a notification carries
the title (the public teaser of an NDA demand) and never any detail.
"""

import importlib
from types import ModuleType
from typing import Any

from zhongyan.demands.models import Demand, NdaAcceptance
from zhongyan.orgs.models import Membership


def _demand_permissions() -> ModuleType | None:
    try:
        return importlib.import_module("zhongyan.demands.permissions")
    except ImportError:
        return None


def may_see_demand(user: Any, demand: Demand) -> bool:
    if not getattr(user, "is_active", False):
        return False
    permissions = _demand_permissions()
    check = getattr(permissions, "can_view_demand", None)
    if check is not None:
        return bool(check(user, demand))
    return Demand.objects.visible_to(user).filter(pk=demand.pk).exists()


def may_see_demand_details(user: Any, demand: Demand) -> bool:
    """Details of an NDA demand (its Q&A among them) need an accepted NDA or membership."""
    if not may_see_demand(user, demand):
        return False
    permissions = _demand_permissions()
    check = getattr(permissions, "can_view_demand_details", None)
    if check is not None:
        return bool(check(user, demand))
    if user.is_staff or demand.confidentiality != Demand.Confidentiality.NDA:
        return True
    if Membership.objects.filter(user=user, organisation_id=demand.organisation_id).exists():
        return True
    return NdaAcceptance.objects.filter(user=user, demand=demand).exists()
