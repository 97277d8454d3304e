"""Reads of events, always through the viewer's reach; calendar feeds through their token."""

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.utils.formats import date_format

from core.rules import Action
from programmes.access import viewer_for
from programmes.selectors import city_get, programme_get

from .choices import Invitation
from .models import CalendarFeed, CityUnavailability, Event, Finding, Participant


def event_get(user: Any, programme_slug: str, pk: int) -> Event:
    """An event of a programme the viewer is a member of (404 otherwise)."""
    programme = programme_get(user, programme_slug)
    if not viewer_for(user).can(Action.VIEW_PROGRAMME, programme_id=programme.pk):
        raise Http404("No such event")
    event = (
        Event.objects.filter(programme=programme, pk=pk)
        .select_related(
            "programme",
            "host_city",
            "pair__mentor__city",
            "pair__implementing__city",
            "scheme",
            "report",
        )
        .first()
    )
    if event is None:
        raise Http404("No such event")
    return event


def feed_events(token: str) -> tuple[CalendarFeed, list[Event]]:
    """The events its owner takes part in (not declined); a revoked or unknown token is a 404."""
    feed = (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None:
        raise Http404("No such calendar")
    taking_part = Participant.objects.filter(person__user=feed.user).exclude(
        invitation=Invitation.DECLINED
    )
    events = list(
        Event.objects.filter(participants__in=taking_part)
        .select_related("host_city")
        .distinct()
        .order_by("starts_at")
    )
    return feed, events


def calendar_feed_for(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def events_by_month(user: Any, programme_slug: str) -> tuple[Any, dict[str, list[Any]]]:
    """The calendar's list view: (event, its start in the host city's time) by month."""
    programme, events = events_for_programme(user, programme_slug)
    months: dict[str, list[Any]] = {}
    for event in events:
        local = event.starts_at.astimezone(ZoneInfo(event.timezone))
        months.setdefault(date_format(local, "F Y"), []).append((event, local))
    return programme, months


def events_for_programme(user: Any, programme_slug: str) -> tuple[Any, list[Event]]:
    """The programme's calendar: every event, for every member of the programme."""
    programme = programme_get(user, programme_slug)
    events = list(
        Event.objects.filter(programme=programme)
        .select_related("host_city", "pair__mentor__city", "pair__implementing__city")
        .order_by("starts_at")
    )
    return programme, events


def event_page(user: Any, programme_slug: str, pk: int) -> Event:
    """An event with its participants and agenda (fixed number of queries)."""
    event = event_get(user, programme_slug, pk)
    participants = Participant.objects.select_related("person__organisation").order_by(
        "person__last_name"
    )
    findings = Finding.objects.select_related("city", "key_factor").order_by("order")
    prefetch_related_objects(
        [event],
        Prefetch("participants", queryset=participants),
        "agenda",
        Prefetch("report__findings", queryset=findings),
    )
    return event


def own_participation(user: Any, event: Event) -> Participant:
    """The viewer's own invitation to the event (404 when not invited)."""
    participant = (
        Participant.objects.filter(event=event, person__user=user).select_related("person").first()
    )
    if participant is None:
        raise Http404("Not invited")
    return participant


def findings_for_city(user: Any, programme_slug: str, city_slug: str) -> tuple[Any, Any, list[Any]]:
    """Every finding about a city in the programme's visit reports, by event: ready for its
    action plan (the city's page reach applies)."""
    programme = programme_get(user, programme_slug)
    city = city_get(user, programme_slug, city_slug)
    findings = list(
        Finding.objects.filter(city=city, report__event__programme=programme)
        .select_related("report__event", "key_factor")
        .order_by("report__event__starts_at", "order")
    )
    return programme, city, findings


def unavailable_dates(programme: Any, city: Any) -> list[Any]:
    """A city's declared unavailable dates in the programme (the caller has checked its reach)."""
    return list(
        CityUnavailability.objects.filter(programme=programme, city=city)
        .select_related("programme", "city")
        .order_by("start")
    )
