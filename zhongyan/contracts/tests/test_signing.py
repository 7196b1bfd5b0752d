from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from zhongyan.contracts.ca import CertificateAuthority, SignerCredentials, load_or_create_ca
from zhongyan.contracts.fonts import stamp_font_path
from zhongyan.contracts.pdf import RenderedContract
from zhongyan.contracts.signing import SigningError, sign_pdf, verify_pdf
from zhongyan.contracts.tests.conftest import PASSPHRASE
from zhongyan.contracts.tests.pdftools import embedded_font_names, page_texts


def _flip(pdf: bytes, offset: int) -> bytes:
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def _contents_spans(pdf: bytes) -> list[tuple[int, int]]:
    """(start, end) of each signature's /Contents hex string, from its /ByteRange, in signing order."""
    reader = PdfFileReader(io.BytesIO(pdf))
    spans = []
    for signature in reader.embedded_signatures:
        start1, length1, start2, _length2 = (int(v) for v in signature.sig_object["/ByteRange"])
        spans.append((start1 + length1, start2))
    return spans


def test_two_party_incremental_signing_leaves_both_signatures_valid(
    signed_by_both: bytes, ca: CertificateAuthority
) -> None:
    report = verify_pdf(signed_by_both, ca.trust_roots)

    assert report.verdict == "valid" and report.complete
    owner, solver = report.signatures
    assert (owner.field_name, owner.signer_name, owner.organisation) == ("party_a", "张伟", "宝山钢铁股份有限公司")
    assert (solver.field_name, solver.signer_name, solver.organisation) == ("party_b", "欧阳堃", "东北大学")
    for signature in report.signatures:
        assert signature.intact and signature.valid and signature.trusted and signature.ok
        assert signature.signing_time is not None
        assert "Zhongyan Platform Root CA" in signature.chain[-1]
        assert signature.signer_name in signature.chain[0]
    # The owner's signature covers its revision; the solver's later signature is an allowed update.
    assert (owner.coverage, owner.later_changes) == ("entire_revision", "allowed")
    assert (solver.coverage, solver.later_changes) == ("entire_file", "none")


def test_signing_keeps_earlier_revisions_byte_for_byte(
    contract: RenderedContract, signed_by_owner: bytes, signed_by_both: bytes
) -> None:
    assert signed_by_owner.startswith(contract.pdf)
    assert signed_by_both.startswith(signed_by_owner)


def test_one_signature_leaves_the_other_field_open(signed_by_owner: bytes, ca: CertificateAuthority) -> None:
    report = verify_pdf(signed_by_owner, ca.trust_roots)

    assert report.verdict == "valid"
    assert report.unsigned_fields == ("party_b",)
    assert not report.complete


@pytest.mark.parametrize(
    "where",
    [
        "contract body",
        "first signature value",
        "first signature padding",
        "second revision",
        "second signature value",
        "second signature padding",
        "last byte",
    ],
)
def test_byte_flipped_anywhere_is_detected(
    where: str, contract: RenderedContract, signed_by_owner: bytes, signed_by_both: bytes, ca: CertificateAuthority
) -> None:
    (first_start, first_end), (second_start, second_end) = _contents_spans(signed_by_both)
    offsets = {
        "contract body": len(contract.pdf) // 2,
        "first signature value": first_start + 40,
        "first signature padding": first_end - 10,
        "second revision": len(signed_by_owner) + 40,
        "second signature value": second_start + 40,
        "second signature padding": second_end - 10,
        "last byte": len(signed_by_both) - 1,
    }

    report = verify_pdf(_flip(signed_by_both, offsets[where]), ca.trust_roots)

    assert report.verdict != "valid"


def test_byte_flips_swept_across_the_whole_file_are_all_detected(
    signed_by_both: bytes, ca: CertificateAuthority
) -> None:
    step = len(signed_by_both) // 23
    undetected = [
        offset
        for offset in range(7, len(signed_by_both), step)
        if verify_pdf(_flip(signed_by_both, offset), ca.trust_roots).verdict == "valid"
    ]

    assert undetected == []


