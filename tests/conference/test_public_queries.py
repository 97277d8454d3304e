"""The public pages run the same number of queries however big the programme: the conference
page (timetable and list) and the registration form with 4 or 60 sessions, 1 or 40 delegates."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conference.models import Session, SessionSpeaker, Speaker
from conference.services import register
from tests.conference.builders import delegate, icc, milan

pytestmark = pytest.mark.django_db


def _grow(conference, sessions: int, delegates: int, first: int = 100) -> None:
    speaker = Speaker.objects.create(conference=conference, name=f"Chair {first}", level="eu")
    for n in range(sessions):
        start = milan(9, day=7 + n % 2) + timedelta(minutes=30 * (n // 2 % 14))
        session = Session.objects.create(
            conference=conference,
            kind="workshop" if n % 3 else "panel",
            title=f"Session {n}",
            starts_at=start,
            ends_at=start + timedelta(minutes=25),
            room=f"Room {n % 5}",
            capacity=30 if n % 3 else None,
        )
        SessionSpeaker.objects.create(session=session, speaker=speaker, role="chair")
    for n in range(delegates):
        register(conference=conference, data=delegate(first + n))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["conference:public", "conference:register"])
def test_the_public_pages_do_not_grow_with_the_programme(client, name):
    conference = icc()
    url = reverse(name, args=[conference.slug])
    _grow(conference, sessions=1, delegates=1, first=100)
    small = _queries(client, url)
    _grow(conference, sessions=57, delegates=39, first=200)
    assert Session.objects.count() == 61
    assert _queries(client, url) == small
