"""`uvicorn --app-dir bench/stack stackbare.asgi:application`, with Zhongyan's environment."""

import os

from django.core.asgi import get_asgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "stackbare.settings"
application = get_asgi_application()
