from django.http import HttpRequest, HttpResponse
from django.urls import path

from zhongyan.urls import urlpatterns as zhongyan_urlpatterns

# The same bytes as the bare project's page, so only the stack differs.
PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head>'
    "<body><main><h1>Bare Django view</h1><p>The ceiling for Zhongyan's benchmark.</p></main></body></html>"
)


def index(request: HttpRequest) -> HttpResponse:
    """Login required like every Zhongyan page (LoginRequiredMiddleware): measured signed in, so
    the session and the user are read as they are for the demand pages."""
    return HttpResponse(PAGE)


# Zhongyan's own URLs after it: the sign-in redirect and the error handlers need them.
urlpatterns = [path("", index), *zhongyan_urlpatterns]
handler403 = "zhongyan.portal.views.forbidden"
handler404 = "zhongyan.portal.views.not_found"
handler500 = "zhongyan.portal.views.server_error"
