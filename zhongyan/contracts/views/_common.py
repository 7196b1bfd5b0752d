"""Loading contracts through the visibility scope, the caller's address, PDF responses."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from zhongyan.contracts.models import Contract


def visible_contract(request: HttpRequest, public_id: str) -> Contract:
    queryset = Contract.objects.visible_to(request.user).select_related("demand", "proposal", "template")
    return get_object_or_404(queryset, public_id=public_id)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from; behind the reverse proxy, the one it forwarded."""
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if behind_proxy else ""
    address = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return address or None


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
