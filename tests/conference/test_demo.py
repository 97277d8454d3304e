"""The living demo's conference: ICC VIII in Milan with its programme (three parallel workshops
of 25 places in one slot), its speakers at every level of government, forty delegates through
the places' services (three city delegations within their quota), some checked in, a few
feedback answers; none of the delegates' e-mails kept; a second run changes nothing."""

from collections import Counter
from datetime import date

import pytest

from conference.demo import demo_conference_load
from conference.models import Attendance, Conference
from notifications.models import OutgoingEmail
from programmes.models import Programme


@pytest.mark.django_db
def test_the_demo_has_the_conference_with_its_programme_and_delegates(living_demo):
    conference = Conference.objects.select_related("event").get(slug="icc-viii")
    assert conference.event.title == "Integrating Cities Conference VIII"
    assert conference.registration_open and conference.registration_closes_at is None

    sessions = list(conference.sessions.all())
    assert len(sessions) == 10
    kinds = Counter(s.kind for s in sessions)
    assert kinds == {
        "plenary": 2,
        "panel": 2,
        "workshop": 3,
        "site_visit": 1,
        "networking": 1,
        "final_meeting": 1,
    }
    workshops = [s for s in sessions if s.kind == "workshop"]
    assert {(s.starts_at, s.capacity) for s in workshops} == {(workshops[0].starts_at, 25)}
    assert any(s.practices.exists() for s in workshops)
    assert conference.speakers.count() == 8
    assert len(set(conference.speakers.values_list("level", flat=True))) >= 6

    registrations = conference.registrations.all()
    assert registrations.count() == 40
    assert registrations.filter(status="confirmed").count() == 40
    assert len(set(registrations.values_list("country", flat=True))) >= 10
    assert len(set(registrations.values_list("level", flat=True))) >= 6
    delegations = Counter(
        registrations.filter(delegation__isnull=False).values_list(
            "delegation__city__slug", flat=True
        )
    )
    assert delegations == {"athens": 3, "birmingham": 3, "riga": 3}
    assert registrations.filter(travel_eligible=True, person__isnull=False).count() == 5
    for workshop in workshops:
        held = workshop.choices.filter(status="confirmed").count()
        assert 0 < held <= 25
    checked_in = Attendance.objects.filter(
        registration__conference=conference, session__isnull=True
    ).values_list("registration_id", "day")
    assert len(checked_in) == 20 and {day for _pk, day in checked_in} == {date(2018, 11, 7)}
    assert conference.feedback.count() == 5
    assert not OutgoingEmail.objects.filter(subject__startswith=conference.event.title).exists()
    # A second run leaves the conference as it is.
    programme = Programme.objects.get(slug="cities-grow")
    assert demo_conference_load(programme=programme, user=lambda key: None, emails={}) is None
    assert conference.registrations.count() == 40
