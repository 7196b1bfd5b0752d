"""PAdES signing and verification of contract PDFs with pyHanko.

Each party signs in its own incremental update (the bytes of earlier revisions are never
rewritten), so earlier signatures stay valid and a verifier can tell, per signature, whether
anything beyond allowed form filling and further signatures happened afterwards. The visible
stamp is set in Noto Sans CJK SC (pyHanko's built-in Courier has no Chinese glyphs) and
signing time is the server clock: the platform runs offline, so there is no RFC 3161 TSA.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .ca import SignerCredentials
from .fonts import stamp_font_path

logger = logging.getLogger(__name__)

DISPLAY_TZ = ZoneInfo("Asia/Shanghai")
SEAL_RED = (0.75, 0.1, 0.1)
STAMP_TEXT = "%(name)s\n%(organisation)s\n电子签名 Digitally signed\n%(when)s"
PDF_HEADER_WINDOW = 1024  # the PDF spec lets the %PDF- header start within the first 1 KiB
ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


class SigningError(Exception):
    """The PDF could not be signed (damaged input, unknown or already signed field)."""


@functools.lru_cache(maxsize=2)
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


@dataclass(frozen=True)
class _InMemoryFontFactory(GlyphAccumulatorFactory):
    """pyHanko's factory opens the font file and never closes it; this one reads it once per process."""

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes(self.font_file)),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def _stamp_style(font_cache_dir: Path | None) -> TextStampStyle:
    font = _InMemoryFontFactory(
        str(stamp_font_path(font_cache_dir)),
        font_size=11,
        ot_script_tag="hani",
        ot_language_tag="ZHS ",
        bcp47_lang_code="zh-Hans",
    )
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(font=font, font_size=11, leading=15, text_color=SEAL_RED),
        border_width=1,
        border_color=SEAL_RED,
    )


def _asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _asn1_signer(credentials: SignerCredentials) -> signers.SimpleSigner:
    key_der = credentials.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(credentials.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(c) for c in credentials.chain]),
    )


def sign_pdf(
    pdf: bytes,
    *,
    credentials: SignerCredentials,
    field_name: str,
    display_name: str | None = None,
    organisation: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    new_field: fields.SigFieldSpec | None = None,
    font_cache_dir: Path | None = None,
) -> bytes:
    """Append a PAdES (B-B) signature to `pdf` in field `field_name`, returning the new PDF.

    The field normally exists already (prepared by `pdf.render_contract_pdf`); `new_field`
    creates it when it does not (an invisible one if its box is omitted).
    """
    certificate_subject = credentials.certificate.subject
    name = display_name or _subject_value(certificate_subject, x509.NameOID.COMMON_NAME)
    org = (
        organisation
        if organisation is not None
        else _subject_value(certificate_subject, x509.NameOID.ORGANIZATION_NAME)
    )
    when = dt.datetime.now(DISPLAY_TZ).strftime("%Y-%m-%d %H:%M:%S UTC+8")
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=name,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=_asn1_signer(credentials), stamp_style=_stamp_style(font_cache_dir), new_field_spec=new_field
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        out = pdf_signer.sign_pdf(
            writer,
            existing_fields_only=new_field is None,
            appearance_text_params={"name": name, "organisation": org, "when": when},
        )
    except Exception as error:  # pyHanko raises many types; the caller needs one
        raise SigningError(f"cannot sign field {field_name!r}: {error}") from error
    return out.getvalue()  # type: ignore[union-attr]


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer_name: str
    organisation: str
    email: str
    signing_time: dt.datetime | None
    intact: bool  # the signed bytes hash to the digest in the signature
    valid: bool  # the signature over that digest verifies with the certificate's key
    trusted: bool  # the certificate chains up to one of the trust roots
    chain: tuple[str, ...]  # subjects, signer first, root last
    coverage: str  # "entire_file" | "entire_revision" | "partial" | "unknown" (unreadable signature)
    later_changes: str  # "none" | "allowed" (signatures, form filling) | "disallowed" | "unknown"
    ok: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerificationReport:
    verdict: str  # "valid" | "invalid" | "unsigned" | "error"
    signatures: tuple[SignatureReport, ...] = ()
    unsigned_fields: tuple[str, ...] = ()
    sha256: str = ""
    error: str = ""  # machine-readable code when verdict == "error": not_a_pdf, encrypted, unreadable
    detail: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    @property
    def complete(self) -> bool:
        """Valid, and every prepared signature field is signed."""
        return self.ok and not self.unsigned_fields


