"""An event's agenda: added in the host city's time, inside the event, by its organisers."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from programmes.models import MentoringPair, Programme
from tests.html_checks import accessibility_problems
from visits.choices import EventFormat
from visits.models import AgendaItem
from visits.services import EventInput, event_create

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def _visit(user_of):
    pair = MentoringPair.objects.get(implementing__city__slug="helsinki")
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.MENTORING_VISIT,
            title="Mentoring visit of Nantes to Helsinki",
            starts_at=datetime(2018, 3, 26, 9, tzinfo=HELSINKI),
            ends_at=datetime(2018, 3, 28, 17, tzinfo=HELSINKI),
            host_city=pair.implementing.city,
            pair=pair,
        ),
    )


def test_organisers_build_the_agenda_in_the_host_citys_time(user_of, client_of):
    event = _visit(user_of)
    client = client_of("facilitator-d")
    url = reverse("visits:agenda_add", args=["cities-grow", event.pk])
    item = {
        "day": "2018-03-27",
        "start": "10:00",
        "end": "12:00",
        "title": "Meeting the deputy mayor",
        "format": "political",
        "speakers": "Deputy mayor",
        "place": "City hall",
    }
    assert client.post(url, item).status_code == 302
    saved = AgendaItem.objects.get(event=event)
    assert saved.starts_at == datetime(2018, 3, 27, 10, tzinfo=HELSINKI)  # 07:00 UTC (summer)
    page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
    assert "10:00\u201312:00" in page and "Meeting the deputy mayor" in page
    assert accessibility_problems(page) == []
    outside = client.post(url, {**item, "day": "2018-03-30", "title": "Typed"})
    assert outside.status_code == 400
    assert "The item must take place during the event." in outside.content.decode()
    assert "Typed" in outside.content.decode()
    backwards = client.post(url, {**item, "start": "13:00", "end": "12:00"})
    assert "The end must come after the start." in backwards.content.decode()
    # Only the organisers: not the cities' officers.
    officer = client_of("helsinki-officer-1")
    officer.post(url, {**item, "title": "By an officer"})
    assert not AgendaItem.objects.filter(title="By an officer").exists()
    remove = reverse("visits:agenda_remove", args=["cities-grow", event.pk, saved.pk])
    client_of("facilitator-d").post(remove)
    assert not AgendaItem.objects.filter(pk=saved.pk).exists()
