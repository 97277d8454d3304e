"""Timesheets: a person records their hours by day and activity, signs the month, and their
supervisor approves it. A signed month is locked (also by the database); a correction needs a
reasoned reopening. A person's hours across all grants in a year stay within their productive
hours (finance.services.hours_cap). Hours go only to the general activities and to the events
the person may book (finance.selectors.bookable_events), inside the programme's eligibility
period (refused, or flagged for the approver, as the programme says). A month is approved only
with the person's staff-cost rate for its year, and within the budget line of their
organisation's staff costs."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.choices import IneligibleCosts
from programmes.models import Programme, ProgrammePartner

from ..choices import Activity, CostCategory, TimesheetStatus
from ..models import StaffRate, TimeEntry, Timesheet
from ..permissions import can_approve_timesheet, can_reopen_timesheet, person_of
from ..selectors import bookable_events
from . import notices
from .budget import budget_overspend_check
from .hours_cap import format_hours, hold_hours_of, hours_in_year, productive_hours

__all__ = [
    "EntryInput",
    "hours_in_year",
    "ineligible_days",
    "productive_hours",
    "timesheet_approve",
    "timesheet_open",
    "timesheet_reopen",
    "timesheet_save",
    "timesheet_sign",
]

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


def ineligible_days(programme: Programme, days: list[date]) -> list[date]:
    """Of these days, those outside the programme's eligibility period (sorted, once each)."""
    start, end = programme.eligibility_start, programme.eligibility_end
    return sorted({day for day in days if not start <= day <= end})


def _bookable(sheet: Timesheet, event_ids: set[int]) -> set[int]:
    """Of these events, those the person may book hours to, or already booked this month
    (hours kept from before stay savable). Two queries at most, whatever the entries."""
    if not event_ids:
        return set()
    allowed = set(
        bookable_events(sheet.person_id, sheet.programme_id)
        .filter(pk__in=event_ids)
        .values_list("pk", flat=True)
    )
    if event_ids - allowed:
        allowed |= set(
            TimeEntry.objects.filter(timesheet=sheet, event_id__in=event_ids - allowed)
            .values_list("event_id", flat=True)
            .distinct()
        )
    return allowed


def _entry_errors(sheet: Timesheet, entries: list[EntryInput]) -> dict[str, str]:
    errors: dict[str, str] = {}
    last_day = sheet.month.replace(day=calendar.monthrange(sheet.month.year, sheet.month.month)[1])
    per_day: dict[date, Decimal] = {}
    events = _bookable(sheet, {e.event_id for e in entries if e.event_id})
    programme = sheet.programme
    refuse_ineligible = programme.ineligible_costs == IneligibleCosts.REFUSE
    period = {
        "start": date_format(programme.eligibility_start, "DATE_FORMAT"),
        "end": date_format(programme.eligibility_end, "DATE_FORMAT"),
    }
    for index, entry in enumerate(entries):
        key = f"entries-{index}"
        if not sheet.month <= entry.day <= last_day:
            errors[f"{key}-day"] = _("The day must be in %(month)s.") % {
                "month": date_format(sheet.month, "YEAR_MONTH_FORMAT")
            }
        elif refuse_ineligible and ineligible_days(programme, [entry.day]):
            errors[f"{key}-day"] = (
                _("Hours count only from %(start)s to %(end)s, the programme's eligible dates.")
                % period
            )
        if entry.activity not in Activity.values:
            errors[f"{key}-activity"] = _("Choose an activity.")
        if not Decimal("0") < entry.hours <= MAX_HOURS_A_DAY:
            errors[f"{key}-hours"] = _("Give between 0.25 and 24 hours.")
        elif (entry.hours * 4) != (entry.hours * 4).to_integral_value():
            errors[f"{key}-hours"] = _("Record hours in quarters of an hour.")
        if entry.event_id and entry.event_id not in events:
            errors[f"{key}-event"] = _("Choose an event you took part in.")
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
        # Hold the person's months and declarations for the count below: two writes at once
        # cannot together pass the cap.
        hold_hours_of(sheet.person)
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
                % {"year": year, "total": format_hours(declared), "cap": format_hours(cap)},
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


def timesheet_approve(
    *, actor: Any, timesheet: Timesheet, warnings: list[str] | None = None
) -> Timesheet:
    """Approve a signed month (never one's own). Refused without the person's staff-cost rate
    for the year (the month's cost would be unknown), with hours outside the eligible dates
    when the programme refuses them, or when the month's cost is beyond the staff line of the
    person's organisation (budget_overspend_check); the line's warning, if any, is appended to
    `warnings` for the approver."""
    with transaction.atomic():
        sheet = (
            Timesheet.objects.select_for_update(of=("self",))
            .select_related("person", "programme")
            .get(pk=timesheet.pk)
        )
        programme, person, year = sheet.programme, sheet.person, sheet.month.year
        if not can_approve_timesheet(actor, programme, person):
            raise DomainError(_("Only the person's supervisor approves their hours."))
        if sheet.status != TimesheetStatus.SIGNED:
            raise DomainError(_("Only a signed month can be approved."))
        if not StaffRate.objects.filter(person=person, programme=programme, year=year).exists():
            raise DomainError(
                _(
                    "Record %(person)s's staff-cost rate for %(year)s first: without it the "
                    "month's cost is unknown."
                )
                % {"person": person.full_name, "year": year}
            )
        days = list(sheet.entries.values_list("day", flat=True))
        outside = ineligible_days(programme, days)
        if outside and programme.ineligible_costs == IneligibleCosts.REFUSE:
            raise DomainError(
                _(
                    "Hours on %(days)s are outside the programme's eligible dates: reopen the "
                    "month for its correction."
                )
                % {"days": ", ".join(date_format(d, "SHORT_DATE_FORMAT") for d in outside)}
            )
        partner = (
            ProgrammePartner.objects.filter(
                programme=programme, organisation_id=person.organisation_id
            )
            .select_related("organisation")
            .first()
        )
        if partner is not None:
            # A signed month is already committed on the line: approving it adds nothing.
            warning = budget_overspend_check(
                actor=actor,
                programme=programme,
                partner=partner,
                category=CostCategory.STAFF,
                adding=Decimal(0),
            )
            if warning and warnings is not None:
                warnings.append(warning)
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
