import sys

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/dashboard.html")


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"code": 403}, status=403)


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "portal/error.html", {"code": 404}, status=404)


def _overloaded() -> bool:
    """The request failed waiting for a database connection (pool exhausted, server at its
    connection limit): that is "busy, try again", not a bug."""
    error = sys.exc_info()[1]
    return isinstance(error, OperationalError) or type(error).__name__ == "PoolTimeout"


@login_not_required
@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might fail again: render the bare template.
    template = loader.get_template("portal/error.html")
    code = 503 if _overloaded() else 500
    response = HttpResponse(template.render({"code": code, "request": request}), status=code)
    if code == 503:
        response["Retry-After"] = "5"
    return response
