"""Anyone checks a contract: upload the PDF, or give the contract number and the platform checks the
copy it holds. Reads only (plus the audit entry): nothing here changes a contract."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts import authority
from zhongyan.contracts.models import Contract
from zhongyan.contracts.signing import VerificationReport, verify_pdf
from zhongyan.core.audit import record

PDF_MAGIC = b"%PDF-"

TOO_LARGE = _("The file is too large.")
NOT_FOUND = _("No locked or signed contract has this number.")
NOTHING_GIVEN = _("Upload a PDF or enter a contract number.")
ERROR_MESSAGES = {
    "not_a_pdf": _("This file is not a PDF."),
    "encrypted": _("This PDF is encrypted; upload the file without a password."),
    "unreadable": _("This PDF is damaged and cannot be read."),
}


@dataclass(frozen=True)
class Verification:
    report: VerificationReport
    contract: Contract | None  # the platform's contract this file is (same SHA-256), or the one looked up
    platform_copy: bool  # the file is byte for byte the platform's current copy

    @property
    def error_message(self) -> str:
        return str(ERROR_MESSAGES.get(self.report.error, "")) if self.report.verdict == "error" else ""


def looks_like_pdf(head: bytes) -> bool:
    return PDF_MAGIC in head[:1024]


def _audit(actor: Any, contract: Contract | None, source: str, report: VerificationReport) -> None:
    with transaction.atomic():
        record(
            actor,
            "contract.verified",
            contract,
            {
                "source": source,
                "verdict": report.verdict,
                "sha256": report.sha256,
                "signatures": len(report.signatures),
            },
        )


def verify_upload(*, actor: Any, data: bytes) -> Verification:
    report = verify_pdf(data, authority.trust_roots())
    contract = Contract.objects.filter(pdf_sha256=report.sha256).first() if report.sha256 else None
    _audit(actor, contract, "upload", report)
    return Verification(report, contract, contract is not None)


def verify_number(*, actor: Any, number: str) -> Verification | None:
    """The platform's copy of a locked or signed contract; None for unknown numbers and drafts."""
    contract = Contract.objects.exclude(status=Contract.Status.DRAFT).filter(number=number.strip().upper()).first()
    if contract is None or contract.pdf is None:
        return None
    report = verify_pdf(bytes(contract.pdf), authority.trust_roots())
    _audit(actor, contract, "number", report)
    return Verification(report, contract, True)