def verify_pdf(pdf: bytes, trust_roots: tuple[x509.Certificate, ...] | list[x509.Certificate]) -> VerificationReport:
    """Check every signature in `pdf` against `trust_roots`. Never raises: failures become the report."""
    digest = hashlib.sha256(pdf).hexdigest() if isinstance(pdf, bytes | bytearray) else ""
    if not isinstance(pdf, bytes | bytearray) or b"%PDF-" not in bytes(pdf[:PDF_HEADER_WINDOW]):
        return VerificationReport(verdict="error", error="not_a_pdf", detail="the file is not a PDF", sha256=digest)
    try:
        return _verify(bytes(pdf), tuple(trust_roots), digest)
    except Exception as error:  # a damaged file must give a verdict, never a server error
        logger.info("PDF verification failed: %s", error, exc_info=True)
        return VerificationReport(verdict="error", error="unreadable", detail=str(error)[:500], sha256=digest)


def _verify(pdf: bytes, trust_roots: tuple[x509.Certificate, ...], digest: str) -> VerificationReport:
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if reader.encrypted:
        return VerificationReport(verdict="error", error="encrypted", detail="the PDF is encrypted", sha256=digest)
    embedded = reader.embedded_regular_signatures
    empty_fields = tuple(
        name for name, value, _ref in fields.enumerate_sig_fields(reader, filled_status=False) if value is None
    )
    if not embedded:
        return VerificationReport(verdict="unsigned", unsigned_fields=empty_fields, sha256=digest)
    context = ValidationContext(
        trust_roots=[_asn1_certificate(root) for root in trust_roots], allow_fetching=False, revocation_mode="soft-fail"
    )
    reports = tuple(_verify_one(signature, context) for signature in embedded)
    verdict = "valid" if all(report.ok for report in reports) else "invalid"
    return VerificationReport(verdict=verdict, signatures=reports, unsigned_fields=empty_fields, sha256=digest)


def _verify_one(embedded: object, context: ValidationContext) -> SignatureReport:
    field_name = str(embedded.field_name)  # type: ignore[attr-defined]
    problems: list[str] = []
    padding_ok = _contents_padding_is_zero(embedded)
    if not padding_ok:
        problems.append("bytes after the signature value were altered")
    try:
        status = validate_pdf_signature(
            embedded,  # type: ignore[arg-type]
            signer_validation_context=context,
            key_usage_settings=KeyUsageConstraints(key_usage={"non_repudiation"}),
        )
    except Exception as error:  # a corrupt CMS blob or byte range: the signature fails, the rest is still read
        logger.info("signature %s cannot be checked: %s", field_name, error, exc_info=True)
        problems.append(f"signature cannot be checked: {str(error)[:300]}")
        return SignatureReport(
            field_name=field_name,
            signer_name="",
            organisation="",
            email="",
            signing_time=None,
            intact=False,
            valid=False,
            trusted=False,
            chain=(),
            coverage="unknown",
            later_changes="unknown",
            ok=False,
            problems=tuple(problems),
        )
    subject = status.signing_cert.subject.native
    chain: tuple[str, ...] = ()
    if status.validation_path is not None:
        chain = tuple(_describe(cert) for cert in reversed(list(status.validation_path.iter_certs(include_root=True))))
    coverage = _coverage(status.coverage)
    later = _later_changes(status.modification_level)
    if not status.intact:
        problems.append("the signed bytes were changed")
    if status.intact and not status.valid:
        problems.append("the signature value does not match the signer's key")
    if not status.trusted:
        problems.append("the certificate does not chain up to a trusted root")
    if coverage == "partial":
        problems.append("the signature does not cover a whole revision of the document")
    if later == "disallowed":
        problems.append("the document was modified after this signature")
    ok = (
        status.intact
        and status.valid
        and status.trusted
        and padding_ok
        and coverage != "partial"
        and later != "disallowed"
    )
    return SignatureReport(
        field_name=field_name,
        signer_name=str(subject.get("common_name", "")),
        organisation=str(subject.get("organization_name", "")),
        email=str(subject.get("email_address", "")),
        signing_time=status.signer_reported_dt,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        chain=chain,
        coverage=coverage,
        later_changes=later,
        ok=ok,
        problems=tuple(problems),
    )


def _contents_padding_is_zero(embedded: object) -> bool:
    """The /Contents string is excluded from the byte range by design; only its zero padding may follow the CMS."""
    raw = bytes(embedded.sig_object["/Contents"])  # type: ignore[attr-defined]
    try:
        length = len(cms.ContentInfo.load(raw, strict=False).dump())
    except ValueError:
        return False
    return not raw[length:].strip(b"\x00")


def _coverage(level: SignatureCoverageLevel | None) -> str:
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return "entire_file"
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return "entire_revision"
    return "partial"


def _later_changes(level: ModificationLevel | None) -> str:
    if level == ModificationLevel.NONE:
        return "none"
    if level in ALLOWED_LATER_CHANGES:
        return "allowed"
    return "disallowed"


def _describe(certificate: asn1_x509.Certificate) -> str:
    return str(certificate.subject.human_friendly)


def _subject_value(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""