def test_pdf_changed_after_signing_is_reported_as_modified(signed_by_both: bytes, ca: CertificateAuthority) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_by_both))
    overlay = writer.add_object(generic.StreamObject(stream_data=b"0 0 1 rg 100 100 200 50 re f"))
    writer.add_stream_to_page(0, overlay)
    out = io.BytesIO()
    writer.write(out)

    report = verify_pdf(out.getvalue(), ca.trust_roots)

    assert report.verdict == "invalid"
    for signature in report.signatures:
        assert signature.intact and signature.valid  # the signed bytes are untouched...
        assert signature.later_changes == "disallowed"  # ...but the document shown is not what was signed
        assert signature.coverage == "entire_revision"
        assert "the document was modified after this signature" in signature.problems


def test_signature_from_another_ca_is_not_trusted(
    tmp_path: Path, contract: RenderedContract, ca: CertificateAuthority
) -> None:
    stranger_ca = load_or_create_ca(tmp_path, PASSPHRASE)
    impostor = stranger_ca.issue_signing_certificate(common_name="张伟", organisation="宝山钢铁股份有限公司")

    signed = sign_pdf(contract.pdf, credentials=impostor, field_name="party_a")
    report = verify_pdf(signed, ca.trust_roots)

    assert report.verdict == "invalid"
    assert report.signatures[0].intact and not report.signatures[0].trusted


def test_stamp_shows_the_signers_chinese_names(signed_by_both: bytes) -> None:
    last_page = page_texts(signed_by_both, with_stamps=True)[-1]

    assert "张伟" in last_page and "欧阳堃" in last_page
    assert "宝山钢铁股份有限公司" in last_page and "电子签名 Digitally signed" in last_page


def test_stamp_is_set_in_the_embedded_cjk_font_that_covers_the_names(signed_by_both: bytes) -> None:
    names = {name.split("+", 1)[-1] for name in embedded_font_names(signed_by_both)}
    with TTFont(stamp_font_path(), lazy=True) as font:
        cmap = font.getBestCmap()

    assert "NotoSansCJKsc-Regular" in names
    assert all(ord(char) in cmap for char in "张伟欧阳堃宝山钢铁股份有限公司东北大学电子签名")


def test_signing_a_field_twice_is_refused(signed_by_owner: bytes, owner_signer: SignerCredentials) -> None:
    with pytest.raises(SigningError):
        sign_pdf(signed_by_owner, credentials=owner_signer, field_name="party_a")


def test_signing_an_unknown_field_is_refused(contract: RenderedContract, owner_signer: SignerCredentials) -> None:
    with pytest.raises(SigningError):
        sign_pdf(contract.pdf, credentials=owner_signer, field_name="party_c")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", "not_a_pdf"),
        (b"PK\x03\x04 this is a zip file", "not_a_pdf"),
        ("合同".encode(), "not_a_pdf"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 200, "unreadable"),
    ],
)
def test_non_pdf_input_gives_an_error_report(data: bytes, error: str, ca: CertificateAuthority) -> None:
    report = verify_pdf(data, ca.trust_roots)

    assert (report.verdict, report.error) == ("error", error)
    assert not report.ok


def test_truncated_signed_pdf_never_raises(signed_by_both: bytes, ca: CertificateAuthority) -> None:
    for cut in (100, len(signed_by_both) // 3, len(signed_by_both) - 30):
        assert verify_pdf(signed_by_both[:cut], ca.trust_roots).verdict in {"error", "invalid", "unsigned"}


def test_unsigned_contract_is_reported_unsigned(contract: RenderedContract, ca: CertificateAuthority) -> None:
    report = verify_pdf(contract.pdf, ca.trust_roots)

    assert report.verdict == "unsigned"
    assert report.unsigned_fields == ("party_a", "party_b")


def test_engines_import_without_django() -> None:
    code = (
        "import sys; import zhongyan.contracts.pdf, zhongyan.contracts.ca, zhongyan.contracts.signing, "
        "zhongyan.contracts.completion; sys.exit('django' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[3]

    result = subprocess.run([sys.executable, "-c", code], cwd=root, env={"PATH": "/usr/bin:/bin"}, check=False)

    assert result.returncode == 0
