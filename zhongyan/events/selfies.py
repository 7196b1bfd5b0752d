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

from PIL import Image, ImageOps

from zhongyan.accounts.avatars import check_and_open_image

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
