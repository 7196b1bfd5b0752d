"""ASGI entry point of the bare project: `uvicorn --app-dir bench/bare bareproject.asgi:application`.

Served the way Zhongyan serves its pages (zhongyan/asgi.py): Django's WSGI handler in an a2wsgi
thread pool, which is also the faster way for this one sync view (ADR 0014);
`HTTP_HANDLER=asgi` switches both to Django's ASGI handler. Eight threads: the fastest for this view.
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bareproject.settings"
if os.environ.get("HTTP_HANDLER", "wsgi") == "asgi":
    application = get_asgi_application()
else:
    application = WSGIMiddleware(get_wsgi_application(), workers=8)  # its fastest (ADR 0014)
