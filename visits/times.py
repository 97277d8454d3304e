"""The one way an event's time is shown: in the zone of its host city, with the zone named.

Every page, list, calendar, PDF, `.ics` description and reminder e-mail calls these functions
(templates through the `event_time` filters), so nothing depends on the server's zone or on the
zone Django has active: each moment is converted once, here, to the event's own zone, and
formatted with the locale's DATE_FORMAT and TIME_FORMAT. Templates must not pass an event's
datetimes to the `date` filter, which would convert them back to the active zone.

    Tue 17 October 2017, 09:30-17:00 EEST (Athens time)
    Fri 27 October 2017, 09:00 EEST - Mon 30 October 2017, 17:00 EET (Nicosia time)

(with the platform's English formats; the dashes are en dashes.)
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _


def local(moment: datetime, zone_name: str) -> datetime:
    """The moment (aware) on the clocks of the zone."""
    return moment.astimezone(ZoneInfo(zone_name))


def event_zone_place(event: Any) -> str:
    """Whose clocks the times are: the host city's when the event keeps its zone, else the
    zone's own city (Europe/Helsinki → Helsinki)."""
    host = getattr(event, "host_city", None)
    if host is not None and getattr(host, "timezone", None) == event.timezone:
        return str(host.name)
    return str(event.timezone).rsplit("/", 1)[-1].replace("_", " ")


def zone_abbreviation(moment: datetime) -> str:
    """EEST, WET, BST...; a zone without a letter abbreviation gives UTC+03."""
    name = moment.tzname() or ""
    return f"UTC{name}" if name[:1] in "+-" else name


def day_text(day: date | datetime) -> str:
    """A day in the locale's format, with its weekday."""
    return _("%(weekday)s %(date)s") % {
        "weekday": date_format(day, "SHORT_WEEKDAY_FORMAT"),
        "date": date_format(day, "DATE_FORMAT"),
    }


def _clock(moment: datetime) -> str:
    return time_format(moment, "TIME_FORMAT")


def time_range(starts: datetime, ends: datetime, zone_name: str) -> str:
    """Days and hours in the zone, without naming it (an agenda inside an event)."""
    first, last = local(starts, zone_name), local(ends, zone_name)
    if first.date() == last.date():
        return f"{day_text(first)}, {_clock(first)}\u2013{_clock(last)}"
    return f"{day_text(first)}, {_clock(first)} \u2013 {day_text(last)}, {_clock(last)}"


def zone_label(event: Any, at: datetime | None = None) -> str:
    """“EEST (Athens time)”: the abbreviation in force at `at` (the start by default)."""
    moment = local(at or event.starts_at, event.timezone)
    return _("%(abbreviation)s (%(place)s time)") % {
        "abbreviation": zone_abbreviation(moment),
        "place": event_zone_place(event),
    }


def event_when(event: Any) -> str:
    """The event's days and hours in its host city's zone, the zone named. When the clocks
    change during the event, each end carries its own abbreviation."""
    first, last = local(event.starts_at, event.timezone), local(event.ends_at, event.timezone)
    place = _("(%(place)s time)") % {"place": event_zone_place(event)}
    start_zone, end_zone = zone_abbreviation(first), zone_abbreviation(last)
    if first.date() == last.date():
        return f"{day_text(first)}, {_clock(first)}\u2013{_clock(last)} {end_zone} {place}"
    if start_zone == end_zone:
        return (
            f"{day_text(first)}, {_clock(first)} \u2013 "
            f"{day_text(last)}, {_clock(last)} {end_zone} {place}"
        )
    return (
        f"{day_text(first)}, {_clock(first)} {start_zone} \u2013 "
        f"{day_text(last)}, {_clock(last)} {end_zone} {place}"
    )


def event_start_text(event: Any) -> str:
    """The first day and hour, the zone named (a reminder's subject, a list's column)."""
    first = local(event.starts_at, event.timezone)
    return f"{day_text(first)}, {_clock(first)} {zone_label(event)}"


def event_first_day(event: Any) -> date:
    return local(event.starts_at, event.timezone).date()


def event_last_day(event: Any) -> date:
    return local(event.ends_at, event.timezone).date()
