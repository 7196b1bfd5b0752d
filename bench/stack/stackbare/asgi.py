"""`uvicorn --app-dir bench/stack stackbare.asgi:application`: Zhongyan's own ASGI application
(served the same way, HTTP_HANDLER included) with the bare view as its URLconf."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "stackbare.settings"

from zhongyan.asgi import application  # noqa: F401 - the settings module must be chosen first
