"""Tamper-evident submission receipts.

The receipt hash is SHA-256 over the canonical JSON (sorted keys, no whitespace, UTF-8) of the
proposal's submitted content and the SHA-256 of every attachment's bytes. Verification recomputes
it from what is stored *now*: an edited proposal row or a swapped file gives a different hash.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from zhongyan.proposals.models import Proposal, ProposalAttachment, Receipt

RECEIPT_FORMAT = "zhongyan-proposal-receipt/1"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def file_sha256(attachment: ProposalAttachment) -> str:
    digest = hashlib.sha256()
    with attachment.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def proposal_content(proposal: Proposal, *, rehash_files: bool = True) -> dict[str, Any]:
    """The content a receipt covers. With rehash_files the attachment hashes come from the bytes on
    disk, not from the stored column, so a replaced file is detected too."""
    attachments = []
    for attachment in proposal.attachments.order_by("created_at", "pk"):
        digest = attachment.sha256
        if rehash_files:
            try:
                digest = file_sha256(attachment)
            except OSError:
                digest = "missing"
        attachments.append({"name": attachment.name, "size": attachment.size, "sha256": digest})
    return {
        "format": RECEIPT_FORMAT,
        "proposal": proposal.public_id,
        "demand": proposal.demand.public_id,
        "solver": proposal.solver.public_id,
        "organisation": proposal.organisation.public_id if proposal.organisation_id else None,
        "submitted_at": proposal.submitted_at.isoformat() if proposal.submitted_at else None,
        "approach": proposal.approach or {},
        "team": proposal.team or {},
        "timeline": proposal.timeline or {},
        "budget": proposal.budget,
        "deliverables": {str(key): value for key, value in (proposal.deliverables or {}).items()},
        "attachments": attachments,
    }


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def receipt_number(year: int, sequence: int) -> str:
    return f"ZY-{year}-{sequence:06d}"


def receipt_document(receipt: Receipt) -> dict[str, Any]:
    """What the solver downloads: the number, time, hash and the content it covers, so anyone can
    recompute the hash offline."""
    return {
        "format": RECEIPT_FORMAT,
        "number": receipt.number,
        "issued_at": receipt.issued_at.isoformat(),
        "sha256": receipt.sha256,
        "content": proposal_content(receipt.proposal, rehash_files=False),
    }


@dataclass(frozen=True)
class Verification:
    matches: bool
    receipt: Receipt | None
    # The receipt is genuine but the stored proposal or a file no longer hashes to it.
    tampered: bool = False


def normalise_number(number: str) -> str:
    return number.strip().upper()


def verify_receipt(number: str, sha256: str) -> Verification:
    """Whether the receipt number and hash match what the platform holds now. The same answer for
    an unknown number and a wrong hash, so the page cannot be used to probe receipt numbers."""
    receipt = (
        Receipt.objects.select_related("proposal__demand", "proposal__solver", "proposal__organisation")
        .filter(number=normalise_number(number))
        .first()
    )
    claimed = sha256.strip().lower()
    if receipt is None or claimed != receipt.sha256:
        return Verification(matches=False, receipt=None)
    current = content_hash(proposal_content(receipt.proposal))
    if current != receipt.sha256:
        return Verification(matches=False, receipt=receipt, tampered=True)
    return Verification(matches=True, receipt=receipt)


def parse_receipt_file(data: bytes) -> tuple[str, str] | None:
    """(number, sha256) from a downloaded receipt file, or None when it is not one."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != RECEIPT_FORMAT:
        return None
    number, digest = document.get("number"), document.get("sha256")
    if not isinstance(number, str) or not isinstance(digest, str):
        return None
    return number, digest
