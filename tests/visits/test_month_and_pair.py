"""The calendar's month grid and a pair's timeline with its findings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import DomainError
from programmes.models import MentoringPair, Programme
from tests.html_checks import accessibility_problems
from tests.visits.lifecycle import hold
from visits import planner
from visits.choices import EventStatus
from visits.services import EventInput, event_create
from visits.services.attendance import attendance_record
from visits.services.plan import visit_plan_propose
from visits.services.reports import FindingInput, visit_report_save
from visits.workflow import EventTransition, event_transition

pytestmark = pytest.mark.django_db
CALENDAR = reverse("visits:calendar", args=["cities-grow"])


def _event(user_of, title, start, end, zone="Europe/Brussels", **extra):
    tz = ZoneInfo(zone)
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=extra.pop("format", "webinar"),
            title=title,
            starts_at=datetime(*start, tzinfo=tz),
            ends_at=datetime(*end, tzinfo=tz),
            timezone=zone,
            **extra,
        ),
    )


def _days_of(response, title):
    """The days of the grid (in the month shown) on which the event appears."""
    return [
        cell.day
        for week in response.context["grid"].weeks
        for cell in week
        if cell.in_month and any(e.title == title for e in cell.events)
    ]


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert accessibility_problems(response.content.decode()) == []
    return response, len(queries)


def test_month_grid_shows_an_event_on_every_day_it_spans_in_its_own_time(client_of, user_of):
    _event(user_of, "Launch meeting", (2017, 5, 15, 9), (2017, 5, 16, 17))
    # 00:30 on 1 June in Nicosia is still 31 May in UTC: the grid shows the local day.
    _event(user_of, "Late call", (2017, 6, 1, 0, 30), (2017, 6, 1, 1, 30), zone="Asia/Nicosia")
    client = client_of("athens-officer-1")
    may, _ = _get(client, CALENDAR + "?view=month&month=2017-05")
    assert _days_of(may, "Launch meeting") == [date(2017, 5, 15), date(2017, 5, 16)]
    assert _days_of(may, "Late call") == []
    grid = may.context["grid"]
    assert (grid.previous, grid.following) == (date(2017, 4, 1), date(2017, 6, 1))
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in grid.weeks)
    june, _ = _get(client, CALENDAR + "?view=month&month=2017-06")
    assert _days_of(june, "Late call") == [date(2017, 6, 1)]


def test_month_grid_stays_within_the_programme_and_ignores_bad_months(client_of, user_of):
    _event(user_of, "Launch meeting", (2017, 5, 15, 9), (2017, 5, 16, 17))
    client = client_of("athens-officer-1")
    first, _ = _get(client, CALENDAR + "?view=month&month=2017-01")
    assert first.context["grid"].previous is None
    last, _ = _get(client, CALENDAR + "?view=month&month=2018-12")
    assert last.context["grid"].following is None
    # Outside the programme or not a month: the month of the first event.
    for bad in ("2031-01", "2017-13", "May", "'; DROP TABLE x; --", "9" * 50):
        response, _ = _get(client, CALENDAR + f"?view=month&month={bad}")
        assert response.context["grid"].month == date(2017, 5, 1)


def test_month_grid_keeps_its_query_count_as_events_grow(client_of, user_of):
    client = client_of("athens-officer-1")
    url = CALENDAR + "?view=month&month=2017-10"
    _, empty = _get(client, url)
    for day in range(2, 28):
        _event(user_of, f"Call {day}", (2017, 10, day, 10), (2017, 10, day + 1, 11))
    response, full = _get(client, url)
    assert full == empty
    assert len(_days_of(response, "Call 2")) == 2


def _athens_pair():
    return MentoringPair.objects.get(implementing__city__slug="athens")


def test_pair_timeline_tells_the_pair_story_in_order(client_of, user_of):
    pair = _athens_pair()
    visit = _event(
        user_of,
        "Study visit of Athens to Munich",
        (2017, 10, 10, 9),
        (2017, 10, 12, 17),
        zone="Europe/Berlin",
        format="study_visit",
        pair=pair,
        host_city=pair.mentor.city,
    )
    other = MentoringPair.objects.get(implementing__city__slug="riga")
    _event(
        user_of,
        "Study visit of Riga to Barcelona",
        (2017, 10, 17, 9),
        (2017, 10, 19, 17),
        format="study_visit",
        pair=other,
    )
    hold(visit)
    visit_report_save(
        actor=user_of("facilitator-b"),
        event=visit,
        expected_revision=None,
        summary="The job centre's model fits Athens.",
        findings=[
            FindingInput(kind="strength", text="A shared case file.", city="munich"),
            FindingInput(
                kind="recommendation", text="Pilot a youth desk.", city="athens", key_factor="b1"
            ),
        ],
        submit=True,
    )
    client = client_of("athens-officer-1")
    url = reverse("visits:pair", args=["cities-grow", pair.pk])
    response, _ = _get(client, url)
    timeline = response.context["timeline"]
    titles = [e.title for e in timeline.entries]
    assert "Study visit of Athens to Munich" in titles
    assert "Study visit of Riga to Barcelona" not in titles  # another pair's visit
    assert "Launch meeting" in titles  # a programme milestone
    assert any(e.kind == "assessment" and "Athens" in e.title for e in timeline.entries)
    assert any(e.kind == "report" for e in timeline.entries)
    days = [e.day for e in timeline.entries]
    assert days == sorted(days)
    assert [f.text for f in timeline.findings] == ["A shared case file.", "Pilot a youth desk."]
    html = response.content.decode()
    assert "Pilot a youth desk." in html and "Reported" in html


def test_pair_timeline_is_for_the_pair_and_its_programme_staff(client_of):
    url = reverse("visits:pair", args=["cities-grow", _athens_pair().pk])
    for key, expected in [
        ("athens-officer-1", 200),
        ("munich-officer-1", 200),
        ("facilitator-b", 200),
        ("coordinator-1", 200),
        ("auditor-1", 200),
        ("rotterdam-officer-1", 404),
        ("facilitator-a", 404),
    ]:
        assert client_of(key).get(url).status_code == expected, key
    assert (
        client_of("coordinator-1").get(url.replace(str(_athens_pair().pk), "99999")).status_code
        == 404
    )


def test_pair_timeline_keeps_its_query_count(client_of, user_of):
    pair = _athens_pair()
    client = client_of("munich-officer-1")
    url = reverse("visits:pair", args=["cities-grow", pair.pk])
    _, before = _get(client, url)
    window = planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30))
    created, _conflicts = visit_plan_propose(
        actor=user_of("coordinator-1"), programme=pair.scheme.programme, rules=window
    )
    for event in (e for e in created if e.pair_id == pair.pk):
        hold(event)
        visit_report_save(
            actor=user_of("facilitator-b"),
            event=event,
            expected_revision=None,
            summary="Seen.",
            findings=[
                FindingInput(kind="challenge", text=f"C{i}", city="athens") for i in range(5)
            ],
            submit=True,
        )
    response, after = _get(client, url)
    assert after == before
    assert len(response.context["timeline"].findings) == 10


def test_attendance_marks_held_and_the_report_marks_reported(user_of):
    pair = _athens_pair()
    visit = _event(
        user_of,
        "Mentoring visit",
        (2017, 11, 14, 9),
        (2017, 11, 16, 17),
        zone="Europe/Athens",
        format="mentoring_visit",
        pair=pair,
    )
    officer = user_of("athens-officer-1")
    with pytest.raises(DomainError, match="not held yet"):
        visit_report_save(
            actor=officer,
            event=visit,
            expected_revision=None,
            summary="Done.",
            submit=True,
            findings=[],
        )
    # A draft may be written before: only submitting waits for the event to be held.
    draft = visit_report_save(
        actor=officer, event=visit, expected_revision=None, summary="Draft.", findings=[]
    )
    visit.refresh_from_db()
    assert visit.status == EventStatus.PLANNED and draft.submitted_at is None
    hold(visit, recorder="facilitator-b")
    assert visit.status == EventStatus.HELD
    visit_report_save(
        actor=officer,
        event=visit,
        expected_revision=draft.revision,
        summary="Done.",
        findings=[],
        submit=True,
    )
    visit.refresh_from_db()
    assert visit.status == EventStatus.REPORTED
    assert [h.history_change_reason for h in visit.history.order_by("history_id")] == [
        "planned",
        "confirm",
        "hold",
        "report",
    ]
    with pytest.raises(DomainError, match="reported"):
        attendance_record(actor=user_of("facilitator-b"), event=visit, present=set())


def test_a_cancelled_event_takes_no_report_and_no_attendance(user_of):
    visit = _event(user_of, "Webinar", (2017, 11, 14, 9), (2017, 11, 14, 10))
    coordinator = user_of("coordinator-1")
    event_transition(
        actor=coordinator, event=visit, transition=EventTransition.CANCEL, comment="Nobody free"
    )
    with pytest.raises(DomainError, match="cancelled"):
        attendance_record(actor=coordinator, event=visit, present=set())
    with pytest.raises(DomainError, match="cancelled"):
        visit_report_save(
            actor=coordinator,
            event=visit,
            expected_revision=None,
            summary="x",
            findings=[],
            submit=True,
        )
    visit.refresh_from_db()
    assert visit.status == EventStatus.CANCELLED
