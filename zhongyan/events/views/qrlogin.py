"""QR sign-in pages: the desktop's code and its polling, the phone's approval page."""

import segno
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.events import qrlogin


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


@login_not_required
@never_cache
@require_POST
def qr_login_start(request: HttpRequest) -> HttpResponse:
    """The desktop asks for a code (POST: it creates a request and binds it to this browser)."""
    try:
        _request, token = qrlogin.start_qr_login(
            session=request.session,
            ip_address=_client_ip(request),
            browser_label=request.META.get("HTTP_USER_AGENT", ""),
        )
    except DomainError as error:
        return render(request, "events/qr_login.html#code", {"error": error.message})
    url = request.build_absolute_uri(reverse("events:qr_login_approve", args=[token]))
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2)
    return render(request, "events/qr_login.html#code", {"svg": svg, "url": url})


@login_not_required
@never_cache
def qr_login_status(request: HttpRequest) -> HttpResponse:
    state, user = qrlogin.poll_qr_login(session=request.session)
    if state == "approved":
        login(request, user, backend="zhongyan.accounts.backends.ModelBackend")
        response = HttpResponse(status=204)
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("portal:dashboard")
        response["HX-Redirect"] = target
        return response
    if state == "waiting":
        return HttpResponse(status=204)
    return render(request, "events/qr_login.html#ended", {"state": state})


def qr_login_approve(request: HttpRequest, token: str) -> HttpResponse:
    """On the phone (signed in): which browser is asking, approve or deny."""
    try:
        pending = qrlogin.pending_request(token)
    except DomainError as error:
        return render(request, "events/qr_login_approve.html", {"error": error.message}, status=410)
    done = None
    if request.method == "POST":
        try:
            qrlogin.answer_qr_login(actor=request.user, token=token, approve=request.POST.get("answer") == "approve")
        except DomainError as error:
            return render(request, "events/qr_login_approve.html", {"error": error.message}, status=410)
        done = request.POST.get("answer")
    return render(request, "events/qr_login_approve.html", {"pending": pending, "token": token, "done": done})
