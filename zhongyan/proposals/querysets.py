"""Read scopes for proposals. Views load proposals only through `visible_to(user)`; a proposal
outside it is a 404."""

from typing import Any

from django.db import models

MANAGER_ROLES = ("owner", "admin")
SUBMITTED_STATES = ("submitted", "shortlisted", "awarded", "not_awarded")


class ProposalQuerySet(models.QuerySet["Any"]):
    def submitted(self) -> "ProposalQuerySet":
        """Proposals that passed through submission and were not withdrawn."""
        return self.filter(status__in=SUBMITTED_STATES)

    def in_evaluation(self) -> "ProposalQuerySet":
        return self.filter(status__in=("submitted", "shortlisted"))

    def active(self) -> "ProposalQuerySet":
        return self.exclude(status="withdrawn")

    def of_solver(self, user: Any) -> "ProposalQuerySet":
        return self.filter(solver=user)

    def visible_to(self, user: Any) -> "ProposalQuerySet":
        """The solver sees their own proposals in every state. Submitted proposals are seen by the
        demand's managers (its contact, its organisation's owners and admins, operators) and by
        reviewers assigned to the demand who declared no conflict. Nobody else sees a proposal."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        own = models.Q(solver=user)
        if user.is_staff:
            return self.filter(own | models.Q(status__in=SUBMITTED_STATES))
        manages = models.Q(demand__owner=user) | models.Q(
            demand__organisation__memberships__user=user,
            demand__organisation__memberships__role__in=MANAGER_ROLES,
        )
        reviews = models.Q(demand__review_assignments__reviewer=user, demand__review_assignments__status="cleared")
        return self.filter(own | (models.Q(status__in=SUBMITTED_STATES) & (manages | reviews))).distinct()
