from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError

from ..models import City, Programme
from ..permissions import can_edit_city

EDITABLE_FIELDS = ("population", "charter_signatory", "charter_signed_on", "description")


def city_update(
    *, actor: Any, programme: Programme, city: City, expected_version: int, **changes: Any
) -> City:
    """Change a city's profile. Refused when someone saved it since `expected_version` was read,
    so that two people editing at once never overwrite each other silently."""
    decision = can_edit_city(actor, programme, city)
    if not decision:
        raise DomainError(decision.reason)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if changes.get("charter_signed_on") and not changes.get(
        "charter_signatory", city.charter_signatory
    ):
        raise DomainError(
            _("A signature date needs the city to be a signatory."),
            field_errors={"charter_signed_on": _("Tick “signatory” or leave the date empty.")},
        )
    with transaction.atomic():
        current = City.objects.select_for_update().get(pk=city.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this city while you were editing it. Your changes are "
                    "still in the form below; compare them with the saved values and save again."
                )
            )
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1
        attribute_to(current, actor)
        current.full_clean()
        current.save()
    return current
