"""Settings for the embedded default: SQLite under var/, local files, console e-mail.

Every value can be overridden by an environment variable (documented in .env.example);
production.py tightens what must not be left to defaults.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .media import s3_media_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded mode runs on a laptop; production.py refuses to start without a real secret.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="embedded-mode-not-secret-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_countries",
    "simple_history",
    "axes",
    # The second factor: django-otp with its TOTP and recovery-code plug-ins, and passkeys.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "huey.contrib.djhuey",
    "health_check",  # its `manage.py health_check` command; the endpoint is core.health
    "core",
    "accounts",
    "programmes",
    "assessments",
    "matching",
    "visits",
    "action_plans",
    "knowledge",
    "finance",
    "workplan",
    "dashboard",
    "reports",
    "infographics",
    "videos",
    "conference",
    "notifications",
    "privacy",
    "portal",
    "accessibility",
    "rest_framework",
    "drf_spectacular",
    "api",
    "demo",
]

MIDDLEWARE = [
    # Outermost: a read whose database connection was cut runs again (core.resilience).
    "core.resilience.LostDatabaseRetryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy of every response, then the other headers (core.middleware),
    # listed after it so that they run before it on the way out.
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user: which of the person's devices verified this session (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # After the session and the user: a signed-in person reads the platform in their language.
    "notifications.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages: signs out idle, expired or ended sessions (accounts.sessions).
    "accounts.middleware.SessionTimeoutMiddleware",
    # After it: a signed-in session without its second factor reaches only the pages that ask
    # for it (accounts.middleware.SecondFactorMiddleware).
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lock-out into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
            "string_if_invalid": "",
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'platform.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A kept connection is tested before a request uses it: one cut by a database restart or a
# network drop is replaced instead of failing the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Sessions expire: 8 hours of absolute life, and at browser close.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions (accounts.sessions, accounts.middleware): besides the absolute age above, counted from
# log-in, a session without activity for this many minutes is signed out (0: never; production
# defaults to 30). Activity is recorded at most once a minute. The URL names listed are only ever
# polled by a page's script: they never count as activity (nor does a page reloading itself with
# ?auto-refresh=1), so a page left open does not keep its session alive.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=120)
SESSION_PASSIVE_URL_NAMES = ["matching:run_progress"]
# The client's address (log-in lock-out) is read from this request.META header only when a
# trusted proxy sets it, TRUSTED_PROXY_COUNT proxies in front of the platform (see
# accounts/client_ip.py); empty: the connection's address, forwarded headers ignored.
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="")
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"

# Lock-out after repeated failed log-ins (per user name and address), lifted after a cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# The second factor (accounts.selectors, .services, .middleware): an authenticator app (TOTP),
# passkeys (WebAuthn) and single-use recovery codes. People holding one of MFA_REQUIRED_ROLES
# (Role values of core.roles, and "platform_admin" for the admin's staff and superusers) must
# enrol one at their first log-in; everyone else may, from My account. A wrong code counts as a
# failed log-in for the lock-out above; each device also makes its person wait 1, 2, 4, 8...
# seconds after consecutive wrong codes (django-otp's throttling, across log-ins), so codes
# cannot be guessed. Recovery codes: MFA_RECOVERY_CODES of them, each usable once. MFA_ISSUER
# names the platform in authenticator apps. Passkeys belong to the host of PLATFORM_BASE_URL
# (an address, not an IP: open the embedded server at http://localhost:8000 to try them).
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=["coordinator", "finance_officer", "auditor", "platform_admin"]
)
MFA_RECOVERY_CODES = env.int("MFA_RECOVERY_CODES", default=10)
MFA_ISSUER = env.str("MFA_ISSUER", default="CITIES-GROW platform")
OTP_TOTP_ISSUER = MFA_ISSUER
OTP_WEBAUTHN_RP_NAME = MFA_ISSUER
# accounts.passkeys: the relying party and the one origin allowed are PLATFORM_BASE_URL's,
# read when a passkey is used (production sets it after this file), so the package's own
# check for a fixed list of origins is silenced.
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]
# Passkeys are a second factor only: the password always comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

LANGUAGE_CODE = "en"
# The languages of the programme's cities (the issue's list); each has a complete catalogue in
# locale/ (tests/test_i18n.py) and a format module in config/formats/.
LANGUAGES = [
    ("ca", _("Catalan")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fi", _("Finnish")),
    ("fr", _("French")),
    ("lv", _("Latvian")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("tr", _("Turkish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
# Dates and numbers follow each language's conventions through Django's locale formats, English
# being British/European (day first, 24-hour clock): see config/formats/. Numbers are not grouped
# by default so that ids in URLs and the values of number inputs stay plain; money is grouped by
# the `money` template filter (core/money.py).
FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Private files (uploads, generated documents): a folder every web process and worker of the
# platform sees: on several machines, a shared volume (NFS) mounted at the same path.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Or, with MEDIA_STORAGE=s3, any S3-compatible object store (AWS, MinIO, Ceph, Scaleway, OVH...)
# through django-storages: one private bucket (config/settings/media.py); the credentials come
# from the environment.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = s3_media_storage(
        bucket=env.str("MEDIA_S3_BUCKET"),
        endpoint_url=env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
        region=env.str("MEDIA_S3_REGION", default="") or None,
        access_key=env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
        secret_key=env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
        prefix=env.str("MEDIA_S3_PREFIX", default=""),
    )
elif MEDIA_STORAGE == "local":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE is 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads (core.uploads): files are stored in MEDIA_ROOT, which no URL serves (only the scoped
# view of each record answers its file), under random names. The largest file of each kind of
# upload (MB); an office document (a zip inside) may expand to at most UPLOAD_ARCHIVE_MAX_MB,
# UPLOAD_ARCHIVE_MAX_RATIO times its size, with UPLOAD_ARCHIVE_MAX_ENTRIES parts; a picture has at
# most UPLOAD_IMAGE_MAX_PIXELS. The queue's worker deletes, daily at UPLOAD_PURGE_HOUR, the stored
# files that no record names once they are UPLOAD_ORPHAN_GRACE_HOURS old (`purge_orphan_files`).
UPLOAD_MAX_MB = {
    "receipts": env.int("UPLOAD_MAX_MB_RECEIPTS", default=5),
    "attachments": env.int("UPLOAD_MAX_MB_ATTACHMENTS", default=10),
    "decisions": env.int("UPLOAD_MAX_MB_DECISIONS", default=10),
    "evidence": env.int("UPLOAD_MAX_MB_EVIDENCE", default=10),
    "deliverables": env.int("UPLOAD_MAX_MB_DELIVERABLES", default=10),
    "exchange_rates": env.int("UPLOAD_MAX_MB_EXCHANGE_RATES", default=1),
    # The video catalogue (videos): a video is streamed to a temporary file, never held in memory.
    "videos": env.int("UPLOAD_MAX_MB_VIDEOS", default=500),
    "subtitles": env.int("UPLOAD_MAX_MB_SUBTITLES", default=1),
    "consents": env.int("UPLOAD_MAX_MB_CONSENTS", default=10),
}
UPLOAD_ARCHIVE_MAX_MB = env.int("UPLOAD_ARCHIVE_MAX_MB", default=200)
UPLOAD_ARCHIVE_MAX_RATIO = env.int("UPLOAD_ARCHIVE_MAX_RATIO", default=100)
UPLOAD_ARCHIVE_MAX_ENTRIES = env.int("UPLOAD_ARCHIVE_MAX_ENTRIES", default=1000)
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=50_000_000)
UPLOAD_ORPHAN_GRACE_HOURS = env.int("UPLOAD_ORPHAN_GRACE_HOURS", default=24)
UPLOAD_PURGE_HOUR = env.int("UPLOAD_PURGE_HOUR", default=3)
# A request's file is read only up to one byte past the largest limit above (core.uploads.handlers).
FILE_UPLOAD_HANDLERS = [
    "core.uploads.handlers.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="platform@cities-grow.example")

# Redis, shared by every process of the platform (the queue's storage, the cache, the health
# endpoint's check) when set; the embedded default needs none.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache: Redis in production (CACHE_URL, or REDIS_URL), so that every process sees the same
# rate limits and counters; this process's memory in the embedded default.
CACHES = {"default": env.cache("CACHE_URL", default=REDIS_URL or "locmemcache://")}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Demo accounts share this password; the loader refuses to create them in production.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="cities-grow-demo")
ALLOW_DEMO_ACCOUNTS = env.bool("ALLOW_DEMO_ACCOUNTS", default=True)
# The demo's people whose role requires a second factor get an authenticator app with this key
# (hex; `load_programme --demo-accounts` prints it in base32 for an authenticator app).
DEMO_TOTP_KEY = env.str("DEMO_TOTP_KEY", default="6369746965732d67726f772d64656d6f2d6b6579")

# Logs go to stdout, where the process manager (honcho, systemd, the container runtime) collects
# them: plain lines by default, one JSON object a line with LOG_FORMAT=json (production's
# default) for a log collector to index.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "filters": {"retried_reads": {"()": "core.resilience.RetriedReadFilter"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # The queue's worker: its task lines (INFO) through the same handler, once (run_huey
        # adds its own handler only to a "huey" logger that has none).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # A read answered again after a lost database connection logs no error for its first try.
        "django.request": {"filters": ["retried_reads"]},
    },
}

# An invitation to the platform is valid this many days (a resend starts a new period).
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# The task queue (Huey): its SQLite file under var/ in embedded mode, Redis when HUEY_REDIS_URL
# (or REDIS_URL) is set. `manage.py run_huey` is the worker; `make run` starts it with the web
# server. In immediate mode a task runs at once in the process that enqueues it (tests).
_HUEY_REDIS_URL = env.str("HUEY_REDIS_URL", default="") or REDIS_URL
_HUEY_SQLITE_PATH = Path(env.str("HUEY_SQLITE_PATH", default="") or VAR_DIR / "huey.sqlite3")
if not _HUEY_REDIS_URL:
    # Huey's SQLite storage opens its file as soon as Django sets up (a fresh clone's first
    # command, mypy's Django plugin): its folder must exist by then.
    _HUEY_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
HUEY = {
    "huey_class": "huey.RedisHuey" if _HUEY_REDIS_URL else "huey.SqliteHuey",
    "name": env.str("HUEY_NAME", default="cities-grow"),
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "utc": True,
    "consumer": {
        "workers": env.int("HUEY_WORKERS", default=2),
        "worker_type": "thread",
        # Only one consumer of a deployment schedules the periodic tasks (the daily purges, the
        # heartbeat): HUEY_PERIODIC=0 on every other (`run_huey --no-periodic` does the same).
        "periodic": env.bool("HUEY_PERIODIC", default=True),
    },
    **({"url": _HUEY_REDIS_URL} if _HUEY_REDIS_URL else {"filename": str(_HUEY_SQLITE_PATH)}),
}

# Work waiting for a worker this long is put on the queue again by the scheduler's minute sweep
# (core.requeue): its task may have been lost with a Redis that restarted.
QUEUE_REQUEUE_AFTER_SECONDS = env.int("QUEUE_REQUEUE_AFTER_SECONDS", default=120)

# The health endpoint (/health/, core.health) also fails when no worker of the queue ran the
# minute's heartbeat for this many seconds (on where workers must run: production).
HEALTH_CHECK_WORKERS = env.bool("HEALTH_CHECK_WORKERS", default=False)
HEALTH_WORKER_STALE_SECONDS = env.int("HEALTH_WORKER_STALE_SECONDS", default=180)

# Matching: problems with this many cities or more run in the background (on the task queue),
# and so does any run given more than MATCHING_IN_REQUEST_MAX_SECONDS (a request must end well
# within the web server's timeout, GUNICORN_TIMEOUT); a coordinator may give the solver at most
# MATCHING_MAX_TIME_LIMIT seconds. A run still running MATCHING_STALLED_AFTER_SECONDS past its
# time limit lost its worker (killed, out of memory): the scheduler ends it failed and tells
# the coordinator who started it.
MATCHING_BACKGROUND_FROM_CITIES = env.int("MATCHING_BACKGROUND_FROM_CITIES", default=40)
MATCHING_IN_REQUEST_MAX_SECONDS = env.int("MATCHING_IN_REQUEST_MAX_SECONDS", default=60)
MATCHING_MAX_TIME_LIMIT = env.int("MATCHING_MAX_TIME_LIMIT", default=300)
MATCHING_STALLED_AFTER_SECONDS = env.int("MATCHING_STALLED_AFTER_SECONDS", default=300)

# Visits: reminders go this many days before an event; a visit's report is due this many days
# after it ends (raised daily by the queue's worker, visits.tasks; `send_reminders` by hand).
VISITS_REMINDER_DAYS = env.int("VISITS_REMINDER_DAYS", default=7)
VISITS_REPORT_DUE_DAYS = env.int("VISITS_REPORT_DUE_DAYS", default=14)
# The platform's public address: links that leave the site (calendar files, e-mails) and the
# stable identifiers of calendar entries (UIDs) are built from it, never from a request's host.
_PLATFORM_BASE_URL = env.str("PLATFORM_BASE_URL", default="") or "http://127.0.0.1:8000"
PLATFORM_BASE_URL = _PLATFORM_BASE_URL.rstrip("/")
ACTION_PLANS_CHECK_IN_REMINDER_DAYS = env.int("ACTION_PLANS_CHECK_IN_REMINDER_DAYS", default=30)

# The REST API: the same log-in as the site (session, with its CSRF check), JSON only, one error
# format (api.errors), an OpenAPI schema at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentoring programmes platform API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Finance reminders (a daily task on the queue, finance.tasks): a month with hours still unsigned
# this many days after it ends; the finance officers this many days before a statement is due
# (a key date of the programme whose title contains FINANCE_STATEMENT_DEADLINE_WORDS).
FINANCE_UNSIGNED_REMINDER_DAYS = env.int("FINANCE_UNSIGNED_REMINDER_DAYS", default=5)
FINANCE_STATEMENT_REMINDER_DAYS = env.int("FINANCE_STATEMENT_REMINDER_DAYS", default=30)
FINANCE_STATEMENT_DEADLINE_WORDS = env.str("FINANCE_STATEMENT_DEADLINE_WORDS", default="report due")
FINANCE_REMINDERS_HOUR = env.int("FINANCE_REMINDERS_HOUR", default=6)
# The hour the queue takes off the portal the videos whose consents expired (videos.tasks).
VIDEO_CONSENTS_CHECK_HOUR = env.int("VIDEO_CONSENTS_CHECK_HOUR", default=0)

# Notifications: e-mail retries after these delays (seconds), then the e-mail stays failed for a
# coordinator to send again; an e-mail left "being sent" by a worker that died is failed after
# NOTIFICATIONS_SENDING_STALE_MINUTES (never resent on its own); the daily digest's hour.
NOTIFICATIONS_RETRY_DELAYS = env.list(
    "NOTIFICATIONS_RETRY_DELAYS", cast=int, default=[60, 300, 1800, 7200, 43200]
)
NOTIFICATIONS_SENDING_STALE_MINUTES = env.int("NOTIFICATIONS_SENDING_STALE_MINUTES", default=30)
NOTIFICATIONS_DIGEST_HOUR = env.int("NOTIFICATIONS_DIGEST_HOUR", default=7)
PERSON_LANGUAGE_SESSION_KEY = "person_language"

# Personal data (privacy): the privacy notice's controller and contact, and how long records are
# kept. Finance records (timesheets, claims and their receipts, staff rates, attendance) stay
# until PRIVACY_FINANCE_RETENTION_YEARS after the programme's final payment (the funder's rule:
# AMIF, 5 years); a person who left is pseudonymised on a coordinator's request, confirmed by a
# second one (privacy.services).
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="The programme's coordinating partner")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="") or DEFAULT_FROM_EMAIL

# The accessibility statement (accessibility/statement.py holds its facts): where people write
# about an accessibility problem besides the feedback form, within how many days they are
# answered, and the enforcement body they may turn to when the answer does not satisfy them
# (the Member State's, where the coordinating partner is established). At most
# ACCESSIBILITY_FEEDBACK_PER_HOUR reports an hour from one address.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", default="") or (
    PRIVACY_CONTACT_EMAIL
)
ACCESSIBILITY_ANSWER_DAYS = env.int("ACCESSIBILITY_ANSWER_DAYS", default=30)
ACCESSIBILITY_ENFORCEMENT_BODY = (
    env.str("ACCESSIBILITY_ENFORCEMENT_BODY", default="")
    or "BOSA, the Federal Public Service Policy and Support (Belgium)"
)
ACCESSIBILITY_ENFORCEMENT_URL = (
    env.str("ACCESSIBILITY_ENFORCEMENT_URL", default="") or "https://accessibility.belgium.be/en"
)
ACCESSIBILITY_FEEDBACK_PER_HOUR = env.int("ACCESSIBILITY_FEEDBACK_PER_HOUR", default=5)
PRIVACY_FINANCE_RETENTION_YEARS = env.int("PRIVACY_FINANCE_RETENTION_YEARS", default=5)

# Security headers. Content-Security-Policy (django-csp): scripts, styles, fonts, images and
# requests from the platform itself only; no inline script, style attribute or handler (every
# script and style is a file under static/), no plug-in, no framing, forms posted to the platform
# only. Browsers report violations to the platform's own endpoint (core.views.csp_report, logged
# under "core.csp": at most CSP_REPORTS_LOGGED_PER_MINUTE a minute, bodies of at most
# CSP_REPORT_MAX_BYTES) through `report-uri`, which every browser sends at once; not `report-to`
# as well, which Chromium would then use alone, batching the reports through the Reporting API
# (headless Chromium sent none in minutes, so the browser tests could not hear them; the endpoint
# reads both formats). http: sub-resources are upgraded when the platform's address is https
# (production). The admin allows one fixed style attribute by its hash (core.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": reverse_lazy("portal:csp_report"),
        "upgrade-insecure-requests": PLATFORM_BASE_URL.startswith("https://"),
    },
}
CSP_REPORT_MAX_BYTES = env.int("CSP_REPORT_MAX_BYTES", default=64 * 1024)
CSP_REPORTS_LOGGED_PER_MINUTE = env.int("CSP_REPORTS_LOGGED_PER_MINUTE", default=60)
# Browser features no page uses, switched off for the platform and anything it could embed
# (Permissions-Policy, core.middleware). Passkeys (publickey-credentials-*) keep their default.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# security.txt (RFC 9116, /.well-known/security.txt) and the disclosure policy page: where to
# report a security problem (mailto: or https: addresses), how many days the file is valid from
# the moment it is served (under a year, as the RFC recommends), and the policy's promises.
SECURITY_CONTACTS = env.list("SECURITY_CONTACTS", default=[f"mailto:{DEFAULT_FROM_EMAIL}"])
# The languages a report may be written in: those the security contact reads.
SECURITY_REPORT_LANGUAGES = env.list("SECURITY_REPORT_LANGUAGES", default=["en", "fr"])
SECURITY_TXT_EXPIRES_DAYS = env.int("SECURITY_TXT_EXPIRES_DAYS", default=364)
SECURITY_ACKNOWLEDGE_DAYS = env.int("SECURITY_ACKNOWLEDGE_DAYS", default=5)
SECURITY_DISCLOSURE_DAYS = env.int("SECURITY_DISCLOSURE_DAYS", default=90)
