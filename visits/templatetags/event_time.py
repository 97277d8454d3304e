"""Event times in templates, always in the host city's zone with the zone named.

    {% load event_time %}
    {{ event|event_when }}                 Tue 17 October 2017, 09:30-17:00 EEST (Athens time)
    {{ event|event_day:"start" }}          Tue 17 October 2017 (the host city's day)
    {{ item|agenda_when:event }}           an agenda item, in its event's zone
    {{ event|event_zone }}                 EEST (Athens time)

The filters return text: nothing is converted again to the zone Django has active (the bug of
the `date` filter on a datetime already converted).
"""

from typing import Any

from django import template

from visits import times

register = template.Library()


@register.filter
def event_when(event: Any) -> str:
    return times.event_when(event)


@register.filter
def event_day(event: Any, which: str = "start") -> str:
    day = times.event_last_day(event) if which == "end" else times.event_first_day(event)
    return times.day_text(day)


@register.filter
def agenda_when(item: Any, event: Any) -> str:
    return times.time_range(item.starts_at, item.ends_at, event.timezone)


@register.filter
def event_zone(event: Any) -> str:
    return times.zone_label(event)
