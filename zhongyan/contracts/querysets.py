"""Which contracts a person may see: the parties' members, the solver, the demand's contact, operators."""

from typing import Any

from django.db import models


class ContractQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def visible_to(self, user: Any) -> "ContractQuerySet":
        if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
            return self.none()
        if user.is_staff:
            return self.all()
        scope = (
            models.Q(parties__organisation__memberships__user=user)
            | models.Q(parties__person=user)
            | models.Q(proposal__solver=user)
            | models.Q(demand__owner=user)
        )
        return self.filter(pk__in=self.model.objects.filter(scope).values("pk"))
