"""Who may do what to an event, beyond the coordinators (programmes.permissions)."""

from typing import Any

from core.rules import Action
from programmes.access import viewer_for
from programmes.models import City

from .models import Event


def can_record_attendance(user: Any, event: Event) -> bool:
    """The coordinators, and the facilitator of the event's scheme: attendance, agenda, held."""
    return viewer_for(user).reaches(
        Action.RECORD_ATTENDANCE, programme_id=event.programme_id, scheme_id=event.scheme_id
    )


def can_confirm_event(user: Any, event: Event) -> bool:
    """The coordinators, and the officers of the host city: the hosts agree the dates. (The
    officers' right to act for their own city, EDIT_CITY, is the host's right here.)"""
    return viewer_for(user).reaches(
        Action.EDIT_CITY, programme_id=event.programme_id, city_id=event.host_city_id
    )


def can_open_city_of_pair(user: Any, member: Any) -> bool:
    """Whether a city's pages (its findings, its pair's timeline) open for this person: the
    city's own people, its mentoring partner, its facilitator and the programme-wide roles. The
    same predicate decides the page and whether a link to it is shown."""
    return viewer_for(user).reaches(
        Action.VIEW_CITY,
        programme_id=member.programme_id,
        scheme_id=member.scheme_id,
        city_id=member.city_id,
    )


def report_cities(event: Event) -> list[City]:
    """The cities a report's findings may be about: the pair's two cities (or the host city)."""
    if event.pair is not None:
        return [event.pair.implementing.city, event.pair.mentor.city]
    return [event.host_city] if event.host_city else []


def can_write_report(user: Any, event: Event) -> bool:
    """The facilitator of the scheme, the coordinators and the officers of the cities concerned."""
    viewer = viewer_for(user)
    return any(
        viewer.reaches(
            Action.WRITE_REPORT,
            programme_id=event.programme_id,
            scheme_id=event.scheme_id,
            city_id=city.pk,
        )
        for city in report_cities(event)
    ) or viewer.reaches(
        Action.WRITE_REPORT, programme_id=event.programme_id, scheme_id=event.scheme_id
    )
