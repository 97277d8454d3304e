"""The conference's reads, by subdomain: the public programme and places here; the organisers'
lists, attendance and figures in their own modules."""

from .programme import (
    DelegationPage,
    Places,
    choosable_sessions,
    delegation_cities_for,
    delegation_page,
    own_sessions,
    places,
    programme_sessions,
    public_conference_get,
    registrations_for,
    sessions_taken,
    timetable,
)

__all__ = [
    "DelegationPage",
    "Places",
    "choosable_sessions",
    "delegation_cities_for",
    "delegation_page",
    "own_sessions",
    "places",
    "programme_sessions",
    "public_conference_get",
    "registrations_for",
    "sessions_taken",
    "timetable",
]
