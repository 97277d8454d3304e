"""Reading the conference: its public programme (a fixed number of queries, whatever its size),
a delegate's own sessions, and, for the organisers and auditors only, the registrations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ..choices import CHOSEN_KINDS, PlaceStatus
from ..models import Conference, Registration, Session, SessionSpeaker
from ..permissions import can_view_registrations


def _conferences() -> QuerySet[Conference]:
    return Conference.objects.select_related("event__host_city", "event__programme")


def public_conference_get(slug: str) -> Conference:
    """A conference whose programme is public (every conference is: its page is how delegates
    find it); 404 for an unknown short name."""
    conference = _conferences().filter(slug=slug).first()
    if conference is None:
        raise Http404("No such conference")
    return conference


def programme_sessions(conference: Conference) -> list[Session]:
    """Every session with its chairs and speakers, the practices, toolkits and plans presented,
    and, for the sessions that fill up, the confirmed count (`taken`)."""
    roles = SessionSpeaker.objects.select_related("speaker").order_by("role", "order")
    return list(
        conference.sessions.annotate(
            taken=Count(
                "choices",
                filter=Q(
                    choices__status=PlaceStatus.CONFIRMED,
                    choices__registration__status=PlaceStatus.CONFIRMED,
                ),
            )
        )
        .prefetch_related(
            Prefetch("roles", queryset=roles),
            "practices",
            "toolkits",
            "plans__city",
        )
        .order_by("starts_at", "track", "title")
    )


def choosable_sessions(conference: Conference) -> list[Session]:
    return list(conference.sessions.filter(kind__in=CHOSEN_KINDS).order_by("starts_at", "title"))


def own_sessions(registration: Registration) -> list[Session]:
    """A delegate's programme: the sessions open to every delegate, and the chosen ones where
    they hold a place."""
    held = registration.choices.filter(status=PlaceStatus.CONFIRMED).values("session_id")
    return list(
        Session.objects.filter(conference_id=registration.conference_id)
        .filter(~Q(kind__in=CHOSEN_KINDS) | Q(pk__in=held))
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class Places:
    confirmed: int
    waiting: int
    capacity: int


def places(conference: Conference) -> Places:
    counts = conference.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=PlaceStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=PlaceStatus.WAITING)),
    )
    return Places(counts["confirmed"], counts["waiting"], conference.capacity)


def registrations_for(user: Any, conference: Conference) -> QuerySet[Registration]:
    """The delegates' personal data: the organisers and auditors only; 404 for anyone else."""
    if not can_view_registrations(user, conference):
        raise Http404("No such conference")
    return conference.registrations.select_related("delegation__city")
