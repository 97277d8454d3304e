"""Re-matching a live programme: accepting a run ends the pairs it replaces (never deletes them),
keeps the pairs it does not change, and settles the visits not yet held of the pairs that end."""

import datetime

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionPlan
from core.errors import DomainError
from matching.services import match_run_accept
from programmes.models import MentoringPair, Programme
from tests.html_checks import accessibility_problems
from tests.matching.builders import solved_run
from visits.choices import EventFormat, EventStatus, FindingKind
from visits.models import Event, Finding, VisitReport

pytestmark = pytest.mark.django_db


class VisitFactory(factory.django.DjangoModelFactory):
    """A mentoring visit of a pair, in the programme's first year."""

    class Meta:
        model = Event

    pair: MentoringPair
    programme = factory.LazyAttribute(lambda o: o.pair.scheme.programme)
    scheme = factory.LazyAttribute(lambda o: o.pair.scheme)
    host_city = factory.LazyAttribute(lambda o: o.pair.mentor.city)
    format = EventFormat.MENTORING_VISIT
    title = factory.Sequence(lambda n: f"Mentoring visit {n}")
    starts_at = factory.LazyAttribute(
        lambda o: (
            timezone.make_aware(datetime.datetime.combine(o.programme.start_date, datetime.time(9)))
            + datetime.timedelta(days=60)
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=2))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitReport

    event = factory.SubFactory(VisitFactory, status=EventStatus.REPORTED)
    summary = "What we saw."


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    report = factory.SubFactory(ReportFactory)
    kind = FindingKind.STRENGTH
    text = "A one-stop shop for newcomers."
    city = factory.LazyAttribute(lambda o: o.report.event.pair.implementing.city)


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _keys(run):
    return {(p["theme"], p["mentor"], p["implementer"]) for p in run.result["pairs"]}


def _key(pair):
    return (pair.scheme.theme.code, pair.mentor.city.slug, pair.implementing.city.slug)


def _current():
    return {
        _key(p): p
        for p in MentoringPair.objects.current()
        .filter(scheme__programme=_programme())
        .select_related("scheme__theme", "mentor__city", "implementing__city")
    }


def _accept(client, run, choices=None):
    return client.post(reverse("matching:run_accept", args=["cities-grow", run.pk]), choices or {})


def _ending_and_successor(run):
    """A current pair the run ends, whose implementing city gets a new mentor in the run."""
    wanted = _keys(run)
    new_mentor = {implementer: mentor for _t, mentor, implementer in wanted}
    for key, pair in sorted(_current().items()):
        if key not in wanted and key[2] in new_mentor:
            return pair
    raise AssertionError("the run changes no mentor")


def test_accepting_a_run_while_events_findings_and_a_plan_point_to_pairs_works(user_of, client_of):
    before = _current()
    run = solved_run(user_of)
    ending = [p for key, p in before.items() if key not in _keys(run)]
    assert ending, "the demo's pairs differ from the run's"
    held = VisitFactory(pair=ending[0], status=EventStatus.HELD)
    finding = FindingFactory(report__event__pair=ending[0])
    plan = ActionPlan.objects.create(
        programme=_programme(), city=ending[0].implementing.city, pair=ending[0], title="Plan"
    )
    everywhere = [VisitFactory(pair=p, status=EventStatus.REPORTED) for p in before.values()]

    response = _accept(client_of("coordinator-1"), run)

    assert response.status_code == 302
    assert set(_current()) == _keys(run)
    ended = MentoringPair.objects.get(pk=ending[0].pk)
    assert ended.ended_on == timezone.localdate() and ended.ended_by_run == run.number
    assert ended.end_reason == f"matching accepted: run #{run.number}"
    # What referred to the ended pair still does.
    held.refresh_from_db()
    plan.refresh_from_db()
    assert (held.pair_id, held.status) == (ended.pk, EventStatus.HELD)
    assert Finding.objects.get(pk=finding.pk).report.event.pair_id == ended.pk
    assert plan.pair_id == ended.pk
    assert all(Event.objects.get(pk=e.pk).pair_id == e.pair_id for e in everywhere)
    # Audited as the coordinator, with the run as the reason.
    record = ended.history.latest()
    assert record.history_user == user_of("coordinator-1")
    assert record.history_change_reason == f"matching accepted: run #{run.number}"


