from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject


def site(request: HttpRequest) -> dict[str, Any]:
    return {"SITE_URL": settings.SITE_URL, "CONTENT_LANGUAGES": settings.CONTENT_LANGUAGES}


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Django's csrf context processor, with one masked token per request instead of one per
    rendered template: a page assembled from several renders (a cached list body inside the
    layout) then carries a single token, which the page cache (core/pagecache.py) replaces with a
    freshly masked one whenever it serves the page again. Listed after Django's, it wins."""

    def token() -> str:
        value = getattr(request, "_page_csrf_token", None)
        if value is None:
            value = request._page_csrf_token = str(get_token(request))  # type: ignore[attr-defined]
        return value

    return {"csrf_token": SimpleLazyObject(token)}
