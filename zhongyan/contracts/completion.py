"""The certificate of completion: a separate platform-signed PDF recording how a contract was signed.

Like DocuSign's, it sits beside the contract and never alters it: it names the contract by the
SHA-256 of the final signed PDF, lists who signed, when, from which address and how they
authenticated, and carries the platform's own PAdES signature.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from .ca import SignerCredentials
from .pdf import TEMPLATE_DIR, qr_data_uri, render_contract_pdf
from .signing import DISPLAY_TZ, sign_pdf

AUTHENTICATION_LABELS = {
    "password_totp": "密码 + 动态口令（TOTP）<br><span class='en'>Password + TOTP</span>",
    "password_email_code": "密码 + 邮件验证码<br><span class='en'>Password + e-mail code</span>",
}
PLATFORM_FIELD = "platform"


@dataclass(frozen=True)
class CompletionSigner:
    name: str
    organisation: str
    email: str
    signed_at: dt.datetime
    ip_address: str
    authentication: str  # a key of AUTHENTICATION_LABELS, or free text shown as is


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M:%S UTC+8")


def _signer_row(number: int, signer: CompletionSigner) -> str:
    e = html.escape
    who = f"{e(signer.name)}<br><span class='en'>{e(signer.organisation)}<br>{e(signer.email)}</span>"
    how = AUTHENTICATION_LABELS.get(signer.authentication, e(signer.authentication))
    return (
        f"<tr><td>{number}</td><td>{who}</td><td>{e(_when(signer.signed_at))}</td>"
        f"<td>{e(signer.ip_address)}</td><td>{how}</td></tr>"
    )


def render_completion_certificate(
    *,
    contract_number: str,
    contract_title: str,
    contract_sha256: str,
    signers: Sequence[CompletionSigner],
    platform: SignerCredentials,
    verification_url: str,
    issued_at: dt.datetime | None = None,
    font_cache_dir: Path | None = None,
) -> bytes:
    """Render the certificate and sign it with the platform's completion certificate."""
    if not signers:
        raise ValueError("a certificate of completion needs at least one signer")
    issued = issued_at or dt.datetime.now(dt.UTC)
    values = {
        "contract_number": html.escape(contract_number),
        "contract_title": html.escape(contract_title),
        "contract_sha256": html.escape(contract_sha256),
        "completed_at": html.escape(_when(max(s.signed_at for s in signers))),
        "issued_at": html.escape(_when(issued)),
        "qr_data_uri": qr_data_uri(verification_url),
        "signer_rows": "\n".join(_signer_row(n, s) for n, s in enumerate(signers, start=1)),
    }
    page = Template((TEMPLATE_DIR / "completion.html").read_text(encoding="utf-8")).substitute(values)
    rendered = render_contract_pdf(
        page,
        signature_fields=[PLATFORM_FIELD],
        title=f"签署完成证书 Certificate of completion {contract_number}",
        stylesheets=[".digest { font-family: monospace; font-size: 9pt; word-break: break-all; }"],
    )
    return sign_pdf(
        rendered.pdf,
        credentials=platform,
        field_name=PLATFORM_FIELD,
        reason="签署完成证书 Certificate of completion",
        font_cache_dir=font_cache_dir,
    )
