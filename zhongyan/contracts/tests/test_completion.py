from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from zhongyan.contracts.ca import CertificateAuthority, SignerCredentials, load_or_create_platform_signer
from zhongyan.contracts.completion import CompletionSigner, render_completion_certificate
from zhongyan.contracts.signing import verify_pdf
from zhongyan.contracts.tests.conftest import PASSPHRASE
from zhongyan.contracts.tests.pdftools import page_texts


@pytest.fixture(scope="module")
def platform(ca: CertificateAuthority, tmp_path_factory: pytest.TempPathFactory) -> SignerCredentials:
    return load_or_create_platform_signer(ca, tmp_path_factory.mktemp("platform"), PASSPHRASE)


@pytest.fixture(scope="module")
def certificate(signed_by_both: bytes, platform: SignerCredentials) -> bytes:
    signed_at = dt.datetime(2026, 11, 25, 2, 30, tzinfo=dt.UTC)
    return render_completion_certificate(
        contract_number="ZY-2026-000123",
        contract_title="技术开发（委托）合同",
        contract_sha256=hashlib.sha256(signed_by_both).hexdigest(),
        signers=[
            CompletionSigner(
                "张伟", "宝山钢铁股份有限公司", "zhang.wei@baosteel.example", signed_at, "10.12.3.4", "password_totp"
            ),
            CompletionSigner(
                "欧阳堃",
                "东北大学",
                "ouyang.kun@neu.example",
                signed_at + dt.timedelta(hours=3),
                "2001:db8::7",
                "password_email_code",
            ),
        ],
        platform=platform,
        verification_url="https://zhongyan.example.cn/verify/ZY-2026-000123",
    )


def test_completion_certificate_is_validly_signed_by_the_platform(
    certificate: bytes, ca: CertificateAuthority, platform: SignerCredentials
) -> None:
    report = verify_pdf(certificate, ca.trust_roots)

    assert report.verdict == "valid" and report.complete
    (seal,) = report.signatures
    assert seal.signer_name == platform.common_name
    assert seal.coverage == "entire_file" and seal.trusted


def test_completion_certificate_records_who_when_where_how_and_the_contract_hash(
    certificate: bytes, signed_by_both: bytes
) -> None:
    text = "".join("".join(page_texts(certificate)).split())

    assert hashlib.sha256(signed_by_both).hexdigest() in text
    assert "张伟" in text and "欧阳堃" in text
    assert "2026-11-2510:30:00UTC+8" in text and "2026-11-2513:30:00UTC+8" in text
    assert "10.12.3.4" in text and "2001:db8::7" in text
    assert "密码+动态口令（TOTP）" in text and "密码+邮件验证码" in text


def test_completion_certificate_needs_a_signer(platform: SignerCredentials) -> None:
    with pytest.raises(ValueError):
        render_completion_certificate(
            contract_number="ZY-1",
            contract_title="合同",
            contract_sha256="0" * 64,
            signers=[],
            platform=platform,
            verification_url="https://zhongyan.example.cn/verify/ZY-1",
        )