def test_an_unchanged_pair_is_kept_and_rematching_twice_works(user_of, client_of):
    client = client_of("coordinator-1")
    first = solved_run(user_of, label="first")
    assert _accept(client, first).status_code == 302
    after_first = _current()
    for number, forbidden in enumerate(sorted(_keys(first))[:2], start=2):
        _theme, mentor, implementer = forbidden
        run = solved_run(user_of, label=f"run {number}", forbidden=[(implementer, mentor)])
        before = _current()
        assert _accept(client, run).status_code == 302
        now = _current()
        assert set(now) == _keys(run)
        kept = set(before) & set(now)
        assert kept, "a forbidden pair changes a few pairs, not all"
        for key in kept:  # the same rows, neither ended nor re-created
            assert now[key].pk == before[key].pk and now[key].ended_on is None
        for key in set(before) - set(now):
            pair = MentoringPair.objects.get(pk=before[key].pk)
            assert pair.ended_by_run == run.number
        for key in set(now) - set(before):
            assert now[key].created_by_run == run.number
    assert MentoringPair.objects.past().filter(pk__in=[p.pk for p in after_first.values()])
    run.refresh_from_db()
    assert run.accepted_at is not None


def test_the_run_page_lists_the_visits_of_the_pairs_that_will_end(user_of, client_of):
    run = solved_run(user_of)
    pair = _ending_and_successor(run)
    planned = VisitFactory(pair=pair, title="Planned visit to keep")
    reported = VisitFactory(pair=pair, title="Visit already reported", status=EventStatus.REPORTED)
    cancelled = VisitFactory(pair=pair, title="Visit called off", status=EventStatus.CANCELLED)
    page = client_of("coordinator-1").get(reverse("matching:run", args=["cities-grow", run.pk]))
    html = page.content.decode()
    assert accessibility_problems(html) == []
    assert "If you accept this run" in html
    assert planned.title in html and f'name="event-{planned.pk}"' in html
    assert reported.title in html and f'name="event-{reported.pk}"' not in html
    assert "Held or reported, they stay with the ended pair" in html
    assert cancelled.title not in html
    assert 'value="transfer"' in html
    # An auditor reads the run, but is offered no choice.
    auditor = client_of("auditor-1").get(reverse("matching:run", args=["cities-grow", run.pk]))
    assert planned.title not in auditor.content.decode()


def test_planned_visits_of_an_ended_pair_are_cancelled_transferred_or_kept_as_chosen(
    user_of, client_of
):
    run = solved_run(user_of)
    pair = _ending_and_successor(run)
    to_cancel = VisitFactory(pair=pair)
    to_transfer = VisitFactory(pair=pair, status=EventStatus.CONFIRMED)
    to_keep = VisitFactory(pair=pair)
    response = _accept(
        client_of("coordinator-1"),
        run,
        {
            f"event-{to_cancel.pk}": "cancel",
            f"event-{to_transfer.pk}": "transfer",
            f"event-{to_keep.pk}": "keep",
        },
    )
    assert response.status_code == 302
    new = MentoringPair.objects.current().get(implementing__city=pair.implementing.city)
    assert new.pk != pair.pk and new.mentor_id != pair.mentor_id
    reason = f"matching accepted: run #{run.number}"
    to_cancel.refresh_from_db()
    assert (to_cancel.status, to_cancel.pair_id) == (EventStatus.CANCELLED, pair.pk)
    assert to_cancel.status_comment == reason
    to_transfer.refresh_from_db()
    assert (to_transfer.pair_id, to_transfer.status) == (new.pk, EventStatus.CONFIRMED)
    assert to_transfer.host_city_id == new.mentor.city_id  # the new mentor hosts instead
    assert to_transfer.scheme_id == new.scheme_id
    assert to_transfer.ical_sequence == 1  # a new host: calendars update
    record = to_transfer.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        user_of("coordinator-1"),
        reason,
    )
    to_keep.refresh_from_db()
    assert (to_keep.pair_id, to_keep.status) == (pair.pk, EventStatus.PLANNED)


def test_a_choice_for_a_visit_that_is_no_longer_open_refuses_the_acceptance(user_of, client_of):
    run = solved_run(user_of)
    pair = _ending_and_successor(run)
    visit = VisitFactory(pair=pair, status=EventStatus.HELD)  # held since the page was shown
    with pytest.raises(DomainError, match="changed since the page was shown"):
        match_run_accept(
            actor=user_of("coordinator-1"), run=run, fates={f"event-{visit.pk}": "cancel"}
        )
    run.refresh_from_db()
    assert run.accepted_at is None and pair.pk in {p.pk for p in _current().values()}
