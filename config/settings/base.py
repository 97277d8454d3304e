"""Settings for the embedded default: SQLite under var/, local files, console e-mail.

Every value can be overridden by an environment variable (documented in .env.example);
production.py tightens what must not be left to defaults.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

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
    "huey.contrib.djhuey",
    "core",
    "accounts",
    "programmes",
    "assessments",
    "matching",
    "visits",
    "action_plans",
    "knowledge",
    "finance",
    "portal",
    "rest_framework",
    "drf_spectacular",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

# Lock-out after repeated failed log-ins (per user name and address), lifted after a cool-off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
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
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="platform@cities-grow.example")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Demo accounts share this password; the loader refuses to create them in production.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="cities-grow-demo")
ALLOW_DEMO_ACCOUNTS = env.bool("ALLOW_DEMO_ACCOUNTS", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # The queue's worker logs through its own handler: not again through the root's.
    "loggers": {"huey": {"level": "INFO", "propagate": False}},
}

# An invitation to the platform is valid this many days (a resend starts a new period).
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)

# The task queue (Huey): its SQLite file under var/ in embedded mode, Redis when HUEY_REDIS_URL
# (or REDIS_URL) is set. `manage.py run_huey` is the worker; `make run` starts it with the web
# server. In immediate mode a task runs at once in the process that enqueues it (tests).
_HUEY_REDIS_URL = env.str("HUEY_REDIS_URL", default="") or env.str("REDIS_URL", default="")
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
    "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    **({"url": _HUEY_REDIS_URL} if _HUEY_REDIS_URL else {"filename": str(_HUEY_SQLITE_PATH)}),
}

# Matching: problems with this many cities or more run in the background (on the task queue);
# a coordinator may give the solver at most this many seconds.
MATCHING_BACKGROUND_FROM_CITIES = env.int("MATCHING_BACKGROUND_FROM_CITIES", default=40)
MATCHING_MAX_TIME_LIMIT = env.int("MATCHING_MAX_TIME_LIMIT", default=300)

# Visits: reminders go this many days before an event; a visit's report is due this many days
# after it ends (`manage.py send_reminders`, daily).
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

# Grant finance: how many hours make a working day (workload in days), and the days of work
# each city plans over the programme.
FINANCE_HOURS_PER_DAY = env.str("FINANCE_HOURS_PER_DAY", default="8")
FINANCE_CITY_DAYS = env.int("FINANCE_CITY_DAYS", default=30)
