"""The events' reminders, raised as notifications (visits.notification_kinds), each exactly once
per event and person (the notification's once_key), so running them twice, or in two workers,
reminds once:

- VISITS_REMINDER_DAYS days before a planned or confirmed event starts: its participants who
  have not declined. The key names the event's first day, so an event moved to another day is
  reminded of again.
- VISITS_REPORT_DUE_DAYS days after a visit ended without its report submitted (and neither
  reported nor cancelled): the facilitators of the pair's scheme, who write it.

Raised daily by the queue (visits.tasks) and by hand with `send_reminders`. Each reader gets
them in their own language, the dates in their format."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from notifications.recipients import holders
from notifications.services import notify
from programmes.models import Person

from .. import notification_kinds as kinds
from ..choices import PAIR_FORMATS, EventStatus, Invitation
from ..models import Event, Participant
from ..notices import event_params, event_url
from ..times import event_first_day

_OPEN = (EventStatus.PLANNED, EventStatus.CONFIRMED)


@dataclass
class ReminderReport:
    """How many notifications were raised: before events, and for overdue reports."""

    before: int = 0
    overdue: int = 0


def _remind(event: Event, kind: str, people: list[Person], once_key: str) -> int:
    with transaction.atomic():
        made = notify(
            kind=kind,
            recipients=people,
            url=event_url(event),
            programme=event.programme,
            params=event_params(event),
            once_key=once_key,
        )
    return len(made)


def events_soon_remind(*, now: datetime) -> int:
    """Remind the participants of the events starting within the set days."""
    soon = now + timedelta(days=settings.VISITS_REMINDER_DAYS)
    upcoming = (
        Participant.objects.filter(
            event__starts_at__gt=now, event__starts_at__lte=soon, event__status__in=_OPEN
        )
        .exclude(invitation=Invitation.DECLINED)
        .select_related("event__programme", "event__host_city", "person")
        .order_by("event__starts_at", "event_id", "pk")
    )
    by_event: dict[int, tuple[Event, list[Person]]] = {}
    for participant in upcoming:
        event = participant.event
        by_event.setdefault(event.pk, (event, []))[1].append(participant.person)
    made = 0
    for event, people in by_event.values():
        day = event_first_day(event).toordinal()
        made += _remind(event, kinds.EVENT_SOON, people, f"{kinds.EVENT_SOON}:{event.pk}:{day}")
    return made


def reports_overdue_remind(*, now: datetime) -> int:
    """Remind the facilitators of the visits whose report is overdue."""
    due = now - timedelta(days=settings.VISITS_REPORT_DUE_DAYS)
    late = (
        Event.objects.filter(format__in=PAIR_FORMATS, ends_at__lte=due, scheme__isnull=False)
        .exclude(status__in=(EventStatus.REPORTED, EventStatus.CANCELLED))
        .exclude(report__submitted_at__isnull=False)
        .select_related("programme", "host_city")
        .order_by("ends_at", "pk")
    )
    made = 0
    for event in late:
        facilitators = holders(event.programme_id, Role.FACILITATOR, scheme_id=event.scheme_id)
        key = f"{kinds.REPORT_OVERDUE}:{event.pk}"
        made += _remind(event, kinds.REPORT_OVERDUE, facilitators, key)
    return made


def reminders_send(*, now: datetime | None = None) -> ReminderReport:
    """Every event reminder due now (the daily task, `send_reminders`)."""
    now = now or timezone.now()
    return ReminderReport(
        before=events_soon_remind(now=now), overdue=reports_overdue_remind(now=now)
    )
