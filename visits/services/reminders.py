"""Reminders by e-mail: to participants some days before an event, and to the facilitator when
a visit's report is overdue. Each is sent once (ReminderSent), after the transaction commits,
through Django's e-mail backend (the console in embedded mode). Run by `send_reminders`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role
from programmes.models import Membership, Person

from ..choices import PAIR_FORMATS, EventStatus, Invitation
from ..models import Event, Participant, ReminderSent
from ..times import day_text, event_first_day, event_last_day, event_when

_OPEN = (EventStatus.PLANNED, EventStatus.CONFIRMED)


@dataclass
class ReminderReport:
    before: int = 0
    overdue: int = 0


def _once(event: Event, person: Person, kind: str, subject: str, body: str) -> bool:
    """Record the reminder and send it after commit; False when it was already sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(event=event, person=person, kind=kind)
    except IntegrityError:
        return False
    address = person.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
    return True


def reminders_send(*, now: datetime | None = None) -> ReminderReport:
    now = now or timezone.now()
    report = ReminderReport()
    soon = now + timedelta(days=settings.VISITS_REMINDER_DAYS)
    upcoming = (
        Participant.objects.filter(
            event__starts_at__gt=now, event__starts_at__lte=soon, event__status__in=_OPEN
        )
        .exclude(invitation=Invitation.DECLINED)
        .select_related("event__host_city", "person")
    )
    for participant in upcoming:
        event = participant.event
        subject = _("Reminder: %(event)s on %(date)s") % {
            "event": event.title,
            "date": day_text(event_first_day(event)),
        }
        body = _("%(event)s: %(when)s, in %(place)s.") % {
            "event": event.title,
            "when": event_when(event),
            "place": event.venue or getattr(event.host_city, "name", "") or _("the host city"),
        }
        report.before += _once(event, participant.person, "before", subject, body)
    due = now - timedelta(days=settings.VISITS_REPORT_DUE_DAYS)
    late = (
        Event.objects.filter(format__in=PAIR_FORMATS, ends_at__lte=due)
        .select_related("host_city")
        .exclude(status__in=(EventStatus.REPORTED, EventStatus.CANCELLED))
        .exclude(report__submitted_at__isnull=False)
    )
    authors = Membership.objects.current().filter(role=Role.FACILITATOR).select_related("person")
    by_scheme: dict[int, list[Person]] = {}
    for membership in authors:
        if membership.scheme_id:
            by_scheme.setdefault(membership.scheme_id, []).append(membership.person)
    for event in late:
        for person in by_scheme.get(event.scheme_id or 0, []):
            subject = _("The report of %(event)s is overdue") % {"event": event.title}
            body = _(
                "%(event)s ended on %(date)s; its report with the findings is due. Please write "
                "it on the event's page."
            ) % {"event": event.title, "date": day_text(event_last_day(event))}
            report.overdue += _once(event, person, "report", subject, body)
    return report
