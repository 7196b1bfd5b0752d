"""The platform certificate authority: a root created on first use, and the certificates it issues.

Keys are ECDSA P-256 with SHA-256: signing and verifying take well under a millisecond, keys are
generated instantly (an RSA-3072 key takes ~0.5 s, paid on every signer enrolment), and P-256
is accepted by pyHanko, Adobe Acrobat and the PAdES baseline profiles. The root's private key
is stored encrypted (PKCS#8, AES-256-CBC via `BestAvailableEncryption`) with a passphrase the
caller reads from its settings; docs/contracts-signing.md says how to protect it and how to
replace this CA by a licensed one under the PRC Electronic Signature Law.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

CA_DIRNAME = "platform-root-ca"
CERT_FILENAME = "certificate.pem"
KEY_FILENAME = "private-key.pem"
PLATFORM_SIGNER_DIRNAME = "platform-completion-signer"

ROOT_VALIDITY = dt.timedelta(days=20 * 365)
SIGNER_VALIDITY = dt.timedelta(days=2 * 365)
PLATFORM_SIGNER_VALIDITY = dt.timedelta(days=5 * 365)
# Certificates are back-dated a little so a verifier whose clock lags does not see them "not yet valid".
CLOCK_SKEW = dt.timedelta(minutes=10)

# RFC 9336 id-kp-documentSigning; Adobe and most PDF readers also accept e-mail protection.
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


class CAError(Exception):
    """The CA could not be created, unlocked or used (wrong passphrase, unreadable files, bad input)."""


@dataclass(frozen=True)
class SignerCredentials:
    """A certificate with its private key and the chain up to (and including) the root."""

    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...]

    @property
    def common_name(self) -> str:
        return _attribute(self.certificate.subject, NameOID.COMMON_NAME)

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def encrypted_key_pem(self, passphrase: bytes) -> bytes:
        """The private key for storage: PKCS#8, encrypted with `passphrase`."""
        return _encrypt_key(self.private_key, passphrase)

    @classmethod
    def from_pem(
        cls, certificate_pem: bytes, encrypted_key_pem: bytes, passphrase: bytes, chain: tuple[x509.Certificate, ...]
    ) -> SignerCredentials:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        return cls(certificate, _decrypt_key(encrypted_key_pem, passphrase), chain)


@dataclass(frozen=True)
class CertificateAuthority:
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def trust_roots(self) -> tuple[x509.Certificate, ...]:
        return (self.certificate,)

    def issue_signing_certificate(
        self,
        *,
        common_name: str,
        organisation: str = "",
        email: str = "",
        validity: dt.timedelta = SIGNER_VALIDITY,
        now: dt.datetime | None = None,
    ) -> SignerCredentials:
        """A fresh key pair and a document-signing certificate for one person (CN may be Chinese)."""
        if not common_name.strip():
            raise CAError("a signing certificate needs the signer's name")
        attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip())]
        if organisation.strip():
            attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation.strip()))
        if email:
            attributes.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
        key = ec.generate_private_key(ec.SECP256R1())
        issued_at = (now or dt.datetime.now(dt.UTC)) - CLOCK_SKEW
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(attributes))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(issued_at)
            .not_valid_after(min(issued_at + validity, self.certificate.not_valid_after_utc))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.private_key.public_key()), critical=False
            )
        )
        if email:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
        try:
            certificate = builder.sign(self.private_key, hashes.SHA256())
        except ValueError as error:
            raise CAError(f"cannot issue the certificate: {error}") from error
        return SignerCredentials(certificate, key, (self.certificate,))


def load_or_create_ca(
    directory: Path,
    passphrase: bytes,
    *,
    common_name: str = "Zhongyan Platform Root CA 众研平台根证书",
    organisation: str = "Zhongyan",
) -> CertificateAuthority:
    """Open the root CA kept in `directory`, creating it on first use.

    Creation is atomic: the CA is written to a temporary directory that is renamed into place,
    so two processes starting at once end up sharing one CA instead of overwriting each other.
    """
    _check_passphrase(passphrase)
    target = directory / CA_DIRNAME
    if not (target / CERT_FILENAME).exists():
        _create_root(directory, target, passphrase, common_name, organisation)
    certificate, key = _read_pair(target, passphrase)
    return CertificateAuthority(certificate, key)


def load_or_create_platform_signer(
    ca: CertificateAuthority, directory: Path, passphrase: bytes, *, name: str = "众研平台 Zhongyan Platform"
) -> SignerCredentials:
    """The platform's own signing certificate, used for certificates of completion."""
    _check_passphrase(passphrase)
    target = directory / PLATFORM_SIGNER_DIRNAME
    if not (target / CERT_FILENAME).exists():
        credentials = ca.issue_signing_certificate(
            common_name=name,
            organisation=_attribute(ca.certificate.subject, NameOID.ORGANIZATION_NAME),
            validity=PLATFORM_SIGNER_VALIDITY,
        )
        _write_atomically(directory, target, credentials.certificate, credentials.private_key, passphrase)
    certificate, key = _read_pair(target, passphrase)
    return SignerCredentials(certificate, key, (ca.certificate,))


def _create_root(directory: Path, target: Path, passphrase: bytes, common_name: str, organisation: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        ]
    )
    issued_at = dt.datetime.now(dt.UTC) - CLOCK_SKEW
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(issued_at)
        .not_valid_after(issued_at + ROOT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_atomically(directory, target, certificate, key, passphrase)


def _write_atomically(
    directory: Path, target: Path, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey, passphrase: bytes
) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    staging = Path(tempfile.mkdtemp(dir=directory, prefix=".staging-"))  # created with mode 0700
    try:
        key_path = staging / KEY_FILENAME
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_encrypt_key(key, passphrase))
        (staging / CERT_FILENAME).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        try:
            os.rename(staging, target)
        except OSError:
            if not (target / CERT_FILENAME).exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read_pair(target: Path, passphrase: bytes) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    try:
        certificate = x509.load_pem_x509_certificate((target / CERT_FILENAME).read_bytes())
        key = _decrypt_key((target / KEY_FILENAME).read_bytes(), passphrase)
    except OSError as error:
        raise CAError(f"cannot read {target}: {error}") from error
    if key.public_key() != certificate.public_key():
        raise CAError(f"{target}: the private key does not belong to the certificate")
    return certificate, key


def _encrypt_key(key: ec.EllipticCurvePrivateKey, passphrase: bytes) -> bytes:
    _check_passphrase(passphrase)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase),
    )


def _decrypt_key(pem: bytes, passphrase: bytes) -> ec.EllipticCurvePrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase)
    except (ValueError, TypeError) as error:
        raise CAError("cannot unlock the private key: wrong passphrase or damaged file") from error
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CAError("the private key is not an ECDSA key")
    return key


def _check_passphrase(passphrase: bytes) -> None:
    if len(passphrase) < 12:
        raise CAError("the CA passphrase must be at least 12 bytes long")


def _key_usage(**enabled: bool) -> x509.KeyUsage:
    flags = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    flags.update(enabled)
    return x509.KeyUsage(**flags)


def _name(attributes: list[x509.NameAttribute]) -> x509.Name:
    return x509.Name(attributes)


def _attribute(name: x509.Name, oid: ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def random_passphrase() -> str:
    """A passphrase suitable for CONTRACTS_CA_PASSPHRASE (`python -c` it once at install)."""
    return secrets.token_urlsafe(32)
