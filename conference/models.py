"""The programme's conference (the Integrating Cities Conference): its sessions and speakers, the
delegates who register (anyone, through the public form, or a programme city's delegation), their
places and waiting lists, and the delegations' quotas.

The conference is an `visits.Event` of format conference (its dates, venue, host city and time
zone), so the calendar, the work plan's deliverable and the timeline keep reading it as before.
Places change only through conference.services, which lock the conference's row: the confirmed
never exceed a capacity, and a cancellation moves the waiting list up in the same transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from action_plans.models import ActionPlan
from knowledge.models import GoodPractice, Toolkit
from programmes.models import City, Person
from visits.models import Event

from .choices import DelegateKind, GovernmentLevel, PlaceStatus, SessionKind, SpeakerRole


class Conference(models.Model):
    """The public side of a conference event: what the registration asks and how many fit."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="conference")
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    introduction = models.TextField(_("introduction"), max_length=4000, blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    registration_open = models.BooleanField(_("registration open"), default=False)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # The optional fields of the public form (OptionalField values), in the organiser's order.
    asked_fields = models.JSONField(_("fields asked"), default=list, blank=True)
    # Each programme city registers at most this many delegates (the organiser may change a
    # city's own quota on its Delegation).
    delegation_quota = models.PositiveSmallIntegerField(
        _("delegates per programme city"), default=3
    )
    # The delegates' personal data is erased after this day (stated on the form).
    retention_until = models.DateField(_("personal data kept until"))
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="conference_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return self.event.title

    def asks(self, field: str) -> bool:
        return field in self.asked_fields


class Speaker(models.Model):
    """A speaker's or chair's public profile."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    level = models.CharField(
        _("level of government"), max_length=30, choices=GovernmentLevel.choices
    )
    country = CountryField(_("country"), blank=True)
    biography = models.TextField(_("biography"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One slot of the programme; workshops and site visits are chosen and may fill up."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    track = models.CharField(_("track"), max_length=120, blank=True)
    # Only for sessions a delegate chooses; empty: the room holds every delegate.
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    practices = models.ManyToManyField(
        GoodPractice, blank=True, related_name="conference_sessions", verbose_name=_("practices")
    )
    toolkits = models.ManyToManyField(
        Toolkit, blank=True, related_name="conference_sessions", verbose_name=_("toolkits")
    )
    plans = models.ManyToManyField(
        ActionPlan, blank=True, related_name="conference_sessions", verbose_name=_("action plans")
    )
    # The iCalendar SEQUENCE, bumped when the time or the room changes.
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "track", "title"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="session_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="session_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SessionSpeaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="roles")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=10, choices=SpeakerRole.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "role", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "speaker"], name="sessionspeaker_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker} ({self.role})"


class Delegation(models.Model):
    """A programme city's delegation to the conference and its quota."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="delegations")
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="delegations")
    quota = models.PositiveSmallIntegerField(_("quota"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["city__name"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(fields=["conference", "city"], name="delegation_once_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.conference}"  # noqa: RUF001


class Registration(models.Model):
    """A delegate: registered on the public form or in a city's delegation. Personal data,
    visible to the organisers only, erased after the conference's `retention_until`."""

    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="registrations"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10, default="en")
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)
    level = models.CharField(
        _("level of government"), max_length=30, choices=GovernmentLevel.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    access_needs = models.CharField(_("access needs"), max_length=500, blank=True)
    consent_listed = models.BooleanField(_("listed among the participants"), default=False)
    consent_photos = models.BooleanField(_("may appear in photos"), default=False)
    status = models.CharField(_("place"), max_length=10, choices=PlaceStatus.choices)
    # Who waited longest moves up first.
    queued_at = models.DateTimeField(_("registered at"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # The private link's token, hashed (the delegate holds the only copy of the raw token).
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # A programme city's delegate: travel paid by the grant.
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("delegation"),
    )
    delegate_kind = models.CharField(
        _("delegate"), max_length=20, choices=DelegateKind.choices, blank=True
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conference_registrations",
    )
    travel_eligible = models.BooleanField(_("travel paid by the grant"), default=False)
    # When the delegate asked for their certificate of attendance (on their private page).
    certificate_requested_at = models.DateTimeField(
        _("certificate requested"), null=True, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PlaceStatus.values), name="registration_status_known"
            ),
            # One live registration per address and conference (a cancelled one may come back).
            models.UniqueConstraint(
                fields=["conference", "email"],
                condition=~Q(status=PlaceStatus.CANCELLED),
                name="registration_once_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status=PlaceStatus.CANCELLED) | Q(cancelled_at__isnull=True),
                name="registration_cancelled_has_date",
            ),
        ]
        indexes = [models.Index(fields=["conference", "status", "queued_at"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class SessionChoice(models.Model):
    """A delegate's place in a chosen session (a workshop, a site visit): confirmed or waiting."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="choices")
    status = models.CharField(_("place"), max_length=10, choices=PlaceStatus.choices)
    queued_at = models.DateTimeField(_("chosen at"))

    class Meta:
        ordering = ["session__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="sessionchoice_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlaceStatus.values), name="sessionchoice_status_known"
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.registration} – {self.session}"  # noqa: RUF001


class Attendance(models.Model):
    """A delegate present: checked in on a day of the conference (`session` empty) or counted
    in one session. Recorded by the organisers on site; the funder's participants' list and the
    certificates of attendance read it."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendances"
    )
    day = models.DateField(_("day"))
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day", "recorded_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"],
                condition=Q(session__isnull=True),
                name="attendance_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(session__isnull=False),
                name="attendance_once_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "day"])]

    def __str__(self) -> str:
        return f"{self.registration} – {self.day}"  # noqa: RUF001


class FeedbackAnswer(models.Model):
    """One anonymous answer to the feedback survey, on the whole conference (`session` empty)
    or one session. Nothing links it to the delegate: `FeedbackGiven` records only that they
    answered (so nobody answers twice), and the answer keeps only its day. Its key is random, so
    the order of the answers cannot be matched with the order of `FeedbackGiven` rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="feedback")
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback"
    )
    overall = models.PositiveSmallIntegerField(_("overall"))
    usefulness = models.PositiveSmallIntegerField(_("useful for my work"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="feedback_overall_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5),
                name="feedback_usefulness_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conference} ({self.day})"


class FeedbackGiven(models.Model):
    """That a delegate answered the survey on the conference or a session (not what)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="feedback_given"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(session__isnull=True),
                name="feedback_given_once_per_conference",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(session__isnull=False),
                name="feedback_given_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} – {self.session or '-'}"  # noqa: RUF001
