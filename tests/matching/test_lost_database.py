"""A background run whose database connection is lost (PostgreSQL restarted while it was being
saved) is not lost: the task raises for Huey to try it again, the run stays running with nobody
told of a failure, and the next try takes it over and finishes it."""

from types import SimpleNamespace

import pytest
from django.db import InterfaceError

from matching import tasks
from matching.models import MatchRun
from matching.services import RunSettings, match_run_create
from notifications.models import Notification
from programmes.models import Programme
from tests.notification_checks import last_notification_pk

pytestmark = pytest.mark.django_db


def test_a_run_cut_from_its_database_is_solved_by_the_next_try(user_of, monkeypatch):
    run = match_run_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        run_settings=RunSettings({"A": 2, "B": 2, "C": 2, "D": 2}),
    )
    resets = []
    monkeypatch.setattr(tasks, "connections_reset", lambda: resets.append(1))
    real_save = MatchRun.save
    cut = {"left": 1}

    def save_cut_once(self, *args, **kwargs):
        if cut["left"]:
            cut["left"] -= 1
            raise InterfaceError("connection already closed")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(MatchRun, "save", save_cut_once)
    since = last_notification_pk()

    with pytest.raises(InterfaceError):  # Huey sees it fail, and will try again
        tasks.match_run_solve.call_local(run.pk)
    assert MatchRun.objects.get(pk=run.pk).status == "running"
    assert resets == [1]
    assert Notification.objects.filter(pk__gt=since).count() == 0  # no "failed" told

    # Huey's next try (one retry spent) takes the run over from the cut one.
    tasks.match_run_solve.call_local(run.pk, task=SimpleNamespace(retries=tasks.RETRIES - 1))
    run.refresh_from_db()
    assert run.status == "done" and run.objective is not None

    # A first try never takes over a run another worker is solving.
    MatchRun.objects.filter(pk=run.pk).update(status="running", objective=None)
    tasks.match_run_solve.call_local(run.pk)
    assert MatchRun.objects.get(pk=run.pk).objective is None
