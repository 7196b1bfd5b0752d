"""May this person hear about this demand? Asked before any notification names a demand.

The demands module decides (its permission functions); a notification needs only existence-level
visibility, because it names a demand by its title (the public teaser of an NDA demand) and never
carries any detail.
"""

from typing import Any

from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import can_view_demand, can_view_demand_details


def may_see_demand(user: Any, demand: Demand) -> bool:
    return can_view_demand(user, demand)


def may_see_demand_details(user: Any, demand: Demand) -> bool:
    """Details (the Q&A among them) of an NDA demand need an accepted NDA or membership."""
    return can_view_demand_details(user, demand)
