"""Guest selfies for the wall: checked like avatars (type, size, decompression bombs, EXIF
stripped), then cropped square around the face when one is found, else around the centre.

Pure: bytes in, bytes out. Face detection uses the Haar cascade that ships inside the
opencv-python-headless wheel (no model download); without OpenCV the crop is centred.
"""

import threading
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from zhongyan.accounts.avatars import check_and_open_image
from zhongyan.core.errors import DomainError

# Pillow imports its format plugins on the first Image.open: at import time here, not inside the
# first batch of a burst (~0.25 s of a worker's time, bench/event_burst.py).
Image.preinit()

PHOTO_SIZE = 512
THUMBNAIL_SIZE = 128
# Detection runs on a small grey copy: a face on a phone selfie fills a third of the picture or
# more, so 160 px still finds it, in ~6 ms of CPU rather than ~38 ms at 240 px (bench/event_burst.py).
DETECT_SIZE = 160
DETECT_MIN_FACE = 24


@dataclass(frozen=True)
class ProcessedSelfie:
    photo: bytes
    thumbnail: bytes
    face_found: bool


_DETECTOR_LOCK = threading.Lock()


@cache
def _load_detector() -> Any:
    try:
        import cv2
    except ImportError:  # pragma: no cover - opencv is in requirements; keep working without it
        return None
    # The server already runs one request per thread; OpenCV's own worker threads on top of
    # those only fight over the same cores.
    cv2.setNumThreads(1)
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    return None if cascade.empty() else cascade


def _detector() -> Any:
    # Under ASGI each request runs in its own thread: the first burst of joins would import cv2
    # in many threads at once, and a half-imported cv2 has no `data` yet (a 500 per guest).
    with _DETECTOR_LOCK:
        return _load_detector()


def face_centre(image: Image.Image) -> tuple[float, float] | None:
    """The centre of the largest face as fractions of width and height, or None."""
    detector = _detector()
    if detector is None:
        return None
    import numpy as np

    grey = image.convert("L")
    grey.thumbnail((DETECT_SIZE, DETECT_SIZE))
    pixels = np.asarray(grey)
    # One cascade per process, and OpenCV does not promise that one may detect in two threads
    # at once; a detection is ~6 ms, so joins queue here briefly rather than load a cascade each.
    with _DETECTOR_LOCK:
        faces = detector.detectMultiScale(
            pixels, scaleFactor=1.2, minNeighbors=5, minSize=(DETECT_MIN_FACE, DETECT_MIN_FACE)
        )
    if len(faces) == 0:
        return None
    x, y, w, h = max(faces, key=lambda face: face[2] * face[3])
    return (x + w / 2) / grey.width, (y + h / 2) / grey.height


def _jpeg(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="JPEG", quality=84, optimize=True)
    return out.getvalue()


