"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so an edited, inserted
or deleted row breaks the chain and `manage.py verify_audit` names it. `AuditHead` holds the
latest sequence number and hash, updated in the same transaction, so cutting rows off the end
is caught too. Database triggers (see the migration) refuse UPDATE and DELETE.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the chain still verifies after an account is deleted.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    verb = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]
        indexes = [
            # The audit trail of one object (a demand's history page).
            models.Index(fields=["target_type", "target_id", "seq"], name="core_auditentry_target_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit entries are append-only.")


class AuditHead(models.Model):
    """One row: the newest entry's sequence number and hash."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
