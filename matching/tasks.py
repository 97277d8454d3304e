"""Running a matching: small problems at once, large ones in the background.

Embedded mode has no task queue, so a background run is a thread of the web process started
after the run is committed; the run's page polls its progress. (A production queue would call
`match_run_execute` the same way.)
"""

import logging
import threading

from django.conf import settings
from django.db import connection, transaction

from .choices import RunStatus
from .models import MatchRun
from .services import match_run_execute

logger = logging.getLogger(__name__)


def match_run_enqueue(run: MatchRun) -> bool:
    """Start the run; True when it goes on in the background."""
    if len(run.problem["cities"]) < settings.MATCHING_BACKGROUND_FROM_CITIES:
        match_run_execute(run.pk)
        return False
    transaction.on_commit(
        lambda: threading.Thread(target=_in_thread, args=(run.pk,), daemon=True).start()
    )
    return True


def _in_thread(run_id: int) -> None:
    try:
        match_run_execute(run_id)
    except Exception as error:  # e.g. the database refused the result: end failed, not "running"
        logger.exception("Matching run %s could not be saved", run_id)
        MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"
        )
    finally:
        connection.close()
