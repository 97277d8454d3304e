"""Events of a programme (visits, meetings, webinars, the conference), who takes part, their
agendas and reports with findings, and each person's calendar feed.

Times are stored in UTC (timezone-aware); `timezone` names the host city's zone, in which the
event is shown and exported.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import KeyFactor
from programmes.models import City, MentoringPair, MentoringScheme, Person, Programme

from .choices import (
    PAIR_FORMATS,
    AgendaFormat,
    EventFormat,
    EventStatus,
    FindingKind,
    Invitation,
)


class Event(models.Model):
    """A meeting of a programme; a study or mentoring visit serves one pair."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="events")
    format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("time zone"), max_length=60, default="Europe/Brussels")
    host_city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_events"
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    pair = models.ForeignKey(
        MentoringPair, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    scheme = models.ForeignKey(
        MentoringScheme, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    objectives = models.TextField(_("objectives"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    # Why the status last changed (a cancellation's reason); each change is in the history.
    status_comment = models.TextField(_("reason for the status"), blank=True, max_length=1000)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The iCalendar SEQUENCE: bumped when the time or the place changes (services.events) and
    # when the event is cancelled or planned again (workflow), so that calendars take the update.
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(format__in=EventFormat.values), name="event_format_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(format__in=PAIR_FORMATS) | Q(pair__isnull=False),
                name="event_visit_serves_a_pair",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["programme", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A person invited to an event: their answer, and whether they attended."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    invitation = models.CharField(
        _("invitation"), max_length=20, choices=Invitation.choices, default=Invitation.INVITED
    )
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "person__last_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="participant_once_per_event"),
            models.CheckConstraint(
                condition=Q(invitation__in=Invitation.values), name="participant_invitation_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200)
    format = models.CharField(_("format"), max_length=20, choices=AgendaFormat.choices)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "starts_at"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="agendaitem_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(format__in=AgendaFormat.values), name="agendaitem_format_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VisitReport(models.Model):
    """What was seen and recommended, written after the event."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="report")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.TextField(_("summary"), blank=True, max_length=8000)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")

    def __str__(self) -> str:
        return f"{self.event}: report"


class Finding(models.Model):
    """A strength, a challenge or a recommended action, for the action plan and the infographic."""

    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("finding"), max_length=2000)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="findings")
    key_factor = models.ForeignKey(
        KeyFactor, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="finding_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class CityUnavailability(models.Model):
    """Dates on which a city can neither host nor travel (the planner avoids them)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="unavailable_dates")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["city", "start"]
        verbose_name = _("unavailable dates")
        verbose_name_plural = _("unavailable dates")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="cityunavailability_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.start} to {self.end}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret subscription URL; revoking it makes the URL a 404 at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendarfeed_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"
