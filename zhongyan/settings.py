"""Zhongyan settings: one file, driven by environment variables.

Two shapes share this file. The *embedded* default (no variables set) runs on SQLite, an
in-memory channel layer, local-memory cache and in-process tasks, so one command starts
everything on a laptop. *Production* (ZHONGYAN_ENV=production) requires SECRET_KEY and turns on
secure cookies, HSTS and the database task queue; DATABASE_URL and REDIS_URL choose PostgreSQL
and Redis. Every variable is documented in `.env.example`.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZHONGYAN_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env("ZHONGYAN_ENV", "embedded") == "production"
DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when ZHONGYAN_ENV=production.")
    # Embedded default: generated once and kept beside the database, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "template_partials",
    "bootstrap",
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "zhongyan.core",
    "zhongyan.accounts",
    "zhongyan.orgs",
    "zhongyan.demands",
    "zhongyan.proposals",
    "zhongyan.catalog",
    "zhongyan.matching",
    "zhongyan.contracts",
    "zhongyan.events",
    "zhongyan.ideas",
    "zhongyan.notifications",
    "zhongyan.portal",
    "zhongyan.api",
]

MIDDLEWARE = [
    # First: a stored page is answered before the rest of the stack runs (core/pagecache.py).
    "zhongyan.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "zhongyan.core.middleware.ContentSecurityPolicyMiddleware",
    "zhongyan.core.middleware.StripNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "zhongyan.urls"
ASGI_APPLICATION = "zhongyan.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zhongyan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhongyan.core.context_processors.site",
                "zhongyan.core.context_processors.csrf",
            ],
            "builtins": ["zhongyan.core.templatetags.zhongyan"],
        },
    }
]

# Database: a SQLite file by default; DATABASE_URL=postgres://... in production.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhongyan.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of one failing
    # half-way with "database is locked"; WAL lets readers run beside the writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
elif int(env("DATABASE_POOL_MAX_SIZE") or ("16" if PRODUCTION else "0")):
    # Under ASGI every request in flight runs in a thread of its own with a connection of its
    # own: a burst (issue 6: thousands of guests joining at once) would open thousands and
    # PostgreSQL refuses them past max_connections, and a persistent connection (CONN_MAX_AGE)
    # is never reused by the next request's thread. A pool per process bounds and reuses them;
    # requests queue for a connection in arrival order (bench/event_burst.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": int(env("DATABASE_POOL_MAX_SIZE") or "16"),
        "timeout": float(env("DATABASE_POOL_TIMEOUT") or "60"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and channel layer: Redis when REDIS_URL is set, otherwise in-process.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend with one connection pool and one client per process (core/cache.py).
            "BACKEND": "zhongyan.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "zhongyan"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # redis-py reads with a 5 s socket timeout by default, the same as channels_redis'
                # 5 s blocking pop: a busy worker then loses the race, the consumer dies with
                # TimeoutError and the wall's socket drops. Give the read room beyond the pop.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "prefix": env("CACHE_KEY_PREFIX", "zhongyan"),
                # A screen must be able to queue a whole burst of joins (issue 6: thousands at
                # once) without channels_redis dropping frames past the default 100.
                "capacity": 5000,
                "expiry": 120,
            },
        }
    }
    # Sessions read from Redis, written through to the database: one query less on every signed-in
    # request (issue 3's benchmark). Only with a cache all processes share: with a per-process
    # cache, a session ended in one process would live on in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Rendered template fragments that depend only on the code, the language and a few flags (the
# layout's menus): kept in each process's memory for its lifetime, since only a deploy changes them.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Background work: in-process for the embedded default, a database queue in production
# (run `manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend" if PRODUCTION else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the signed-in user from the cache (accounts/backends.py).
AUTHENTICATION_BACKENDS = [
    "zhongyan.accounts.backends.ModelBackend",
    "zhongyan.accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "zhongyan.accounts.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"

# allauth: e-mail login, mandatory verification, rate limits on sign-in (cache-backed).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "zhongyan.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Zhongyan")

# Internationalisation: Chinese first, English under /en/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
CONTENT_LANGUAGES = ["zh-hans", "en"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "zhongyan" / "locale"]

# Static files come from installed packages (Bootstrap, htmx, Swagger UI) and are served by
# WhiteNoise: no CDN, the platform runs on an intranet.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "zhongyan" / "static"]  # the layout's own CSS and icon (no app owns them)
_static_manifest = env_bool("STATIC_MANIFEST", PRODUCTION)
# Without the manifest (embedded default), files are served straight from the packages' static
# folders and no collected copy exists; WhiteNoise would warn about a missing STATIC_ROOT.
STATIC_ROOT = (
    Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if _static_manifest or env("STATIC_ROOT") else None
)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if _static_manifest
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not _static_manifest
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
AVATAR_MAX_BYTES = int(env("AVATAR_MAX_BYTES", str(5 * 1024 * 1024)))
EVENT_PHOTO_MAX_BYTES = int(env("EVENT_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
# Contracts: the platform CA's directory and passphrase (docs/contracts-signing.md). Embedded default:
# the passphrase is generated once into <VAR_DIR>/contracts-ca-passphrase (mode 0600); production must set it.
CONTRACTS_CA_DIR = Path(env("CONTRACTS_CA_DIR", str(VAR_DIR / "contracts-ca")))
CONTRACTS_CA_PASSPHRASE = env("CONTRACTS_CA_PASSPHRASE")
CONTRACT_UPLOAD_MAX_BYTES = int(env("CONTRACT_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# E-mail: printed to the console unless an SMTP host is given.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(env("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Zhongyan <noreply@zhongyan.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production turns on HTTPS-only cookies and HSTS; the reverse proxy terminates TLS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_COOKIES = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading is a public-internet commitment an intranet host name cannot make; opt in with
# SECURE_HSTS_PRELOAD=1 where the platform has a public domain.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_PROXY", PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Whole signed-in pages kept in the shared cache and served before the middleware stack
# (core/pagecache.py, ADR 0015). PAGE_CACHE=0 turns it off.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Health checks come from the proxy over plain HTTP on the loopback address.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self' ws: wss:; font-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
