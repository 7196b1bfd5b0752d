"""Signing: the signer confirms (password plus TOTP, or plus an e-mailed code), the platform CA
issues their certificate on first use, the latest PDF is signed incrementally under the contract's
row lock, and the last signature puts the contract in force with a certificate of completion."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhongyan.contracts import authority, permissions, rendering, signals
from zhongyan.contracts.ca import SignerCredentials
from zhongyan.contracts.completion import CompletionSigner, render_completion_certificate
from zhongyan.contracts.models import Contract, ContractParty, SignerCertificate, SigningCode
from zhongyan.contracts.services._common import (
    NotYourTurn,
    SigningRefused,
    lock_contract_row,
    refuse_if_in_force,
    send_after_commit,
)
from zhongyan.contracts.signing import sign_pdf
from zhongyan.core.audit import record
from zhongyan.core.content import localized
from zhongyan.core.errors import DomainError, NotPermitted

CODE_LIFETIME = timedelta(minutes=10)
CODES_PER_HOUR = 5
CERTIFICATE_RENEWAL_MARGIN = timedelta(days=1)


def uses_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def chinese_name(user: Any) -> str:
    return localized(user.display_name, "zh-hans") or user.name


def _code_hash(user: Any, contract: Contract, code: str) -> str:
    message = f"contract-signing-code:{user.pk}:{contract.pk}:{code.strip()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def issue_signing_code(user: Any, contract: Contract) -> str:
    """A fresh 6-digit code for `user` and `contract` (older open codes stop working)."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        SigningCode.objects.filter(user=user, contract=contract, used_at__isnull=True).delete()
        SigningCode.objects.create(
            user=user, contract=contract, code_hash=_code_hash(user, contract, code), expires_at=now + CODE_LIFETIME
        )
    return code


