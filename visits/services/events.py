"""Creating and editing events and inviting people, with the checks a coordinator needs
spelled out."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import (
    City,
    Membership,
    MentoringPair,
    MentoringScheme,
    Person,
    Programme,
    SchemeMember,
)
from programmes.permissions import require_coordinator

from .. import notices
from ..choices import PAIR_FORMATS, EventFormat, EventStatus
from ..models import Event, Participant

DEFAULT_ZONE = "Europe/Brussels"  # the network's office: events without a host city
# Held, reported and cancelled events are records: their details no longer change.
EDITABLE_STATUSES = (EventStatus.PLANNED, EventStatus.CONFIRMED)


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
    scheme: MentoringScheme | None = None  # a pair's scheme is taken from the pair
    venue: str = ""
    online_url: str = ""
    objectives: str = ""
    capacity: int | None = None
    illustrative: bool = False  # demo data, not a historical record (set when created)


def _zone_name(data: EventInput) -> str:
    name = data.timezone or (data.host_city.timezone if data.host_city else "") or DEFAULT_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(
            _("Unknown time zone."), field_errors={"timezone": _("Unknown time zone.")}
        ) from error
    return name


def _check(programme: Programme, data: EventInput, zone_name: str) -> dict[str, str]:
    """Every problem of the event, by field (empty: none)."""
    errors: dict[str, str] = {}
    if data.format not in EventFormat.values:
        errors["format"] = _("Choose one of the formats.")
    if not data.title.strip():
        errors["title"] = _("Give the event a title.")
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        errors["starts_at"] = _("Give the time with its time zone.")
    elif data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    else:
        zone = ZoneInfo(zone_name)
        first, last = data.starts_at.astimezone(zone).date(), data.ends_at.astimezone(zone).date()
        if first < programme.start_date or last > programme.end_date:
            errors["starts_at"] = _(
                "The event must take place within the programme (%(start)s to %(end)s)."
            ) % {"start": programme.start_date, "end": programme.end_date}
    if data.format in PAIR_FORMATS and data.pair is None:
        errors["pair"] = _("A visit serves one pair: choose it.")
    if data.pair is not None and data.pair.scheme.programme_id != programme.pk:
        errors["pair"] = _("This pair is not in the programme.")
    if data.scheme is not None:
        if data.scheme.programme_id != programme.pk:
            errors["scheme"] = _("This scheme is not in the programme.")
        elif data.pair is not None and data.pair.scheme_id != data.scheme.pk:
            errors["scheme"] = _("The pair belongs to another scheme.")
    if (
        data.host_city is not None
        and not SchemeMember.objects.filter(programme=programme, city=data.host_city).exists()
    ):
        errors["host_city"] = _("Choose a city of the programme, or none (then give the venue).")
    if data.capacity is not None and data.capacity < 1:
        errors["capacity"] = _("Give at least one place, or leave it empty for no limit.")
    return errors


def _apply(event: Event, data: EventInput, zone_name: str) -> None:
    event.format = data.format
    event.title = data.title.strip()
    event.starts_at, event.ends_at = data.starts_at, data.ends_at
    event.timezone = zone_name
    event.host_city = data.host_city
    event.pair = data.pair
    event.scheme = data.pair.scheme if data.pair else data.scheme
    event.venue, event.online_url = data.venue, data.online_url
    event.objectives, event.capacity = data.objectives, data.capacity


def _time_and_place(event: Event) -> tuple[Any, ...]:
    """What a calendar entry must follow: when and where (an online event's link is its place)."""
    return (event.starts_at, event.ends_at, event.venue, event.host_city_id, event.online_url)


def _validated(programme: Programme, data: EventInput) -> str:
    zone_name = _zone_name(data)
    errors = _check(programme, data, zone_name)
    if errors:
        raise DomainError(_("The event could not be saved."), field_errors=errors)
    return zone_name


def event_create(*, actor: Any, programme: Programme, data: EventInput) -> Event:
    """Plan an event of the programme (coordinators); the host city's officers are asked to
    confirm its dates."""
    require_coordinator(
        actor, programme.pk, _("Only the programme's coordinators plan its events.")
    )
    zone_name = _validated(programme, data)
    event = Event(programme=programme, illustrative=data.illustrative)
    _apply(event, data, zone_name)
    attribute_to(event, actor, "planned")
    event.full_clean()
    with transaction.atomic():
        event.save()
        notices.dates_to_confirm(event, actor)
    return event


def event_update(*, actor: Any, event: Event, data: EventInput, expected_revision: int) -> Event:
    """Change an event's details (coordinators), refused when someone saved it meanwhile.
    A change of time or place bumps the event's iCalendar sequence and tells the participants
    who have not declined; a planned event given another host asks its officers to confirm."""
    require_coordinator(
        actor, event.programme_id, _("Only the programme's coordinators change its events.")
    )
    zone_name = _validated(event.programme, data)
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        if current.revision != expected_revision:
            raise ConcurrentEditError(
                _(
                    "Someone else changed this event while you were editing it. Your changes "
                    "are still in the form below; check the event and save again."
                )
            )
        if current.status not in EDITABLE_STATUSES:
            raise DomainError(
                _("This event is “%(status)s”: its details are a record and no longer change.")
                % {"status": current.get_status_display()}
            )
        if current.participants.count() > (data.capacity or 10**9):
            invited = current.participants.count()
            raise DomainError(
                ngettext(
                    "%(n)d person is already invited: the capacity cannot be lower.",
                    "%(n)d people are already invited: the capacity cannot be lower.",
                    invited,
                )
                % {"n": invited},
                field_errors={"capacity": _("More people are already invited.")},
            )
        before, host_before = _time_and_place(current), current.host_city_id
        _apply(current, data, zone_name)
        current.revision += 1
        moved = _time_and_place(current) != before
        if moved:
            # Calendars that hold the event replace it only when the sequence grows.
            current.ical_sequence += 1
        attribute_to(current, actor, "edited")
        current.full_clean()
        current.save()
        if moved:
            notices.time_or_place_changed(current, actor)
        if current.host_city_id != host_before:
            notices.dates_to_confirm(current, actor)
    return current


def require_open_for_invitations(event: Event) -> None:
    if event.status not in EDITABLE_STATUSES:
        raise DomainError(
            _("This event is “%(status)s”: no one can be invited any more.")
            % {"status": event.get_status_display()}
        )


def participant_invite(*, actor: Any, event: Event, person: Person) -> Participant:
    """Invite a member of the programme, who is told to answer; anyone else is refused by
    name."""
    require_coordinator(
        actor, event.programme_id, _("Only the programme's coordinators invite participants.")
    )
    require_open_for_invitations(event)
    if (
        not Membership.objects.current()
        .filter(person=person, programme_id=event.programme_id)
        .exists()
    ):
        raise DomainError(
            _("%(person)s is not a member of this programme.") % {"person": person},
            field_errors={"person": _("Choose a member of the programme.")},
        )
    if event.capacity is not None and event.participants.count() >= event.capacity:
        raise DomainError(
            ngettext(
                "The event is full (%(n)d place).",
                "The event is full (%(n)d places).",
                event.capacity,
            )
            % {"n": event.capacity}
        )
    participant = Participant(event=event, person=person)
    attribute_to(participant, actor, "invited")
    with transaction.atomic():
        try:
            with transaction.atomic():
                participant.save()
        except IntegrityError as error:
            raise DomainError(_("%(person)s is already invited.") % {"person": person}) from error
        notices.participants_invited(event, [person.pk], actor)
    return participant
