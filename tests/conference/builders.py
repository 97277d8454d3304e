"""A conference for the conference tests: ICC VIII in Milan (7-8 November 2018), 10 places, a
plenary open to all and two parallel workshops of 2 places each."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from conference.models import Conference, Session
from conference.services import DelegateInput
from programmes.models import Programme
from visits.models import Event

ROME = ZoneInfo("Europe/Rome")


def milan(hour: int, day: int = 7, minute: int = 0) -> datetime:
    return datetime(2018, 11, day, hour, minute, tzinfo=ROME)


def icc(capacity: int = 10, workshop_places: int = 2) -> Conference:
    event = Event.objects.create(
        programme=Programme.objects.get(slug="cities-grow"),
        format="conference",
        title="Integrating Cities Conference VIII",
        starts_at=milan(9),
        ends_at=milan(17, day=8),
        timezone="Europe/Rome",
        venue="Fabbrica del Vapore",
    )
    conference = Conference.objects.create(
        event=event,
        slug="icc-viii",
        capacity=capacity,
        registration_open=True,
        retention_until=date(2019, 5, 8),
        asked_fields=["organisation", "level", "dietary"],
    )
    Session.objects.create(
        conference=conference,
        kind="plenary",
        title="Opening",
        starts_at=milan(9),
        ends_at=milan(10, minute=30),
        room="Main hall",
    )
    for title, room in (("Jobs for newcomers", "Room A"), ("Housing first", "Room B")):
        Session.objects.create(
            conference=conference,
            kind="workshop",
            title=title,
            starts_at=milan(11),
            ends_at=milan(12, minute=30),
            room=room,
            capacity=workshop_places,
        )
    return conference


def workshop(conference: Conference, title: str = "Jobs for newcomers") -> Session:
    return conference.sessions.get(title=title)


def delegate(n: int, **overrides) -> DelegateInput:
    values = {
        "first_name": f"Delegate{n}",
        "last_name": "Test",
        "email": f"delegate{n}@example.org",
        "organisation": "Somewhere",
        "level": "local",
    }
    values.update(overrides)
    return DelegateInput(**values)
