"""Timesheets: a person records their hours by day and activity, signs the month, and their
supervisor approves it. A signed month is locked (also by the database); a correction needs a
reasoned reopening. A person's hours across all grants in a year stay within their productive
hours."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.aggregates import ExactSum
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import Person, Programme
from visits.models import Event

from ..choices import Activity, TimesheetStatus
from ..models import DEFAULT_PRODUCTIVE_HOURS, OtherGrantHours, StaffRate, TimeEntry, Timesheet
from ..permissions import can_approve_timesheet, can_reopen_timesheet, person_of
from . import notices

MAX_HOURS_A_DAY = Decimal("24")


@dataclass(frozen=True)
class EntryInput:
    day: date
    activity: str
    hours: Decimal
    event_id: int | None = None


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def timesheet_open(*, actor: Any, programme: Programme, month: date) -> Timesheet:
    """The actor's own timesheet of a month (created empty when it does not exist yet)."""
    person = person_of(actor)
    if person is None:
        raise DomainError(_("Only people of the programme keep timesheets."))
    if not programme.start_date.replace(day=1) <= month <= programme.end_date:
        raise DomainError(_("This month is outside the programme."))
    sheet, _created = Timesheet.objects.get_or_create(
        person=person, programme=programme, month=first_of_month(month)
    )
    return sheet


def productive_hours(person: Person, programme: Programme, year: int) -> Decimal:
    rate = StaffRate.objects.filter(person=person, programme=programme, year=year).first()
    return rate.productive_hours if rate else DEFAULT_PRODUCTIVE_HOURS


def hours_in_year(person: Person, year: int, *, excluding_sheet: int | None = None) -> Decimal:
    """Every hour the person declared in a year: this platform's timesheets (all programmes)
    and the other grants they declared."""
    entries = TimeEntry.objects.filter(timesheet__person=person, day__year=year)
    if excluding_sheet is not None:
        entries = entries.exclude(timesheet_id=excluding_sheet)
    here = entries.aggregate(total=ExactSum("hours"))["total"] or Decimal("0")
    elsewhere = OtherGrantHours.objects.filter(person=person, year=year).aggregate(
        total=ExactSum("hours")
    )["total"] or Decimal("0")
    return here + elsewhere


