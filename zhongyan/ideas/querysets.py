"""Read scopes: who sees which campaigns and ideas."""

from typing import Any

from django.db import models

from zhongyan.ideas.text import tokens
from zhongyan.orgs.models import Membership, Organisation

# Organisation kinds whose members are "employees of the group".
GROUP_KINDS = (Organisation.Kind.OPERATOR, Organisation.Kind.BUSINESS_UNIT)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def audience_of(user: Any) -> set[str]:
    """The campaign audiences `user` belongs to."""
    if not _signed_in(user):
        return set()
    audiences = {"everyone"}
    kinds = set(
        Membership.objects.filter(user=user, organisation__verification=Organisation.Verification.VERIFIED).values_list(
            "organisation__kind", flat=True
        )
    )
    if kinds:
        audiences.add("partners")
    if kinds & set(GROUP_KINDS):
        audiences.add("employees")
    return audiences


class CampaignQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "CampaignQuerySet":
        if not _signed_in(user):
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(
            models.Q(audience__in=audience_of(user)) | models.Q(moderators=user) | models.Q(experts=user)
        ).distinct()


class IdeaQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: Any) -> "IdeaQuerySet":
        """Submitted ideas of visible campaigns, plus the user's own drafts."""
        if not _signed_in(user):
            return self.none()
        campaigns = self.model._meta.get_field("campaign").related_model.objects.visible_to(user)
        own = models.Q(author=user) | models.Q(
            pk__in=self.model.co_authors.through.objects.filter(user=user).values("idea_id")
        )
        ideas = self.filter(campaign__in=campaigns.values("pk")).filter(
            models.Q(status=self.model.Status.SUBMITTED) | own
        )
        if user.is_staff:
            return ideas
        # A hidden idea stays visible to its authors (who read the reason) and the campaign's moderators.
        moderated = self.model.campaign.field.related_model.moderators.through.objects.filter(user=user)
        return ideas.filter(
            models.Q(hidden_at__isnull=True) | own | models.Q(campaign_id__in=moderated.values("campaign_id"))
        )

    def not_hidden(self) -> "IdeaQuerySet":
        return self.filter(hidden_at__isnull=True)

    def submitted(self) -> "IdeaQuerySet":
        return self.filter(status=self.model.Status.SUBMITTED)

    def search(self, text: str) -> "IdeaQuerySet":
        queryset = self
        for token in tokens(text)[:8]:
            queryset = queryset.filter(search_text__icontains=token)
        return queryset
