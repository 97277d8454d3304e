"""The platform as separate processes, for the tests (and benchmarks) that start it as an
operator does: an environment free of the caller's platform settings, `manage.py`, and the
PostgreSQL server's administration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTGRES = os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# The settings a calling test run (or a developer's shell) may set that must not leak in.
PLATFORM_SETTINGS = ("DJANGO_", "HUEY_", "DATABASE_", "CACHE_", "REDIS_", "LOG_")


def platform_env(**settings: str | None) -> dict[str, str]:
    """This process's environment without the platform's settings, then `settings` (a None
    value leaves that setting out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(PLATFORM_SETTINGS)}
    env.update({k: v for k, v in settings.items() if v is not None})
    return env


def manage(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py, arguments from the tests
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def psql(sql: str) -> None:
    """One statement as the server's administrator (CREATE or DROP DATABASE)."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(sql)
