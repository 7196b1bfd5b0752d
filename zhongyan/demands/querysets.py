from typing import Any

from django.db import models
from django.utils import timezone

from zhongyan.demands.search import query_tokens
from zhongyan.orgs.models import Membership


class DemandQuerySet(models.QuerySet["Any"]):
    """Read scopes. Views load demands only through `visible_to(user)`; a demand outside it is a 404.

    Visibility of the *existence* of a demand (list, teaser):
    - public and NDA demands once published (and later states) to every signed-in user;
    - internal demands to the owner's organisation members and invited people;
    - drafts and demands in review to the owner's organisation members (and operators).
    NDA *details* additionally need an accepted NDA (see permissions.can_view_demand_details).
    """

    LISTED_STATUSES = ("published", "closed", "evaluating", "awarded", "not_awarded")

    def listed(self) -> "DemandQuerySet":
        return self.filter(status__in=self.LISTED_STATUSES)

    def open_for_proposals(self) -> "DemandQuerySet":
        """Published and before the deadline: a demand whose deadline passed is closed for
        proposals on read, even before the scheduled task moves its status."""
        return self.filter(status="published", deadline__gt=timezone.now())

    def past_deadline(self) -> "DemandQuerySet":
        return self.filter(status="published", deadline__lte=timezone.now())

    def visible_to(self, user: Any) -> "DemandQuerySet":
        # Subqueries instead of joins: no duplicate rows, no DISTINCT over the whole list.
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        invitation_model = self.model._meta.get_field("invitations").related_model
        member_of = models.Q(organisation__in=Membership.objects.filter(user=user).values("organisation_id"))
        listed_openly = models.Q(status__in=self.LISTED_STATUSES, confidentiality__in=("public", "nda"))
        invited = models.Q(
            pk__in=invitation_model.objects.filter(invitee=user).exclude(status="declined").values("demand_id"),
            status__in=self.LISTED_STATUSES,
        )
        return self.filter(listed_openly | member_of | invited)

    def search(self, text: str) -> "DemandQuerySet":
        """Every word of the query (jieba-tokenised, so Chinese works) must occur in search_text."""
        queryset = self
        for token in query_tokens(text):
            queryset = queryset.filter(search_text__icontains=token)
        return queryset


class QuestionQuerySet(models.QuerySet["Any"]):
    def visible_to(self, user: Any, *, manager: bool) -> "QuestionQuerySet":
        """Public questions to everyone who may see the demand's details; private ones only to
        their author and to the demand's managers."""
        if manager:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.filter(is_public=True)
        return self.filter(models.Q(is_public=True) | models.Q(author=user))
