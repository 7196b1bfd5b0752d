from django.http import HttpRequest, HttpResponse
from django.urls import path

PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title></head>'
    "<body><main><h1>Bare Django view</h1><p>The ceiling for Zhongyan's benchmark.</p></main></body></html>"
)


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(PAGE)


urlpatterns = [path("", index)]
