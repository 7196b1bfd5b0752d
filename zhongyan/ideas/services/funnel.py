"""The funnel: evaluations, stage moves (one or many, by hand or by threshold), promotion."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.models import Demand
from zhongyan.demands.services import create_demand
from zhongyan.ideas import permissions
from zhongyan.ideas.models import Evaluation, Idea, Stage
from zhongyan.ideas.services._common import locked, send_on_commit
from zhongyan.ideas.signals import idea_promoted, idea_stage_changed
from zhongyan.orgs.models import Organisation

SCORE_RANGE = range(1, 6)


class BadStage(DomainError):
    default_message = _("The idea cannot move to this stage.")


class BadEvaluation(DomainError):
    default_message = _("This evaluation cannot be saved.")


def move_to_stage(*, actor: Any, idea: Idea, stage: Stage, automatic: bool = False) -> Idea:
    """The move itself, inside the caller's transaction; the caller has checked permission."""
    old = idea.stage
    idea.stage = stage
    idea.save(update_fields=["stage", "updated_at"])
    record(
        actor,
        "ideas.idea_stage_changed",
        idea,
        {"from": old.position if old else None, "to": stage.position, "automatic": automatic},
    )
    send_on_commit(
        idea_stage_changed,
        idea=idea,
        campaign=idea.campaign,
        actor=actor,
        old_stage=old,
        new_stage=stage,
        automatic=automatic,
        urgent=False,
    )
    return idea


def _check_target(idea: Idea, stage: Stage) -> None:
    if stage.campaign_id != idea.campaign_id:
        raise BadStage()
    last = idea.campaign.stages.order_by("-position").values_list("position", flat=True).first()
    if stage.position == last:
        raise BadStage(_("Only promotion to a demand moves an idea into the last stage."))


def advance_idea(*, actor: Any, idea: Idea, stage: Stage) -> Idea:
    with transaction.atomic():
        locked(idea)
        if not permissions.can_advance_idea(actor, idea):
            raise NotPermitted()
        _check_target(idea, stage)
        if idea.stage_id == stage.pk:
            return idea
        return move_to_stage(actor=actor, idea=idea, stage=stage)


def advance_ideas(*, actor: Any, ideas: Iterable[Idea], stage: Stage) -> int:
    """Bulk move; all or nothing. Returns how many ideas changed stage."""
    moved = 0
    with transaction.atomic():
        for idea in ideas:
            locked(idea)
            if not permissions.can_advance_idea(actor, idea):
                raise NotPermitted()
            _check_target(idea, stage)
            if idea.stage_id != stage.pk:
                move_to_stage(actor=actor, idea=idea, stage=stage)
                moved += 1
    return moved


def weighted(scores: dict[str, int], weights: dict[str, int]) -> Decimal | None:
    total = sum(weights.values())
    if not total or not scores:
        return None
    value = Decimal(sum(scores[key] * weight for key, weight in weights.items())) / Decimal(total)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def evaluation_summary(idea: Idea) -> dict[str, Any]:
    """Average weighted score over evaluations without a conflict of interest."""
    row = idea.evaluations.filter(conflict=False, weighted_score__isnull=False).aggregate(
        average=Avg("weighted_score"), count=Count("pk"), conflicts=Count("pk", filter=Q(conflict=True))
    )
    conflicts = idea.evaluations.filter(conflict=True).count()
    average = row["average"]
    return {
        "average": Decimal(average).quantize(Decimal("0.01")) if average is not None else None,
        "count": row["count"],
        "conflicts": conflicts,
    }


