"""The health endpoint (`/health/`) that a load balancer, an orchestrator or an operator asks
whether this process can serve: the database, the cache, the private storage, Redis (when the
platform uses it) and the task queue, each checked by django-health-check. 200 when every
check passes, 500 otherwise; `?format=json` answers JSON. No login: it names the services
checked and a generic error for each, never a secret (django-health-check's rule).

The queue is checked twice: its storage answers (a task can be enqueued), and a worker ran
within the last `HEALTH_WORKER_STALE_SECONDS` (the scheduler's heartbeat, below), so that a
platform whose workers all stopped says so instead of silently keeping its matching runs,
documents and e-mails waiting."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from django.conf import settings
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from huey.contrib.djhuey import HUEY

HEARTBEAT_KEY = "health:worker-heartbeat"  # written by core.tasks.worker_heartbeat


def last_heartbeat() -> float | None:
    """When a worker last ran the heartbeat (epoch seconds), or None if never."""
    beat = HUEY.get(HEARTBEAT_KEY, peek=True)
    return float(beat) if isinstance(beat, int | float) else None


@dataclasses.dataclass
class QueueStorage(HealthCheck):
    """The task queue's storage answers (Redis or the SQLite file)."""

    def run(self) -> None:
        try:
            HUEY.pending_count()
        except Exception as error:  # any storage error means "down"
            raise ServiceUnavailable("The task queue's storage does not answer.") from error


@dataclasses.dataclass
class QueueWorkers(HealthCheck):
    """A worker of the queue ran recently (its scheduler's heartbeat, every minute)."""

    def run(self) -> None:
        if HUEY.immediate:  # tasks run in the process that enqueues them: no worker to wait for
            return
        beat = last_heartbeat()
        stale = settings.HEALTH_WORKER_STALE_SECONDS
        if beat is None or time.time() - beat > stale:
            raise ServiceUnavailable(
                f"No worker of the task queue has run for {stale} seconds or more."
            )


def configured_checks() -> list[Any]:
    """What the endpoint checks: Redis only where the platform uses it."""
    found: list[Any] = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        "health_check.checks.Storage",
        QueueStorage,
    ]
    if settings.REDIS_URL:
        from health_check.contrib.redis import Redis
        from redis.asyncio import Redis as RedisClient

        url = settings.REDIS_URL
        found.append((Redis, {"client_factory": lambda: RedisClient.from_url(url)}))
    if settings.HEALTH_CHECK_WORKERS:
        found.append(QueueWorkers)
    return found


class HealthView(HealthCheckView):
    """The endpoint's view: its checks read from the settings at each request."""

    def get_checks(self) -> Any:
        self.checks = configured_checks()
        return super().get_checks()


health = HealthView.as_view()
