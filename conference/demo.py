"""The demo's conference: the Integrating Cities Conference VIII (Milan, 7-8 November 2018) with
its programme (plenaries, panels, three parallel workshops, a site visit, networking and the
final project meeting), its speakers, and forty delegates (the public and three city
delegations) registered through the places' services, some checked in, a few feedback answers.

Deterministic, and a second run changes nothing. The delegates' e-mails belong to the demo's
past: none is kept or sent (as notifications' `emails_withheld` does for the other loaders).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from knowledge.choices import PracticeState, ToolkitState
from knowledge.models import GoodPractice, Toolkit
from programmes.models import City, Person, Programme
from visits.models import Event

from .choices import GovernmentLevel, SessionKind, SpeakerRole
from .models import (
    Attendance,
    Conference,
    FeedbackAnswer,
    FeedbackGiven,
    Session,
    SessionSpeaker,
    Speaker,
)
from .services.places import DelegateInput, delegation_register, register

SLUG = "icc-viii"
ZONE = "Europe/Rome"
DAY_ONE, DAY_TWO = date(2018, 11, 7), date(2018, 11, 8)
WORKSHOP_PLACES = 25


@dataclass(frozen=True)
class _Slot:
    kind: str
    title: str
    day: date
    starts: time
    ends: time
    room: str
    track: str = ""
    capacity: int | None = None
    description: str = ""


SESSIONS = (
    _Slot(
        SessionKind.PLENARY,
        "Opening: cities make integration work",
        DAY_ONE,
        time(9, 30),
        time(10, 30),
        "Main hall",
        description="Welcome by the City of Milan and EUROCITIES; what two years of mentoring "
        "changed in twelve cities.",
    ),
    _Slot(
        SessionKind.PANEL,
        "Panel: from self-assessment to local action plan",
        DAY_ONE,
        time(11),
        time(12, 30),
        "Main hall",
    ),
    _Slot(
        SessionKind.WORKSHOP,
        "Workshop: jobs and skills for newcomers",
        DAY_ONE,
        time(14),
        time(15, 30),
        "Room A",
        "Employment",
        WORKSHOP_PLACES,
    ),
    _Slot(
        SessionKind.WORKSHOP,
        "Workshop: housing and first reception",
        DAY_ONE,
        time(14),
        time(15, 30),
        "Room B",
        "Housing",
        WORKSHOP_PLACES,
    ),
    _Slot(
        SessionKind.WORKSHOP,
        "Workshop: anti-discrimination in city services",
        DAY_ONE,
        time(14),
        time(15, 30),
        "Room C",
        "Anti-discrimination",
        WORKSHOP_PLACES,
    ),
    _Slot(
        SessionKind.NETWORKING,
        "Networking: the cities' market place",
        DAY_ONE,
        time(16),
        time(17),
        "Foyer",
    ),
    _Slot(
        SessionKind.PLENARY,
        "The CITIES-GROW toolkits in practice",
        DAY_TWO,
        time(9, 30),
        time(10, 30),
        "Main hall",
    ),
    _Slot(
        SessionKind.PANEL,
        "Panel: levels of government working together",
        DAY_TWO,
        time(11),
        time(12, 30),
        "Main hall",
    ),
    _Slot(
        SessionKind.SITE_VISIT,
        "Site visit: a neighbourhood welcome centre",
        DAY_TWO,
        time(13, 30),
        time(15),
        "Meeting point: main entrance",
        capacity=20,
    ),
    _Slot(
        SessionKind.FINAL_MEETING,
        "Final project meeting of CITIES-GROW",
        DAY_TWO,
        time(15, 30),
        time(17),
        "Room A",
        description="The partners only: the schemes' results and the follow-up.",
    ),
)

# name, affiliation, level, country, [(session index, role)]
SPEAKERS = (
    ("Marta Russo", "City of Milan", GovernmentLevel.LOCAL, "IT", [(0, SpeakerRole.SPEAKER)]),
    (
        "Anna Lisowska",
        "European Commission, DG Migration and Home Affairs",
        GovernmentLevel.EU,
        "BE",
        [(0, SpeakerRole.SPEAKER), (7, SpeakerRole.SPEAKER)],
    ),
    (
        "Pieter de Vries",
        "EUROCITIES",
        GovernmentLevel.CIVIL_SOCIETY,
        "BE",
        [(1, SpeakerRole.CHAIR), (9, SpeakerRole.CHAIR)],
    ),
    (
        "Jonas Berg",
        "Ministry of Employment",
        GovernmentLevel.NATIONAL,
        "FI",
        [(7, SpeakerRole.SPEAKER), (2, SpeakerRole.SPEAKER)],
    ),
    (
        "Carla Ferreira",
        "Lisbon Metropolitan Area",
        GovernmentLevel.REGIONAL,
        "PT",
        [(7, SpeakerRole.CHAIR), (3, SpeakerRole.SPEAKER)],
    ),
    (
        "Yusuf Adeyemi",
        "Migrant Voices Network",
        GovernmentLevel.MIGRANT_ORGANISATION,
        "NL",
        [(1, SpeakerRole.SPEAKER), (4, SpeakerRole.SPEAKER)],
    ),
    (
        "Sofia Papadopoulou",
        "City of Athens",
        GovernmentLevel.LOCAL,
        "GR",
        [(1, SpeakerRole.SPEAKER), (6, SpeakerRole.SPEAKER)],
    ),
    (
        "Tom Whitfield",
        "Birmingham City Council",
        GovernmentLevel.LOCAL,
        "GB",
        [(6, SpeakerRole.CHAIR), (4, SpeakerRole.CHAIR)],
    ),
)

PUBLIC_NAMES = (
    ("Giulia", "Bianchi"),
    ("Luca", "Romano"),
    ("Elena", "Conti"),
    ("Marco", "Greco"),
    ("Chiara", "Marino"),
    ("Lena", "Schmidt"),
    ("Felix", "Weber"),
    ("Camille", "Martin"),
    ("Hugo", "Bernard"),
    ("Inès", "Dubois"),
    ("Lucía", "García"),
    ("Pablo", "Fernández"),
    ("Ana", "Silva"),
    ("João", "Santos"),
    ("Eva", "Novak"),
    ("Tomasz", "Kowalski"),
    ("Agnieszka", "Wiśniewska"),
    ("Mikael", "Virtanen"),
    ("Sanne", "Jansen"),
    ("Daan", "Bakker"),
    ("Emma", "Peeters"),
    ("Niamh", "Murphy"),
    ("Oliver", "Hughes"),
    ("Katarzyna", "Zielińska"),
    ("Ahmed", "Hassan"),
    ("Amina", "Diallo"),
    ("Laila", "Haddad"),
    ("Nikos", "Georgiou"),
    ("Ilze", "Ozola"),
    ("Sara", "Lindqvist"),
    ("Matteo", "Ricci"),
)
LEVELS = (
    GovernmentLevel.LOCAL,
    GovernmentLevel.LOCAL,
    GovernmentLevel.REGIONAL,
    GovernmentLevel.NATIONAL,
    GovernmentLevel.CIVIL_SOCIETY,
    GovernmentLevel.MIGRANT_ORGANISATION,
    GovernmentLevel.EU,
    GovernmentLevel.OTHER,
)
COUNTRIES = ("IT", "IT", "DE", "FR", "ES", "PT", "SI", "PL", "FI", "NL", "BE", "IE", "GB", "GR")
# The three delegations: the city, who registers it, and its delegates (a Person of the city
# by key, or a name for a politician or a local stakeholder).
DELEGATIONS: tuple[tuple[str, str, tuple[str | tuple[str, str, str, str], ...]], ...] = (
    (
        "athens",
        "athens-officer-1",
        (
            "athens-officer-1",
            "athens-officer-2",
            ("stakeholder", "Dimitra", "Kosta", "Athens Refugee Forum"),
        ),
    ),
    (
        "birmingham",
        "birmingham-officer-1",
        (
            "birmingham-officer-1",
            ("politician", "Sarah", "Ahmed", "Birmingham City Council"),
            ("stakeholder", "Daniel", "Okafor", "Birmingham Settlement"),
        ),
    ),
    (
        "riga",
        "riga-officer-1",
        (
            "riga-officer-1",
            "riga-officer-2",
            ("politician", "Andris", "Kalniņš", "Riga City Council"),
        ),
    ),
)
FEEDBACK = (
    (5, 5, "The workshops were the most useful part: concrete and well chaired."),
    (4, 5, "Good mix of cities and levels of government."),
    (4, 3, ""),
    (5, 4, "The site visit showed what the toolkits mean on the ground."),
    (3, 4, "Too little time for questions after the panels."),
)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZoneInfo(ZONE))


def _programme_sessions(conference: Conference) -> list[Session]:
    sessions = [
        Session.objects.create(
            conference=conference,
            kind=slot.kind,
            title=slot.title,
            description=slot.description,
            starts_at=_at(slot.day, slot.starts),
            ends_at=_at(slot.day, slot.ends),
            room=slot.room,
            track=slot.track,
            capacity=slot.capacity,
        )
        for slot in SESSIONS
    ]
    for name, affiliation, level, country, roles in SPEAKERS:
        speaker = Speaker.objects.create(
            conference=conference,
            name=name,
            affiliation=affiliation,
            level=level,
            country=country,
        )
        for order, (index, role) in enumerate(roles):
            SessionSpeaker.objects.create(
                session=sessions[index], speaker=speaker, role=role, order=order
            )
    practices = list(GoodPractice.objects.filter(state=PracticeState.PUBLISHED).order_by("pk")[:3])
    toolkits = list(
        Toolkit.objects.filter(
            programme=conference.event.programme,
            state__in=(ToolkitState.PUBLISHED, ToolkitState.FINAL),
        ).order_by("pk")[:2]
    )
    for workshop, practice in zip(sessions[2:5], practices, strict=False):
        workshop.practices.add(practice)
    sessions[6].toolkits.add(*toolkits)
    return sessions


def _registrations(
    conference: Conference,
    sessions: list[Session],
    user: Callable[[str], Any],
    emails: dict[str, str],
) -> None:
    workshops, site_visit = sessions[2:5], sessions[8]
    for n, (first, last) in enumerate(PUBLIC_NAMES):
        chosen = [workshops[n % 3].pk]
        if n % 3 == 0:
            chosen.append(site_visit.pk)
        register(
            conference=conference,
            data=DelegateInput(
                first_name=first,
                last_name=last,
                email=f"{first}.{last}@delegates.demo.invalid".lower(),
                organisation="",
                level=LEVELS[n % len(LEVELS)],
                country=COUNTRIES[n % len(COUNTRIES)],
                consent_listed=n % 4 != 0,
                consent_photos=n % 5 != 0,
                dietary_needs="Vegetarian" if n % 6 == 0 else "",
                session_ids=tuple(chosen),
            ),
        )
    for index, (slug, registrar, members) in enumerate(DELEGATIONS):
        city = City.objects.get(slug=slug)
        delegates = []
        for k, member in enumerate(members):
            session_ids = (workshops[(index + k) % 3].pk,)
            if isinstance(member, tuple):
                kind, first, last, organisation = member
                delegates.append(
                    DelegateInput(
                        first_name=first,
                        last_name=last,
                        email=f"{kind}.{slug}@delegates.demo.invalid",
                        organisation=organisation,
                        level=GovernmentLevel.LOCAL
                        if kind == "politician"
                        else GovernmentLevel.CIVIL_SOCIETY,
                        country=str(city.country),
                        delegate_kind=kind,
                        session_ids=session_ids,
                    )
                )
                continue
            person = Person.objects.get(email=emails[member])
            delegates.append(
                DelegateInput(
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    organisation=city.name,
                    level=GovernmentLevel.LOCAL,
                    country=str(city.country),
                    consent_listed=True,
                    delegate_kind="officer",
                    person_id=person.pk,
                    session_ids=session_ids,
                )
            )
        delegation_register(
            actor=user(registrar), conference=conference, city=city, delegates=delegates
        )


def _on_site(conference: Conference, recorder: Any) -> None:
    """Day one's check-in (every other confirmed delegate) and a few feedback answers."""
    confirmed = list(conference.registrations.filter(status="confirmed").order_by("pk"))
    for i, registration in enumerate(confirmed[::2]):
        Attendance.objects.create(
            registration=registration,
            day=DAY_ONE,
            recorded_at=_at(DAY_ONE, time(8, 30 + i % 30)),
            recorded_by=recorder,
        )
    for registration, (overall, usefulness, comment) in zip(confirmed[::2], FEEDBACK, strict=False):
        FeedbackAnswer.objects.create(
            conference=conference,
            overall=overall,
            usefulness=usefulness,
            comment=comment,
            day=DAY_TWO,
        )
        FeedbackGiven.objects.create(registration=registration)


