"""A run whose worker died (killed, out of memory, restarted) would stay "running" for ever: the
scheduler's sweep ends it failed once it is well past its time limit and tells its starter; a
run still within its time does not move. Runs given more time than a request may take go to the
queue even when small."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import tasks
from matching.choices import RunStatus
from matching.models import MatchRun
from matching.services import STALLED, match_runs_stalled_fail
from notifications.models import Notification
from tests.matching.builders import queued_run

pytestmark = pytest.mark.django_db


def _running(user_of, *, started_ago: timedelta, time_limit: int = 60) -> MatchRun:
    run = queued_run(user_of, time_limit=time_limit)
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, claimed_at=timezone.now() - started_ago
    )
    return run


def test_a_run_long_past_its_limit_ends_failed_and_its_starter_is_told(user_of, settings):
    settings.MATCHING_STALLED_AFTER_SECONDS = 300
    dead = _running(user_of, started_ago=timedelta(seconds=60 + 300 + 30))
    slow = _running(user_of, started_ago=timedelta(seconds=60 + 300 - 30))  # within its grace
    long = _running(user_of, started_ago=timedelta(seconds=400), time_limit=300)
    waiting = queued_run(user_of)
    told_before = Notification.objects.filter(kind="matching.run_failed").count()

    tasks.match_runs_stalled_sweep.call_local()

    statuses = dict(MatchRun.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == RunStatus.FAILED
    assert MatchRun.objects.get(pk=dead.pk).error == STALLED
    assert [statuses[r.pk] for r in (slow, long)] == [RunStatus.RUNNING] * 2
    assert statuses[waiting.pk] == RunStatus.QUEUED
    assert Notification.objects.filter(kind="matching.run_failed").count() == told_before + 1
    assert match_runs_stalled_fail() == 0  # once


def test_a_claim_records_when_solving_started(user_of):
    before = timezone.now()
    run = tasks.match_run_execute(queued_run(user_of).pk)
    assert run.status == RunStatus.DONE
    assert before <= MatchRun.objects.get(pk=run.pk).claimed_at <= timezone.now()


def test_a_small_run_given_more_than_a_request_may_take_goes_to_the_queue(
    user_of, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_IN_REQUEST_MAX_SECONDS = 60
    quick = queued_run(user_of, time_limit=60)
    assert tasks.match_run_enqueue(quick) is False  # solved in the request
    assert MatchRun.objects.get(pk=quick.pk).status == RunStatus.DONE
    patient = queued_run(user_of, time_limit=240)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.match_run_enqueue(patient) is True  # the queue's (inline here) worker
    assert MatchRun.objects.get(pk=patient.pk).status == RunStatus.DONE
