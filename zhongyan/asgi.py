"""ASGI entry point: pages through Django's WSGI handler on a thread pool, WebSockets through Channels.

Every Zhongyan view and middleware is synchronous. Served by Django's ASGI handler, each sync
middleware hook and the view hop into the one thread-sensitive executor thread of the process
(about ten hops a request, all serialised on that thread); served by the WSGI handler inside an
a2wsgi thread pool, a request makes one hop and runs its middleware and view straight through.
Same settings, same middleware, same responses: ADR 0014 has the measurements.
`HTTP_THREADS` sets the pool's size per process (default 2: more threads only contend for the
GIL; each may hold a database connection, so keep it at or below `DATABASE_POOL_MAX_SIZE`);
`HTTP_HANDLER=asgi` serves pages through Django's ASGI handler instead (for comparison).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongyan.settings")
# Sets Django up (apps, settings) before anything below imports models.
django_asgi_app = get_asgi_application()

from a2wsgi import WSGIMiddleware  # noqa: E402 - Django must be set up first
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from zhongyan.core import pagefront  # noqa: E402
from zhongyan.events import fastjoin  # noqa: E402
from zhongyan.routing import websocket_urlpatterns  # noqa: E402

if os.environ.get("HTTP_HANDLER", "wsgi") == "asgi":  # Django's own ASGI handler, for comparison
    http_app = django_asgi_app
else:
    http_app = WSGIMiddleware(get_wsgi_application(), workers=int(os.environ.get("HTTP_THREADS") or 2))

application = ProtocolTypeRouter(
    {
        # The lean join endpoint of issue 6 answers its own path prefix before Django; with Redis,
        # stored pages are answered before Django's thread pool (core/pagefront.py).
        "http": fastjoin.mount(pagefront.mount(http_app)),
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
