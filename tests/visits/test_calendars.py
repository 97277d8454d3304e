"""Events as iCalendar files, personal feeds behind revocable tokens, and event validation."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from core.errors import DomainError
from programmes.models import City, MentoringPair, Person, Programme
from tests.factories import PersonFactory
from visits.choices import EventFormat, Invitation
from visits.models import Participant
from visits.services import (
    EventInput,
    calendar_feed_open,
    calendar_feed_revoke,
    event_create,
    event_update,
    participant_invite,
)

pytestmark = pytest.mark.django_db


def _local(zone, *args):
    return datetime(*args, tzinfo=ZoneInfo(zone))


def _event(user_of, city, start, end, title="Visit", **extra):
    city_obj = City.objects.get(slug=city)
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.WEBINAR,
            title=title,
            starts_at=_local(city_obj.timezone, *start),
            ends_at=_local(city_obj.timezone, *end),
            host_city=city_obj,
            **extra,
        ),
    )


def _starts(ics: bytes) -> dict[str, tuple[datetime, datetime]]:
    calendar = Calendar.from_ical(ics)
    return {
        str(e.get("summary")): (e.decoded("dtstart"), e.decoded("dtend"))
        for e in calendar.walk("VEVENT")
    }


def test_ical_carries_utc_times_across_daylight_saving(user_of, client_of):
    # EU clocks went forward on 25 March 2018 and back on 28 October 2018 and 29 October 2017.
    cases = {
        "Helsinki before": ("helsinki", (2018, 3, 23, 9, 0), (2018, 3, 23, 17, 0), 7, 15),
        "Helsinki after": ("helsinki", (2018, 3, 26, 9, 0), (2018, 3, 26, 17, 0), 6, 14),
        "Lisbon summer": ("lisbon", (2018, 10, 26, 9, 0), (2018, 10, 26, 17, 0), 8, 16),
        "Lisbon winter": ("lisbon", (2018, 10, 29, 9, 0), (2018, 10, 29, 17, 0), 9, 17),
        "Nicosia across": ("nicosia", (2017, 10, 27, 9, 0), (2017, 10, 30, 17, 0), 6, 15),
    }
    client = client_of("coordinator-1")
    for title, (city, start, end, utc_start_hour, utc_end_hour) in cases.items():
        event = _event(user_of, city, start, end, title=title)
        response = client.get(reverse("visits:event_ics", args=["cities-grow", event.pk]))
        assert response["Content-Type"].startswith("text/calendar")
        (dtstart, dtend) = _starts(response.content)[title]
        assert dtstart.utcoffset().total_seconds() == 0 and dtend.utcoffset().total_seconds() == 0
        assert (dtstart.hour, dtend.hour) == (utc_start_hour, utc_end_hour), title
        assert dtstart == datetime(*start, tzinfo=ZoneInfo(City.objects.get(slug=city).timezone))
        assert dtstart.tzinfo in (UTC,) or dtstart.tzname() == "UTC"


def test_a_feed_holds_its_owners_events_only_and_dies_when_revoked(user_of, client):
    eleni, helen = user_of("athens-officer-1"), user_of("facilitator-b")
    coordinator = user_of("coordinator-1")
    shared = _event(user_of, "athens", (2017, 5, 2, 9, 0), (2017, 5, 2, 12, 0), title="Shared")
    hers = _event(user_of, "athens", (2017, 5, 3, 9, 0), (2017, 5, 3, 12, 0), title="Eleni only")
    declined = _event(user_of, "athens", (2017, 5, 4, 9, 0), (2017, 5, 4, 12, 0), title="Declined")
    for event, user in ((shared, eleni), (shared, helen), (hers, eleni), (declined, eleni)):
        participant_invite(actor=coordinator, event=event, person=user.person)
    Participant.objects.filter(event=declined).update(invitation=Invitation.DECLINED)

    eleni_feed, helen_feed = calendar_feed_open(actor=eleni), calendar_feed_open(actor=helen)
    titles = set(_starts(client.get(reverse("visits:feed", args=[eleni_feed.token])).content))
    assert titles == {"Shared", "Eleni only"}
    titles = set(_starts(client.get(reverse("visits:feed", args=[helen_feed.token])).content))
    assert titles == {"Shared"}

    new = calendar_feed_revoke(actor=eleni)
    assert client.get(reverse("visits:feed", args=[eleni_feed.token])).status_code == 404
    assert client.get(reverse("visits:feed", args=[new.token])).status_code == 200
    assert client.get(reverse("visits:feed", args=["not-a-token"])).status_code == 404


def test_feed_settings_create_and_replace_the_address(client_of, user_of):
    client = client_of("athens-officer-1")
    url = reverse("visits:feed_settings")
    assert "Create my calendar address" in client.get(url).content.decode()
    client.post(url)
    first = client.get(url).content.decode()
    token = user_of("athens-officer-1").calendar_feeds.get(revoked_at__isnull=True).token
    assert token in first
    client.post(url)
    assert token not in client.get(url).content.decode()


def test_bad_events_are_refused_with_a_message_per_field(user_of):
    coordinator = user_of("coordinator-1")
    programme = Programme.objects.get(slug="cities-grow")
    zone = ZoneInfo("Europe/Athens")

    def attempt(**changes):
        data = {
            "format": EventFormat.WEBINAR,
            "title": "Call",
            "starts_at": datetime(2017, 6, 1, 10, tzinfo=zone),
            "ends_at": datetime(2017, 6, 1, 11, tzinfo=zone),
            "timezone": "Europe/Athens",
            **changes,
        }
        with pytest.raises(DomainError) as error:
            event_create(actor=coordinator, programme=programme, data=EventInput(**data))
        return error.value.field_errors

    assert "after the start" in attempt(ends_at=datetime(2017, 6, 1, 9, tzinfo=zone))["ends_at"]
    outside = attempt(
        starts_at=datetime(2019, 6, 1, 10, tzinfo=zone),
        ends_at=datetime(2019, 6, 1, 11, tzinfo=zone),
    )
    assert "within the programme" in outside["starts_at"]
    assert "choose it" in attempt(format=EventFormat.STUDY_VISIT)["pair"]
    assert "Unknown time zone" in attempt(timezone="Mars/Olympus")["timezone"]
    with pytest.raises(DomainError):
        event_create(
            actor=user_of("athens-officer-1"),
            programme=programme,
            data=EventInput(
                format=EventFormat.WEBINAR,
                title="Call",
                starts_at=datetime(2017, 6, 1, 10, tzinfo=zone),
                ends_at=datetime(2017, 6, 1, 11, tzinfo=zone),
            ),
        )


def test_only_members_of_the_programme_can_be_invited(user_of):
    event = _event(user_of, "athens", (2017, 5, 2, 9, 0), (2017, 5, 2, 12, 0))
    stranger = PersonFactory()
    with pytest.raises(DomainError) as error:
        participant_invite(actor=user_of("coordinator-1"), event=event, person=stranger)
    assert error.value.field_errors["person"] == "Choose a member of the programme."
    member = Person.objects.get(user=user_of("athens-officer-1"))
    participant_invite(actor=user_of("coordinator-1"), event=event, person=member)
    with pytest.raises(DomainError, match="already invited"):
        participant_invite(actor=user_of("coordinator-1"), event=event, person=member)


def test_a_visit_serves_a_pair_of_the_programme(user_of):
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    visit = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.STUDY_VISIT,
            title="Study visit to Munich",
            starts_at=_local("Europe/Berlin", 2017, 9, 12, 9, 0),
            ends_at=_local("Europe/Berlin", 2017, 9, 14, 17, 0),
            host_city=pair.mentor.city,
            pair=pair,
        ),
    )
    assert visit.scheme == pair.scheme and visit.timezone == "Europe/Berlin"


# ---------------------------------------------------------------- the entries' identity and state


def _entry(client, event):
    url = reverse("visits:event_ics", args=["cities-grow", event.pk])
    (entry,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    return entry


def _input_of(event, **changes):
    data = {
        "format": event.format,
        "title": event.title,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "timezone": event.timezone,
        "host_city": event.host_city,
        "venue": event.venue,
        **changes,
    }
    return EventInput(**data)


def test_a_reschedule_bumps_the_sequence_and_keeps_the_uid(user_of, client_of, settings):
    settings.PLATFORM_BASE_URL = "https://platform.cities-grow.example"
    coordinator, client = user_of("coordinator-1"), client_of("athens-officer-1")
    event = _event(user_of, "athens", (2018, 3, 23, 9, 0), (2018, 3, 23, 17, 0), title="Forum")
    first = _entry(client, event)
    assert first["uid"] == f"event-{event.pk}@platform.cities-grow.example"
    assert (
        first["url"]
        == f"https://platform.cities-grow.example/programmes/cities-grow/events/{event.pk}/"
    )
    assert first["sequence"] == 0
    assert first.decoded("last-modified") == event.updated_at.replace(microsecond=0)

    # A new title: the same time and place, the same sequence.
    event = event_update(
        actor=coordinator, event=event, data=_input_of(event, title="Forum"), expected_revision=1
    )
    assert _entry(client, event)["sequence"] == 0
    # Two days later (across the March change), then another venue: each bumps the sequence.
    moved = _input_of(
        event,
        starts_at=_local("Europe/Athens", 2018, 3, 26, 9, 0),
        ends_at=_local("Europe/Athens", 2018, 3, 26, 17, 0),
    )
    event = event_update(actor=coordinator, event=event, data=moved, expected_revision=2)
    second = _entry(client, event)
    assert second["sequence"] == 1 and second["uid"] == first["uid"]
    assert second.decoded("dtstart") == _local("Europe/Athens", 2018, 3, 26, 9, 0)
    assert second.decoded("last-modified") >= first.decoded("last-modified")
    event = event_update(
        actor=coordinator,
        event=event,
        data=_input_of(event, venue="Technopolis, Gazi"),
        expected_revision=3,
    )
    third = _entry(client, event)
    assert third["sequence"] == 2 and third["uid"] == first["uid"]
    assert "Technopolis, Gazi" in str(third["location"])
    # The host name the request came by plays no part.
    other = client_of("athens-officer-1")
    url = reverse("visits:event_ics", args=["cities-grow", event.pk])
    (entry,) = Calendar.from_ical(other.get(url, HTTP_HOST="localhost").content).walk("VEVENT")
    assert entry["uid"] == first["uid"]


def test_the_ics_status_follows_the_event_and_a_cancellation_reaches_calendars(
    user_of, client_of, client
):
    from tests.visits.lifecycle import confirm, hold
    from visits.services.reports import visit_report_save
    from visits.workflow import EventTransition, event_transition

    browser, coordinator = client_of("coordinator-1"), user_of("coordinator-1")
    event = _event(user_of, "helsinki", (2017, 10, 27, 9, 0), (2017, 10, 27, 12, 0), title="Call")
    officer = user_of("helsinki-officer-1")
    participant_invite(actor=coordinator, event=event, person=officer.person)
    assert _entry(browser, event)["status"] == "TENTATIVE"
    confirm(event)
    assert _entry(browser, event)["status"] == "CONFIRMED"

    other = hold(_event(user_of, "lisbon", (2017, 10, 30, 9, 0), (2017, 10, 30, 12, 0)))
    assert other.status == "held" and _entry(browser, other)["status"] == "CONFIRMED"
    visit_report_save(
        actor=coordinator,
        event=other,
        expected_revision=None,
        summary="Seen.",
        findings=[],
        submit=True,
    )
    other.refresh_from_db()
    assert other.status == "reported" and _entry(browser, other)["status"] == "CONFIRMED"

    before = _entry(browser, event)
    event_transition(
        actor=coordinator, event=event, transition=EventTransition.CANCEL, comment="Strike"
    )
    cancelled = _entry(browser, event)
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["uid"] == before["uid"]
    assert cancelled["sequence"] == before["sequence"] + 1  # calendars take the cancellation
    # The participant's subscribed feed keeps the entry, cancelled, so calendars drop it.
    feed = calendar_feed_open(actor=officer)
    body = client.get(reverse("visits:feed", args=[feed.token])).content
    (entry,) = Calendar.from_ical(body).walk("VEVENT")
    assert (entry["uid"], entry["status"]) == (before["uid"], "CANCELLED")


def test_the_ics_description_tells_format_pair_time_and_agenda(user_of, client_of):
    from visits.services.agenda import AgendaInput, agenda_item_add

    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    athens = ZoneInfo("Europe/Athens")
    visit = event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.MENTORING_VISIT,
            title="Mentoring visit of Munich to Athens",
            starts_at=datetime(2017, 11, 14, 9, tzinfo=athens),
            ends_at=datetime(2017, 11, 16, 17, tzinfo=athens),
            host_city=pair.implementing.city,
            pair=pair,
            objectives="See the job centre.",
        ),
    )
    agenda_item_add(
        actor=user_of("coordinator-1"),
        event=visit,
        data=AgendaInput(
            starts_at=datetime(2017, 11, 14, 10, tzinfo=athens),
            ends_at=datetime(2017, 11, 14, 11, tzinfo=athens),
            title="Welcome by the mayor",
            format="political",
        ),
    )
    text = str(_entry(client_of("coordinator-1"), visit)["description"])
    for part in (
        "Mentoring visit",
        "Pair: Munich mentors Athens",
        "EET (Athens time)",
        "See the job centre.",
        "Agenda:",
        "Welcome by the mayor",
        f"/programmes/cities-grow/events/{visit.pk}/",
    ):
        assert part in text, part
