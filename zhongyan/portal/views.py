from django.contrib.auth.decorators import login_not_required
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


@login_not_required
@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that might fail again: render the bare template.
    template = loader.get_template("portal/error.html")
    return HttpResponse(template.render({"code": 500, "request": request}), status=500)
