"""Drafting, attaching, submitting and withdrawing proposals."""

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.core.audit import record
from zhongyan.core.content import Bilingual
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.core.lifecycle import check_transition
from zhongyan.demands.models import Demand
from zhongyan.orgs.models import Organisation
from zhongyan.proposals import signals
from zhongyan.proposals.models import Proposal, ProposalAttachment, Receipt
from zhongyan.proposals.permissions import can_submit_proposal, can_withdraw_proposal
from zhongyan.proposals.receipts import content_hash, proposal_content, receipt_number
from zhongyan.proposals.services._common import (
    AlreadySubmitted,
    DeadlinePassed,
    IncompleteProposal,
    InvalidAttachment,
    accepts_proposals_now,
    lock_demand,
    now,
    send_after_commit,
)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Extension -> (content type, leading bytes the file must start with, or None for text).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".zip": ("application/zip", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
}


@dataclass
class ProposalContent:
    approach: Bilingual = field(default_factory=dict)
    team: Bilingual = field(default_factory=dict)
    timeline: Bilingual = field(default_factory=dict)
    budget: int | None = None
    deliverables: dict[str, str] = field(default_factory=dict)
    organisation: Organisation | None = None


def _refusal(actor: Any, demand: Demand) -> DomainError:
    """Why a solver may not write: the deadline, for someone who has a proposal there; else no right."""
    if not demand.accepts_proposals and Proposal.objects.filter(demand=demand, solver=actor).active().exists():
        return DeadlinePassed()
    return NotPermitted()


def _check_organisation(actor: Any, organisation: Organisation | None) -> None:
    if organisation is not None and not organisation.memberships.filter(user=actor).exists():
        raise NotPermitted(_("You can only propose on behalf of an organisation you belong to."))


def _clean_deliverables(demand: Demand, deliverables: dict[str, str]) -> dict[str, str]:
    """Keep only the demand's own indicators, keyed by indicator id as text."""
    known = {str(pk) for pk in demand.indicators.values_list("pk", flat=True)}
    return {str(key): str(text).strip()[:4000] for key, text in deliverables.items() if str(key) in known and text}


def _apply(proposal: Proposal, content: ProposalContent) -> None:
    proposal.approach = content.approach or {}
    proposal.team = content.team or {}
    proposal.timeline = content.timeline or {}
    proposal.budget = content.budget
    proposal.deliverables = _clean_deliverables(proposal.demand, content.deliverables or {})
    proposal.organisation = content.organisation


def _active_proposal(demand: Demand, solver: Any) -> Proposal | None:
    return Proposal.objects.select_for_update().filter(demand=demand, solver=solver).active().first()


def _open_draft(actor: Any, demand: Demand) -> Proposal:
    """The solver's active proposal, creating a draft if there is none. The partial unique
    constraint guarantees one even if two requests get here together."""
    proposal = _active_proposal(demand, actor)
    if proposal is not None:
        return proposal
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(demand=demand, solver=actor)
    except IntegrityError:
        existing = _active_proposal(demand, actor)
        if existing is None:
            raise
        return existing
    record(actor, "proposal.draft_started", proposal, {"demand": demand.public_id})
    return proposal


def save_draft(*, actor: Any, demand: Demand, content: ProposalContent) -> Proposal:
    """Create or update the solver's draft. Called by autosave every few seconds, so only the
    first save is audited; submission records the full content in the receipt."""
    if not can_submit_proposal(actor, demand):
        raise _refusal(actor, demand)
    _check_organisation(actor, content.organisation)
    with transaction.atomic():
        demand = lock_demand(demand)
        if not accepts_proposals_now(demand):
            raise DeadlinePassed()
        proposal = _open_draft(actor, demand)
        if proposal.status != Proposal.Status.DRAFT:
            raise AlreadySubmitted()
        _apply(proposal, content)
        proposal.version += 1
        proposal.save()
    return proposal


def _issue_receipt(proposal: Proposal) -> Receipt:
    digest = content_hash(proposal_content(proposal))
    # The number comes from the row id, which the database hands out uniquely under concurrency.
    receipt = Receipt.objects.create(
        proposal=proposal, number=f"pending-{proposal.public_id}", sha256=digest, issued_at=proposal.submitted_at
    )
    # The year as the platform's users read it (Asia/Shanghai by default), not UTC.
    receipt.number = receipt_number(timezone.localtime(proposal.submitted_at).year, receipt.pk)
    receipt.save(update_fields=["number"])
    return receipt


