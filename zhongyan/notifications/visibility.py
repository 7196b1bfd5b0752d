"""May this person hear about this demand (or idea)? Asked before any notification names one.

The demands module decides (its permission functions); a notification needs only existence-level
visibility, because it names a demand by its title (the public teaser of an NDA demand) and never
carries any detail.
"""

from typing import Any

from zhongyan.demands.models import Demand
from zhongyan.demands.permissions import can_view_demand, can_view_demand_details
from zhongyan.ideas.models import Idea
from zhongyan.ideas.permissions import can_view_idea


def may_see_demand(user: Any, demand: Demand) -> bool:
    return can_view_demand(user, demand)


def may_see_demand_details(user: Any, demand: Demand) -> bool:
    """Details (the Q&A among them) of an NDA demand need an accepted NDA or membership."""
    return can_view_demand_details(user, demand)


def may_see_idea(user: Any, idea: Idea) -> bool:
    """The ideas module decides: a hidden idea or a campaign outside the person's audience stays unannounced."""
    return can_view_idea(user, idea)
