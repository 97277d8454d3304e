"""Creating events and inviting people, with the checks a coordinator needs spelled out."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.models import City, Membership, MentoringPair, Person, Programme
from programmes.permissions import require_coordinator

from ..choices import PAIR_FORMATS, EventFormat
from ..models import Event, Participant


@dataclass(frozen=True)
class EventInput:
    """An event as a coordinator describes it; times are aware (any zone), `timezone` is the
    zone it is shown in (the host city's, by default)."""

    format: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = ""
    host_city: City | None = None
    pair: MentoringPair | None = None
    venue: str = ""
    online_url: str = ""
    objectives: str = ""
    capacity: int | None = None


def _check(programme: Programme, data: EventInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.format not in EventFormat.values:
        errors["format"] = _("Choose one of the formats.")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        errors["starts_at"] = _("Give the time with its time zone.")
    elif data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    else:
        zone = ZoneInfo(data.timezone or "Europe/Brussels")
        first, last = data.starts_at.astimezone(zone).date(), data.ends_at.astimezone(zone).date()
        if first < programme.start_date or last > programme.end_date:
            errors["starts_at"] = _(
                "The event must take place within the programme (%(start)s to %(end)s)."
            ) % {"start": programme.start_date, "end": programme.end_date}
    if data.format in PAIR_FORMATS:
        if data.pair is None:
            errors["pair"] = _("A visit serves one pair: choose it.")
        elif data.pair.scheme.programme_id != programme.pk:
            errors["pair"] = _("This pair is not in the programme.")
    return errors


def event_create(*, actor: Any, programme: Programme, data: EventInput) -> Event:
    """Plan an event of the programme (coordinators)."""
    require_coordinator(
        actor, programme.pk, _("Only the programme's coordinators plan its events.")
    )
    zone_name = data.timezone or (data.host_city.timezone if data.host_city else "")
    try:
        ZoneInfo(zone_name or "Europe/Brussels")
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(
            _("Unknown time zone."), field_errors={"timezone": _("Unknown time zone.")}
        ) from error
    errors = _check(programme, EventInput(**{**data.__dict__, "timezone": zone_name}))
    if errors:
        raise DomainError(_("The event could not be saved."), field_errors=errors)
    event = Event(
        programme=programme,
        format=data.format,
        title=data.title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        timezone=zone_name or "Europe/Brussels",
        host_city=data.host_city,
        pair=data.pair,
        scheme=data.pair.scheme if data.pair else None,
        venue=data.venue,
        online_url=data.online_url,
        objectives=data.objectives,
        capacity=data.capacity,
    )
    attribute_to(event, actor, "planned")
    event.full_clean()
    event.save()
    return event


def participant_invite(*, actor: Any, event: Event, person: Person) -> Participant:
    """Invite a member of the programme; anyone else is refused by name."""
    require_coordinator(
        actor, event.programme_id, _("Only the programme's coordinators invite participants.")
    )
    if not Membership.objects.filter(person=person, programme_id=event.programme_id).exists():
        raise DomainError(
            _("%(person)s is not a member of this programme.") % {"person": person},
            field_errors={"person": _("Choose a member of the programme.")},
        )
    if event.capacity is not None and event.participants.count() >= event.capacity:
        raise DomainError(_("The event is full (%(n)d places).") % {"n": event.capacity})
    participant = Participant(event=event, person=person)
    attribute_to(participant, actor, "invited")
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise DomainError(_("%(person)s is already invited.") % {"person": person}) from error
    return participant
