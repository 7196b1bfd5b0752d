"""Read scopes for organisations. Views and the API load organisations only through
`visible_to(user)`, so an organisation outside it is a 404."""

from typing import Any

from django.conf import settings
from django.db import models


class OrganisationQuerySet(models.QuerySet["Any"]):
    def verified(self) -> "OrganisationQuerySet":
        return self.filter(verification="verified")

    def awaiting_verification(self) -> "OrganisationQuerySet":
        return self.filter(verification="pending")

    def visible_to(self, user: Any) -> "OrganisationQuerySet":
        """Verified organisations to every signed-in user; pending and rejected ones only to their
        members (so they can fix and resubmit) and to operators (who verify them)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        membership_model = self.model._meta.get_field("memberships").related_model
        member_of = models.Q(pk__in=membership_model.objects.filter(user=user).values("organisation_id"))
        return self.filter(models.Q(verification="verified") | member_of)

    def search(self, text: str) -> "OrganisationQuerySet":
        """Case-insensitive match on the name, description and city in every content language.
        The JSON values are compared per key, because SQLite stores non-ASCII text escaped."""
        text = text.strip()
        if not text:
            return self
        query = models.Q()
        for code in settings.CONTENT_LANGUAGES:
            for field in ("name", "description", "city"):
                query |= models.Q(**{f"{field}__{code}__icontains": text})
        return self.filter(query)


class MembershipQuerySet(models.QuerySet["Any"]):
    def by_rank(self) -> "MembershipQuerySet":
        """Owners first, then administrators, then members; longest-standing first within a role."""
        rank = models.Case(
            models.When(role="owner", then=0),
            models.When(role="admin", then=1),
            default=2,
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "created_at")


class InvitationQuerySet(models.QuerySet["Any"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(status="pending")


class JoinRequestQuerySet(models.QuerySet["Any"]):
    def pending(self) -> "JoinRequestQuerySet":
        return self.filter(status="pending")
