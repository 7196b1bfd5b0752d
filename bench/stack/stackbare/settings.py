"""The second ceiling: Zhongyan's settings unchanged (middleware, sessions, authentication,
database, cache) with one bare view as the whole URLconf.

The first ceiling (bench/bare) shows what Django and uvicorn cost; this one adds what every
Zhongyan page pays before its own view runs: security headers, CSP, WhiteNoise, the session
read, locale, CSRF, the signed-in user loaded from the database, messages, htmx, allauth.
"""

from zhongyan.settings import *  # noqa: F403 - the point is to be Zhongyan's settings

ROOT_URLCONF = "stackbare.urls"
