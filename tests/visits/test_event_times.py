"""An event's time is shown in its host city's zone, with the zone named, the same way on the
event page, the calendar list, the visit plan, the participant list (PDF), the .ics file and the
reminder's day; around both daylight-saving changes; whatever zone the server runs in.

The bug this guards against: a view converted the start to the host's zone and the template's
`date` filter converted it back to the active zone (Brussels), one hour off for Athens, Helsinki
and Lisbon. Expected texts are built from plain (zone-less) days and hours, so they do not go
through any conversion."""

import io
import os
import time as time_module
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from icalendar import Calendar
from pypdf import PdfReader

from programmes.models import City, MentoringPair, Programme
from tests.visits.lifecycle import confirm
from visits.choices import EventFormat
from visits.pdf import participant_list_pdf
from visits.services import EventInput, event_create, participant_invite
from visits.services.reminders import reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["Europe/Brussels", "America/New_York"])
def server_zone(request, settings):
    """Run each test with the server in Brussels (the setting) and in New York (setting and
    process clock), with yet another zone active for the request: nothing may depend on it."""
    saved = os.environ.get("TZ")
    settings.TIME_ZONE = request.param  # Django's test signal also sets TZ and calls tzset()
    os.environ["TZ"] = request.param
    time_module.tzset()
    with timezone.override("Asia/Tokyo"):
        yield request.param
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time_module.tzset()


def _day(day: date) -> str:
    return f"{date_format(day, 'D')} {date_format(day, 'DATE_FORMAT')}"


def _hm(hour: int, minute: int = 0) -> str:
    return time_format(time(hour, minute), "TIME_FORMAT")


# (city, local day, abbreviation): EU clocks went back on 29 October 2017 and forward on
# 25 March 2018, at 01:00 UTC.
CASES = [
    ("athens", date(2017, 10, 27), "EEST"),
    ("athens", date(2017, 10, 30), "EET"),
    ("athens", date(2018, 3, 23), "EET"),
    ("athens", date(2018, 3, 26), "EEST"),
    ("lisbon", date(2017, 10, 27), "WEST"),
    ("lisbon", date(2017, 10, 30), "WET"),
    ("lisbon", date(2018, 3, 23), "WET"),
    ("lisbon", date(2018, 3, 26), "WEST"),
    ("helsinki", date(2017, 10, 27), "EEST"),
    ("helsinki", date(2017, 10, 30), "EET"),
    ("helsinki", date(2018, 3, 23), "EET"),
    ("helsinki", date(2018, 3, 26), "EEST"),
]


def _one_day_event(user_of, city_slug: str, day: date):
    city = City.objects.get(slug=city_slug)
    zone = ZoneInfo(city.timezone)
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.WEBINAR,
            title=f"Workshop in {city.name} on {day.isoformat()}",
            starts_at=datetime.combine(day, time(9, 30), tzinfo=zone),
            ends_at=datetime.combine(day, time(17, 0), tzinfo=zone),
            host_city=city,
            venue="City Hall",
        ),
    )


