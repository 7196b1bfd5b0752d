"""Use cases of the catalogue: the only write path for catalogue entries."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.catalog import permissions
from zhongyan.catalog.models import Offering
from zhongyan.core.audit import record
from zhongyan.core.content import all_text
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.search import index_text

EDITABLE = ("kind", "title", "description", "trl", "ip_status", "licensing", "keywords", "status")


class OfferingInvalid(DomainError):
    default_message = _("The catalogue entry could not be saved.")


def _check(values: dict[str, Any]) -> None:
    trl = values.get("trl")
    if trl is not None and not 1 <= int(trl) <= 9:
        raise OfferingInvalid(_("The technology readiness level runs from 1 to 9."))
    if values.get("kind") in (Offering.Kind.LAB, Offering.Kind.EQUIPMENT) and trl is not None:
        raise OfferingInvalid(_("Laboratories and equipment have no technology readiness level."))


def search_text_of(offering: Offering) -> str:
    return index_text([all_text(offering.title), all_text(offering.description), offering.keywords])


def create_offering(*, actor: Any, organisation: Any, values: dict[str, Any], fields: Iterable[Any] = ()) -> Offering:
    if not permissions.can_create_offering_for(actor, organisation):
        raise NotPermitted
    values = {name: values[name] for name in EDITABLE if name in values}
    _check(values)
    with transaction.atomic():
        offering = Offering(organisation=organisation, created_by=actor, **values)
        offering.search_text = search_text_of(offering)
        offering.save()
        offering.fields.set(list(fields))
        record(actor, "catalog.offering_created", offering, {"kind": offering.kind})
    return offering


def update_offering(
    *, actor: Any, offering: Offering, values: dict[str, Any], fields: Iterable[Any] | None = None
) -> Offering:
    if not permissions.can_edit_offering(actor, offering):
        raise NotPermitted
    values = {name: values[name] for name in EDITABLE if name in values}
    _check({"kind": offering.kind, "trl": offering.trl, **values})
    # Compared with the stored row, not the instance: a bound ModelForm has already copied the new
    # values onto the instance it was given, and the change would otherwise go unnoticed (and unsaved).
    stored = Offering.objects.filter(pk=offering.pk).values(*values).first() or {}
    changed = sorted(name for name, value in values.items() if stored.get(name) != value)
    with transaction.atomic():
        for name in changed:
            setattr(offering, name, values[name])
        offering.search_text = search_text_of(offering)
        offering.save(update_fields=[*changed, "search_text", "updated_at"])
        if fields is not None:
            offering.fields.set(list(fields))
            changed.append("fields")
        if changed:
            record(actor, "catalog.offering_updated", offering, {"changed": changed})
    return offering
