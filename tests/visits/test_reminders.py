"""Reminder e-mails: sent once, after commit, to the right people."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils.formats import time_format

from programmes.models import MentoringPair, Programme
from visits.choices import EventFormat, Invitation
from visits.models import Participant
from visits.services import EventInput, event_create
from visits.services.attendance import delegation_invite
from visits.services.reminders import reminders_send

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2017, 9, 12, 9, tzinfo=ZONE)


def _visit(user_of):
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.STUDY_VISIT,
            title="Study visit of Athens to Munich",
            starts_at=START,
            ends_at=START + timedelta(days=2, hours=8),
            host_city=pair.mentor.city,
            pair=pair,
        ),
    )
    delegation_invite(actor=user_of("coordinator-1"), event=event)
    return event


def test_participants_are_reminded_once_after_commit(user_of, django_capture_on_commit_callbacks):
    event = _visit(user_of)
    declined = Participant.objects.filter(event=event).first()
    declined.invitation = Invitation.DECLINED
    declined.save()
    too_early = reminders_send(now=START - timedelta(days=20))
    assert too_early.before == 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(now=START - timedelta(days=5))
    assert sent.before == 4  # five invited, one declined
    assert len(mail.outbox) == 4
    assert declined.person.email not in {m.to[0] for m in mail.outbox}
    assert "Study visit of Athens to Munich" in mail.outbox[0].subject
    # In Munich's time, the zone named, whatever the server's zone.
    assert time_format(time(9), "TIME_FORMAT") in mail.outbox[0].body
    assert "CEST (Munich time)" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders_send(now=START - timedelta(days=4))
    assert again.before == 0 and len(mail.outbox) == 4


def test_an_overdue_report_reminds_the_facilitator(user_of, django_capture_on_commit_callbacks):
    _visit(user_of)
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_send(now=START + timedelta(days=30))
    assert sent.overdue == 1
    assert mail.outbox[-1].to == [user_of("facilitator-b").email]
    assert "overdue" in mail.outbox[-1].subject


def test_the_command_reports_what_it_sent(user_of):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "Reminders sent: 0 before events, 0 for overdue reports." in out.getvalue()
