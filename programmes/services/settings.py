"""The programme settings its coordinators own: the period (start and end dates) and the key
dates the programme plans around.

Both used to be edited in the Django admin only. A save is refused when the object changed since
the form was drawn (the programme's `version`; a key date's latest history record, since key
dates carry no version column and every change, admin included, leaves a history record).

The period bounds work recorded in the apps above (timesheet months, statements to the funder).
They may not be imported here, so they register a check (`period_check_register`, from their
AppConfig.ready()) that names what a new period would leave outside it; the change is then
refused with those reasons.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError

from ..models import KeyDate, Programme
from ..permissions import require_coordinator

# (programme, new start, new end) -> what the new period would leave outside it, for people.
PeriodCheck = Callable[[Programme, date, date], list[str]]
_PERIOD_CHECKS: list[PeriodCheck] = []


def period_check_register(check: PeriodCheck) -> None:
    if check not in _PERIOD_CHECKS:
        _PERIOD_CHECKS.append(check)


def programme_period_update(
    *, actor: Any, programme: Programme, expected_version: int, start_date: date, end_date: date
) -> Programme:
    """Move the programme's start or end. Refused if it would leave recorded work outside the
    period (each app above says what), or if the programme changed since `expected_version`."""
    require_coordinator(actor, programme.pk, _("Only the coordinators change the period."))
    if end_date <= start_date:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"end_date": _("The programme must end after it starts.")},
        )
    with transaction.atomic():
        current = Programme.objects.select_for_update().get(pk=programme.pk)
        if current.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "Someone else saved the programme's settings while you were editing them. "
                    "Your values are still in the form below; compare them with the saved ones "
                    "and save again."
                )
            )
        if (current.start_date, current.end_date) == (start_date, end_date):
            return current
        problems = [p for check in _PERIOD_CHECKS for p in check(current, start_date, end_date)]
        if problems:
            raise DomainError(
                _("The period cannot change this way: %(problems)s")
                % {"problems": " ".join(problems)},
                field_errors={"start_date": " ".join(problems)},
            )
        current.start_date, current.end_date = start_date, end_date
        current.version += 1
        attribute_to(current, actor, "period changed")
        current.full_clean()
        current.save()
    return current


# ---------------------------------------------------------------- key dates


@dataclass(frozen=True)
class KeyDateInput:
    title: str
    start_date: date
    end_date: date
    place: str = ""
    illustrative: bool = False


def key_date_revision(key_date: KeyDate) -> int:
    """The key date's latest history record: it changes with every save and removal."""
    latest = KeyDate.history.filter(id=key_date.pk).order_by("-history_id").first()
    return latest.history_id if latest is not None else 0


def _validate(programme: Programme, data: KeyDateInput, exclude_pk: int | None) -> None:
    errors = {}
    if not data.title.strip():
        errors["title"] = _("Give the key date a title.")
    else:
        same_title = KeyDate.objects.filter(programme=programme, title=data.title.strip())
        if exclude_pk is not None:
            same_title = same_title.exclude(pk=exclude_pk)
        if same_title.exists():
            errors["title"] = _("The programme has a key date with this title already.")
    if data.end_date < data.start_date:
        errors["end_date"] = _("The end cannot come before the start.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)


def _locked(programme: Programme, pk: int, expected_revision: int) -> KeyDate:
    found = KeyDate.objects.select_for_update().filter(programme=programme, pk=pk).first()
    if found is None or key_date_revision(found) != expected_revision:
        raise ConcurrentEditError(
            _(
                "Someone else changed or removed this key date while you were editing it. Your "
                "values are still in the form below; compare them with the saved ones and save "
                "again."
            )
        )
    return found


def _write(key_date: KeyDate, data: KeyDateInput, actor: Any, reason: str) -> KeyDate:
    key_date.title = data.title.strip()
    key_date.start_date, key_date.end_date = data.start_date, data.end_date
    key_date.place = data.place.strip()
    key_date.illustrative = data.illustrative
    attribute_to(key_date, actor, reason)
    key_date.full_clean(exclude=["programme"])
    try:
        with transaction.atomic():
            key_date.save()
    except IntegrityError as error:  # a colleague took the title in the meantime
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"title": _("The programme has a key date with this title already.")},
        ) from error
    return key_date


def key_date_create(*, actor: Any, programme: Programme, data: KeyDateInput) -> KeyDate:
    require_coordinator(actor, programme.pk, _("Only the coordinators change the key dates."))
    _validate(programme, data, None)
    with transaction.atomic():
        return _write(KeyDate(programme=programme), data, actor, "key date added")


def key_date_update(
    *, actor: Any, programme: Programme, pk: int, expected_revision: int, data: KeyDateInput
) -> KeyDate:
    require_coordinator(actor, programme.pk, _("Only the coordinators change the key dates."))
    _validate(programme, data, pk)
    with transaction.atomic():
        return _write(_locked(programme, pk, expected_revision), data, actor, "key date changed")


def key_date_remove(*, actor: Any, programme: Programme, pk: int, expected_revision: int) -> None:
    """Remove a key date; its history keeps what it was and who removed it."""
    require_coordinator(actor, programme.pk, _("Only the coordinators change the key dates."))
    with transaction.atomic():
        found = _locked(programme, pk, expected_revision)
        attribute_to(found, actor, "key date removed")
        found.delete()
