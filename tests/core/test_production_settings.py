"""The production settings refuse what would keep state in one process (no Redis, a queue that
runs tasks in the web process, a cache in memory), log JSON lines to stdout, and put the private
files in the bucket the environment names."""

import json
import subprocess
import sys

import pytest
from django.conf import settings

from tests.processes import platform_env

BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "production-test-" + "k" * 60,
    "DJANGO_ALLOWED_HOSTS": "platform.example",
    "PLATFORM_BASE_URL": "https://platform.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/15",  # named, never reached
}
SCRIPT = (
    "import logging, django; django.setup()\n"
    "from django.conf import settings\n"
    "print('checked' if settings.DATABASES['default']['CONN_HEALTH_CHECKS'] else 'unchecked')\n"
    "logging.getLogger('platform.test').warning('started %s', 'well')\n"
)


def _start(script: str = SCRIPT, **changes: str | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", script],
        env=platform_env(**{**BASE_ENV, **changes}),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_logs_one_json_object_a_line_to_stdout():
    started = _start()
    assert started.returncode == 0, started.stderr
    assert started.stdout.splitlines()[0] == "checked"  # kept connections tested before use
    line = json.loads(started.stdout.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "platform.test"
    assert line["message"] == "started well"
    assert line["time"].endswith("+00:00")


def test_plain_lines_on_request():
    started = _start(LOG_FORMAT="text")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip().endswith("WARNING platform.test: started well")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"REDIS_URL": None}, "REDIS_URL must name the Redis"),
        ({"HUEY_IMMEDIATE": "1"}, "The task queue must run on Redis"),
        ({"CACHE_URL": "locmemcache://"}, "CACHE_URL must be a shared cache"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE is 'local' or 's3', not 'ftp'"),
        ({"MEDIA_STORAGE": "s3"}, "Set the MEDIA_S3_BUCKET environment variable"),
    ],
)
def test_production_refuses_state_kept_in_one_process(changes, message):
    started = _start(**changes)
    assert started.returncode != 0
    assert message in started.stderr


def test_the_private_files_go_to_the_bucket_named_by_the_environment():
    script = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.location, s.default_acl, s.file_overwrite,"
        " s.endpoint_url)\n"
    )
    started = _start(
        script,
        MEDIA_STORAGE="s3",
        MEDIA_S3_BUCKET="cities-grow-files",
        MEDIA_S3_PREFIX="platform",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.eu",
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.split() == [
        "S3Storage",
        "cities-grow-files",
        "platform",
        "private",
        "False",
        "https://s3.example.eu",
    ]
