from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zhongyan.contracts.ca import (
    CA_DIRNAME,
    DOCUMENT_SIGNING,
    KEY_FILENAME,
    CAError,
    CertificateAuthority,
    SignerCredentials,
    load_or_create_ca,
    load_or_create_platform_signer,
)
from zhongyan.contracts.tests.conftest import PASSPHRASE


def test_ca_is_created_on_first_use_and_reopened_later(ca_dir: Path) -> None:
    first = load_or_create_ca(ca_dir, PASSPHRASE)
    again = load_or_create_ca(ca_dir, PASSPHRASE)

    assert first.certificate == again.certificate
    constraints = first.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert constraints.ca is True


def test_ca_private_key_is_encrypted_at_rest_and_private(ca_dir: Path) -> None:
    load_or_create_ca(ca_dir, PASSPHRASE)
    key_file = ca_dir / CA_DIRNAME / KEY_FILENAME

    assert key_file.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_wrong_passphrase_cannot_open_the_ca(ca_dir: Path) -> None:
    load_or_create_ca(ca_dir, PASSPHRASE)

    with pytest.raises(CAError):
        load_or_create_ca(ca_dir, b"a wrong passphrase here")


def test_short_passphrase_is_refused(ca_dir: Path) -> None:
    with pytest.raises(CAError):
        load_or_create_ca(ca_dir, b"short")


def test_signer_certificate_names_the_person_in_chinese_for_document_signing(ca: CertificateAuthority) -> None:
    credentials = ca.issue_signing_certificate(
        common_name="李娜", organisation="上海交通大学", email="li.na@sjtu.example"
    )
    certificate = credentials.certificate

    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "李娜"
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "上海交通大学"
    assert certificate.issuer == ca.certificate.subject
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    extended = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert DOCUMENT_SIGNING in extended and ExtendedKeyUsageOID.EMAIL_PROTECTION in extended
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.RFC822Name) == ["li.na@sjtu.example"]
    certificate.verify_directly_issued_by(ca.certificate)


def test_signer_key_round_trips_through_its_encrypted_pem(ca: CertificateAuthority) -> None:
    credentials = ca.issue_signing_certificate(common_name="王芳", organisation="宝武中央研究院")

    stored = credentials.encrypted_key_pem(PASSPHRASE)
    loaded = SignerCredentials.from_pem(credentials.certificate_pem(), stored, PASSPHRASE, ca.trust_roots)

    assert b"ENCRYPTED" in stored
    assert loaded.private_key.private_numbers() == credentials.private_key.private_numbers()
    with pytest.raises(CAError):
        SignerCredentials.from_pem(credentials.certificate_pem(), stored, b"not the passphrase!", ca.trust_roots)


def test_empty_signer_name_is_refused(ca: CertificateAuthority) -> None:
    with pytest.raises(CAError):
        ca.issue_signing_certificate(common_name="  ", organisation="宝武")


def test_platform_signer_is_issued_once_by_the_ca(ca_dir: Path) -> None:
    authority = load_or_create_ca(ca_dir, PASSPHRASE)

    first = load_or_create_platform_signer(authority, ca_dir, PASSPHRASE)
    again = load_or_create_platform_signer(authority, ca_dir, PASSPHRASE)

    assert first.certificate == again.certificate
    first.certificate.verify_directly_issued_by(authority.certificate)
