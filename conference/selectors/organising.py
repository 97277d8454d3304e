"""The organisers' reads: the conference they organise (404 for anyone else), its timetable by
day, speakers, delegations with their quotas and counts, and the registrations (personal data:
the organisers and auditors only), each list in a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from action_plans.models import ActionPlan
from core.rules import Action
from knowledge.choices import PracticeState, ToolkitState
from knowledge.models import GoodPractice, Toolkit
from programmes.access import viewer_for
from programmes.models import City, Programme
from visits.models import Event
from visits.times import day_text, local

from ..choices import PlaceStatus
from ..models import Conference, Registration, Session, SessionChoice, Speaker
from ..permissions import can_organise, can_view_registrations
from .programme import TAKEN, registrations_for, speaker_roles

REGISTRATIONS_PAGE_SIZE = 50


def _conference(slug: str) -> Conference | None:
    return (
        Conference.objects.select_related("event__programme", "event__host_city")
        .filter(slug=slug)
        .first()
    )


def organised_conference_get(user: Any, slug: str) -> Conference:
    """The conference for its organisers (the programme's coordinators); 404 for anyone else."""
    conference = _conference(slug)
    if conference is None or not can_organise(user, conference):
        raise Http404("No such conference")
    return conference


def readable_conference_get(user: Any, slug: str) -> Conference:
    """The conference for those who read its registrations (organisers and auditors)."""
    conference = _conference(slug)
    if conference is None or not can_view_registrations(user, conference):
        raise Http404("No such conference")
    return conference


def programme_for_organising(user: Any, slug: str) -> Programme:
    """A programme whose conference this user organises; 404 otherwise."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or not viewer_for(user).can(
        Action.ORGANISE_CONFERENCE, programme_id=programme.pk
    ):
        raise Http404("No such programme")
    return programme


def conference_event_get(programme: Programme, pk: int) -> Event:
    event = Event.objects.filter(programme=programme, format="conference", pk=pk).first()
    if event is None:
        raise Http404("No such event")
    return event


def conference_of_event(event: Event) -> Conference | None:
    return Conference.objects.filter(event=event).first()


# ---------------------------------------------------------------- sessions


@dataclass(frozen=True)
class Day:
    day: date
    sessions: list[Session]

    @property
    def label(self) -> str:
        return day_text(self.day)


def timetable(conference: Conference) -> list[Day]:
    """The sessions by day (in the conference's zone), each with its chairs and speakers, its
    confirmed places (`taken`) and how many delegates chose it (`chosen`)."""
    sessions = list(
        conference.sessions.annotate(taken=TAKEN, chosen=Count("choices"))
        .prefetch_related(speaker_roles())
        .order_by("starts_at", "track", "title")
    )
    zone = conference.event.timezone
    return [
        Day(day, list(group))
        for day, group in groupby(sessions, key=lambda s: local(s.starts_at, zone).date())
    ]


def organised_session_get(conference: Conference, pk: int) -> Session:
    session = (
        conference.sessions.prefetch_related("roles", "practices", "toolkits", "plans")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404("No such session")
    return session


@dataclass(frozen=True)
class SessionChoices:
    """What a session may link to: the conference's speakers, the published practices and
    toolkits and the programme's plans (id, label)."""

    speakers: list[tuple[int, str]]
    practices: list[tuple[int, str]]
    toolkits: list[tuple[int, str]]
    plans: list[tuple[int, str]]


def session_choices(conference: Conference) -> SessionChoices:
    programme_id = conference.event.programme_id
    speakers = [
        (s.pk, f"{s.name}, {s.affiliation}" if s.affiliation else s.name)
        for s in conference.speakers.order_by("name")
    ]
    practices = list(
        GoodPractice.objects.filter(state=PracticeState.PUBLISHED)
        .order_by("title")
        .values_list("pk", "title")
    )
    toolkits = list(
        Toolkit.objects.filter(
            programme_id=programme_id, state__in=(ToolkitState.PUBLISHED, ToolkitState.FINAL)
        )
        .order_by("title")
        .values_list("pk", "title")
    )
    plans = [
        (p.pk, f"{p.city.name}: {p}")
        for p in ActionPlan.objects.filter(programme_id=programme_id)
        .select_related("city")
        .order_by("city__name", "pk")
    ]
    return SessionChoices(speakers, practices, toolkits, plans)


# ---------------------------------------------------------------- speakers


def speakers_for(conference: Conference) -> list[Speaker]:
    return list(
        conference.speakers.annotate(session_count=Count("roles", distinct=True)).order_by("name")
    )


def organised_speaker_get(conference: Conference, pk: int) -> Speaker:
    speaker = conference.speakers.filter(pk=pk).first()
    if speaker is None:
        raise Http404("No such speaker")
    return speaker


# ---------------------------------------------------------------- delegations


@dataclass(frozen=True)
class DelegationRow:
    city: City
    quota: int
    registered: int
    own_quota: bool  # the organiser set this city's quota (else the conference's default)


def delegations_table(conference: Conference) -> list[DelegationRow]:
    """Every city of the programme, with its quota and the delegates it registered (not
    cancelled)."""
    cities = list(
        City.objects.filter(scheme_memberships__programme_id=conference.event.programme_id)
        .distinct()
        .order_by("name")
    )
    delegations = {
        d.city_id: d
        for d in conference.delegations.annotate(
            registered=Count(
                "registrations", filter=~Q(registrations__status=PlaceStatus.CANCELLED)
            )
        )
    }
    rows = []
    for city in cities:
        delegation = delegations.get(city.pk)
        rows.append(
            DelegationRow(
                city=city,
                quota=delegation.quota if delegation else conference.delegation_quota,
                registered=getattr(delegation, "registered", 0),
                own_quota=delegation is not None,
            )
        )
    return rows


def delegation_city_get(conference: Conference, city_id: int) -> City:
    city = (
        City.objects.filter(
            scheme_memberships__programme_id=conference.event.programme_id, pk=city_id
        )
        .distinct()
        .first()
    )
    if city is None:
        raise Http404("No such city")
    return city


# ---------------------------------------------------------------- registrations


@dataclass(frozen=True)
class RegistrationCounts:
    confirmed: int
    waiting: int
    cancelled: int


def registration_counts(user: Any, conference: Conference) -> RegistrationCounts:
    rows = registrations_for(user, conference).values_list("status").annotate(n=Count("pk"))
    counts: Counter[str] = Counter(dict(rows))
    return RegistrationCounts(
        counts[PlaceStatus.CONFIRMED], counts[PlaceStatus.WAITING], counts[PlaceStatus.CANCELLED]
    )


def registrations_page(
    user: Any,
    conference: Conference,
    *,
    search: str = "",
    status: str = "",
    city_id: int | None = None,
    page: Any = 1,
) -> Page[Registration]:
    """A page of the registrations (50), searched by name, e-mail or organisation and filtered
    by place and delegation; 404 for anyone who may not read them."""
    registrations: QuerySet[Registration] = registrations_for(user, conference)
    search = search.strip()
    if search:
        query = Q()
        for word in search.split():
            query &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__icontains=word)
            )
        registrations = registrations.filter(query)
    if status:
        registrations = registrations.filter(status=status)
    if city_id:
        registrations = registrations.filter(delegation__city_id=city_id)
    registrations = registrations.order_by("last_name", "first_name", "pk")
    return Paginator(registrations, REGISTRATIONS_PAGE_SIZE).get_page(page)


def delegation_cities(conference: Conference) -> list[tuple[int, str]]:
    """The cities that have a delegation (for the registrations' filter)."""
    return list(conference.delegations.order_by("city__name").values_list("city_id", "city__name"))


def registration_detail(user: Any, conference: Conference, pk: int) -> Registration:
    """One registration with its session choices; 404 for anyone who may not read it."""
    registration = (
        registrations_for(user, conference)
        .select_related("person", "registered_by")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=SessionChoice.objects.select_related("session").order_by(
                    "session__starts_at"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404("No such registration")
    return registration