def _entry_errors(sheet: Timesheet, entries: list[EntryInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    last_day = sheet.month.replace(day=calendar.monthrange(sheet.month.year, sheet.month.month)[1])
    per_day: dict[date, Decimal] = {}
    events = set(
        Event.objects.filter(
            programme=sheet.programme, pk__in=[e.event_id for e in entries if e.event_id]
        ).values_list("pk", flat=True)
    )
    for index, entry in enumerate(entries):
        key = f"entries-{index}"
        if not sheet.month <= entry.day <= last_day:
            errors[f"{key}-day"] = _("The day must be in %(month)s.") % {
                "month": date_format(sheet.month, "YEAR_MONTH_FORMAT")
            }
        if entry.activity not in Activity.values:
            errors[f"{key}-activity"] = _("Choose an activity.")
        if not Decimal("0") < entry.hours <= MAX_HOURS_A_DAY:
            errors[f"{key}-hours"] = _("Give between 0.25 and 24 hours.")
        elif (entry.hours * 4) != (entry.hours * 4).to_integral_value():
            errors[f"{key}-hours"] = _("Record hours in quarters of an hour.")
        if entry.event_id and entry.event_id not in events:
            errors[f"{key}-event"] = _("Choose an event of the programme.")
        per_day[entry.day] = per_day.get(entry.day, Decimal("0")) + entry.hours
    for day, total in per_day.items():
        if total > MAX_HOURS_A_DAY:
            errors["entries"] = _("More than 24 hours on %(day)s.") % {
                "day": date_format(day, "DATE_FORMAT")
            }
    return errors


def timesheet_save(
    *, actor: Any, timesheet: Timesheet, entries: list[EntryInput], days: list[date], revision: int
) -> Timesheet:
    """Replace the entries of the given days (a week, say) with these ones."""
    errors = _entry_errors(timesheet, entries)
    if errors:
        raise DomainError(_("The hours could not be saved."), field_errors=errors)
    with transaction.atomic():
        sheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
        if sheet.person.user_id != actor.pk:
            raise DomainError(_("Only the person records their own hours."))
        if not sheet.is_open:
            raise DomainError(_("This month is signed: ask for it to be reopened to correct it."))
        # Revision 0 stands for a month that had no timesheet when the page was drawn.
        if sheet.revision != revision and not (revision == 0 and sheet.revision == 1):
            raise ConcurrentEditError(
                _(
                    "These hours were saved elsewhere after you opened them. Your entries are "
                    "kept below: check them and save again."
                )
            )
        # Hold every timesheet of the person for the count below: two months saved at once
        # cannot together pass the cap.
        list(Timesheet.objects.select_for_update().filter(person=sheet.person))
        sheet.entries.filter(day__in=days).delete()
        TimeEntry.objects.bulk_create(
            TimeEntry(
                timesheet=sheet,
                day=e.day,
                activity=e.activity,
                event_id=e.event_id,
                hours=e.hours,
            )
            for e in entries
        )
        year = sheet.month.year
        cap = productive_hours(sheet.person, sheet.programme, year)
        declared = hours_in_year(sheet.person, year)
        if declared > cap:
            raise DomainError(
                _(
                    "These hours would bring your %(year)s total across all grants to "
                    "%(total)s, above your %(cap)s productive hours."
                )
                % {"year": year, "total": declared, "cap": cap},
                field_errors={"entries": _("Above the productive hours of the year.")},
            )
        sheet.revision += 1
        attribute_to(sheet, actor, "hours saved")
        sheet.save(update_fields=["revision"])
    return sheet


def timesheet_sign(*, actor: Any, timesheet: Timesheet) -> Timesheet:
    with transaction.atomic():
        sheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
        if sheet.person.user_id != actor.pk:
            raise DomainError(_("Only the person signs their own timesheet."))
        if not sheet.is_open:
            raise DomainError(_("This month is already signed."))
        if not sheet.entries.exists():
            raise DomainError(_("There are no hours to sign in this month."))
        sheet.status = TimesheetStatus.SIGNED
        sheet.signed_at = timezone.now()
        sheet.reopen_reason = ""
        sheet.revision += 1
        attribute_to(sheet, actor, "signed")
        sheet.save()
        notices.timesheet_signed(sheet, actor)
    return sheet


def timesheet_approve(*, actor: Any, timesheet: Timesheet) -> Timesheet:
    with transaction.atomic():
        sheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
        if not can_approve_timesheet(actor, sheet.programme, sheet.person):
            raise DomainError(_("Only the person's supervisor approves their hours."))
        if sheet.status != TimesheetStatus.SIGNED:
            raise DomainError(_("Only a signed month can be approved."))
        sheet.status = TimesheetStatus.APPROVED
        sheet.approved_at = timezone.now()
        sheet.approved_by = actor
        sheet.revision += 1
        attribute_to(sheet, actor, "approved")
        sheet.save()
        notices.timesheet_approved(sheet, actor)
    return sheet


def timesheet_reopen(*, actor: Any, timesheet: Timesheet, reason: str) -> Timesheet:
    """Open a signed or approved month again for a correction, with the reason (audited)."""
    if not reason.strip():
        raise DomainError(
            _("Please give the reason."), field_errors={"reason": _("Give the reason.")}
        )
    with transaction.atomic():
        sheet = Timesheet.objects.select_for_update().get(pk=timesheet.pk)
        if not can_reopen_timesheet(actor, sheet.programme, sheet.person):
            raise DomainError(_("Only the supervisor or a finance officer reopens a month."))
        if sheet.reported_in_id is not None:
            raise DomainError(_("This month is in a statement to the funder: it never reopens."))
        if sheet.is_open:
            raise DomainError(_("This month is open already."))
        sheet.status = TimesheetStatus.OPEN
        sheet.signed_at = None
        sheet.approved_at = None
        sheet.approved_by = None
        sheet.reopen_reason = reason.strip()
        sheet.revision += 1
        attribute_to(sheet, actor, f"reopened: {reason.strip()}")
        sheet.save()
        notices.timesheet_reopened(sheet, actor, reason.strip())
    return sheet
