"""Shared model bases. No domain nouns live here."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit_models import AuditEntry, AuditHead

__all__ = ["AuditEntry", "AuditHead", "PublicModel", "TimeStampedModel", "new_public_id"]

# Crockford-style alphabet without look-alikes (0/O, 1/l/I), lower case so URLs read easily.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def new_public_id() -> str:
    """A non-guessable id for URLs: 16 characters, about 79 bits of randomness."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(16))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class PublicModel(TimeStampedModel):
    """Every object with a page has a random public id; the primary key never leaves the server."""

    public_id = models.CharField(_("public id"), max_length=16, unique=True, default=new_public_id, editable=False)

    class Meta:
        abstract = True
