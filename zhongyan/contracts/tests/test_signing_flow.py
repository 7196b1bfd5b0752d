"""Signing through the service: confirmation factors, certificates, the contract in force."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.test import Client

from zhongyan.accounts.tests.factories import PASSWORD
from zhongyan.contracts import authority, services, signals, verification
from zhongyan.contracts.models import Contract, ContractParty, SignerCertificate, SigningCode
from zhongyan.contracts.signing import verify_pdf
from zhongyan.contracts.tests.conftest import email_code, sign_as
from zhongyan.contracts.tests.pdftools import page_texts
from zhongyan.core.audit_models import AuditEntry

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _current_totp() -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


def test_two_parties_sign_in_turn_and_both_signatures_are_valid(
    locked, owner, solver_admin, django_capture_on_commit_callbacks
) -> None:
    sent = []
    signals.contract_signed.connect(lambda **kw: sent.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sign_as(owner, locked)
            assert Contract.objects.get(pk=locked.pk).status == Contract.Status.SIGNING
            contract = sign_as(solver_admin, locked)
    finally:
        signals.contract_signed.disconnect(dispatch_uid="t")
    report = verify_pdf(bytes(contract.pdf), authority.trust_roots())
    assert report.verdict == "valid" and report.complete
    assert [(s.field_name, s.signer_name, s.organisation) for s in report.signatures] == [
        ("party_a", "张伟", "冷轧厂"),
        ("party_b", "欧阳堃", "钢铁大学"),
    ]
    assert contract.status == Contract.Status.IN_FORCE and contract.in_force_at is not None
    assert bytes(contract.pdf).startswith(bytes(Contract.objects.get(pk=contract.pk).pdf)[: len(b"%PDF-")])
    assert [kw["contract"].pk for kw in sent] == [contract.pk]
    assert AuditEntry.objects.filter(verb="contract.signed", target_id=contract.public_id).count() == 2
    assert AuditEntry.objects.filter(verb="contract.in_force", target_id=contract.public_id).exists()
    assert SignerCertificate.objects.filter(user__in=[owner, solver_admin]).count() == 2


def test_the_certificate_of_completion_is_platform_signed_and_names_the_contract_hash(in_force) -> None:
    report = verify_pdf(bytes(in_force.completion_pdf), authority.trust_roots())
    assert report.verdict == "valid" and report.complete
    assert report.signatures[0].signer_name == "众研平台 Zhongyan Platform"
    text = "".join(page_texts(bytes(in_force.completion_pdf)))
    assert in_force.pdf_sha256 in text.replace("\n", "").replace("\r", "")
    assert "张伟" in text and "欧阳堃" in text and "10.1.2.3" in text and "邮件验证码" in text


def test_a_byte_flipped_anywhere_in_the_signed_contract_is_detected(in_force) -> None:
    data = bytes(in_force.pdf)
    step = len(data) // 9
    for offset in range(11, len(data), step):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        result = verification.verify_upload(actor=None, data=bytes(flipped))
        assert result.report.verdict != "valid", offset
        assert not result.platform_copy


def test_a_wrong_password_is_refused_and_audited(locked, owner) -> None:
    with pytest.raises(services.SigningRefused):
        services.sign_contract(actor=owner, contract=locked, password="wrong", code=email_code(owner, locked))
    entry = AuditEntry.objects.get(verb="contract.signing_refused")
    assert entry.data["reason"] == "password" and entry.actor == owner
    assert not ContractParty.objects.filter(contract=locked, signed_at__isnull=False).exists()


def test_a_wrong_totp_is_refused_and_audited(locked, owner) -> None:
    TOTP.activate(owner, TOTP_SECRET)
    with pytest.raises(services.SigningRefused):
        services.sign_contract(actor=owner, contract=locked, password=PASSWORD, code="000000")
    assert AuditEntry.objects.get(verb="contract.signing_refused").data["reason"] == "totp"
    assert Contract.objects.get(pk=locked.pk).status == Contract.Status.LOCKED


def test_a_signer_with_totp_signs_with_password_and_the_current_code(locked, owner) -> None:
    TOTP.activate(owner, TOTP_SECRET)
    contract = services.sign_contract(actor=owner, contract=locked, password=PASSWORD, code=_current_totp())
    party = contract.parties.get(role="party_a")
    assert party.authentication == ContractParty.Authentication.PASSWORD_TOTP and party.signed_by == owner


def test_an_emailed_code_is_sent_hashed_at_rest_and_works_once(
    locked, owner, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.request_signing_code(actor=owner, contract=locked)
    (message,) = mail.outbox
    code = next(word for word in message.body.split() if word.isdigit() and len(word) == 6)
    assert locked.number in message.subject
    stored = SigningCode.objects.get(user=owner)
    assert code not in stored.code_hash
    services.sign_contract(actor=owner, contract=locked, password=PASSWORD, code=code)
    stored.refresh_from_db()
    assert stored.used_at is not None


def test_a_wrong_emailed_code_is_refused_and_audited(locked, owner) -> None:
    email_code(owner, locked)
    with pytest.raises(services.SigningRefused):
        services.sign_contract(actor=owner, contract=locked, password=PASSWORD, code="123456x")
    assert AuditEntry.objects.get(verb="contract.signing_refused").data["reason"] == "email_code"


def test_sequential_order_makes_party_b_wait_for_party_a(locked, solver_admin) -> None:
    with pytest.raises(services.NotYourTurn):
        services.sign_contract(actor=solver_admin, contract=locked, password=PASSWORD, code="000000")


def test_the_verification_page_by_number_shows_both_signers(in_force) -> None:
    response = Client().get(f"/contracts/verify/{in_force.number}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="valid"' in body and "张伟" in body and "欧阳堃" in body
    assert "Zhongyan Platform Root CA" in body
    assert AuditEntry.objects.filter(verb="contract.verified", actor=None).exists()


def test_the_verification_api_checks_an_uploaded_pdf_without_signing_in(in_force) -> None:
    upload = io.BytesIO(bytes(in_force.pdf))
    upload.name = "contract.pdf"
    response = Client().post("/api/v1/contracts/verify", {"pdf": upload})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["verdict"] == "valid" and data["complete"] and data["platform_copy"]
    assert data["contract_number"] == in_force.number
    assert [s["signer_name"] for s in data["signatures"]] == ["张伟", "欧阳堃"]
