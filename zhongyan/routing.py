"""WebSocket routes of every module."""

from django.urls import URLPattern, path

from zhongyan.events.consumers import WallConsumer

websocket_urlpatterns: list[URLPattern] = [
    path("ws/events/screens/<str:venue>/", WallConsumer.as_asgi()),
]
