from typing import Any

from django.db import models


class NotificationQuerySet(models.QuerySet["Any"]):
    """Views load notifications only through `inbox_of(user)`: another person's row is a 404."""

    def inbox_of(self, user: Any) -> "NotificationQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user, in_inbox=True)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def unread_first(self) -> "NotificationQuerySet":
        unread = models.Case(models.When(read_at__isnull=True, then=0), default=1, output_field=models.IntegerField())
        return self.order_by(unread, "-created_at", "-id")
