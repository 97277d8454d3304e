"""The conference's sessions as iCalendar: one session, or a delegate's own selection (the
sessions open to all and the chosen ones where they hold a place). Times in UTC, so every
calendar shows them right in its own zone; the description names them in the host city's."""

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from visits.services.calendars import PRODID
from visits.times import time_range

from .models import Conference, Session


def session_uid(session: Session) -> str:
    host = urlsplit(settings.PLATFORM_BASE_URL).hostname or "localhost"
    return f"conference-session-{session.pk}@{host}"


def conference_url(conference: Conference) -> str:
    return settings.PLATFORM_BASE_URL + reverse("conference:public", args=[conference.slug])


def ical_for_sessions(conference: Conference, sessions: Iterable[Session], *, name: str) -> bytes:
    event = conference.event
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for session in sessions:
        entry = CalendarEvent()
        entry.add("uid", session_uid(session))
        entry.add("sequence", session.ical_sequence)
        entry.add("summary", f"{session.title} ({event.title})")
        entry.add("dtstart", session.starts_at.astimezone(UTC))
        entry.add("dtend", session.ends_at.astimezone(UTC))
        entry.add("dtstamp", stamp)
        place = ", ".join(
            p for p in (session.room, event.venue, getattr(event.host_city, "name", "")) if p
        )
        if place:
            entry.add("location", place)
        entry.add("url", conference_url(conference))
        when = time_range(session.starts_at, session.ends_at, event.timezone)
        entry.add("description", "\n".join(p for p in (when, session.description) if p))
        calendar.add_component(entry)
    return calendar.to_ical()
