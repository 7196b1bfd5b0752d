"""Test pictures made in memory."""

import struct
import zlib
from io import BytesIO

from PIL import Image


def jpeg_with_gps(width: int = 800, height: int = 600, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (width, height), (200, 40, 40))
    # The left half blue, to see which way the picture was turned.
    image.paste((20, 40, 220), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 300, height: int = 200, mode: str = "RGBA") -> bytes:
    out = BytesIO()
    Image.new(mode, (width, height), (0, 128, 0, 128) if mode == "RGBA" else (0, 128, 0)).save(out, format="PNG")
    return out.getvalue()


def gif() -> bytes:
    out = BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 0)).save(out, format="GIF")
    return out.getvalue()


def png_bomb(width: int = 60_000, height: int = 60_000) -> bytes:
    """A tiny PNG whose header claims billions of pixels (a decompression bomb)."""
    small = bytearray(png(1, 1, "RGB"))
    # IHDR data sits at bytes 16..29 (after the 8-byte signature and the chunk's length and type).
    small[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(small[12:29])) & 0xFFFFFFFF
    small[29:33] = struct.pack(">I", crc)
    return bytes(small)
