from typing import Any

from django.db import models


class EventQuerySet(models.QuerySet["Any"]):
    def visible_to(self, user: Any) -> "EventQuerySet":
        """Events are announced to every signed-in user; the join page itself needs only the QR code."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()

    def managed_by(self, user: Any) -> "EventQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(models.Q(roles__user=user) | models.Q(created_by=user)).distinct()


class AttendanceQuerySet(models.QuerySet["Any"]):
    def on_wall(self) -> "AttendanceQuerySet":
        return self.filter(hidden=False).exclude(thumbnail="")
