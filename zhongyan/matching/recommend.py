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
from zhongyan.matching.candidates import matcher_for
from zhongyan.matching.documents import MAX_TITLES, demand_query, expert_query
from zhongyan.matching.engine import Match, Query
from zhongyan.matching.registry import get_index
from zhongyan.matching.services import (
    DEMAND,
    EXPERT,
    OFFERING,
    ORGANISATION,
    refresh_demands,
    refresh_offerings,
    refresh_organisations,
)
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.proposals.models import ReviewAssignment

# Below this fused score a "match" shares nothing worth showing (no field, no term, a distant sentence).
MIN_SCORE = 0.15
MAX_PUBLICATIONS_NAMED = 3
SAME_ORGANISATION = "same_organisation"
DECLARED_CONFLICT = "declared_conflict"
UNAVAILABLE = "unavailable"
OWN_ORGANISATION = "own_organisation"
REASONS = {
    SAME_ORGANISATION: _("Same organisation as the demand owner"),
    OWN_ORGANISATION: _("The demand owner's own organisation (conflict of interest)"),
    DECLARED_CONFLICT: _("Declared a conflict of interest on this demand"),
    UNAVAILABLE: _("Not available for new work"),
}


@dataclass
class Recommendation:
    match: Match
    obj: Any  # a User, a Demand, an Offering or an Organisation
    shared_fields: list[Field] = field(default_factory=list)
    invited: bool = False
    reasons: list[str] = field(default_factory=list)  # exclusions only
    publications: list[str] = field(default_factory=list)  # an expert's publication titles the match rests on
    offerings: list[Recommendation] = field(default_factory=list)  # an organisation's matching catalogue entries

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.match.score * 100)))


@dataclass
class Recommendations:
    recommended: list[Recommendation]
    excluded: list[Recommendation]  # strong matches left out, with the reason, for the demand's managers


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


def recommend_experts(demand: Demand, *, k: int = 10) -> Recommendations:
    """Caller must have checked `can_manage_demand`: the query is the demand's full text."""
    excluded = exclusions_for(demand)
    query = demand_query(demand)
    matcher = matcher_for(EXPERT, query, extra=len(excluded))
    matches = matcher.search(query, k=k, exclude={str(user_id) for user_id in excluded})
    # Who would have ranked in the top k without the exclusions: shown to the owner with the reason.
    would_be = [m for m in matcher.search(query, k=k) if int(m.id) in excluded]
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
    _name_publications(recommended + excluded_list)
    return Recommendations(recommended, excluded_list)


def _name_publications(recommendations: list[Recommendation]) -> None:
    """The explanation names an expert's publications that matched: the one whose title or abstract
    is the best-matching passage first, then those whose title holds a matching term."""
    for rec in recommendations:
        explanation = rec.match.explanation
        snippet = explanation.best_snippet.text if explanation.best_snippet else ""
        terms = [term.casefold() for term in explanation.terms]
        best, others = [], []
        for publication in rec.obj.bibliography.all()[:MAX_TITLES]:
            if snippet and (snippet == publication.title or snippet in publication.abstract):
                best.append(publication.title)
            elif any(term in publication.title.casefold() for term in terms):
                others.append(publication.title)
        rec.publications = (best + others)[:MAX_PUBLICATIONS_NAMED]


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


def organisation_exclusions(demand: Demand) -> dict[int, list[str]]:
    """The demand's organisation and every organisation of its owner: a conflict of interest."""
    own = set(Membership.objects.filter(user_id=demand.owner_id).values_list("organisation_id", flat=True))
    own.add(demand.organisation_id)
    return {organisation_id: [OWN_ORGANISATION] for organisation_id in own}


def _offerings_by_organisation(query: Query) -> dict[int, list[Recommendation]]:
    """Each organisation's published catalogue technologies that match the query, best first."""
    offerings = {str(o.pk): o for o in Offering.objects.published().filter(kind__in=Offering.TECHNOLOGY_KINDS)}
    if not offerings:
        return {}
    refresh_offerings(offerings.values())
    index = get_index(OFFERING)
    matches = index.matcher.search(query, k=len(offerings), exclude=set(index.hashes) - set(offerings))
    grouped: dict[int, list[Recommendation]] = {}
    for match in matches:
        if match.id in offerings and match.score >= MIN_SCORE:
            offering = offerings[match.id]
            grouped.setdefault(offering.organisation_id, []).append(Recommendation(match, offering))
    return grouped


def recommend_organisations(demand: Demand, *, k: int = 5, offerings_shown: int = 3) -> Recommendations:
    """Verified partner organisations for the demand, by their profile, catalogue, past work and
    members' expertise. Caller must have checked `can_manage_demand`: the query is the full text."""
    refresh_organisations()
    excluded = organisation_exclusions(demand)
    query = demand_query(demand)
    matcher = matcher_for(ORGANISATION, query, extra=len(excluded))
    matches = matcher.search(query, k=k, exclude={str(organisation_id) for organisation_id in excluded})
    would_be = [m for m in matcher.search(query, k=k) if int(m.id) in excluded]
    organisations = Organisation.objects.verified().in_bulk([int(m.id) for m in matches + would_be])
    fields = _fields_by_code(matches + would_be)
    offerings = _offerings_by_organisation(query) if matches else {}

    def build(match: Match, reasons: list[str]) -> Recommendation | None:
        organisation = organisations.get(int(match.id))
        if organisation is None or match.score < MIN_SCORE:
            return None
        shared = [fields[c] for c in match.explanation.shared_fields if c in fields]
        matched = [] if reasons else offerings.get(organisation.pk, [])[:offerings_shown]
        return Recommendation(match, organisation, shared, reasons=reasons, offerings=matched)

    recommended = [r for m in matches if (r := build(m, []))]
    excluded_list = [r for m in would_be if (r := build(m, excluded[int(m.id)]))]
    return Recommendations(recommended, excluded_list)


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
