"""Guest selfies for the wall: checked like avatars (type, size, decompression bombs, EXIF
stripped), then cropped square around the face when one is found, else around the centre.

Pure: bytes in, bytes out. Face detection uses the Haar cascade that ships inside the
opencv-python-headless wheel (no model download); without OpenCV the crop is centred.
"""

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from typing import IO, Any

from PIL import Image, ImageOps

from zhongyan.accounts.avatars import check_and_open_image

PHOTO_SIZE = 512
THUMBNAIL_SIZE = 128
# Detection runs on a small grey copy: a face on a phone selfie is large, and this keeps it ~2 ms.
DETECT_SIZE = 240


@dataclass(frozen=True)
class ProcessedSelfie:
    photo: bytes
    thumbnail: bytes
    face_found: bool


@cache
def _detector() -> Any:
    try:
        import cv2
    except ImportError:  # pragma: no cover - opencv is in requirements; keep working without it
        return None
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    return None if cascade.empty() else cascade


def face_centre(image: Image.Image) -> tuple[float, float] | None:
    """The centre of the largest face as fractions of width and height, or None."""
    detector = _detector()
    if detector is None:
        return None
    import numpy as np

    grey = image.convert("L")
    grey.thumbnail((DETECT_SIZE, DETECT_SIZE))
    faces = detector.detectMultiScale(np.asarray(grey), scaleFactor=1.15, minNeighbors=5, minSize=(24, 24))
    if len(faces) == 0:
        return None
    x, y, w, h = max(faces, key=lambda face: face[2] * face[3])
    return (x + w / 2) / grey.width, (y + h / 2) / grey.height


def _square(image: Image.Image, size: int, centre: tuple[float, float]) -> bytes:
    fitted = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS, centering=centre)
    out = BytesIO()
    fitted.save(out, format="JPEG", quality=84, optimize=True)
    return out.getvalue()


def process_selfie(upload: IO[bytes], *, max_bytes: int) -> ProcessedSelfie:
    """Raise a translated DomainError for anything that is not a sound picture."""
    image = check_and_open_image(upload, max_bytes=max_bytes)
    centre = face_centre(image)
    where = centre if centre is not None else (0.5, 0.4)
    return ProcessedSelfie(
        photo=_square(image, PHOTO_SIZE, where),
        thumbnail=_square(image, THUMBNAIL_SIZE, where),
        face_found=centre is not None,
    )
