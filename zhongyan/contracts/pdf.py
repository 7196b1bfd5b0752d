"""Contract PDFs: HTML -> PDF with WeasyPrint, Chinese set in Noto CJK, signature fields prepared.

The caller passes finished HTML (the app renders its own versioned templates); a bilingual
sample template and `render_contract_html` ship here for tests, demos and the benchmark.
Places to sign are marked in the HTML with `<div class="signature-box" id="sig-<field>">`;
`render_contract_pdf` finds them on the laid-out pages and adds empty PDF signature fields
there, so each party later fills its own field in an incremental update.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

import segno
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields
from weasyprint import CSS, HTML

from .fonts import require_cjk_fonts

TEMPLATE_DIR = Path(__file__).parent / "engine_templates"
STYLESHEET = TEMPLATE_DIR / "contract.css"
SIGNATURE_ANCHOR_PREFIX = "sig-"
PX_TO_PT = 0.75  # CSS px are 1/96 in, PDF points 1/72 in.


class RenderError(ValueError):
    """The HTML could not be turned into the expected contract PDF."""


@dataclass(frozen=True)
class SignatureBox:
    field_name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # PDF points, origin bottom-left: x1, y1, x2, y2


@dataclass(frozen=True)
class RenderedContract:
    pdf: bytes
    page_count: int
    signature_boxes: tuple[SignatureBox, ...]


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data URI, for <img src> in the contract HTML."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def render_contract_pdf(
    contract_html: str,
    *,
    signature_fields: Sequence[str] = (),
    title: str | None = None,
    stylesheets: Iterable[str] = (),
) -> RenderedContract:
    """Render `contract_html` and add an empty signature field for each name in `signature_fields`.

    Each name must have a `sig-<name>` element in the HTML; a missing one is a RenderError,
    since a contract without a place for a party's signature must not reach signing.
    """
    require_cjk_fonts()
    css = [CSS(string=STYLESHEET.read_text(encoding="utf-8"))]
    css += [CSS(string=extra) for extra in stylesheets]
    document = HTML(string=contract_html, base_url=str(TEMPLATE_DIR)).render(stylesheets=css)
    if title:
        document.metadata.title = title
    boxes = tuple(_locate_signature_box(document, name) for name in signature_fields)
    pdf = document.write_pdf()
    if boxes:
        pdf = _add_signature_fields(pdf, boxes)
    return RenderedContract(pdf=pdf, page_count=len(document.pages), signature_boxes=boxes)


def _locate_signature_box(document: object, field_name: str) -> SignatureBox:
    anchor = SIGNATURE_ANCHOR_PREFIX + field_name
    for index, page in enumerate(document.pages):  # type: ignore[attr-defined]
        if anchor in page.anchors:
            # WeasyPrint gives the border box in CSS px from the top-left corner of the page.
            left, top, right, bottom = (value * PX_TO_PT for value in page.anchors[anchor])
            page_height = page.height * PX_TO_PT
            return SignatureBox(field_name, index, (left, page_height - bottom, right, page_height - top))
    raise RenderError(f"no element with id {anchor!r} in the contract HTML")


def _add_signature_fields(pdf: bytes, boxes: Sequence[SignatureBox]) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for box in boxes:
        spec = fields.SigFieldSpec(sig_field_name=box.field_name, on_page=box.page, box=box.box)
        fields.append_signature_field(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)


def _rows(items: Sequence[Sequence[object]]) -> str:
    rows = []
    for number, cells in enumerate(items, start=1):
        tds = "".join(f"<td>{cell}</td>" for cell in cells)
        rows.append(f"<tr><td>{number}</td>{tds}</tr>")
    return "\n".join(rows)


def render_contract_html(fields_: Mapping[str, object], template_text: str | None = None) -> str:
    """Fill `template_text` (default: the bundled bilingual sample template); every value is HTML-escaped.

    Scalar keys: contract_number, date, verification_url, title_zh/_en, party_a_name_zh/_en,
    party_b_name_zh/_en, scope_zh/_en, price_zh/_en, ip_zh/_en, confidentiality_zh/_en,
    term_zh/_en, disputes_zh/_en. List keys: deliverables [{zh, en, indicator}],
    milestones [{zh, en, amount, due}]. A missing key raises KeyError.
    """
    values = {key: _escape(value) for key, value in fields_.items() if isinstance(value, str | int | float)}
    deliverables = fields_.get("deliverables", [])
    milestones = fields_.get("milestones", [])
    values["deliverable_rows"] = _rows(
        [
            (f"{_escape(d['zh'])}<br><span class='en'>{_escape(d['en'])}</span>", _escape(d["indicator"]))
            for d in deliverables  # type: ignore[attr-defined]
        ]
    )
    values["milestone_rows"] = _rows(
        [
            (
                f"{_escape(m['zh'])}<br><span class='en'>{_escape(m['en'])}</span>",
                _escape(m["amount"]),
                _escape(m["due"]),
            )
            for m in milestones  # type: ignore[attr-defined]
        ]
    )
    values["qr_data_uri"] = qr_data_uri(str(fields_["verification_url"]))
    if template_text is None:
        template_text = (TEMPLATE_DIR / "contract.html").read_text(encoding="utf-8")
    return Template(template_text).substitute(values)


SAMPLE_FIELDS: dict[str, object] = {
    "contract_number": "ZY-2026-000123",
    "date": "2026-11-25",
    "verification_url": "https://zhongyan.example.cn/verify/ZY-2026-000123",
    "title_zh": "技术开发（委托）合同",
    "title_en": "Technology Development (Commissioned) Contract",
    "party_a_name_zh": "宝山钢铁股份有限公司 冷轧厂",
    "party_a_name_en": "Baoshan Iron & Steel Co., Ltd. Cold Rolling Mill",
    "party_b_name_zh": "东北大学 轧制技术及连轧自动化国家重点实验室",
    "party_b_name_en": "Northeastern University, State Key Laboratory of Rolling and Automation",
    "scope_zh": "乙方为甲方开发冷轧带钢表面缺陷在线检测系统，基于机器视觉识别辊印、划伤、氧化铁皮压入等缺陷，"
    "并完成在 2030 酸轧机组的部署与调试。",
    "scope_en": "Party B develops for Party A an online surface-defect inspection system for cold-rolled strip, "
    "recognising roll marks, scratches and rolled-in scale by machine vision, and deploys and commissions "
    "it on the 2030 pickling-and-tandem-cold-rolling line.",
    "deliverables": [
        {
            "zh": "缺陷检测算法及源代码",
            "en": "Defect detection algorithm and source code",
            "indicator": "检出率 ≥ 98%，误报率 ≤ 2%",
        },
        {
            "zh": "在线检测系统（含相机与光源）",
            "en": "Online inspection system (cameras and lighting)",
            "indicator": "线速 1,200 m/min 下实时检测",
        },
        {
            "zh": "技术文档与操作培训",
            "en": "Technical documentation and operator training",
            "indicator": "培训 20 人次",
        },
    ],
    "price_zh": "人民币 叁佰陆拾万元整（¥3,600,000.00），含税",
    "price_en": "CNY 3,600,000.00 including tax",
    "milestones": [
        {"zh": "合同生效后预付", "en": "Advance on entry into force", "amount": "¥1,080,000", "due": "2026-12-31"},
        {"zh": "系统上线验收", "en": "Acceptance of the system on line", "amount": "¥1,800,000", "due": "2027-09-30"},
        {"zh": "质保期满", "en": "End of warranty", "amount": "¥720,000", "due": "2028-09-30"},
    ],
    "ip_zh": "本合同产生的知识产权归甲方独占所有，乙方保留署名权，并可在甲方书面同意后用于非商业性研究。",
    "ip_en": "Intellectual property arising under this contract belongs exclusively to Party A; Party B keeps "
    "the right of attribution and may use it for non-commercial research with Party A's written consent.",
    "confidentiality_zh": "双方对在合作中知悉的对方技术秘密和经营信息负有保密义务，保密期限为合同终止后五年。",
    "confidentiality_en": "Each party keeps the other's technical and business secrets learnt in the cooperation "
    "confidential for five years after the contract ends.",
    "term_zh": "本合同自双方完成电子签名之日起生效，至质保期满之日终止。",
    "term_en": "This contract enters into force when both parties have signed it electronically and ends at the "
    "end of the warranty period.",
    "disputes_zh": "因本合同引起的争议，双方协商解决；协商不成的，提交上海国际仲裁中心仲裁。",
    "disputes_en": "Disputes arising from this contract are settled by negotiation, failing which they are "
    "submitted to the Shanghai International Arbitration Center.",
}
