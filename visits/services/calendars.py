"""iCalendar files: one per event, and a personal feed behind a secret, revocable token."""

from collections.abc import Iterable
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..choices import EventStatus
from ..models import CalendarFeed, Event
from ..times import event_when, time_range

PRODID = "-//City-to-city mentoring platform//visits//EN"


def calendar_feed_open(*, actor: Any) -> CalendarFeed:
    """The person's active feed, created on first use."""
    with transaction.atomic():
        feed = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).first()
        return feed or CalendarFeed.objects.create(user=actor)


def calendar_feed_revoke(*, actor: Any) -> CalendarFeed:
    """Revoke the active feed (its URL answers 404 from now on) and issue a new one."""
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return CalendarFeed.objects.create(user=actor)


# The iCalendar STATUS of each event status: planned is still tentative; held and reported
# events did take place as confirmed.
ICAL_STATUS = {
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.REPORTED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def event_uid(event: Event) -> str:
    """Stable for the event's life: the configured host name, never the request's."""
    host = urlsplit(settings.PLATFORM_BASE_URL).hostname or "localhost"
    return f"event-{event.pk}@{host}"


def event_url(event: Event) -> str:
    return settings.PLATFORM_BASE_URL + reverse(
        "visits:event", args=[event.programme.slug, event.pk]
    )


def _description(event: Event) -> str:
    """Format, pair or host, when (in the host city's time), objectives, the agenda."""
    lines = [str(event.get_format_display())]
    if event.pair is not None:
        lines.append(
            _("Pair: %(mentor)s mentors %(implementing)s")
            % {
                "mentor": event.pair.mentor.city.name,
                "implementing": event.pair.implementing.city.name,
            }
        )
    elif event.host_city is not None:
        lines.append(_("Host city: %(city)s") % {"city": event.host_city.name})
    lines.append(_("When: %(when)s") % {"when": event_when(event)})
    if event.online_url:
        lines.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.objectives:
        lines += ["", event.objectives]
    agenda = list(event.agenda.all())
    if agenda:
        lines += ["", _("Agenda:")]
        lines += [
            f"{time_range(item.starts_at, item.ends_at, event.timezone)}  {item.title}"
            for item in agenda
        ]
    lines += ["", event_url(event)]
    return "\n".join(lines)


def ical_for(events: Iterable[Event], *, name: str) -> bytes:
    """The events as an iCalendar file. Times are written in UTC, so every calendar shows them
    right in its own zone, across daylight-saving changes; the description names them in the
    host city's time. Pass events with their programme, host city, pair's cities and agenda
    loaded (selectors.event_get, feed_events)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(UTC)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", event_uid(event))
        entry.add("sequence", event.ical_sequence)
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("dtstamp", stamp)
        entry.add("last-modified", event.updated_at.astimezone(UTC))
        entry.add("status", ICAL_STATUS[EventStatus(event.status)])
        place = ", ".join(p for p in (event.venue, getattr(event.host_city, "name", "")) if p)
        if place or event.online_url:
            entry.add("location", place or event.online_url)
        entry.add("url", event_url(event))
        entry.add("description", _description(event))
        calendar.add_component(entry)
    return calendar.to_ical()
