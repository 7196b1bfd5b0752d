from typing import Any

from django.db import models


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
        return self.filter(status="published")

    def visible_to(self, user: Any) -> "DemandQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        member_of = models.Q(organisation__memberships__user=user)
        listed_openly = models.Q(status__in=self.LISTED_STATUSES, confidentiality__in=("public", "nda"))
        invited = models.Q(invitations__invitee=user, status__in=self.LISTED_STATUSES)
        return self.filter(listed_openly | member_of | invited).distinct()