def submit_proposal(*, actor: Any, demand: Demand, content: ProposalContent | None = None) -> Proposal:
    """Submit the solver's proposal (the draft, updated with `content` if given) and issue its
    receipt. Idempotent: a second call (a double click) returns the proposal already submitted.
    The deadline is checked inside the transaction holding the demand's row lock, so a submission
    racing the deadline is either accepted whole (status, time, receipt, audit) or refused whole."""
    if not can_submit_proposal(actor, demand) and not _already_submitted(actor, demand):
        raise _refusal(actor, demand)
    if content is not None:
        _check_organisation(actor, content.organisation)
    with transaction.atomic():
        demand = lock_demand(demand)
        existing = _active_proposal(demand, actor)
        if existing is not None and existing.was_submitted:
            return existing
        if not accepts_proposals_now(demand):
            raise DeadlinePassed()
        proposal = _open_draft(actor, demand)
        if content is not None:
            _apply(proposal, content)
        if not any((proposal.approach or {}).values()):
            raise IncompleteProposal()
        check_transition(Proposal.TRANSITIONS, proposal.status, Proposal.Status.SUBMITTED)
        proposal.status = Proposal.Status.SUBMITTED
        proposal.submitted_at = now()
        proposal.save()
        receipt = _issue_receipt(proposal)
        record(
            actor,
            "proposal.submitted",
            proposal,
            {"demand": demand.public_id, "receipt": receipt.number, "sha256": receipt.sha256},
        )
        send_after_commit(signals.proposal_submitted, proposal=proposal, receipt=receipt, actor=actor)
    return proposal


def _already_submitted(actor: Any, demand: Demand) -> bool:
    return (
        getattr(actor, "is_authenticated", False)
        and Proposal.objects.filter(demand=demand, solver=actor).submitted().exists()
    )


def withdraw_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    if not can_withdraw_proposal(actor, proposal):
        if proposal.solver_id == getattr(actor, "pk", None) and not proposal.demand.accepts_proposals:
            raise DeadlinePassed(_("Proposals can only be withdrawn before the deadline."))
        raise NotPermitted()
    with transaction.atomic():
        lock_demand(proposal.demand)
        proposal.refresh_from_db()
        if not accepts_proposals_now(proposal.demand):
            raise DeadlinePassed(_("Proposals can only be withdrawn before the deadline."))
        check_transition(Proposal.TRANSITIONS, proposal.status, Proposal.Status.WITHDRAWN)
        old = proposal.status
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.withdrawn_at = now()
        proposal.save(update_fields=["status", "withdrawn_at", "updated_at"])
        record(actor, "proposal.withdrawn", proposal, {"from": old})
        send_after_commit(signals.proposal_withdrawn, proposal=proposal, actor=actor)
    return proposal


def _check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(clean file name, content type), or InvalidAttachment with the reason."""
    name = os.path.basename(upload.name or "").strip()[:200]
    extension = os.path.splitext(name)[1].lower()
    if extension not in ATTACHMENT_TYPES:
        raise InvalidAttachment(
            _("Files of this type cannot be attached. Allowed: PDF, Word, Excel, PowerPoint, images, text, CSV, ZIP.")
        )
    if upload.size is None or upload.size == 0:
        raise InvalidAttachment(_("The file is empty."))
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise InvalidAttachment(_("The file is larger than 20 MB."))
    content_type, signatures = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 2 KiB boundary is still text.
            if error.start < len(head) - 4:
                raise InvalidAttachment(_("The file's content does not match its type.")) from error
    elif not head.startswith(signatures):
        raise InvalidAttachment(_("The file's content does not match its type."))
    return name, content_type


def add_attachment(*, actor: Any, proposal: Proposal, upload: UploadedFile) -> ProposalAttachment:
    if proposal.solver_id != getattr(actor, "pk", None):
        raise NotPermitted()
    name, content_type = _check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        demand = lock_demand(proposal.demand)
        proposal.refresh_from_db()
        if not accepts_proposals_now(demand):
            raise DeadlinePassed()
        if proposal.status != Proposal.Status.DRAFT:
            raise AlreadySubmitted()
        if proposal.attachments.count() >= MAX_ATTACHMENTS:
            raise InvalidAttachment(_("A proposal can have at most 10 attachments."))
        attachment = ProposalAttachment(
            proposal=proposal,
            name=name,
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        Proposal.objects.filter(pk=proposal.pk).update(version=proposal.version + 1)
        record(actor, "proposal.attachment_added", proposal, {"name": name, "sha256": attachment.sha256})
    return attachment


def remove_attachment(*, actor: Any, attachment: ProposalAttachment) -> None:
    proposal = attachment.proposal
    if proposal.solver_id != getattr(actor, "pk", None):
        raise NotPermitted()
    with transaction.atomic():
        demand = lock_demand(proposal.demand)
        proposal.refresh_from_db()
        if not accepts_proposals_now(demand):
            raise DeadlinePassed()
        if proposal.status != Proposal.Status.DRAFT:
            raise AlreadySubmitted()
        record(actor, "proposal.attachment_removed", proposal, {"name": attachment.name})
        stored = attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.storage.delete(stored))