def demo_conference_load(
    *, programme: Programme, user: Callable[[str], Any], emails: dict[str, str]
) -> Conference | None:
    """The conference of the demo's conference event, once (None: there is no such event, or
    it has its conference already). `user` and `emails`: the demo people's accounts and
    addresses by key."""
    event = (
        Event.objects.filter(programme=programme, format="conference")
        .order_by("starts_at", "pk")
        .first()
    )
    if event is None or Conference.objects.filter(event=event).exists():
        return None
    with transaction.atomic():
        pending = len(connection.run_on_commit)
        conference = Conference.objects.create(
            event=event,
            slug=SLUG,
            introduction=(
                "Two days in Milan on what cities do for the integration of migrants and "
                "refugees: the CITIES-GROW cities present their toolkits and local action plans."
            ),
            capacity=300,
            registration_open=True,
            asked_fields=["organisation", "level", "country", "dietary", "access"],
            # A year from the day the demo is loaded: the daily erase must not empty the demo.
            retention_until=timezone.localdate() + timedelta(days=365),
        )
        sessions = _programme_sessions(conference)
        _registrations(conference, sessions, user, emails)
        _on_site(conference, user("coordinator-1"))
        # The place e-mails belong to the demo's past: dropped before they are made.
        del connection.run_on_commit[pending:]
    return conference
