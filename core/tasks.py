"""The queue's side of core (`manage.py run_huey`; no cron): the daily purge of stored files that
no record names (core.uploads.storage), the work the queue may have lost enqueued again
(core.requeue), and the workers' heartbeat that the health endpoint reads (core.health)."""

import time

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, periodic_task

from .health import HEARTBEAT_KEY
from .requeue import requeue_waiting
from .uploads import orphan_files_purge


@db_periodic_task(crontab(hour=str(settings.UPLOAD_PURGE_HOUR), minute="40"))
def orphan_files_purge_daily() -> None:
    orphan_files_purge()


@db_periodic_task(crontab(minute="*"))
def waiting_work_requeue() -> None:
    requeue_waiting()


@periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Every minute, in a worker: the time it ran, in the queue's own storage (Redis, or the
    SQLite file), which every process of the platform reads."""
    HUEY.put(HEARTBEAT_KEY, time.time())
