"""Work the task queue may have lost, found again in the database.

A row that waits for a worker (a matching run, a statement's or a report's files) is written
first and its task enqueued after the commit. When Redis is down at that moment, or restarts
without persistence, the task is gone while the row still says "waiting". So enqueueing never
fails the request (`enqueue_safely`), and each minute the scheduler enqueues again each row
waiting for longer than QUEUE_REQUEUE_AFTER_SECONDS (`requeue_waiting`, core.tasks): a task
that was not lost finds its row claimed by then and does nothing, as each task claims its row in
one UPDATE.
Each app registers its waiting rows in its tasks module (`register`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 200  # rows of each kind a sweep enqueues again, oldest first
WAITING_STATUS = "queued"


@dataclass(frozen=True)
class Waiting:
    model: type[models.Model]
    since_field: str  # when the row started waiting
    task: Callable[[int], object]  # the task that works on the row, given its id


WAITING: list[Waiting] = []


def register(model: type[models.Model], since_field: str, task: Callable[[int], object]) -> None:
    if not any(kind.model is model for kind in WAITING):
        WAITING.append(Waiting(model, since_field, task))


def requeue_after() -> timedelta:
    return timedelta(seconds=settings.QUEUE_REQUEUE_AFTER_SECONDS)


def enqueue_safely(task: Callable[[int], object], pk: int) -> None:
    """Put the row's task on the queue; if the queue cannot be reached, log it and go on: the
    row waits, and the next sweep enqueues it again."""
    try:
        task(pk)
    except Exception:
        logger.exception("Could not put %s(%s) on the queue; the sweep will", task, pk)


def requeue_waiting(*, now: datetime | None = None) -> int:
    """Enqueue again every registered row waiting for longer than QUEUE_REQUEUE_AFTER_SECONDS;
    how many."""
    cutoff = (now or timezone.now()) - requeue_after()
    count = 0
    for kind in WAITING:
        waiting = kind.model._default_manager.filter(
            status=WAITING_STATUS, **{f"{kind.since_field}__lt": cutoff}
        )
        for pk in waiting.order_by("pk").values_list("pk", flat=True)[:BATCH]:
            enqueue_safely(kind.task, pk)
            count += 1
    return count