def evaluate_idea(
    *,
    actor: Any,
    idea: Idea,
    scores: dict[str, int] | None = None,
    note: str = "",
    conflict: bool = False,
    conflict_reason: str = "",
) -> Evaluation:
    """Save (or replace) the expert's scorecard. A declared conflict records no scores."""
    if not permissions.can_evaluate_idea(actor, idea):
        raise NotPermitted()
    weights = {str(criterion.pk): criterion.weight for criterion in idea.campaign.criteria.all()}
    clean: dict[str, int] = {}
    if conflict:
        if not conflict_reason.strip():
            raise BadEvaluation(_("Describe the conflict of interest."))
    else:
        scores = {str(key): value for key, value in (scores or {}).items()}
        if set(scores) != set(weights):
            raise BadEvaluation(_("Score every criterion."))
        for key, value in scores.items():
            if value not in SCORE_RANGE:
                raise BadEvaluation(_("Scores go from 1 to 5."))
            clean[key] = int(value)
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            idea=idea,
            expert=actor,
            defaults={
                "scores": clean,
                "note": note.strip()[:4000],
                "conflict": conflict,
                "conflict_reason": conflict_reason.strip()[:500] if conflict else "",
                "weighted_score": None if conflict else weighted(clean, weights),
            },
        )
        record(actor, "ideas.idea_evaluated", idea, {"conflict": conflict, "score": str(evaluation.weighted_score)})
        _auto_advance(idea)
    return evaluation


def _auto_advance(idea: Idea) -> None:
    campaign = idea.campaign
    if campaign.auto_advance_score is None or idea.promoted_demand_id is not None:
        return
    summary = evaluation_summary(idea)
    if summary["count"] < max(1, campaign.auto_advance_min_reviews) or summary["average"] is None:
        return
    if summary["average"] < campaign.auto_advance_score:
        return
    locked(idea)
    position = idea.stage.position if idea.stage else -1
    following = campaign.stages.filter(position=position + 1).first()
    last = campaign.stages.order_by("-position").values_list("position", flat=True).first()
    if following is not None and following.position != last:
        move_to_stage(actor=None, idea=idea, stage=following, automatic=True)


def promotion_organisations(actor: Any) -> Any:
    """The organisations the actor may post a demand for."""
    organisations = Organisation.objects.filter(verification=Organisation.Verification.VERIFIED)
    if actor.is_staff:
        return organisations
    return organisations.filter(memberships__user=actor)


def promote_idea(
    *,
    actor: Any,
    idea: Idea,
    organisation: Any,
    deadline: datetime | None = None,
    ip_terms: str = Demand.IpTerms.NON_EXCLUSIVE_LICENCE,
) -> Demand:
    """A draft demand prefilled from the idea, linked both ways (idea.promoted_demand and
    demand.source_ideas), the idea moved to the last stage, both sides audited."""
    deadline = deadline or timezone.now() + timedelta(days=60)
    with transaction.atomic():
        locked(idea)
        if not permissions.can_promote_idea(actor, idea):
            raise NotPermitted(_("Only a selected idea can be promoted, once, by a moderator."))
        last = idea.campaign.stages.order_by("-position").first()
        demand = create_demand(
            actor=actor,
            organisation=organisation,
            title=dict(idea.title),
            summary={code: text[:1000] for code, text in idea.description.items()},
            background=_background(idea),
            deadline=deadline,
            ip_terms=ip_terms,
            fields=list(idea.fields.all()),
        )
        idea.promoted_demand = demand
        idea.save(update_fields=["promoted_demand", "updated_at"])
        record(actor, "ideas.idea_promoted", idea, {"demand": demand.public_id})
        record(actor, "demands.created_from_idea", demand, {"idea": idea.public_id})
        if last is not None:
            move_to_stage(actor=actor, idea=idea, stage=last)
        send_on_commit(idea_promoted, idea=idea, campaign=idea.campaign, demand=demand, actor=actor, urgent=False)
    return demand


def _background(idea: Idea) -> dict[str, str]:
    """The idea's text plus where it came from; never the author of an anonymous idea."""
    texts: dict[str, str] = {}
    for code in ("zh-hans", "en"):
        with translation.override(code):
            source = _("From the idea “%(idea)s” in the campaign “%(campaign)s”: %(url)s") % {
                "idea": localized(idea.title, code),
                "campaign": localized(idea.campaign.title, code),
                # Absolute: the text is also read outside the site (exports, e-mails, the API).
                "url": settings.SITE_URL + reverse("ideas:idea_detail", args=[idea.public_id]),
            }
            texts[code] = f"{localized(idea.description, code)}\n\n{source}"[:10000]
    return texts
