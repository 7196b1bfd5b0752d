"""Creating and configuring campaigns: theme, audience, dates, funnel, criteria, people."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.ideas import permissions
from zhongyan.ideas.models import Campaign, CampaignFollow, Criterion, Stage

MIN_STAGES = 3
MAX_STAGES = 12
MAX_CRITERIA = 12

DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("已提交", "Submitted"),
    ("初筛", "Screening"),
    ("社区讨论", "Community"),
    ("专家评审", "Expert evaluation"),
    ("入选", "Selected"),
    ("已转化为需求", "Converted to a demand"),
)
DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("创新性", "Novelty", 3),
    ("可行性", "Feasibility", 2),
    ("经济效益", "Business value", 3),
    ("跨领域协同", "Cross-field synergy", 2),
)


class BadCampaign(DomainError):
    default_message = _("This campaign cannot be saved.")


def _validate(
    *, opens_at: datetime, closes_at: datetime, stages: Sequence[Bilingual], criteria: Sequence[tuple[Bilingual, int]]
) -> None:
    if closes_at <= opens_at:
        raise BadCampaign(_("The campaign must close after it opens."))
    if not MIN_STAGES <= len(stages) <= MAX_STAGES:
        raise BadCampaign(_("A funnel has between 3 and 12 stages."))
    if any(not any(name.values()) for name in stages):
        raise BadCampaign(_("Every stage needs a name."))
    if len(criteria) > MAX_CRITERIA:
        raise BadCampaign(_("A campaign has at most 12 criteria."))
    if any(weight < 1 or weight > 100 for _name, weight in criteria):
        raise BadCampaign(_("Weights are whole numbers from 1 to 100."))


def _set_funnel(campaign: Campaign, stages: Sequence[Bilingual]) -> None:
    existing = {stage.position: stage for stage in campaign.stages.all()}
    for position, name in enumerate(stages):
        stage = existing.pop(position, None)
        if stage is None:
            Stage.objects.create(campaign=campaign, position=position, name=name)
        elif stage.name != name:
            stage.name = name
            stage.save(update_fields=["name"])
    for stage in existing.values():
        if stage.ideas.exists():
            raise BadCampaign(_("A stage that holds ideas cannot be removed."))
        stage.delete()


def _set_criteria(campaign: Campaign, criteria: Sequence[tuple[Bilingual, int]]) -> None:
    campaign.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(campaign=campaign, position=position, name=name, weight=weight)
        for position, (name, weight) in enumerate(criteria)
    )


def create_campaign(
    *,
    actor: Any,
    title: Bilingual,
    description: Bilingual,
    opens_at: datetime,
    closes_at: datetime,
    audience: str = Campaign.Audience.EVERYONE,
    anonymous: bool = False,
    stages: Sequence[Bilingual] | None = None,
    criteria: Sequence[tuple[Bilingual, int]] | None = None,
    moderators: Iterable[Any] = (),
    experts: Iterable[Any] = (),
    fields: Iterable[Any] = (),
    auto_advance_score: Decimal | None = None,
    auto_advance_min_reviews: int = 2,
    auto_advance_votes: int | None = None,
    slug: str | None = None,
) -> Campaign:
    if not permissions.can_create_campaign(actor):
        raise NotPermitted()
    stages = list(stages) if stages is not None else [{"zh-hans": zh, "en": en} for zh, en in DEFAULT_STAGES]
    criteria = (
        list(criteria)
        if criteria is not None
        else [({"zh-hans": zh, "en": en}, weight) for zh, en, weight in DEFAULT_CRITERIA]
    )
    if audience not in Campaign.Audience.values:
        raise BadCampaign(_("Choose an audience from the list."))
    _validate(opens_at=opens_at, closes_at=closes_at, stages=stages, criteria=criteria)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=title,
            description=description,
            opens_at=opens_at,
            closes_at=closes_at,
            audience=audience,
            anonymous=anonymous,
            auto_advance_score=auto_advance_score,
            auto_advance_min_reviews=auto_advance_min_reviews,
            auto_advance_votes=auto_advance_votes,
            created_by=actor,
            slug=slug,
        )
        campaign.moderators.set(moderators)
        campaign.experts.set(experts)
        campaign.fields.set(fields)
        _set_funnel(campaign, stages)
        _set_criteria(campaign, criteria)
        record(actor, "ideas.campaign_created", campaign, {"stages": len(stages), "anonymous": anonymous})
    return campaign


def update_campaign(
    *,
    actor: Any,
    campaign: Campaign,
    stages: Sequence[Bilingual] | None = None,
    criteria: Sequence[tuple[Bilingual, int]] | None = None,
    moderators: Iterable[Any] | None = None,
    experts: Iterable[Any] | None = None,
    fields: Iterable[Any] | None = None,
    **changes: Any,
) -> Campaign:
    if not permissions.can_edit_campaign(actor, campaign):
        raise NotPermitted()
    allowed = {
        "title",
        "description",
        "opens_at",
        "closes_at",
        "audience",
        "anonymous",
        "auto_advance_score",
        "auto_advance_min_reviews",
        "auto_advance_votes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"update_campaign() got unknown fields: {sorted(unknown)}")
    new_stages = list(stages) if stages is not None else [stage.name for stage in campaign.stages.all()]
    new_criteria = (
        list(criteria)
        if criteria is not None
        else [(criterion.name, criterion.weight) for criterion in campaign.criteria.all()]
    )
    _validate(
        opens_at=changes.get("opens_at", campaign.opens_at),
        closes_at=changes.get("closes_at", campaign.closes_at),
        stages=new_stages,
        criteria=new_criteria,
    )
    if "audience" in changes and changes["audience"] not in Campaign.Audience.values:
        raise BadCampaign(_("Choose an audience from the list."))
    with transaction.atomic():
        for name, value in changes.items():
            setattr(campaign, name, value)
        campaign.save()
        if moderators is not None:
            campaign.moderators.set(moderators)
        if experts is not None:
            campaign.experts.set(experts)
        if fields is not None:
            campaign.fields.set(fields)
        if stages is not None:
            _set_funnel(campaign, new_stages)
        if criteria is not None:
            if campaign.criteria.filter(campaign__ideas__evaluations__isnull=False).exists():
                current = [(criterion.name, criterion.weight) for criterion in campaign.criteria.all()]
                if current != new_criteria:
                    raise BadCampaign(_("Criteria cannot change once experts have scored ideas."))
            else:
                _set_criteria(campaign, new_criteria)
        record(actor, "ideas.campaign_updated", campaign, {"changed": sorted(changes)})
    return campaign


def follow_campaign(*, actor: Any, campaign: Campaign) -> CampaignFollow:
    """Hear of the campaign's new ideas (in the inbox and the digest, per notification settings)."""
    if not permissions.can_follow_campaign(actor, campaign):
        raise NotPermitted()
    follow, _created = CampaignFollow.objects.get_or_create(campaign=campaign, user=actor)
    return follow


def unfollow_campaign(*, actor: Any, campaign: Campaign) -> None:
    CampaignFollow.objects.filter(campaign=campaign, user=actor).delete()
