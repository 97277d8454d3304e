"""Every step of an event tells the people who act next, once each, in their own language:
the host city's officers confirm the dates, the invited answer, the participants who have not
declined travel (or not), the facilitator writes the report, the cities its findings are about
take them up. The reminders are notifications raised once per event and person, by the queue's
daily task or by hand."""

from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction

from notifications.models import Notification
from programmes.models import MentoringPair, Programme, SchemeMember
from programmes.pair_ending import Fate
from tests.conftest import email_of
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    mails_to,
    notified_since,
    set_language,
)
from tests.visits.lifecycle import confirm
from visits import notification_kinds as kinds
from visits import planner
from visits.choices import EventFormat, EventStatus, FindingKind
from visits.models import Participant
from visits.pair_ending import event_settle
from visits.services import EventInput, event_create, event_update, participant_invite
from visits.services.attendance import attendance_record, delegation_invite, participant_respond
from visits.services.plan import visit_plan_propose
from visits.services.reminders import reminders_send
from visits.services.reports import FindingInput, visit_report_save
from visits.tasks import visits_reminders_daily
from visits.workflow import EventTransition, event_transition

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2017, 9, 12, 9, tzinfo=ZONE)
TITLE = "Study visit of Athens to Munich"
ATHENS_OFFICERS = ("athens-officer-1", "athens-officer-2")
MUNICH_OFFICERS = ("munich-officer-1", "munich-officer-2")
WINDOW = planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30))
# The usual delegation of pair B's visits: both cities' officers and the theme's facilitator.
DELEGATION = (*ATHENS_OFFICERS, *MUNICH_OFFICERS, "facilitator-b")


def _input(**changes) -> EventInput:
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    data = {
        "format": EventFormat.STUDY_VISIT,
        "title": TITLE,
        "starts_at": START,
        "ends_at": START + timedelta(days=2, hours=8),
        "host_city": pair.mentor.city,
        "pair": pair,
    }
    return EventInput(**{**data, **changes})


def _visit(user_of, *, invite: bool = True):
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=_input(),
    )
    if invite:
        delegation_invite(actor=user_of("coordinator-1"), event=event)
    return event


def _decline(user_of, event, key: str) -> None:
    participant = Participant.objects.get(event=event, person__user=user_of(key))
    participant_respond(actor=user_of(key), participant=participant, accept=False)


def _made_since(since: int) -> int:
    return Notification.objects.filter(pk__gt=since).count()


def test_a_planned_visit_asks_the_host_citys_officers_to_confirm_in_their_language(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("munich-officer-2", "fr")
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        event = _visit(user_of, invite=False)
    # Munich hosts: its officers agree the dates; not Athens, not the other coordinator.
    assert notified_since(since, kinds.TO_CONFIRM) == exactly_once(*MUNICH_OFFICERS)
    assert _made_since(since) == 2
    notification = Notification.objects.get(
        pk__gt=since, recipient__email=email_of("munich-officer-1")
    )
    assert notification.url == f"/programmes/cities-grow/events/{event.pk}/"
    assert notification.params == {
        "event": TITLE,
        "starts_on": "2017-09-12",
        "ended_on": "2017-09-14",
        "city": "Munich",
    }
    subject = assert_french_email(mailoutbox, "munich-officer-2", kinds.TO_CONFIRM, since)
    assert "12 septembre 2017" in subject
    (english,) = mails_to(mailoutbox, "munich-officer-1")
    assert english.subject.endswith(
        f"{TITLE} on 12 September 2017 is hosted by Munich: please confirm the dates"
    )
    assert len(mailoutbox) == 2


def test_an_event_without_a_host_city_asks_nobody_to_confirm(user_of):
    since = last_notification_pk()
    event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.WEBINAR,
            title="Call of the coordinators",
            starts_at=START,
            ends_at=START + timedelta(hours=2),
            venue="Online",
        ),
    )
    assert _made_since(since) == 0


def test_each_invited_person_is_told_once_and_an_answer_tells_nobody(user_of):
    event = _visit(user_of, invite=False)
    since = last_notification_pk()
    delegation_invite(actor=user_of("coordinator-1"), event=event)
    assert notified_since(since, kinds.INVITED) == exactly_once(*DELEGATION)
    assert _made_since(since) == len(DELEGATION)

    since = last_notification_pk()
    assert delegation_invite(actor=user_of("coordinator-1"), event=event) == []
    participant_invite(
        actor=user_of("coordinator-1"), event=event, person=user_of("coordinator-2").person
    )
    assert notified_since(since, kinds.INVITED) == exactly_once("coordinator-2")
    # A coordinator who invites themself is not told of it; an answer waits for nobody.
    participant_invite(
        actor=user_of("coordinator-1"), event=event, person=user_of("coordinator-1").person
    )
    _decline(user_of, event, "athens-officer-2")
    assert _made_since(since) == 1


