"""The events of a pair that ends (programmes.pair_ending): which there are, and cancelling or
transferring one that has not been held yet. Registered from VisitsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.models import MentoringPair
from programmes.pair_ending import Fate, PairReference, Provider

from . import notices
from .choices import EventStatus
from .models import Event
from .workflow import EventTransition, event_transition

NOT_YET_HELD = (EventStatus.PLANNED, EventStatus.CONFIRMED)
HELD = (EventStatus.HELD, EventStatus.REPORTED)


def event_references(pair_ids: list[int]) -> list[PairReference]:
    """The pairs' events that count (cancelled ones do not), in one query."""
    events = (
        Event.objects.filter(pair_id__in=pair_ids, status__in=NOT_YET_HELD + HELD)
        .select_related("programme")
        .order_by("starts_at")
    )
    return [
        PairReference(
            kind="event",
            pk=event.pk,
            pair_id=event.pair_id or 0,
            title=event.title,
            state=event.get_status_display(),
            day=event.starts_at.date(),
            open=event.status in NOT_YET_HELD,
            url=reverse("visits:event", args=[event.programme.slug, event.pk]),
        )
        for event in events
    ]


def event_settle(
    *, actor: Any, pk: int, fate: Fate, new_pair: MentoringPair | None, reason: str
) -> None:
    """Cancel a not-yet-held event of an ended pair (through the event workflow), or move it to
    the new pair of the same implementing city; the event's host follows the mentor it had (the
    participants are told of the new place, the new host's officers asked to confirm)."""
    event = Event.objects.select_related("pair__mentor").filter(pk=pk).first()
    if event is None or event.pair is None or event.pair.ended_on is None:
        raise DomainError(_("This event no longer belongs to a pair that ends."))
    if fate is Fate.CANCEL:
        event_transition(
            actor=actor, event=event, transition=EventTransition.CANCEL, comment=reason
        )
        return
    if fate is not Fate.TRANSFER or new_pair is None:
        return
    if event.status not in NOT_YET_HELD:
        raise DomainError(_("Only a visit not yet held moves to the new pair."))
    old = event.pair
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        host_before = locked.host_city_id
        if old.mentor.city_id == locked.host_city_id:
            locked.host_city_id = new_pair.mentor.city_id
            locked.ical_sequence += 1  # a new place: subscribed calendars must update
        locked.pair, locked.scheme_id = new_pair, new_pair.scheme_id
        locked.revision += 1
        attribute_to(locked, actor, reason)
        locked.save(
            update_fields=["pair", "scheme", "host_city", "revision", "ical_sequence", "updated_at"]
        )
        if locked.host_city_id != host_before:
            # The participants travel elsewhere; the new host agrees the dates if still planned.
            notices.time_or_place_changed(locked, actor)
            notices.dates_to_confirm(locked, actor)


PROVIDER = Provider(kind="event", references=event_references, settle=event_settle)
