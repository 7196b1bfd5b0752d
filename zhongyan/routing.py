"""WebSocket routes of every module (events adds the live wall)."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
