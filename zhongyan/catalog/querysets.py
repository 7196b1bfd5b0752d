from typing import Any

from django.db import models

from zhongyan.demands.search import query_tokens
from zhongyan.orgs.models import Membership


class OfferingQuerySet(models.QuerySet["Any"]):
    def published(self) -> "OfferingQuerySet":
        return self.filter(status="published")

    def visible_to(self, user: Any) -> "OfferingQuerySet":
        """Published entries to every signed-in user; drafts and withdrawn ones to the offering
        organisation's members and operators."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        mine = models.Q(organisation__in=Membership.objects.filter(user=user).values("organisation_id"))
        return self.filter(models.Q(status="published") | mine)

    def search(self, text: str) -> "OfferingQuerySet":
        queryset = self
        for token in query_tokens(text):
            queryset = queryset.filter(search_text__icontains=token)
        return queryset
