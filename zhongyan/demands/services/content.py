"""Writing a demand's content: create, update, indicators, attachments."""

import hashlib
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands import caching, permissions
from zhongyan.demands.models import Demand, DemandAttachment, Indicator
from zhongyan.demands.services._common import locked, refresh_search_text
from zhongyan.demands.services.lifecycle import DeadlineInPast

CONTENT_FIELDS = (
    "title",
    "summary",
    "background",
    "deliverables",
    "budget_min",
    "budget_max",
    "deadline",
    "modes",
    "ip_terms",
    "confidentiality",
    "keywords",
)
MAX_INDICATORS = 30
MAX_ATTACHMENTS = 20
# Magic numbers of the binary types we accept; text types are checked for decodability.
_MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".zip": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}


class BadBudget(DomainError):
    default_message = _("The lower budget must not exceed the upper budget.")


class BadAttachment(DomainError):
    default_message = _("This file cannot be attached.")


def _validate(values: dict[str, Any], *, deadline_changed: bool) -> None:
    low, high = values.get("budget_min"), values.get("budget_max")
    if low is not None and high is not None and low > high:
        raise BadBudget()
    deadline: datetime | None = values.get("deadline")
    if deadline_changed and deadline is not None and deadline <= timezone.now():
        raise DeadlineInPast()
    if "modes" in values:
        valid = set(Demand.Mode.values)
        if any(mode not in valid for mode in values["modes"] or []):
            raise DomainError(_("Choose cooperation modes from the list."))
    if "ip_terms" in values and values["ip_terms"] not in Demand.IpTerms.values:
        raise DomainError(_("Choose IP terms from the list."))
    if "confidentiality" in values and values["confidentiality"] not in Demand.Confidentiality.values:
        raise DomainError(_("Choose a confidentiality level from the list."))
    if "title" in values and not any((values["title"] or {}).values()):
        raise DomainError(_("Enter a title in Chinese or English."))
    if "summary" in values and not any((values["summary"] or {}).values()):
        raise DomainError(_("Enter a summary in Chinese or English."))


def _set_indicators(demand: Demand, indicators: list[dict[str, Any]]) -> None:
    if len(indicators) > MAX_INDICATORS:
        raise DomainError(_("A demand has at most 30 indicators."))
    demand.indicators.all().delete()
    Indicator.objects.bulk_create(
        Indicator(
            demand=demand,
            name=item["name"],
            target=item.get("target", ""),
            unit=item.get("unit", ""),
            position=position,
        )
        for position, item in enumerate(indicators)
        if any((item.get("name") or {}).values())
    )


def create_demand(
    *,
    actor: Any,
    organisation: Any,
    indicators: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Demand:
    """A new draft. `fields` takes the content fields, `fields=[Field, ...]` for the taxonomy
    and `owner=` for a contact other than the actor (a member of the organisation)."""
    if not permissions.can_create_demand_for(actor, organisation):
        raise NotPermitted()
    taxonomy = fields.pop("fields", None)
    owner = fields.pop("owner", None) or actor
    values = {key: value for key, value in fields.items() if key in CONTENT_FIELDS}
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"create_demand() got unknown fields: {sorted(unknown)}")
    if "deadline" not in values or values["deadline"] is None:
        raise DeadlineInPast()
    _validate(values, deadline_changed=True)
    with transaction.atomic():
        demand = Demand.objects.create(organisation=organisation, owner=owner, status=Demand.Status.DRAFT, **values)
        if taxonomy is not None:
            demand.fields.set(taxonomy)
        _set_indicators(demand, indicators or [])
        refresh_search_text(demand)
        record(actor, "demand.created", demand, {"organisation": organisation.public_id})
    return demand


def update_demand(
    *,
    actor: Any,
    demand: Demand,
    indicators: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Demand:
    """Change content. Confidentiality is fixed once the demand has been published: solvers may
    already have accepted an NDA or been shown a teaser under the old level."""
    taxonomy = fields.pop("fields", None)
    values = {key: value for key, value in fields.items() if key in CONTENT_FIELDS}
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"update_demand() got unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        locked(demand)
        if not permissions.can_edit_demand(actor, demand):
            raise NotPermitted()
        if (
            "confidentiality" in values
            and values["confidentiality"] != demand.confidentiality
            and demand.published_at is not None
        ):
            raise DomainError(_("The confidentiality of a published demand cannot change."))
        deadline_changed = "deadline" in values and values["deadline"] != demand.deadline
        merged = {key: getattr(demand, key) for key in ("budget_min", "budget_max")} | values
        _validate(merged, deadline_changed=deadline_changed)
        published = demand.status in (Demand.Status.PUBLISHED, Demand.Status.CLOSED)
        if deadline_changed and published and values["deadline"] < demand.deadline:
            raise DomainError(_("The deadline of a published demand can only be extended."))
        changed = sorted(key for key, value in values.items() if getattr(demand, key) != value)
        for key, value in values.items():
            setattr(demand, key, value)
        demand.save()
        if taxonomy is not None:
            demand.fields.set(taxonomy)
        if indicators is not None:
            _set_indicators(demand, indicators)
        refresh_search_text(demand)
        record(actor, "demand.updated", demand, {"changed": changed})
    return demand


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload, else BadAttachment with the reason."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in DemandAttachment.CONTENT_TYPES:
        raise BadAttachment(_("Attach PDF, Word, Excel, PowerPoint, image, text, CSV or ZIP files only."))
    if not upload.size:
        raise BadAttachment(_("The file is empty."))
    if upload.size > DemandAttachment.MAX_SIZE:
        raise BadAttachment(_("A file may be at most 20 MB."))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    magic = _MAGIC.get(extension)
    if magic and not head.startswith(magic):
        raise BadAttachment(_("The file's content does not match its type."))
    return extension, DemandAttachment.CONTENT_TYPES[extension]


def add_attachment(*, actor: Any, demand: Demand, upload: UploadedFile) -> DemandAttachment:
    if not permissions.can_edit_demand(actor, demand):
        raise NotPermitted()
    _extension, content_type = check_upload(upload)
    if demand.attachments.count() >= MAX_ATTACHMENTS:
        raise BadAttachment(_("A demand has at most 20 attachments."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        attachment = DemandAttachment(
            demand=demand,
            original_name=PurePath(upload.name or "file").name[:200],
            size=upload.size or 0,
            content_type=content_type,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save("upload", upload, save=False)
        path = attachment.file.name
        storage = attachment.file.storage
        try:
            attachment.save()
            caching.touch_demand(demand.public_id)
            record(
                actor,
                "demand.attachment_added",
                demand,
                {"attachment": attachment.public_id, "name": attachment.original_name, "sha256": attachment.sha256},
            )
        except Exception:
            storage.delete(path)
            raise
    return attachment


def remove_attachment(*, actor: Any, attachment: DemandAttachment) -> None:
    demand = attachment.demand
    if not permissions.can_edit_demand(actor, demand):
        raise NotPermitted()
    storage, path = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        record(
            actor,
            "demand.attachment_removed",
            demand,
            {"attachment": attachment.public_id, "name": attachment.original_name, "sha256": attachment.sha256},
        )
        attachment.delete()
        caching.touch_demand(demand.public_id)
        transaction.on_commit(lambda: storage.delete(path))