def process_selfie(upload: IO[bytes], *, max_bytes: int) -> ProcessedSelfie:
    """Raise a translated DomainError for anything that is not a sound picture."""
    image = check_and_open_image(upload, max_bytes=max_bytes)
    centre = face_centre(image)
    where = centre if centre is not None else (0.5, 0.4)
    photo = ImageOps.fit(image, (PHOTO_SIZE, PHOTO_SIZE), method=Image.Resampling.LANCZOS, centering=where)
    # The thumbnail is the photo at a quarter: a box filter over 4x4 pixels is exact here and
    # costs ~1 ms, where a second crop and Lanczos pass from the upload cost ~6 ms.
    thumbnail = photo.reduce(PHOTO_SIZE // THUMBNAIL_SIZE)
    return ProcessedSelfie(photo=_jpeg(photo), thumbnail=_jpeg(thumbnail), face_found=centre is not None)


# --- the burst path: selfies the join page already cropped and shrunk in the browser ---------

# join.js draws the selfie on a canvas this size: twice the thumbnail, so libjpeg decodes the
# thumbnail straight out of it at half scale, with no resampling.
CLIENT_PHOTO_SIZE = 2 * THUMBNAIL_SIZE
# A browser-made selfie is a square JPEG; up to this size it is taken as it is.
CLIENT_MAX_SIDE = 640
# Checked from the header before a pixel is decoded: the lean endpoint refuses a bomb at once.
HEADER_MAX_SIDE = 8192
HEADER_MAX_PIXELS = 16_000_000

_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# APP0 (JFIF) and APP14 (Adobe: how to turn the colours back) are needed to decode; every other
# application segment and comment is metadata (EXIF with GPS and camera serial, XMP, ...).
_JPEG_KEEP_APP = {0xE0, 0xEE}


class SelfieRejected(DomainError):
    default_message = _("Upload a JPEG, PNG or WebP picture.")


def _damaged() -> SelfieRejected:
    return SelfieRejected(_("The picture is damaged and cannot be read."))


@dataclass(frozen=True)
class _Jpeg:
    width: int
    height: int
    without_metadata: bytes
    had_exif: bool


def _walk_jpeg(data: bytes) -> _Jpeg:
    """The header's size and the stream minus its metadata segments, without decoding pixels."""
    kept = [b"\xff\xd8"]
    position, end, size, had_exif = 2, len(data), None, False
    while True:
        if position + 4 > end or data[position] != 0xFF:
            raise _damaged()
        marker = data[position + 1]
        if marker == 0xFF:
            position += 1
            continue
        if marker == 0xDA:
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2 or position + 2 + length > end:
            raise _damaged()
        segment = data[position : position + 2 + length]
        if marker in _JPEG_SOF:
            if length < 7:
                raise _damaged()
            size = (int.from_bytes(segment[7:9], "big"), int.from_bytes(segment[5:7], "big"))
        if (0xE0 <= marker <= 0xEF and marker not in _JPEG_KEEP_APP) or marker == 0xFE:
            had_exif = had_exif or segment[4:10] == b"Exif\0\0"
        else:
            kept.append(segment)
        position += 2 + length
    finish = data.rfind(b"\xff\xd9")
    if size is None or finish < position:
        raise _damaged()
    kept.append(data[position : finish + 2])
    return _Jpeg(size[0], size[1], b"".join(kept), had_exif)


def sniff_picture(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) from the first bytes and the header only; a translated
    SelfieRejected for anything else, or for a header announcing a decompression bomb."""
    if data.startswith(b"\xff\xd8\xff"):
        jpeg = _walk_jpeg(data)
        kind, width, height = "JPEG", jpeg.width, jpeg.height
    elif data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        kind, width, height = "PNG", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        try:
            with Image.open(BytesIO(data), formats=["WEBP"]) as image:
                width, height = image.size
        except (OSError, SyntaxError, ValueError) as error:
            raise _damaged() from error
        kind = "WEBP"
    else:
        raise SelfieRejected()
    if width < 1 or height < 1:
        raise _damaged()
    if width > HEADER_MAX_SIDE or height > HEADER_MAX_SIDE or width * height > HEADER_MAX_PIXELS:
        raise SelfieRejected(_("The picture has too many pixels."))
    return kind, width, height


def process_client_selfie(data: bytes, *, max_bytes: int) -> ProcessedSelfie:
    """The burst path, ~1 ms instead of ~20: the browser has already cropped the selfie square
    and shrunk it to CLIENT_PHOTO_SIZE (256 px), so the photo is its own JPEG minus the metadata, and the
    thumbnail is decoded at half scale (libjpeg's DCT scaling) and shrunk. Decoding every
    entropy-coded block still refuses a damaged or truncated file. Anything else (PNG, WebP,
    a phone photo with EXIF orientation, not square, larger) takes the full path."""
    kind, width, height = sniff_picture(data)
    if kind != "JPEG" or width != height or width > CLIENT_MAX_SIDE:
        return process_selfie(BytesIO(data), max_bytes=max_bytes)
    jpeg = _walk_jpeg(data)
    if jpeg.had_exif:
        return process_selfie(BytesIO(data), max_bytes=max_bytes)
    try:
        with Image.open(BytesIO(jpeg.without_metadata), formats=["JPEG"]) as image:
            image.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            image.load()
            small = image.convert("RGB") if image.mode != "RGB" else image.copy()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise _damaged() from error
    if small.size != (THUMBNAIL_SIZE, THUMBNAIL_SIZE):
        small = small.resize((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    out = BytesIO()
    small.save(out, format="JPEG", quality=80)
    return ProcessedSelfie(photo=jpeg.without_metadata, thumbnail=out.getvalue(), face_found=False)
