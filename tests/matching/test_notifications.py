"""A background matching run tells the coordinator who started it when it has finished or
failed (nobody watches its page); an accepted run tells the other coordinators and the officers
of every city whose pair changed, once each, in their own language."""

import pytest

from core.roles import Role
from matching import notification_kinds as kinds
from matching import services, tasks
from matching.models import MatchRun
from matching.services import RunSettings, match_run_accept, match_run_create, match_run_execute
from matching.tasks import match_run_enqueue
from notifications.models import Notification
from programmes.models import Membership, MentoringPair, Programme
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    mails_to,
    notified_since,
    set_language,
)

pytestmark = pytest.mark.django_db

FOUR_BY_TWO = {"A": 2, "B": 2, "C": 2, "D": 2}


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _create(user_of, key="coordinator-1"):
    return match_run_create(
        actor=user_of(key), programme=_programme(), run_settings=RunSettings(dict(FOUR_BY_TWO))
    )


def test_a_background_run_that_finishes_tells_the_coordinator_who_started_it_in_french(
    user_of, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 10
    set_language("coordinator-2", "fr")
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        run = _create(user_of, "coordinator-2")
        assert match_run_enqueue(run) is True
    assert MatchRun.objects.get(pk=run.pk).status == "done"
    # Only the one who started it; the other coordinator was not waiting for it.
    assert notified_since(since, kinds.RUN_FINISHED) == exactly_once("coordinator-2")
    assert Notification.objects.filter(pk__gt=since).count() == 1
    notification = Notification.objects.get(pk__gt=since)
    assert notification.url == f"/programmes/cities-grow/matching/runs/{run.pk}/"
    assert notification.params["number"] == run.number
    assert_french_email(mailoutbox, "coordinator-2", kinds.RUN_FINISHED, since)


def test_a_run_solved_at_once_tells_nobody(user_of, settings):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 1000
    since = last_notification_pk()
    run = _create(user_of)
    assert match_run_enqueue(run) is False
    assert MatchRun.objects.get(pk=run.pk).status == "done"
    assert Notification.objects.filter(pk__gt=since).count() == 0


def test_a_background_run_that_fails_tells_the_coordinator_who_started_it(
    user_of, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ValueError("solver crashed")

    monkeypatch.setattr(services, "solve", broken)
    run = _create(user_of)
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.match_run_solve.call_local(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and "solver crashed" in run.error
    assert notified_since(since, kinds.RUN_FAILED) == exactly_once("coordinator-1")
    assert Notification.objects.filter(pk__gt=since).count() == 1
    (mail,) = mails_to(mailoutbox, "coordinator-1")
    assert f"Matching run #{run.number} has failed" in mail.subject


def test_a_background_run_whose_result_cannot_be_saved_tells_its_coordinator(user_of, monkeypatch):
    run = _create(user_of)

    def refused(run_id, **kwargs):
        MatchRun.objects.filter(pk=run_id).update(status="running")
        raise RuntimeError("database is locked")

    monkeypatch.setattr(tasks, "match_run_execute", refused)
    since = last_notification_pk()
    tasks.match_run_solve.call_local(run.pk)
    assert MatchRun.objects.get(pk=run.pk).status == "failed"
    assert notified_since(since, kinds.RUN_FAILED) == exactly_once("coordinator-1")
    # Ending it again (a second worker) tells nobody twice.
    assert services.match_run_fail(run.pk, "again") is False
    assert Notification.objects.filter(pk__gt=since).count() == 1


def _current_pairs():
    return {
        (p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug)
        for p in MentoringPair.objects.current()
        .filter(scheme__programme=_programme())
        .select_related("scheme__theme", "mentor__city", "implementing__city")
    }


def _officers_of(cities):
    return set(
        Membership.objects.current()
        .filter(programme=_programme(), role=Role.CITY_OFFICER, city__slug__in=cities)
        .values_list("person__email", flat=True)
    )


def _accept_and_check(user_of, run):
    """Accept the run as coordinator-1; the other coordinator and the officers of every city in
    a pair that ended or started are told once each, nobody else. Returns the cities kept."""
    before = _current_pairs()
    since = last_notification_pk()
    match_run_accept(actor=user_of("coordinator-1"), run=run)
    after = _current_pairs()
    cities = {slug for _theme, m, i in before ^ after for slug in (m, i)}
    kept = {slug for _theme, m, i in before & after for slug in (m, i)} - cities
    expected = exactly_once("coordinator-2")  # not coordinator-1, who accepted it
    expected.update(dict.fromkeys(_officers_of(cities), 1))
    assert cities and len(expected) > 1
    assert notified_since(since, kinds.RUN_ACCEPTED) == expected
    assert Notification.objects.filter(pk__gt=since).count() == len(expected)
    assert Notification.objects.filter(pk__gt=since).first().url == "/programmes/cities-grow/"
    return since, kept


def test_an_accepted_run_tells_the_coordinators_and_the_officers_of_the_cities_whose_pair_changed(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("coordinator-2", "fr")
    run = match_run_execute(_create(user_of).pk)
    with django_capture_on_commit_callbacks(execute=True):
        since, _kept = _accept_and_check(user_of, run)
    assert_french_email(mailoutbox, "coordinator-2", kinds.RUN_ACCEPTED, since)

    # Re-matching with one of those pairs forbidden: the cities of the kept pairs hear nothing.
    _theme, mentor, implementing = sorted(_current_pairs())[0]
    again = match_run_execute(
        match_run_create(
            actor=user_of("coordinator-1"),
            programme=_programme(),
            run_settings=RunSettings(dict(FOUR_BY_TWO), forbidden=[(mentor, implementing)]),
        ).pk
    )
    since, kept = _accept_and_check(user_of, again)
    assert kept  # some pairs stay as they were
    assert not Notification.objects.filter(
        pk__gt=since, recipient__email__in=_officers_of(kept)
    ).exists()
