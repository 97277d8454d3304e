"""Hours a person works on other grants, declared per year or per month with the grant's name,
reference and evidence (a document stored privately). The productive-hours cap counts them
with this platform's hours, so every declaration and change re-checks it
(finance.services.hours_cap). The person declares their own; their city's finance contact and
the programme's finance officers may declare for them. Every change is audited."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.uploads import EVIDENCE, CheckedUpload, UploadRefused, upload_check, upload_store
from programmes.models import Person, Programme

from ..models import OtherGrantHours
from ..permissions import can_set_salary
from .hours_cap import format_hours, hold_hours_of, hours_in_year, productive_hours


@dataclass(frozen=True)
class OtherGrantInput:
    year: int
    grant: str
    reference: str
    hours: Decimal
    month: date | None = None  # any day of the month, for hours of one month only


def may_declare_for(user: Any, programme: Programme, person: Person) -> bool:
    """The person themselves, their city's finance contact and the finance officers."""
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    return can_set_salary(user, programme, person)


def _errors(programme: Programme, data: OtherGrantInput) -> dict[str, str]:
    errors = {}
    first, last = programme.start_date.year, programme.end_date.year
    if not first <= data.year <= last:
        errors["year"] = _("Choose a year of the programme, %(first)s to %(last)s.") % {
            "first": first,
            "last": last,
        }
    if data.month is not None and data.month.year != data.year:
        errors["month"] = _("The month must be in the year chosen.")
    if not data.grant.strip():
        errors["grant"] = _("Name the other grant.")
    if not data.reference.strip():
        errors["reference"] = _("Give the grant's reference (its agreement number).")
    if data.month is not None:
        most = Decimal(24 * calendar.monthrange(data.month.year, data.month.month)[1])
    else:
        most = Decimal(24 * (366 if calendar.isleap(data.year) else 365))
    if not Decimal("0") < data.hours <= most:
        errors["hours"] = _("Give between 0.01 and %(most)s hours.") % {"most": format_hours(most)}
    elif data.hours != data.hours.quantize(Decimal("0.01")):
        errors["hours"] = _("Give the hours to two decimals at most.")
    return errors


def _evidence(upload: UploadedFile | None, errors: dict[str, str]) -> CheckedUpload | None:
    if upload is None:
        return None
    try:
        return upload_check(upload, EVIDENCE)
    except UploadRefused as refusal:
        errors["evidence"] = refusal.message
        return None


def _within_cap(
    programme: Programme, person: Person, data: OtherGrantInput, exclude: int | None
) -> None:
    """Refused when the declaration brings the person's year above their productive hours
    (inside the caller's transaction, the person's hours held)."""
    hold_hours_of(person)
    total = hours_in_year(person, data.year, excluding_declaration=exclude) + data.hours
    cap = productive_hours(person, programme, data.year)
    if total > cap:
        raise DomainError(
            _(
                "This would bring %(person)s's %(year)s total across all grants to %(total)s "
                "hours, above their %(cap)s productive hours."
            )
            % {
                "person": person.full_name,
                "year": data.year,
                "total": format_hours(total),
                "cap": format_hours(cap),
            },
            field_errors={"hours": _("Above the productive hours of the year.")},
        )


def _fill(declaration: OtherGrantHours, data: OtherGrantInput) -> None:
    declaration.year = data.year
    declaration.month = data.month.replace(day=1) if data.month else None
    declaration.grant = data.grant.strip()[:200]
    declaration.reference = data.reference.strip()[:200]
    declaration.hours = data.hours


def other_grant_declare(
    *,
    actor: Any,
    programme: Programme,
    person: Person,
    data: OtherGrantInput,
    evidence: UploadedFile | None,
) -> OtherGrantHours:
    """Declare a person's hours on another grant, with its evidence (required)."""
    if not may_declare_for(actor, programme, person):
        raise DomainError(
            _("Only the person, their city's finance contact or a finance officer declares them.")
        )
    errors = _errors(programme, data)
    if evidence is None:
        errors["evidence"] = _("Attach the evidence (a timesheet or letter of the other grant).")
    checked = _evidence(evidence, errors)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        _within_cap(programme, person, data, exclude=None)
        declaration = OtherGrantHours(person=person, declared_by=actor, declared_at=timezone.now())
        _fill(declaration, data)
        if checked is not None:
            upload_store(declaration.evidence, checked)
            declaration.evidence_name = checked.name
        attribute_to(declaration, actor, "declared")
        declaration.save()
    return declaration


def _current(
    actor: Any, programme: Programme, declaration: OtherGrantHours, revision: int
) -> OtherGrantHours:
    current = (
        OtherGrantHours.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=declaration.pk)
    )
    if not may_declare_for(actor, programme, current.person):
        raise DomainError(
            _("Only the person, their city's finance contact or a finance officer changes them.")
        )
    if current.revision != revision:
        raise ConcurrentEditError(
            _("Someone changed this declaration after you opened it: check it and try again.")
        )
    return current


def other_grant_change(
    *,
    actor: Any,
    programme: Programme,
    declaration: OtherGrantHours,
    data: OtherGrantInput,
    evidence: UploadedFile | None,
    revision: int,
) -> OtherGrantHours:
    """Change a declaration (a new evidence file replaces the old one; none keeps it)."""
    errors = _errors(programme, data)
    checked = _evidence(evidence, errors)
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        current = _current(actor, programme, declaration, revision)
        _within_cap(programme, current.person, data, exclude=current.pk)
        _fill(current, data)
        if checked is not None:
            upload_store(current.evidence, checked)
            current.evidence_name = checked.name
        current.revision += 1
        attribute_to(current, actor, "changed")
        current.save()
    return current


def other_grant_remove(
    *, actor: Any, programme: Programme, declaration: OtherGrantHours, revision: int
) -> None:
    """Remove a declaration (its record stays in the audit trail)."""
    with transaction.atomic():
        current = _current(actor, programme, declaration, revision)
        attribute_to(current, actor, "removed")
        current.delete()
