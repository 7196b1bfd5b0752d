"""REST endpoints for contracts: the same scopes, permissions and services as the pages.
Mounted at /api/v1/contracts/. Verification is public, as on the page."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zhongyan.contracts import permissions, services, verification
from zhongyan.contracts.models import Contract
from zhongyan.contracts.signing import SignatureReport
from zhongyan.core.audit import record
from zhongyan.core.errors import DomainError, NotPermitted

router = Router(tags=["contracts"])


class PartyOut(Schema):
    role: str
    name: dict[str, str]
    signed_at: datetime | None
    signed_by: str | None

    @staticmethod
    def resolve_signed_by(obj: Any) -> str | None:
        return obj.signed_by.name if obj.signed_by_id else None


class ContractOut(Schema):
    id: str = Field(..., alias="public_id")
    number: str
    status: str
    signing_order: str
    version: int
    fields: dict[str, Any]
    pdf_sha256: str
    parties: list[PartyOut]

    @staticmethod
    def resolve_parties(obj: Contract) -> list[Any]:
        return list(obj.parties.all())


class ChangeIn(Schema):
    fields: dict[str, Any]
    base_version: int
    note: str = ""


class LockIn(Schema):
    signing_order: str = Contract.SigningOrder.SEQUENTIAL


class SignIn(Schema):
    password: str
    code: str = Field("", description="TOTP code, or the code e-mailed by POST .../signing-code")


class SignatureOut(Schema):
    field_name: str
    signer_name: str
    organisation: str
    email: str
    signing_time: datetime | None
    ok: bool
    intact: bool
    trusted: bool
    chain: list[str]
    later_changes: str
    problems: list[str]


class VerificationOut(Schema):
    verdict: str
    complete: bool
    error: str
    message: str
    sha256: str
    contract_number: str | None
    platform_copy: bool
    unsigned_fields: list[str]
    signatures: list[SignatureOut]


class ErrorOut(Schema):
    detail: str


def _contract(request: HttpRequest, public_id: str) -> Contract:
    return get_object_or_404(Contract.objects.visible_to(request.auth), public_id=public_id)  # type: ignore[attr-defined]


def _signature(report: SignatureReport) -> dict[str, Any]:
    return {
        "field_name": report.field_name,
        "signer_name": report.signer_name,
        "organisation": report.organisation,
        "email": report.email,
        "signing_time": report.signing_time,
        "ok": report.ok,
        "intact": report.intact,
        "trusted": report.trusted,
        "chain": list(report.chain),
        "later_changes": report.later_changes,
        "problems": list(report.problems),
    }


def _verification(result: verification.Verification) -> dict[str, Any]:
    report = result.report
    return {
        "verdict": report.verdict,
        "complete": report.complete,
        "error": report.error,
        "message": result.error_message,
        "sha256": report.sha256,
        "contract_number": result.contract.number if result.contract else None,
        "platform_copy": result.platform_copy,
        "unsigned_fields": list(report.unsigned_fields),
        "signatures": [_signature(signature) for signature in report.signatures],
    }


@router.post(
    "/verify",
    auth=None,
    response={200: VerificationOut, 400: ErrorOut, 404: ErrorOut},
    summary="Verify an uploaded PDF (multipart field `pdf`) or a contract number (form field `number`)",
)
def verify(request: HttpRequest, pdf: UploadedFile | None = File(None), number: str = Form("")) -> Any:  # noqa: B008
    actor = request.user if request.user.is_authenticated else None
    if pdf is not None:
        if pdf.size > settings.CONTRACT_UPLOAD_MAX_BYTES:
            raise DomainError(verification.TOO_LARGE)
        data = pdf.read()
        if not verification.looks_like_pdf(data[:1024]):
            raise DomainError(verification.ERROR_MESSAGES["not_a_pdf"])
        return _verification(verification.verify_upload(actor=actor, data=data))
    if number.strip():
        result = verification.verify_number(actor=actor, number=number)
        if result is None:
            return Status(404, {"detail": str(verification.NOT_FOUND)})
        return _verification(result)
    raise DomainError(verification.NOTHING_GIVEN)


@router.get("/", response=list[ContractOut], summary="Contracts visible to me")
def list_contracts(request: HttpRequest) -> Any:
    return Contract.objects.visible_to(request.auth).prefetch_related("parties__signed_by")[:200]  # type: ignore[attr-defined]


@router.get("/{public_id}", response=ContractOut, summary="One contract")
def get_contract(request: HttpRequest, public_id: str) -> Any:
    contract = _contract(request, public_id)
    record(request.auth, "contract.viewed", contract, {"via": "api"})  # type: ignore[attr-defined]
    return contract


@router.post("/{public_id}/changes", response=ContractOut, summary="Propose a change (a new version)")
def propose_change(request: HttpRequest, public_id: str, payload: ChangeIn) -> Any:
    contract = _contract(request, public_id)
    services.propose_change(
        actor=request.auth,  # type: ignore[attr-defined]
        contract=contract,
        fields=payload.fields,
        base_version=payload.base_version,
        note=payload.note,
    )
    return Contract.objects.get(pk=contract.pk)


@router.post("/{public_id}/lock", response=ContractOut, summary="Lock for signing (renders the PDF)")
def lock(request: HttpRequest, public_id: str, payload: LockIn) -> Any:
    contract = _contract(request, public_id)
    return services.lock_contract(actor=request.auth, contract=contract, signing_order=payload.signing_order)  # type: ignore[attr-defined]


@router.post("/{public_id}/signing-code", response={202: None}, summary="E-mail me a one-time signing code")
def signing_code(request: HttpRequest, public_id: str) -> Any:
    contract = _contract(request, public_id)
    services.request_signing_code(actor=request.auth, contract=contract)  # type: ignore[attr-defined]
    return Status(202, None)


@router.post("/{public_id}/sign", response=ContractOut, summary="Sign (password plus TOTP or e-mailed code)")
def sign(request: HttpRequest, public_id: str, payload: SignIn) -> Any:
    contract = _contract(request, public_id)
    return services.sign_contract(
        actor=request.auth,  # type: ignore[attr-defined]
        contract=contract,
        password=payload.password,
        code=payload.code,
        ip_address=request.META.get("REMOTE_ADDR"),
    )


@router.get("/{public_id}/pdf", summary="The current PDF (application/pdf)")
def pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    contract = _contract(request, public_id)
    if not permissions.can_download_contract(request.auth, contract) or contract.pdf is None:  # type: ignore[attr-defined]
        raise NotPermitted()
    record(request.auth, "contract.downloaded", contract, {"via": "api"})  # type: ignore[attr-defined]
    response = HttpResponse(bytes(contract.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{contract.number}.pdf"'
    return response
