"""Private file storage: attachments never get a public media URL; only permission-checked
download views read them."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (default: a `private` folder beside MEDIA_ROOT), outside any
    web server route. Read from settings on every access, so tests that move MEDIA_ROOT get
    their own folder."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        return str(configured or Path(settings.MEDIA_ROOT).parent / "private")

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use the download view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage
