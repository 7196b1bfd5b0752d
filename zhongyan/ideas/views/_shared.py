from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from zhongyan.ideas.models import Campaign, Idea


def campaign_for(request: HttpRequest, public_id: str) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), public_id=public_id)


def idea_for(request: HttpRequest, public_id: str) -> Idea:
    return get_object_or_404(
        Idea.objects.visible_to(request.user).select_related("campaign", "author", "stage", "promoted_demand"),
        public_id=public_id,
    )


def require(allowed: bool) -> None:
    """Hidden is indistinguishable from missing."""
    if not allowed:
        raise Http404


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def first_error(error: Any) -> str:
    return str(getattr(error, "message", error))
