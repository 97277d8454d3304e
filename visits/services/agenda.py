"""An event's agenda: items inside the event's time, each with a format, speakers and a place."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError

from ..choices import AgendaFormat
from ..models import AgendaItem, Event
from ..permissions import can_record_attendance


@dataclass(frozen=True)
class AgendaInput:
    starts_at: datetime  # aware
    ends_at: datetime
    title: str
    format: str
    speakers: str = ""
    place: str = ""


def _check_organiser(actor: Any, event: Event) -> None:
    # The people who record who came are those who organise the day.
    if not can_record_attendance(actor, event):
        raise DomainError(_("Only the coordinators and the scheme's facilitator edit the agenda."))


def _touch(event: Event) -> None:
    # The agenda is part of the event's calendar entry (its description): LAST-MODIFIED moves.
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now())


def agenda_item_add(*, actor: Any, event: Event, data: AgendaInput) -> AgendaItem:
    _check_organiser(actor, event)
    errors = {}
    if data.format not in AgendaFormat.values:
        errors["format"] = _("Choose one of the formats.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    elif data.starts_at < event.starts_at or data.ends_at > event.ends_at:
        errors["starts_at"] = _("The item must take place during the event.")
    if errors:
        raise DomainError(_("The agenda item could not be saved."), field_errors=errors)
    item = AgendaItem(event=event, **data.__dict__)
    attribute_to(item, actor, "agenda")
    item.save()
    _touch(event)
    return item


def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    _check_organiser(actor, item.event)
    attribute_to(item, actor, "agenda")
    item.delete()
    _touch(item.event)
