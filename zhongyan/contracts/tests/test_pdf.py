from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from zhongyan.contracts.pdf import (
    SAMPLE_FIELDS,
    RenderedContract,
    RenderError,
    qr_data_uri,
    render_contract_html,
    render_contract_pdf,
)
from zhongyan.contracts.tests.pdftools import embedded_font_names, page_texts


def _squash(text: str) -> str:
    return "".join(text.split())


def test_contract_pdf_text_contains_the_chinese_clauses(contract: RenderedContract) -> None:
    text = _squash("".join(page_texts(contract.pdf)))

    assert "技术开发（委托）合同" in text
    assert "乙方为甲方开发冷轧带钢表面缺陷在线检测系统" in text
    assert "提交上海国际仲裁中心仲裁" in text
    assert "Technology Development (Commissioned) Contract".replace(" ", "") in text


def test_contract_pdf_embeds_the_noto_cjk_fonts(contract: RenderedContract) -> None:
    names = embedded_font_names(contract.pdf)

    # Subset fonts are named "ABCDEF+Noto-Serif-CJK-SC": the SC faces, not the JP default of the .ttc,
    # and nothing else: no fallback font stood in for missing glyphs.
    base_names = {name.split("+", 1)[-1] for name in names}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"} <= base_names
    assert all(name.startswith("Noto-") and "CJK-SC" in name for name in base_names), base_names


def test_every_page_shows_contract_number_and_page_x_of_y(contract: RenderedContract) -> None:
    pages = page_texts(contract.pdf)

    assert contract.page_count == len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert "ZY-2026-000123" in text
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
        assert f"Page {number} of {len(pages)}" in text


def test_signature_fields_are_prepared_over_the_signature_boxes(contract: RenderedContract) -> None:
    reader = PdfFileReader(io.BytesIO(contract.pdf))
    prepared = {name: value for name, value, _ref in fields.enumerate_sig_fields(reader)}

    assert prepared == {"party_a": None, "party_b": None}
    boxes = {box.field_name: box for box in contract.signature_boxes}
    last_page = contract.page_count - 1
    assert boxes["party_a"].page == boxes["party_b"].page == last_page
    x1, y1, x2, y2 = boxes["party_a"].box
    assert 200 < x2 - x1 < 210 and 80 < y2 - y1 < 90  # the 72 mm x 30 mm box of contract.css
    assert boxes["party_a"].box[2] < boxes["party_b"].box[0]  # side by side, no overlap


def test_contract_html_escapes_every_value() -> None:
    fields_ = {**SAMPLE_FIELDS, "scope_zh": "<script>alert(1)</script> & 甲方"}

    html = render_contract_html(fields_)

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 甲方" in html


def test_qr_code_is_an_svg_data_uri_in_the_contract() -> None:
    url = "https://zhongyan.example.cn/verify/ZY-2026-000123"

    assert qr_data_uri(url).startswith("data:image/svg+xml")
    assert qr_data_uri(url) in render_contract_html(SAMPLE_FIELDS)


def test_missing_signature_box_is_a_render_error() -> None:
    with pytest.raises(RenderError):
        render_contract_pdf("<html><body><p>没有签名位置</p></body></html>", signature_fields=["party_a"])
