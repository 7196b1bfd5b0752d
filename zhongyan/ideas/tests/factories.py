from datetime import timedelta
from typing import Any

from django.utils import timezone

from zhongyan.core.content import bilingual
from zhongyan.ideas import services
from zhongyan.ideas.models import Campaign, Idea


def make_campaign(actor: Any, **overrides: Any) -> Campaign:
    """A campaign through the service, open now, with the default funnel and criteria."""
    now = timezone.now()
    values: dict[str, Any] = {
        "title": bilingual(zh="低碳冶金跨领域创意征集", en="Low-carbon metallurgy across fields"),
        "description": bilingual(
            zh="氢冶金、碳捕集与余热利用的跨领域创意。", en="Hydrogen, carbon capture, waste heat."
        ),
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=30),
    }
    values.update(overrides)
    return services.create_campaign(actor=actor, **values)


def make_idea(campaign: Campaign, author: Any, *, submit: bool = True, **overrides: Any) -> Idea:
    values: dict[str, Any] = {
        "title": bilingual(zh="高炉富氢喷吹降低焦比", en="Hydrogen-rich injection to cut the coke rate"),
        "description": bilingual(zh="在风口喷吹焦炉煤气，减少碳排放。", en="Inject coke-oven gas at the tuyeres."),
    }
    values.update(overrides)
    return services.create_idea(actor=author, campaign=campaign, submit=submit, **values)