def _expected(city_name: str, day: date, abbreviation: str) -> str:
    return f"{_day(day)}, {_hm(9, 30)}\u2013{_hm(17)} {abbreviation} ({city_name} time)"


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _ics_entries(body: bytes) -> dict:
    return {str(e["summary"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_every_output_shows_the_host_citys_time_across_both_clock_changes(
    server_zone, user_of, client_of
):
    client = client_of("coordinator-1")
    events = [(_one_day_event(user_of, city, day), city, day, abbr) for city, day, abbr in CASES]
    calendar_html = client.get(reverse("visits:calendar", args=["cities-grow"])).content.decode()
    for event, city_slug, day, abbr in events:
        city = City.objects.get(slug=city_slug)
        expected = _expected(city.name, day, abbr)
        page = client.get(reverse("visits:event", args=["cities-grow", event.pk])).content.decode()
        assert f"<dd>{expected}</dd>" in page, (expected, server_zone)
        assert expected in calendar_html, (expected, server_zone)
        event.refresh_from_db()
        assert expected in _pdf_text(participant_list_pdf(event)), expected
        ics = client.get(reverse("visits:event_ics", args=["cities-grow", event.pk])).content
        entry = _ics_entries(ics)[event.title]
        zone = ZoneInfo(city.timezone)
        assert entry.decoded("dtstart") == datetime.combine(day, time(9, 30), tzinfo=zone)
        assert entry.decoded("dtend") == datetime.combine(day, time(17), tzinfo=zone)
        assert entry.decoded("dtstart").utcoffset() == timedelta(0)  # written in UTC
        assert expected in str(entry["description"])


def test_an_event_across_the_october_change_names_both_zones(server_zone, user_of, client_of):
    helsinki = City.objects.get(slug="helsinki")
    zone = ZoneInfo("Europe/Helsinki")
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.TRAINING_WORKSHOP,
            title="Autumn school",
            starts_at=datetime(2017, 10, 27, 9, tzinfo=zone),
            ends_at=datetime(2017, 10, 30, 17, tzinfo=zone),
            host_city=helsinki,
        ),
    )
    expected = (
        f"{_day(date(2017, 10, 27))}, {_hm(9)} EEST \u2013 "
        f"{_day(date(2017, 10, 30))}, {_hm(17)} EET (Helsinki time)"
    )
    page = client_of("helsinki-officer-1").get(
        reverse("visits:event", args=["cities-grow", event.pk])
    )
    assert expected in page.content.decode()
    assert expected in _pdf_text(participant_list_pdf(event))


def test_the_agenda_and_the_visit_plan_keep_the_host_citys_days_and_hours(
    server_zone, user_of, client_of
):
    from visits.services.agenda import AgendaInput, agenda_item_add

    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    athens = ZoneInfo("Europe/Athens")
    # Late in the evening in Athens is still the day before in New York and Brussels' past
    # midnight is not: the visit's days are Athens' days.
    visit = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.MENTORING_VISIT,
            title="Mentoring visit of Munich to Athens",
            starts_at=datetime(2018, 3, 26, 0, 30, tzinfo=athens),
            ends_at=datetime(2018, 3, 28, 23, 30, tzinfo=athens),
            host_city=pair.implementing.city,
            pair=pair,
        ),
    )
    agenda_item_add(
        actor=user_of("coordinator-1"),
        event=visit,
        data=AgendaInput(
            starts_at=datetime(2018, 3, 26, 10, tzinfo=athens),
            ends_at=datetime(2018, 3, 26, 11, 15, tzinfo=athens),
            title="Welcome by the mayor",
            format="political",
        ),
    )
    page = client_of("coordinator-1").get(reverse("visits:event", args=["cities-grow", visit.pk]))
    html = page.content.decode()
    assert f"{_day(date(2018, 3, 26))}, {_hm(10)}\u2013{_hm(11, 15)}" in html
    assert "Times are EEST (Athens time)." in html
    plan = client_of("coordinator-1").get(reverse("visits:plan", args=["cities-grow"]))
    plan_html = plan.content.decode()
    assert f"<td>{_day(date(2018, 3, 26))}</td><td>{_day(date(2018, 3, 28))}</td>" in plan_html


def test_the_reminder_names_the_day_on_the_host_citys_clocks(
    server_zone, user_of, django_capture_on_commit_callbacks
):
    """Just after midnight in Athens it is still the day before in Brussels and New York: the
    reminder's date is Athens' day, in the reader's format."""
    athens = City.objects.get(slug="athens")
    zone = ZoneInfo(athens.timezone)
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.WEBINAR,
            title="Night call in Athens",
            starts_at=datetime(2018, 3, 26, 0, 30, tzinfo=zone),
            ends_at=datetime(2018, 3, 26, 2, tzinfo=zone),
            host_city=athens,
            venue="City Hall",
        ),
    )
    participant_invite(
        actor=user_of("coordinator-1"), event=event, person=user_of("munich-officer-1").person
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(now=event.starts_at - timedelta(days=2))
    (message,) = mail.outbox
    assert message.subject.endswith(
        f"Reminder: Night call in Athens starts on {date_format(date(2018, 3, 26), 'DATE_FORMAT')}"
    )


def test_a_zone_chosen_apart_from_the_host_is_named_by_its_own_city(user_of, client_of):
    """Tampere keeps Helsinki's clocks: named by the host when it is its zone, else by the
    zone's city."""
    programme = Programme.objects.get(slug="cities-grow")
    athens = City.objects.get(slug="athens")
    event = event_create(
        actor=user_of("coordinator-1"),
        programme=programme,
        data=EventInput(
            format=EventFormat.WEBINAR,
            title="Call from Lisbon",
            starts_at=datetime(2018, 3, 26, 9, 30, tzinfo=ZoneInfo("Europe/Lisbon")),
            ends_at=datetime(2018, 3, 26, 17, tzinfo=ZoneInfo("Europe/Lisbon")),
            timezone="Europe/Lisbon",
            host_city=athens,
        ),
    )
    confirm(event)
    page = client_of("coordinator-1").get(reverse("visits:event", args=["cities-grow", event.pk]))
    assert _expected("Lisbon", date(2018, 3, 26), "WEST") in page.content.decode()
