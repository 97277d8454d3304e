"""Production: PostgreSQL, Redis, real secrets, HTTPS only. Fails fast when a secret is missing
or a setting would keep state in one process's memory (docs/operators.md, "Production")."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, HUEY, LOGGING, MEDIA_STORAGE_BACKEND, REDIS_URL, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: a missing secret stops start-up
if SECRET_KEY.startswith("embedded-mode") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a random string of 50 characters or more."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Calendar UIDs and the links in e-mails and .ics files are built from it: a missing or local
# address would give every subscriber's calendar the wrong event identities.
PLATFORM_BASE_URL = env.str("PLATFORM_BASE_URL").rstrip("/")
if not PLATFORM_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("PLATFORM_BASE_URL must be the site's https:// address.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A kept connection is tested before each request uses it (one cut by a restart is replaced).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Several web processes and workers, on one machine or several, share one Redis: the task queue,
# the cache (rate limits, counters), the health endpoint's checks. Nothing of that may live in
# one process's memory or on one machine's disk.
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL must name the Redis every process shares.")
if HUEY["immediate"] or HUEY["huey_class"] != "huey.RedisHuey":
    raise ImproperlyConfigured("The task queue must run on Redis (HUEY_IMMEDIATE=0).")
if "locmem" in CACHES["default"]["BACKEND"]:
    raise ImproperlyConfigured("CACHE_URL must be a shared cache (Redis), not this process's.")
# The health endpoint fails when no worker ran the minute's heartbeat: workers must run.
HEALTH_CHECK_WORKERS = env.bool("HEALTH_CHECK_WORKERS", default=True)
# JSON log lines unless LOG_FORMAT=text.
LOG_FORMAT = "text" if env.str("LOG_FORMAT", default="json") == "text" else "json"
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT  # type: ignore[index]

ALLOW_DEMO_ACCOUNTS = env.bool("ALLOW_DEMO_ACCOUNTS", default=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A load balancer asks each process for its health on plain HTTP, behind the TLS it ends.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
# Production runs behind a reverse proxy (see SECURE_PROXY_SSL_HEADER) that appends the client's
# address to X-Forwarded-For; set TRUSTED_PROXY_HEADER empty if nothing sits in front.
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)

STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
