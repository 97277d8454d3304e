"""The finance reminders, raised by a daily task on the queue (finance.tasks), each exactly once
(the notification's once_key), so running them twice, or in two workers, reminds once.

- A month with hours that its person has not signed FINANCE_UNSIGNED_REMINDER_DAYS days after
  it ended: its person is reminded (the month is their work to sign; their supervisor cannot
  approve it before).
- A statement to the funder due within FINANCE_STATEMENT_REMINDER_DAYS days: the programme's
  finance officers are reminded, unless a statement was prepared since that period began. The
  programme's reporting deadlines are its key dates whose title contains
  FINANCE_STATEMENT_DEADLINE_WORDS ("Interim report due", "Final report due")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from programmes.models import KeyDate

from ..choices import TimesheetStatus
from ..models import Statement, Timesheet
from . import notices


@dataclass(frozen=True)
class Reminded:
    unsigned_months: int
    statement_deadlines: int


def unsigned_months_due(today: date) -> list[Timesheet]:
    """Open months with hours whose last day is at least the set number of days before today."""
    cutoff = today - timedelta(days=settings.FINANCE_UNSIGNED_REMINDER_DAYS)
    # The last month whose last day is on or before the cutoff ends the day before this one.
    before = (cutoff + timedelta(days=1)).replace(day=1)
    return list(
        Timesheet.objects.filter(
            status=TimesheetStatus.OPEN, month__lt=before, entries__isnull=False
        )
        .distinct()
        .select_related("person", "programme")
        .order_by("programme_id", "month", "person_id")
    )


def unsigned_months_remind(*, today: date | None = None) -> int:
    """Remind each person of their past months still unsigned; the number of reminders made."""
    made = 0
    for sheet in unsigned_months_due(today or timezone.localdate()):
        with transaction.atomic():
            made += notices.timesheet_unsigned(sheet)
    return made


def statement_deadlines_due(today: date) -> list[KeyDate]:
    days = settings.FINANCE_STATEMENT_REMINDER_DAYS
    deadlines = KeyDate.objects.filter(
        title__icontains=settings.FINANCE_STATEMENT_DEADLINE_WORDS,
        start_date__gte=today,
        start_date__lte=today + timedelta(days=days),
    ).select_related("programme")
    due = []
    for key_date in deadlines.order_by("start_date", "pk"):
        opened = key_date.start_date - timedelta(days=days)
        prepared = Statement.objects.filter(
            programme=key_date.programme, created_at__date__gte=opened
        ).exists()
        if not prepared:
            due.append(key_date)
    return due


def statement_deadlines_remind(*, today: date | None = None) -> int:
    made = 0
    for key_date in statement_deadlines_due(today or timezone.localdate()):
        with transaction.atomic():
            made += notices.statement_due(key_date)
    return made


def reminders_send(*, today: date | None = None) -> Reminded:
    """Every finance reminder due today (the daily task)."""
    return Reminded(
        unsigned_months=unsigned_months_remind(today=today),
        statement_deadlines=statement_deadlines_remind(today=today),
    )
