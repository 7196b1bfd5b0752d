"""Reads: experts for a demand (its managers only) and demands for an expert (only demands the
expert may see). Exclusions are decided here, from the database, and handed to the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhongyan.accounts.models import Field, User
from zhongyan.catalog.models import Offering
from zhongyan.demands.models import Demand, Invitation
from zhongyan.matching.documents import demand_query, expert_query
from zhongyan.matching.engine import Match
from zhongyan.matching.registry import get_index
from zhongyan.matching.services import DEMAND, EXPERT, OFFERING, refresh_demands, refresh_offerings
from zhongyan.orgs.models import Membership
from zhongyan.proposals.models import ReviewAssignment

# Below this fused score a "match" shares nothing worth showing (no field, no term, a distant sentence).
MIN_SCORE = 0.15
SAME_ORGANISATION = "same_organisation"
DECLARED_CONFLICT = "declared_conflict"
UNAVAILABLE = "unavailable"
REASONS = {
    SAME_ORGANISATION: _("Same organisation as the demand owner"),
    DECLARED_CONFLICT: _("Declared a conflict of interest on this demand"),
    UNAVAILABLE: _("Not available for new work"),
}


@dataclass
class Recommendation:
    match: Match
    obj: Any  # a User or a Demand
    shared_fields: list[Field] = field(default_factory=list)
    invited: bool = False
    reasons: list[str] = field(default_factory=list)  # exclusions only

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.match.score * 100)))


@dataclass
class ExpertRecommendations:
    recommended: list[Recommendation]
    excluded: list[Recommendation]


def exclusions_for(demand: Demand) -> dict[int, list[str]]:
    """{user id: reasons} of everyone who must not be recommended for this demand."""
    reasons: dict[int, list[str]] = {}
    owner_orgs = Membership.objects.filter(user_id=demand.owner_id).values("organisation_id")
    colleagues = Membership.objects.filter(
        Q(organisation_id=demand.organisation_id) | Q(organisation_id__in=owner_orgs)
    ).values_list("user_id", flat=True)
    for user_id in colleagues:
        reasons.setdefault(user_id, []).append(SAME_ORGANISATION)
    reasons.setdefault(demand.owner_id, []).append(SAME_ORGANISATION)
    conflicted = ReviewAssignment.objects.filter(demand=demand, coi_declared=True).values_list("reviewer_id", flat=True)
    for user_id in conflicted:
        reasons.setdefault(user_id, []).append(DECLARED_CONFLICT)
    unavailable = User.objects.filter(availability=User.Availability.UNAVAILABLE).values_list("pk", flat=True)
    for user_id in unavailable:
        reasons.setdefault(user_id, []).append(UNAVAILABLE)
    return {user_id: sorted(set(found)) for user_id, found in reasons.items()}


def _fields_by_code(matches: list[Match]) -> dict[str, Field]:
    codes = {code for match in matches for code in match.explanation.shared_fields}
    return {f.code: f for f in Field.objects.filter(code__in=codes)} if codes else {}


def recommend_experts(demand: Demand, *, k: int = 10) -> ExpertRecommendations:
    """Caller must have checked `can_manage_demand`: the query is the demand's full text."""
    index = get_index(EXPERT)
    index.sync()
    excluded = exclusions_for(demand)
    query = demand_query(demand)
    matches = index.matcher.search(query, k=k, exclude={str(user_id) for user_id in excluded})
    # Who would have ranked in the top k without the exclusions: shown to the owner with the reason.
    would_be = [m for m in index.matcher.search(query, k=k) if int(m.id) in excluded]
    users = User.objects.in_bulk([int(m.id) for m in matches + would_be])
    invited = set(Invitation.objects.filter(demand=demand).values_list("invitee_id", flat=True))
    fields = _fields_by_code(matches + would_be)

    def build(match: Match, reasons: list[str]) -> Recommendation | None:
        user = users.get(int(match.id))
        if user is None or not user.is_active:
            return None
        shared = [fields[c] for c in match.explanation.shared_fields if c in fields]
        return Recommendation(match, user, shared, user.pk in invited, reasons)

    recommended = [r for m in matches if m.score >= MIN_SCORE and (r := build(m, []))]
    excluded_list = [r for m in would_be if m.score >= MIN_SCORE and (r := build(m, excluded[int(m.id)]))]
    return ExpertRecommendations(recommended, excluded_list)


def related_offerings(demand: Demand, *, k: int = 5) -> list[Recommendation]:
    """Published catalogue technologies, achievements and patents that fit the demand (managers only:
    the query is the demand's full text)."""
    offerings = {
        str(o.pk): o
        for o in Offering.objects.published()
        .filter(kind__in=Offering.TECHNOLOGY_KINDS)
        .select_related("organisation")
        .prefetch_related("fields")
    }
    if not offerings:
        return []
    refresh_offerings(offerings.values())
    index = get_index(OFFERING)
    matches = index.matcher.search(demand_query(demand), k=k, exclude=set(index.hashes) - set(offerings))
    fields = _fields_by_code(matches)
    return [
        Recommendation(m, offerings[m.id], [fields[c] for c in m.explanation.shared_fields if c in fields])
        for m in matches
        if m.id in offerings and m.score >= MIN_SCORE
    ]


def demands_for_expert(user: Any, *, k: int = 10) -> list[Recommendation]:
    """Open demands the user may see, outside their own organisations, best first."""
    candidates = list(
        Demand.objects.visible_to(user)
        .open_for_proposals()
        .exclude(organisation__in=Membership.objects.filter(user=user).values("organisation_id"))
        .prefetch_related("fields")
        .select_related("organisation")
    )
    if not candidates:
        return []
    refresh_demands(candidates)
    index = get_index(DEMAND)
    allowed = {str(d.pk): d for d in candidates}
    exclude = set(index.hashes) - set(allowed)
    query = expert_query(user)
    if not query.text.strip() and not query.fields:
        return []
    matches = index.matcher.search(query, k=k, exclude=exclude)
    fields = _fields_by_code(matches)
    return [
        Recommendation(m, allowed[m.id], [fields[c] for c in m.explanation.shared_fields if c in fields])
        for m in matches
        if m.id in allowed and m.score >= MIN_SCORE
    ]


def invited_demands(user: Any) -> list[Invitation]:
    """Open invitations to demands the user may see (an invitation to a withdrawn demand is not shown)."""
    visible = Demand.objects.visible_to(user).listed()
    return list(
        Invitation.objects.filter(invitee=user, demand__in=visible)
        .exclude(status=Invitation.Status.DECLINED)
        .select_related("demand", "demand__organisation")
        .order_by("-created_at")[:10]
    )
