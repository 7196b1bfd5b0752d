from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: scripts and styles only from this site.

    Both sync and async capable, so under ASGI it adds no thread switch of its own."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def _add_header(self, response: HttpResponse) -> HttpResponse:
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        if self.is_async:
            return self._acall(request)
        return self._add_header(self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponse:
        return self._add_header(await self.get_response(request))


class StripNullCharactersMiddleware:
    """Removes NUL characters from query parameters. PostgreSQL refuses them in any string, so a
    `?q=%00` would otherwise turn a search into a 500; no real query ever needs one."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    @staticmethod
    def _clean(request: HttpRequest) -> None:
        if "%00" in request.META.get("QUERY_STRING", "").replace("%2500", ""):
            cleaned = request.GET.copy()
            for key in list(cleaned.keys()):
                cleaned.setlist(key, [value.replace("\x00", "") for value in cleaned.getlist(key)])
            cleaned._mutable = False
            request.GET = cleaned

    def __call__(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        self._clean(request)
        return self.get_response(request)  # type: ignore[no-any-return]