def test_confirmed_dates_tell_the_participants_who_have_not_declined(user_of):
    event = _visit(user_of)
    _decline(user_of, event, "athens-officer-2")
    since = last_notification_pk()
    # One of the host city's officers confirms: not told of their own step.
    event_transition(
        actor=user_of("munich-officer-1"), event=event, transition=EventTransition.CONFIRM
    )
    assert notified_since(since, kinds.CONFIRMED) == exactly_once(
        "athens-officer-1", "munich-officer-2", "facilitator-b"
    )
    assert _made_since(since) == 3


def test_a_new_time_or_place_tells_the_participants_and_a_new_host_confirms(user_of):
    event = _visit(user_of)
    _decline(user_of, event, "munich-officer-2")
    since = last_notification_pk()
    event = event_update(
        actor=user_of("coordinator-1"),
        event=event,
        data=_input(title="Study visit of Athens to Munich (the first)"),
        expected_revision=event.revision,
    )
    assert _made_since(since) == 0  # a new title: no one travels differently

    event = event_update(
        actor=user_of("coordinator-1"),
        event=event,
        data=_input(
            starts_at=START + timedelta(days=7), ends_at=START + timedelta(days=9, hours=8)
        ),
        expected_revision=event.revision,
    )
    attending = ("athens-officer-1", "athens-officer-2", "munich-officer-1", "facilitator-b")
    assert notified_since(since, kinds.CHANGED) == exactly_once(*attending)
    assert _made_since(since) == 4
    changed = Notification.objects.filter(pk__gt=since, kind=kinds.CHANGED).first()
    assert changed.params["starts_on"] == "2017-09-19"

    # Hosted by Athens instead, still planned: Athens' officers confirm the dates now.
    since = last_notification_pk()
    athens = MentoringPair.objects.get(implementing__city__slug="athens").implementing.city
    event_update(
        actor=user_of("coordinator-1"),
        event=event,
        data=_input(
            starts_at=START + timedelta(days=7),
            ends_at=START + timedelta(days=9, hours=8),
            host_city=athens,
        ),
        expected_revision=event.revision,
    )
    assert notified_since(since, kinds.CHANGED) == exactly_once(*attending)
    assert notified_since(since, kinds.TO_CONFIRM) == exactly_once(*ATHENS_OFFICERS)
    assert _made_since(since) == 6


