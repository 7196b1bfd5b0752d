"""The ceiling: the least a Django project can be. No apps, no middleware, no database, one view.

Served by run.py exactly like Zhongyan (uvicorn, same worker count), so the ratio between the
two measures what Zhongyan adds on top of Django and the ASGI server, not the machine.
"""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "bench-bare-throwaway-key-not-secret-0123456789abcdef")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bareproject.urls"
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
