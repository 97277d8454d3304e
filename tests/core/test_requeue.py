"""Work the queue lost is not lost: a row still waiting after QUEUE_REQUEUE_AFTER_SECONDS is
enqueued again by the scheduler's sweep and done; a row waiting for less is left to its task;
a queue that cannot be reached when the work is asked for fails nothing (the row waits for the
sweep)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import requeue
from core.requeue import enqueue_safely, requeue_after, requeue_waiting
from core.tasks import waiting_work_requeue
from matching import tasks as matching_tasks
from matching.models import MatchRun
from tests.matching.builders import queued_run

pytestmark = pytest.mark.django_db


def _run(user_of, minutes_ago):
    run = queued_run(user_of)
    MatchRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return run


def test_the_sweep_enqueues_again_what_waited_too_long(user_of):
    assert any(kind.model is MatchRun for kind in requeue.WAITING)  # matching.tasks registers
    lost = _run(user_of, minutes_ago=requeue_after().total_seconds() / 60 + 1)
    fresh = _run(user_of, minutes_ago=0)  # its own task is still on its way

    waiting_work_requeue.call_local()  # the tests' queue runs each task at once

    assert MatchRun.objects.get(pk=lost.pk).status == "done"
    assert MatchRun.objects.get(pk=fresh.pk).status == "queued"
    assert requeue_waiting() == 0  # nothing waits too long any more


def test_an_unreachable_queue_fails_nothing(user_of, settings, django_capture_on_commit_callbacks):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 2

    def down(run_id):
        raise ConnectionError("Redis is restarting")

    enqueue_safely(down, 1)  # logged, not raised
    original = matching_tasks.match_run_solve
    matching_tasks.match_run_solve = down
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = _run(user_of, minutes_ago=0)
            assert matching_tasks.match_run_enqueue(run) is True
    finally:
        matching_tasks.match_run_solve = original
    assert MatchRun.objects.get(pk=run.pk).status == "queued"  # it waits for the sweep
    later = timezone.now() + requeue_after() + timedelta(seconds=1)
    assert requeue_waiting(now=later) == 1
    assert MatchRun.objects.get(pk=run.pk).status == "done"
