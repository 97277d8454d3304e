"""The conference's reads, by subdomain: the public programme and places here; the organisers'
lists, attendance and figures in their own modules."""

from .programme import (
    Places,
    choosable_sessions,
    own_sessions,
    places,
    programme_sessions,
    public_conference_get,
    registrations_for,
)

__all__ = [
    "Places",
    "choosable_sessions",
    "own_sessions",
    "places",
    "programme_sessions",
    "public_conference_get",
    "registrations_for",
]
