"""Running a matching: small problems at once, large ones on the task queue.

A large run is enqueued on Huey once its row is committed; a worker (`manage.py run_huey`, which
`make run` starts next to the web server) solves it and writes its progress to the run's row, so
the run's page, whichever web process serves it, polls that progress.
"""

import logging

from django.conf import settings
from django.db import transaction
from huey import crontab
from huey.api import Task
from huey.contrib.djhuey import db_periodic_task, db_task

from core.requeue import enqueue_safely, register
from core.resilience import connections_reset, database_lost

from .models import MatchRun
from .services import match_run_execute, match_run_fail, match_runs_stalled_fail

logger = logging.getLogger(__name__)


def match_run_enqueue(run: MatchRun) -> bool:
    """Start the run; True when it goes on in the background."""
    small = len(run.problem["cities"]) < settings.MATCHING_BACKGROUND_FROM_CITIES
    if small and run.time_limit <= settings.MATCHING_IN_REQUEST_MAX_SECONDS:
        match_run_execute(run.pk)
        return False
    run_id = run.pk
    transaction.on_commit(lambda: enqueue_safely(match_run_solve, run_id))
    return True


RETRIES = 5  # a lost database connection: tried again this many times, RETRY_DELAY apart
RETRY_DELAY = 10


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY, context=True)
def match_run_solve(run_id: int, task: Task | None = None) -> None:
    """The queue's task: solve the run, and end it failed when its result cannot be saved; the
    coordinator who started it is told either way. A run whose database connection was lost
    (PostgreSQL restarted) is solved again by Huey's next try, which takes the run over from
    the try that was cut."""
    retried = task is not None and task.retries < RETRIES
    try:
        match_run_execute(run_id, notify_starter=True, resume=retried)
    except Exception as error:
        if database_lost(error):
            connections_reset()
            raise  # Huey tries again in RETRY_DELAY seconds
        # e.g. the database refused the result: end failed, not "running"
        logger.exception("Matching run %s could not be saved", run_id)
        match_run_fail(run_id, f"{type(error).__name__}: {error}")


register(MatchRun, "created_at", match_run_solve)  # a run the queue lost: core.requeue


@db_periodic_task(crontab(minute="*/5"))
def match_runs_stalled_sweep() -> None:
    match_runs_stalled_fail()
