"""CJK fonts for contract PDFs and signature stamps.

Debian's fonts-noto-cjk ships the Noto CJK families only as OpenType collections (.ttc).
WeasyPrint reaches them through fontconfig by family name, but pyHanko's stamp engine opens
a single OpenType font file, so the Simplified Chinese face is copied out of the collection
once into a cache directory (fontTools copies the tables verbatim: a second or two, once).

The stamp copy leaves out the OpenType layout tables (GSUB/GPOS/...): a stamp sets short
horizontal lines of Chinese and Latin that need no shaping features, and pyHanko subsets the
font on every signature, where decompiling those tables cost about half the ~2 s per signature.
A full subset of the font to fewer glyphs was measured instead: ~6 minutes of CFF work, once.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fontTools.ttLib import TTCollection

NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
SANS_COLLECTION = NOTO_DIR / "NotoSansCJK-Regular.ttc"
SERIF_COLLECTION = NOTO_DIR / "NotoSerifCJK-Regular.ttc"

SANS_SC_FAMILY = "Noto Sans CJK SC"
SERIF_SC_FAMILY = "Noto Serif CJK SC"

DEFAULT_CACHE_DIR = Path(tempfile.gettempdir()) / "zhongyan-fonts"


class FontMissing(RuntimeError):
    """The Noto CJK fonts are not installed (`make system-deps` installs fonts-noto-cjk)."""


def _family_name(font: object) -> str:
    name_table = font["name"]  # type: ignore[index]
    return str(name_table.getDebugName(1) or "")


STAMP_DROPPED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG")


def extract_face(collection: Path, family: str, target: Path, drop_tables: tuple[str, ...] = ()) -> Path:
    """Copy the face named `family` out of an OpenType collection into `target`."""
    if not collection.exists():
        raise FontMissing(f"{collection} is missing: install fonts-noto-cjk (make system-deps)")
    ttc = TTCollection(str(collection), lazy=True)
    try:
        for font in ttc.fonts:
            if _family_name(font) == family:
                for tag in drop_tables:
                    if tag in font:
                        del font[tag]
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".otf.tmp")
                os.close(fd)
                font.save(tmp, reorderTables=False)
                os.chmod(tmp, 0o644)
                # Atomic rename: concurrent workers may extract at the same time.
                os.replace(tmp, target)
                return target
    finally:
        ttc.close()
    raise FontMissing(f"{family} not found in {collection}")


def require_cjk_fonts() -> None:
    """Refuse to render rather than let Chinese come out as empty boxes when the fonts are missing."""
    for collection in (SANS_COLLECTION, SERIF_COLLECTION):
        if not collection.exists():
            raise FontMissing(f"{collection} is missing: install fonts-noto-cjk (make system-deps)")


def stamp_font_path(cache_dir: Path | None = None) -> Path:
    """Path of a standalone Noto Sans CJK SC OpenType font, extracted on first use."""
    target = (cache_dir or DEFAULT_CACHE_DIR) / "NotoSansCJKsc-Regular-stamp.otf"
    if target.exists() and target.stat().st_size > 0:
        return target
    return extract_face(SANS_COLLECTION, SANS_SC_FAMILY, target, STAMP_DROPPED_TABLES)
