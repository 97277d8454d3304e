"""Writes of the visits app, one function per use case."""

from .calendars import calendar_feed_open, calendar_feed_revoke
from .events import EventInput, event_create, event_update, participant_invite

__all__ = [
    "EventInput",
    "calendar_feed_open",
    "calendar_feed_revoke",
    "event_create",
    "event_update",
    "participant_invite",
]
