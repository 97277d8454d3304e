"""The dates on which a city can neither host nor travel; the visit planner avoids them."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.models import City, Programme
from programmes.permissions import can_edit_city

from ..models import CityUnavailability


def unavailability_add(
    *, actor: Any, programme: Programme, city: City, start: date, end: date, reason: str = ""
) -> CityUnavailability:
    """The city's officers (and the coordinators) declare dates; they must lie in the programme."""
    decision = can_edit_city(actor, programme, city)
    if not decision:
        raise DomainError(decision.reason)
    errors = {}
    if end < start:
        errors["end"] = _("The last day cannot come before the first.")
    elif start < programme.start_date or end > programme.end_date:
        errors["start"] = _("Choose dates within the programme (%(start)s to %(end)s).") % {
            "start": programme.start_date,
            "end": programme.end_date,
        }
    if errors:
        raise DomainError(_("The dates could not be saved."), field_errors=errors)
    row = CityUnavailability(programme=programme, city=city, start=start, end=end, reason=reason)
    attribute_to(row, actor, "unavailable dates")
    row.save()
    return row


def unavailability_remove(*, actor: Any, row: CityUnavailability) -> None:
    decision = can_edit_city(actor, row.programme, row.city)
    if not decision:
        raise DomainError(decision.reason)
    attribute_to(row, actor, "unavailable dates")
    row.delete()
