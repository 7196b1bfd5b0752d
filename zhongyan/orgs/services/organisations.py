"""Registering, editing and verifying organisations."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhongyan.accounts.models import Field, User
from zhongyan.core import audit
from zhongyan.core.content import Bilingual
from zhongyan.core.lifecycle import check_transition
from zhongyan.orgs import errors
from zhongyan.orgs import permissions as perms
from zhongyan.orgs.mail import absolute_url, operator_addresses, owner_addresses, send_after_commit
from zhongyan.orgs.models import Membership, Organisation
from zhongyan.orgs.services.common import (
    ADMIN_EDITABLE_FIELDS,
    EDITABLE_FIELDS,
    Role,
    check_kind,
    clean_text,
    clean_website,
    require,
)


def create_organisation(
    *,
    actor: User,
    name: Bilingual,
    kind: str,
    description: Bilingual | None = None,
    website: str = "",
    city: Bilingual | None = None,
    fields: Iterable[Field] = (),
) -> Organisation:
    """The creator becomes its owner; the organisation waits for an operator's verification."""
    require(perms.can_create_organisation(actor))
    name = clean_text(name)
    if not name:
        raise errors.NameRequired()
    check_kind(actor, kind)
    website = clean_website(website)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            description=clean_text(description),
            website=website,
            city=clean_text(city),
        )
        organisation.fields.set(fields)
        Membership.objects.create(organisation=organisation, user=actor, role=Role.OWNER)
        audit.record(actor, "org.created", organisation, {"name": name, "kind": kind})
        send_after_commit(
            "organisation_submitted",
            operator_addresses(),
            {"organisation": organisation, "actor": actor, "url": absolute_url("orgs:verification_queue")},
        )
    return organisation


def update_organisation(
    *, actor: User, organisation: Organisation, fields: Iterable[Field] | None = None, **changes: Any
) -> Organisation:
    """Change the profile. A rejected organisation edited by its own people goes back into the
    operators' queue, so fixing what was wrong is how one asks for another look."""
    require(perms.can_edit_organisation(actor, organisation))
    unknown = set(changes) - set(ADMIN_EDITABLE_FIELDS if actor.is_staff else EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for key in ("name", "description", "city"):
        if key in changes:
            changes[key] = clean_text(changes[key])
    if "name" in changes and not changes["name"]:
        raise errors.NameRequired()
    if "kind" in changes and changes["kind"] != organisation.kind:
        check_kind(actor, changes["kind"])
    if "website" in changes:
        changes["website"] = clean_website(changes["website"])
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changed = sorted(key for key, value in changes.items() if getattr(organisation, key) != value)
        for key in changed:
            setattr(organisation, key, changes[key])
        if fields is not None:
            new_ids = {field.pk for field in fields}
            if new_ids != set(organisation.fields.values_list("pk", flat=True)):
                organisation.fields.set(list(new_ids))
                changed.append("fields")
        resubmitted = organisation.verification == Organisation.Verification.REJECTED and not actor.is_staff
        if resubmitted:
            organisation.verification = Organisation.Verification.PENDING
        organisation.save()
        audit.record(actor, "org.updated", organisation, {"changed": changed, "resubmitted": resubmitted})
        if resubmitted:
            send_after_commit(
                "organisation_submitted",
                operator_addresses(),
                {"organisation": organisation, "actor": actor, "url": absolute_url("orgs:verification_queue")},
            )
    return organisation


def _decide_verification(*, actor: User, organisation: Organisation, target: str, note: str) -> Organisation:
    require(perms.can_verify_organisation(actor, organisation))
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        check_transition(Organisation.TRANSITIONS, organisation.verification, target)
        organisation.verification = target
        organisation.verification_note = note
        organisation.verified_at = timezone.now() if target == Organisation.Verification.VERIFIED else None
        organisation.save(update_fields=["verification", "verification_note", "verified_at", "updated_at"])
        verb = "org.verified" if target == Organisation.Verification.VERIFIED else "org.rejected"
        audit.record(actor, verb, organisation, {"note": note})
        send_after_commit(
            "verification_decided",
            owner_addresses(organisation),
            {"organisation": organisation, "note": note, "url": absolute_url("orgs:detail", organisation.public_id)},
        )
    return organisation


def verify_organisation(*, actor: User, organisation: Organisation, note: str = "") -> Organisation:
    return _decide_verification(
        actor=actor, organisation=organisation, target=Organisation.Verification.VERIFIED, note=note.strip()[:500]
    )


def reject_organisation(*, actor: User, organisation: Organisation, note: str) -> Organisation:
    require(perms.can_verify_organisation(actor, organisation))
    note = (note or "").strip()[:500]
    if not note:
        raise errors.NoteRequired()
    return _decide_verification(
        actor=actor, organisation=organisation, target=Organisation.Verification.REJECTED, note=note
    )
