"""Receivers of lower layers' rows: a membership decides which internal demands someone sees, so a
change to one moves that person's cached visibility class on (caching.forget_visibility).
Memberships are written by several organisation services, the admin and the demo: the row's
signals are the one place all of them pass."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhongyan.demands import caching
from zhongyan.orgs.models import Membership


@receiver(post_save, sender=Membership, dispatch_uid="demands.membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="demands.membership_deleted")
def membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    caching.forget_visibility(instance.user_id)
