"""Looking inside PDFs the way a reader would: PDFium (Chrome's engine) for text, pyHanko's parser for fonts."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader


def page_texts(pdf: bytes, *, with_stamps: bool = False) -> list[str]:
    """Text of each page; with_stamps flattens annotation appearances (signature stamps) into the page first."""
    document = pdfium.PdfDocument(pdf)
    if with_stamps:
        document.init_forms()
        for index in range(len(document)):
            page = document[index]
            page.flatten()
            page.close()
        buffer = io.BytesIO()
        document.save(buffer)
        document = pdfium.PdfDocument(buffer.getvalue())
    return [document[index].get_textpage().get_text_range() for index in range(len(document))]


def embedded_font_names(pdf: bytes) -> set[str]:
    """/FontName of every font with an embedded font program, from page resources and stamp appearances."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    names: set[str] = set()
    for page in _pages(reader.root["/Pages"]):
        _collect_fonts(page.get("/Resources", {}), names)
        for annotation in page.get("/Annots", []):
            appearance = annotation.get_object().get("/AP")
            if appearance is not None:
                _collect_fonts(appearance["/N"].get("/Resources", {}), names, depth=3)
    return names


def _pages(node: object) -> Iterator[object]:
    node = node.get_object()  # type: ignore[attr-defined]
    if node.get("/Type") == "/Pages":
        for kid in node["/Kids"]:
            yield from _pages(kid)
    else:
        yield node


def _resolve(value: object) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def _collect_fonts(resources: object, names: set[str], depth: int = 2) -> None:
    resources = _resolve(resources)
    if depth < 0 or not hasattr(resources, "get"):
        return
    for font in _resolve(resources.get("/Font", {})).values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            names.add(str(descriptor["/FontName"]).lstrip("/"))
    for xobject in _resolve(resources.get("/XObject", {})).values():
        _collect_fonts(xobject.get_object().get("/Resources", {}), names, depth - 1)