def request_signing_code(*, actor: Any, contract: Contract) -> None:
    """E-mail a one-time code to a signer who has no authenticator app."""
    refuse_if_in_force(contract)
    if not permissions.can_sign_contract(actor, contract):
        raise NotYourTurn()
    recent = SigningCode.objects.filter(
        user=actor, contract=contract, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= CODES_PER_HOUR:
        raise DomainError(_("Too many codes were requested. Wait an hour or use the last code you received."))
    with transaction.atomic():
        code = issue_signing_code(actor, contract)
        record(actor, "contract.signing_code_sent", contract, {"to": actor.email})
    context = {"user": actor, "contract": contract, "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
    subject = render_to_string("contracts/email/signing_code_subject.txt", context).strip()
    body = render_to_string("contracts/email/signing_code_body.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [actor.email]))


def _refuse(actor: Any, contract: Contract, reason: str, ip_address: str | None) -> SigningRefused:
    with transaction.atomic():
        record(actor, "contract.signing_refused", contract, {"reason": reason, "ip": ip_address or ""})
    return SigningRefused()


def _authenticate(actor: Any, contract: Contract, password: str, code: str, ip_address: str | None) -> str:
    """Check the password and the second factor; every failure is audited. Returns how."""
    if not password or not actor.check_password(password):
        raise _refuse(actor, contract, "password", ip_address)
    code = (code or "").strip()
    totp = Authenticator.objects.filter(user=actor, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        if not code or not TOTP(totp).validate_code(code):
            raise _refuse(actor, contract, "totp", ip_address)
        return ContractParty.Authentication.PASSWORD_TOTP
    with transaction.atomic():
        pending = (
            SigningCode.objects.select_for_update()
            .filter(user=actor, contract=contract, used_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        valid = (
            pending is not None
            and pending.attempts < SigningCode.MAX_ATTEMPTS
            and bool(code)
            and hmac.compare_digest(pending.code_hash, _code_hash(actor, contract, code))
        )
        if pending is not None:
            if valid:
                pending.used_at = timezone.now()
            else:
                pending.attempts += 1
            pending.save(update_fields=["used_at", "attempts"])
    if not valid:
        raise _refuse(actor, contract, "email_code", ip_address)
    return ContractParty.Authentication.PASSWORD_EMAIL_CODE


def _certificate_for(actor: Any, party: ContractParty) -> SignerCredentials:
    """The signer's certificate for this organisation (or in their own name), issued on first use."""
    ca = authority.authority()
    stored = (
        SignerCertificate.objects.filter(
            user=actor,
            organisation=party.organisation,
            not_after__gt=timezone.now() + CERTIFICATE_RENEWAL_MARGIN,
        )
        .order_by("-not_after")
        .first()
    )
    if stored is None:
        organisation = localized(party.organisation.name, "zh-hans") if party.organisation else ""
        credentials = ca.issue_signing_certificate(
            common_name=chinese_name(actor), organisation=organisation, email=actor.email
        )
        key_id = secrets.token_hex(16)
        stored = SignerCertificate.objects.create(
            key_id=key_id,
            user=actor,
            organisation=party.organisation,
            common_name=credentials.common_name,
            serial_number=format(credentials.certificate.serial_number, "x"),
            certificate_pem=credentials.certificate_pem().decode(),
            encrypted_key_pem=credentials.encrypted_key_pem(authority.signer_key_passphrase(key_id)).decode(),
            not_after=credentials.certificate.not_valid_after_utc,
        )
        record(actor, "contract.certificate_issued", stored, {"serial": stored.serial_number})
    credentials = SignerCredentials.from_pem(
        stored.certificate_pem.encode(),
        stored.encrypted_key_pem.encode(),
        authority.signer_key_passphrase(stored.key_id),
        ca.trust_roots,
    )
    party.certificate = stored
    return credentials


def _completion_certificate(contract: Contract, parties: list[ContractParty], contract_sha256: str) -> bytes:
    signers = [
        CompletionSigner(
            name=chinese_name(party.signed_by),
            organisation=localized(party.name, "zh-hans"),
            email=party.signed_by.email,
            signed_at=party.signed_at,
            ip_address=party.ip_address or "—",
            authentication=party.authentication,
        )
        for party in parties
    ]
    return render_completion_certificate(
        contract_number=contract.number,
        contract_title=localized(contract.fields.get("title"), "zh-hans"),
        contract_sha256=contract_sha256,
        signers=signers,
        platform=authority.platform_signer(),
        verification_url=rendering.verification_url(contract.number),
    )


def sign_contract(
    *, actor: Any, contract: Contract, password: str, code: str = "", ip_address: str | None = None
) -> Contract:
    """Sign for the party `actor` represents. Concurrent signers queue on the contract's row lock,
    and each signs the PDF bytes the previous one stored, so no signature is ever lost."""
    contract.refresh_from_db()
    refuse_if_in_force(contract)
    if not permissions.can_view_contract(actor, contract):
        raise NotPermitted()
    if not permissions.can_sign_contract(actor, contract):
        raise NotYourTurn()
    authentication = _authenticate(actor, contract, password, code, ip_address)
    with transaction.atomic():
        contract = lock_contract_row(contract)
        refuse_if_in_force(contract)
        party = permissions.party_to_sign(actor, contract)
        if party is None:
            raise NotYourTurn()
        credentials = _certificate_for(actor, party)
        organisation = localized(party.organisation.name, "zh-hans") if party.organisation else ""
        signed = sign_pdf(
            bytes(contract.pdf),
            credentials=credentials,
            field_name=party.role,
            display_name=chinese_name(actor),
            organisation=organisation,
            reason=f"签署合同 {contract.number}",
        )
        digest = hashlib.sha256(signed).hexdigest()
        party.signed_by, party.signed_at, party.ip_address = actor, timezone.now(), ip_address or None
        party.authentication, party.pdf_sha256 = authentication, digest
        party.save()
        parties = list(contract.parties.all())
        contract.pdf, contract.pdf_sha256 = signed, digest
        complete = all(p.has_signed for p in parties)
        if complete:
            contract.completion_pdf = _completion_certificate(contract, parties, digest)
            contract.completion_sha256 = hashlib.sha256(contract.completion_pdf).hexdigest()
            contract.status, contract.in_force_at = Contract.Status.IN_FORCE, timezone.now()
        else:
            contract.status = Contract.Status.SIGNING
        contract.save()
        record(
            actor,
            "contract.signed",
            contract,
            {
                "party": party.role,
                "sha256": digest,
                "authentication": authentication,
                "ip": ip_address or "",
                "certificate": party.certificate.serial_number if party.certificate else "",
            },
        )
        send_after_commit(signals.contract_party_signed, contract=contract, party=party, actor=actor)
        if complete:
            record(None, "contract.in_force", contract, {"sha256": digest, "completion": contract.completion_sha256})
            send_after_commit(signals.contract_signed, contract=contract, actor=actor)
    return contract
