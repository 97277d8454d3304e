"""iCalendar files: one per event, and a personal feed behind a secret, revocable token."""

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..models import CalendarFeed, Event

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


def ical_for(events: Iterable[Event], *, name: str, host: str) -> bytes:
    """The events as an iCalendar file. Times are written in UTC, so every calendar shows them
    right in its own zone, across daylight-saving changes."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", f"event-{event.pk}@{host}")
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("dtstamp", timezone.now().astimezone(UTC))
        place = ", ".join(p for p in (event.venue, getattr(event.host_city, "name", "")) if p)
        if place:
            entry.add("location", place)
        if event.online_url:
            entry.add("url", event.online_url)
        if event.objectives:
            entry.add("description", event.objectives)
        entry.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