def test_a_cancellation_tells_the_participants_why_in_their_language_and_planning_again_too(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("athens-officer-1", "fr")
    event = _visit(user_of)
    _decline(user_of, event, "munich-officer-2")
    attending = ("athens-officer-1", "athens-officer-2", "munich-officer-1", "facilitator-b")
    mailoutbox.clear()
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        event_transition(
            actor=user_of("coordinator-1"),
            event=event,
            transition=EventTransition.CANCEL,
            comment="The host's mayor is not available.",
        )
    assert notified_since(since, kinds.CANCELLED) == exactly_once(*attending)
    assert _made_since(since) == 4
    made = Notification.objects.filter(pk__gt=since)
    assert {n.message for n in made} == {"The host's mayor is not available."}
    subject = assert_french_email(mailoutbox, "athens-officer-1", kinds.CANCELLED, since)
    assert "12 septembre 2017" in subject
    assert "The host's mayor is not available." in mails_to(mailoutbox, "athens-officer-1")[0].body
    assert len(mailoutbox) == 4

    # Planned again: the same participants, and the host's officers confirm the dates again.
    since = last_notification_pk()
    event_transition(actor=user_of("coordinator-1"), event=event, transition=EventTransition.REOPEN)
    assert notified_since(since, kinds.REOPENED) == exactly_once(*attending)
    assert notified_since(since, kinds.TO_CONFIRM) == exactly_once(*MUNICH_OFFICERS)
    assert _made_since(since) == 6


def test_a_held_visit_asks_its_facilitator_for_the_report(user_of):
    event = _visit(user_of)
    confirm(event)
    present = {p.pk for p in Participant.objects.filter(event=event)}
    since = last_notification_pk()
    attendance_record(actor=user_of("coordinator-1"), event=event, present=present)
    assert event.status == EventStatus.HELD
    # Facilitator B only: not the other themes' facilitators, not the cities.
    assert notified_since(since, kinds.REPORT_TO_WRITE) == exactly_once("facilitator-b")
    assert _made_since(since) == 1


def test_a_facilitator_who_records_the_attendance_is_not_told_to_write_the_report(user_of):
    event = _visit(user_of)
    confirm(event)
    present = {Participant.objects.filter(event=event).first().pk}
    since = last_notification_pk()
    attendance_record(actor=user_of("facilitator-b"), event=event, present=present)
    assert _made_since(since) == 0


def test_a_submitted_report_tells_the_officers_of_the_cities_its_findings_are_about(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("athens-officer-2", "fr")
    event = _visit(user_of)
    confirm(event)
    present = {p.pk for p in Participant.objects.filter(event=event)}
    attendance_record(actor=user_of("facilitator-b"), event=event, present=present)
    finding = FindingInput(kind=FindingKind.RECOMMENDATION, text="Open a desk.", city="athens")
    # A draft tells nobody.
    since = last_notification_pk()
    report = visit_report_save(
        actor=user_of("facilitator-b"),
        event=event,
        expected_revision=None,
        summary="A good visit.",
        findings=[finding],
    )
    assert _made_since(since) == 0
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visit_report_save(
            actor=user_of("facilitator-b"),
            event=event,
            expected_revision=report.revision,
            summary="A good visit.",
            findings=[finding],
            submit=True,
        )
    event.refresh_from_db()
    assert event.status == EventStatus.REPORTED
    # The findings are about Athens only: its officers take them up; not Munich's.
    assert notified_since(since, kinds.REPORT_SUBMITTED) == exactly_once(*ATHENS_OFFICERS)
    assert _made_since(since) == 2
    subject = assert_french_email(mailoutbox, "athens-officer-2", kinds.REPORT_SUBMITTED, since)
    assert "Athens" in subject


def test_a_report_with_findings_about_both_cities_tells_both_cities_officers(user_of):
    event = _visit(user_of)
    confirm(event)
    present = {p.pk for p in Participant.objects.filter(event=event)}
    attendance_record(actor=user_of("coordinator-1"), event=event, present=present)
    since = last_notification_pk()
    visit_report_save(
        actor=user_of("athens-officer-1"),
        event=event,
        expected_revision=None,
        summary="Seen in Munich.",
        findings=[
            FindingInput(kind=FindingKind.STRENGTH, text="A one-stop shop.", city="munich"),
            FindingInput(kind=FindingKind.CHALLENGE, text="No desk yet.", city="athens"),
            FindingInput(kind=FindingKind.RECOMMENDATION, text="Open one.", city="athens"),
        ],
        submit=True,
    )
    # Each officer once, the author not told of their own report.
    assert notified_since(since, kinds.REPORT_SUBMITTED) == exactly_once(
        "athens-officer-2", *MUNICH_OFFICERS
    )
    assert _made_since(since) == 3


def test_each_visit_the_planner_proposes_asks_its_hosts_officers_to_confirm(user_of):
    since = last_notification_pk()
    created, _conflicts = visit_plan_propose(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        rules=WINDOW,
    )
    assert created
    hosted = Counter(event.host_city.slug for event in created)
    expected = Counter(
        {email_of(f"{city}-officer-{n}"): count for city, count in hosted.items() for n in (1, 2)}
    )
    # Each host city's officers once per visit they host; nobody else.
    assert notified_since(since, kinds.TO_CONFIRM) == expected
    assert _made_since(since) == 2 * len(created)


def test_a_visit_moved_to_the_new_pair_tells_the_participants_and_the_new_host(user_of):
    event = _visit(user_of)
    old = event.pair
    old.ended_on = date(2017, 6, 1)
    old.save()
    utrecht = SchemeMember.objects.get(scheme=old.scheme, city__slug="utrecht")
    new = MentoringPair.objects.create(
        scheme=old.scheme, mentor=utrecht, implementing=old.implementing
    )
    since = last_notification_pk()
    event_settle(
        actor=user_of("coordinator-1"),
        pk=event.pk,
        fate=Fate.TRANSFER,
        new_pair=new,
        reason="matching accepted: run #2",
    )
    event.refresh_from_db()
    assert event.host_city.slug == "utrecht"
    assert notified_since(since, kinds.CHANGED) == exactly_once(*DELEGATION)
    assert notified_since(since, kinds.TO_CONFIRM) == exactly_once(
        "utrecht-officer-1", "utrecht-officer-2"
    )
    assert _made_since(since) == len(DELEGATION) + 2


# ---------------------------------------------------------------- reminders


def test_event_reminders_are_raised_once_to_the_participants_who_have_not_declined(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("munich-officer-1", "fr")
    event = _visit(user_of)
    _decline(user_of, event, "athens-officer-2")
    assert reminders_send(now=START - timedelta(days=20)).before == 0  # too early
    mailoutbox.clear()
    since = last_notification_pk()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reminders_send(now=START - timedelta(days=5))
        raise RuntimeError("the work failed: nothing is raised or sent")
    assert callbacks == [] and mailoutbox == [] and _made_since(since) == 0

    with django_capture_on_commit_callbacks(execute=True):
        raised = reminders_send(now=START - timedelta(days=5))
    assert raised.before == 4
    attending = ("athens-officer-1", *MUNICH_OFFICERS, "facilitator-b")
    assert notified_since(since, kinds.EVENT_SOON) == exactly_once(*attending)
    assert len(mailoutbox) == 4
    subject = assert_french_email(mailoutbox, "munich-officer-1", kinds.EVENT_SOON, since)
    assert "12 septembre 2017" in subject
    (english,) = mails_to(mailoutbox, "facilitator-b")
    assert english.subject.endswith(f"Reminder: {TITLE} starts on 12 September 2017")

    # Run again (a second worker, the next day): nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(now=START - timedelta(days=4))
    assert again.before == 0 and len(mailoutbox) == 4 and _made_since(since) == 4


def test_the_daily_task_and_the_command_raise_the_same_reminders_once(user_of, monkeypatch):
    event = _visit(user_of)
    now = START - timedelta(days=3)
    clock = SimpleNamespace(now=lambda: now)
    monkeypatch.setattr("visits.services.reminders.timezone", clock)
    since = last_notification_pk()
    visits_reminders_daily.call_local()  # the queue's daily task
    assert notified_since(since, kinds.EVENT_SOON) == exactly_once(*DELEGATION)
    out = StringIO()
    call_command("send_reminders", stdout=out)  # by hand: nothing twice
    assert "Reminders raised: 0 before events, 0 for overdue reports." in out.getvalue()
    assert _made_since(since) == len(DELEGATION)
    keys = set(Notification.objects.filter(pk__gt=since).values_list("once_key", flat=True))
    assert keys == {f"{kinds.EVENT_SOON}:{event.pk}:{START.date().toordinal()}"}


def test_an_event_moved_to_another_day_is_reminded_of_again(user_of):
    event = _visit(user_of)
    since = last_notification_pk()
    assert reminders_send(now=START - timedelta(days=2)).before == len(DELEGATION)
    event = event_update(
        actor=user_of("coordinator-1"),
        event=event,
        data=_input(
            starts_at=START + timedelta(days=1), ends_at=START + timedelta(days=2, hours=8)
        ),
        expected_revision=event.revision,
    )
    assert reminders_send(now=START - timedelta(days=1)).before == len(DELEGATION)
    assert notified_since(since, kinds.EVENT_SOON) == {email_of(key): 2 for key in DELEGATION}


def test_a_cancelled_event_is_not_reminded_of(user_of):
    event = _visit(user_of)
    event_transition(
        actor=user_of("coordinator-1"),
        event=event,
        transition=EventTransition.CANCEL,
        comment="No budget.",
    )
    since = last_notification_pk()
    assert reminders_send(now=START - timedelta(days=5)).before == 0
    assert _made_since(since) == 0


def test_an_overdue_report_reminds_the_facilitator_once(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("facilitator-b", "fr")
    event = _visit(user_of)
    ends = event.ends_at
    assert reminders_send(now=ends + timedelta(days=13)).overdue == 0  # not due yet
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        raised = reminders_send(now=ends + timedelta(days=14))
    assert raised.overdue == 1
    # Facilitator B, who writes the visits' reports of pair B's scheme; nobody else.
    assert notified_since(since, kinds.REPORT_OVERDUE) == exactly_once("facilitator-b")
    assert _made_since(since) == 1
    subject = assert_french_email(mailoutbox, "facilitator-b", kinds.REPORT_OVERDUE, since)
    assert "14 septembre 2017" in subject
    assert reminders_send(now=ends + timedelta(days=30)).overdue == 0  # once
    assert Notification.objects.get(pk__gt=since).once_key == f"{kinds.REPORT_OVERDUE}:{event.pk}"


def test_no_overdue_reminder_once_the_report_is_submitted_or_the_visit_cancelled(user_of):
    reported = _visit(user_of)
    confirm(reported)
    present = {p.pk for p in Participant.objects.filter(event=reported)}
    attendance_record(actor=user_of("coordinator-1"), event=reported, present=present)
    visit_report_save(
        actor=user_of("facilitator-b"),
        event=reported,
        expected_revision=None,
        summary="Done.",
        findings=[],
        submit=True,
    )
    cancelled = _visit(user_of)
    event_transition(
        actor=user_of("coordinator-1"),
        event=cancelled,
        transition=EventTransition.CANCEL,
        comment="No budget.",
    )
    since = last_notification_pk()
    assert reminders_send(now=START + timedelta(days=60)).overdue == 0
    assert _made_since(since) == 0
