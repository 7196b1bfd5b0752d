"""Avatar images: decode, refuse anything odd, strip metadata, crop square, resize.

Pure (no ORM, no storage): bytes in, bytes out, so it is tested without a database.
"""

import warnings
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from zhongyan.core.errors import DomainError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
LARGE_SIZE = 512
THUMBNAIL_SIZE = 96
# Far below Pillow's own bomb threshold (~89 Mpx): a phone photo is 12-50 Mpx, and decoding
# costs about 4 bytes a pixel, so this caps one upload at ~200 MB of memory.
MAX_PIXELS = 50_000_000


class AvatarRejected(DomainError):
    default_message = _("This file cannot be used as a picture.")


@dataclass(frozen=True)
class ProcessedAvatar:
    large: bytes
    thumbnail: bytes
    content_type: str = "image/jpeg"
    extension: str = "jpg"


def _read_limited(upload: IO[bytes], max_bytes: int) -> bytes:
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise AvatarRejected(_("The picture is too large: at most %(limit)s.") % {"limit": filesizeformat(max_bytes)})
    if not data:
        raise AvatarRejected(_("The file is empty."))
    return data


def _open_checked(data: bytes) -> Image.Image:
    not_a_picture = AvatarRejected(_("Upload a JPEG, PNG or WebP picture."))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its two thresholds; a warning here means a bomb.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        if isinstance(error, UnidentifiedImageError):
            raise not_a_picture from error
        raise AvatarRejected(_("The picture has too many pixels.")) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise not_a_picture from error
    if image.format not in ACCEPTED_FORMATS:
        raise not_a_picture
    width, height = image.size
    # Checked from the header, before any pixel is decoded.
    if width * height > MAX_PIXELS:
        raise AvatarRejected(_("The picture has too many pixels."))
    if width < 1 or height < 1:
        raise not_a_picture
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise AvatarRejected(_("The picture is damaged and cannot be read.")) from error
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, size: int) -> bytes:
    square = ImageOps.fit(image, (size, size), method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    out = BytesIO()
    # Re-encoded without exif=/icc_profile=, so no GPS position, camera serial or other metadata survives.
    square.save(out, format="JPEG", quality=86, optimize=True, progressive=True)
    return out.getvalue()


def process_avatar(upload: IO[bytes], *, max_bytes: int | None = None) -> ProcessedAvatar:
    """Raise AvatarRejected (a translated message) or return the 512px and 96px JPEG squares."""
    limit = max_bytes if max_bytes is not None else settings.AVATAR_MAX_BYTES
    image = check_and_open_image(upload, max_bytes=limit)
    return ProcessedAvatar(large=_encode(image, LARGE_SIZE), thumbnail=_encode(image, THUMBNAIL_SIZE))


def check_and_open_image(upload: IO[bytes], *, max_bytes: int) -> Image.Image:
    """Checked, upright and RGB: the shared first step for avatars and event selfies."""
    image = _open_checked(_read_limited(upload, max_bytes))
    # Phones store portrait photos sideways plus an orientation tag; turn them upright first,
    # because the tag is dropped with the rest of the metadata.
    image = ImageOps.exif_transpose(image) or image
    return _flatten(image)
