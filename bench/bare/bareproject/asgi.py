"""ASGI entry point of the bare project: `uvicorn --app-dir bench/bare bareproject.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bareproject.settings"
application = get_asgi_application()
