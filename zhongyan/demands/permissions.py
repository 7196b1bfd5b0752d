"""Who may do what with a demand. Services enforce these; views pass them to templates as booleans.

`can_view_demand` answers for one object what `Demand.objects.visible_to(user)` answers for a list;
the table test in tests/test_permissions.py holds the two together.
"""

from typing import Any

from zhongyan.demands.models import Demand, Invitation, NdaAcceptance, Question
from zhongyan.demands.querysets import DemandQuerySet
from zhongyan.orgs.models import Membership

LISTED = frozenset(DemandQuerySet.LISTED_STATUSES)
EDITABLE = frozenset({Demand.Status.DRAFT, Demand.Status.IN_REVIEW, Demand.Status.PUBLISHED, Demand.Status.CLOSED})
INVITABLE = frozenset({Demand.Status.DRAFT, Demand.Status.IN_REVIEW, Demand.Status.PUBLISHED})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(getattr(user, "is_active", False))


def _roles(user: Any) -> dict[int, str]:
    """{organisation id: role} of the user, cached on the user object for one request."""
    cached = getattr(user, "_demands_org_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
        user._demands_org_roles = cached
    return cached


def is_member(user: Any, demand: Demand) -> bool:
    return _signed_in(user) and demand.organisation_id in _roles(user)


def is_invited(user: Any, demand: Demand) -> bool:
    return (
        _signed_in(user)
        and Invitation.objects.filter(demand=demand, invitee=user).exclude(status=Invitation.Status.DECLINED).exists()
    )


def has_accepted_nda(user: Any, demand: Demand) -> bool:
    return _signed_in(user) and NdaAcceptance.objects.filter(demand=demand, user=user).exists()


def can_view_demand(user: Any, demand: Demand) -> bool:
    """Existence and teaser (title, summary): the same rule as DemandQuerySet.visible_to."""
    if not _signed_in(user):
        return False
    if user.is_staff or is_member(user, demand):
        return True
    if demand.status not in LISTED:
        return False
    if demand.confidentiality in (Demand.Confidentiality.PUBLIC, Demand.Confidentiality.NDA):
        return True
    return is_invited(user, demand)


def can_view_demand_details(user: Any, demand: Demand) -> bool:
    """Background, indicators, attachments and Q&A."""
    if not can_view_demand(user, demand):
        return False
    if user.is_staff or is_member(user, demand):
        return True
    if demand.confidentiality == Demand.Confidentiality.NDA:
        return has_accepted_nda(user, demand)
    # Public: everyone who sees it; internal: only invitees reach this line through can_view_demand.
    return True


def can_manage_demand(user: Any, demand: Demand) -> bool:
    """The contact, administrators of the owning organisation, and operators."""
    if not _signed_in(user):
        return False
    if user.is_staff or demand.owner_id == user.pk:
        return True
    return _roles(user).get(demand.organisation_id) in (Membership.Role.OWNER, Membership.Role.ADMIN)


def can_create_demand_for(user: Any, organisation: Any) -> bool:
    """Any member of a verified organisation may post a demand for it; operators for any."""
    if not _signed_in(user):
        return False
    if user.is_staff:
        return True
    return organisation.pk in _roles(user) and organisation.is_verified


def can_edit_demand(user: Any, demand: Demand) -> bool:
    return demand.status in EDITABLE and can_manage_demand(user, demand)


def can_submit_demand(user: Any, demand: Demand) -> bool:
    return demand.status == Demand.Status.DRAFT and can_manage_demand(user, demand)


def can_review_demand(user: Any, demand: Demand) -> bool:
    """Operator approval of a demand in review."""
    return _signed_in(user) and user.is_staff and demand.status == Demand.Status.IN_REVIEW


def can_accept_nda(user: Any, demand: Demand) -> bool:
    return (
        demand.confidentiality == Demand.Confidentiality.NDA
        and demand.status in LISTED
        and can_view_demand(user, demand)
        and not user.is_staff
        and not is_member(user, demand)
        and not has_accepted_nda(user, demand)
    )


def can_ask_question(user: Any, demand: Demand) -> bool:
    return (
        demand.accepts_proposals
        and can_view_demand_details(user, demand)
        and not can_manage_demand(user, demand)
        and not is_member(user, demand)
    )


def can_answer_question(user: Any, question: Question | Demand) -> bool:
    demand = question.demand if isinstance(question, Question) else question
    return can_manage_demand(user, demand)


def can_invite_solvers(user: Any, demand: Demand) -> bool:
    return demand.status in INVITABLE and can_manage_demand(user, demand)


def can_follow_demand(user: Any, demand: Demand) -> bool:
    return can_view_demand(user, demand)


def can_download_attachment(user: Any, demand: Demand) -> bool:
    return can_view_demand_details(user, demand)


def can_withdraw_demand(user: Any, demand: Demand) -> bool:
    return Demand.Status.WITHDRAWN in Demand.TRANSITIONS[demand.status] and can_manage_demand(user, demand)
