"""Reading the conference: its public programme (a fixed number of queries, whatever its size),
a delegate's own sessions, and, for the organisers and auditors only, the registrations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.formats import time_format

from action_plans.models import ActionPlan
from core.rules import Action
from knowledge.choices import PracticeState, ToolkitState
from knowledge.models import GoodPractice, Toolkit
from programmes.access import viewer_for
from programmes.models import City, Person

from ..choices import CHOSEN_KINDS, PlaceStatus
from ..models import (
    Conference,
    Delegation,
    Registration,
    Session,
    SessionChoice,
    SessionSpeaker,
)
from ..permissions import can_register_delegation, can_view_registrations


def _conferences() -> QuerySet[Conference]:
    return Conference.objects.select_related("event__host_city", "event__programme")


def public_conference_get(slug: str) -> Conference:
    """A conference whose programme is public (every conference is: its page is how delegates
    find it); 404 for an unknown short name."""
    conference = _conferences().filter(slug=slug).first()
    if conference is None:
        raise Http404("No such conference")
    return conference


# A session's places held: confirmed choices of confirmed delegates.
TAKEN = Count(
    "choices",
    filter=Q(
        choices__status=PlaceStatus.CONFIRMED,
        choices__registration__status=PlaceStatus.CONFIRMED,
    ),
)


def speaker_roles() -> Prefetch:
    """A session's chairs and speakers, chairs first, in their order."""
    return Prefetch(
        "roles", queryset=SessionSpeaker.objects.select_related("speaker").order_by("role", "order")
    )


def programme_sessions(conference: Conference) -> list[Session]:
    """Every session with its chairs and speakers, the practices, toolkits and plans presented,
    and, for the sessions that fill up, the confirmed count (`taken`)."""
    return list(
        conference.sessions.annotate(taken=TAKEN)
        .prefetch_related(
            speaker_roles(),
            # Only what the public may open: published practices and toolkits.
            Prefetch(
                "practices", queryset=GoodPractice.objects.filter(state=PracticeState.PUBLISHED)
            ),
            Prefetch(
                "toolkits",
                queryset=Toolkit.objects.filter(
                    state__in=(ToolkitState.PUBLISHED, ToolkitState.FINAL)
                ),
            ),
            Prefetch("plans", queryset=ActionPlan.objects.select_related("city")),
        )
        .order_by("starts_at", "track", "title")
    )


@dataclass(frozen=True)
class TimetableDay:
    """One day of the programme as a grid: a row per start time, a column per room."""

    day: date
    rooms: list[str]
    rows: list[tuple[str, list[list[Session]]]]


def timetable(sessions: list[Session], zone_name: str) -> list[TimetableDay]:
    """The sessions (already loaded) laid out per local day, start time and room."""
    zone = ZoneInfo(zone_name)
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[session.starts_at.astimezone(zone).date()].append(session)
    days = []
    for day, of_day in sorted(by_day.items()):
        rooms = sorted({s.room for s in of_day}, key=lambda r: (r == "", r))
        column = {room: i for i, room in enumerate(rooms)}
        starts: dict[str, list[list[Session]]] = {}
        for session in sorted(of_day, key=lambda s: s.starts_at):
            clock = time_format(session.starts_at.astimezone(zone), "TIME_FORMAT")
            cells = starts.setdefault(clock, [[] for _room in rooms])
            cells[column[session.room]].append(session)
        days.append(TimetableDay(day, rooms, list(starts.items())))
    return days


def choosable_sessions(conference: Conference) -> list[Session]:
    return list(conference.sessions.filter(kind__in=CHOSEN_KINDS).order_by("starts_at", "title"))


def sessions_taken(conference: Conference) -> dict[int, int]:
    """The confirmed places of each session delegates choose (for "full" marks on the form)."""
    rows = (
        SessionChoice.objects.filter(
            session__conference=conference,
            status=PlaceStatus.CONFIRMED,
            registration__status=PlaceStatus.CONFIRMED,
        )
        .values("session_id")
        .annotate(n=Count("pk"))
    )
    return {row["session_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class DelegationPage:
    """What a city's delegation form shows: the quota, who is registered, the city's staff."""

    city: City
    quota: int
    registrations: list[Registration]
    people: dict[int, Person]

    @property
    def taken(self) -> int:
        return sum(1 for r in self.registrations if r.status != PlaceStatus.CANCELLED)

    @property
    def left(self) -> int:
        return max(self.quota - self.taken, 0)


def delegation_page(user: Any, conference: Conference, city_slug: str) -> DelegationPage:
    """A programme city's delegation, for the coordinators and that city's officers; 404 for
    anyone else and for a city outside the programme."""
    city = City.objects.filter(slug=city_slug).select_related("organisation").first()
    if city is None or not can_register_delegation(user, conference, city):
        raise Http404("No such delegation")
    delegation = Delegation.objects.filter(conference=conference, city=city).first()
    registrations = list(delegation.registrations.order_by("queued_at", "pk")) if delegation else []
    people = {
        p.pk: p
        for p in Person.objects.filter(organisation_id=city.organisation_id).order_by(
            "last_name", "first_name"
        )
    }
    quota = delegation.quota if delegation else conference.delegation_quota
    return DelegationPage(city, quota, registrations, people)


def delegation_cities_for(user: Any, conference: Conference) -> list[City]:
    """The programme cities whose delegation this person registers as one of its officers (the
    coordinators use the organisers' list of delegations instead)."""
    viewer = viewer_for(user)
    if not viewer.is_authenticated:
        return []
    reach = viewer.reach(Action.REGISTER_DELEGATION, programme_id=conference.event.programme_id)
    if not reach.city_ids:
        return []
    return list(
        City.objects.filter(
            pk__in=reach.city_ids,
            scheme_memberships__programme_id=conference.event.programme_id,
        )
        .distinct()
        .order_by("name")
    )


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
