"""Test settings: the embedded defaults, fast hashing, in-memory e-mail.

DATABASE_URL selects PostgreSQL for the second CI run.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import HUEY, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; prod uses Argon2
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOW_DEMO_ACCOUNTS = True
LANGUAGE_CODE = "en"
# Serve static files from the source folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded files go to a throw-away folder, never into var/ (TEST_MEDIA_ROOT: one folder shared
# by the processes of a test of the real queue, as a web server and its worker share theirs).
MEDIA_ROOT = Path(
    env.str("TEST_MEDIA_ROOT", default="") or tempfile.mkdtemp(prefix="cities-grow-test-media-")
)
# Each test process its own cache, whatever REDIS_URL the machine sets.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run at once in the enqueuing process (on commit), so the suite needs no worker; the
# tests of the real queue start one with HUEY_IMMEDIATE=0.
HUEY["immediate"] = env.bool("HUEY_IMMEDIATE", default=True)
