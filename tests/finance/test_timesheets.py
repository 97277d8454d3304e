"""Timesheets: the productive-hours cap, the lock of signed and reported months (service and
database), approval by the supervisor only, a reasoned reopening, all audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from core.errors import ConcurrentEditError, DomainError
from finance.grant_rules import programme_rules
from finance.models import BudgetLine, OtherGrantHours, Statement, TimeEntry
from finance.services.budget import budget_line_create
from finance.services.rates import staff_rate_save
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_reopen,
    timesheet_save,
    timesheet_sign,
)
from programmes.models import Person, Programme, ProgrammePartner

pytestmark = pytest.mark.django_db
MARCH = date(2017, 3, 1)


def _programme():
    return Programme.objects.get(slug="cities-grow")


def approvable(user_of, key="athens-officer-1", year=2017, planned="50000"):
    """What an approval needs besides a signed month: the person's staff-cost rate for the
    year, and a staff line in the budget of their organisation that the month fits in."""
    person = Person.objects.get(user=user_of(key))
    prepare_approval(person, user_of("finance-1"), year=year, planned=planned)
    return person


def prepare_approval(person, finance, year=2017, planned="50000"):
    """approvable() without the fixture: `finance` is a finance officer's user."""
    staff_rate_save(
        actor=finance,
        programme=_programme(),
        person=person,
        year=year,
        currency="EUR",
        annual_cost=Decimal("40000"),
    )
    staff_line(finance, person, planned)


def staff_line(finance, person, planned="50000"):
    """A staff line in the budget of the person's organisation (approvals spend on it);
    `finance` is a finance officer's user."""
    programme = _programme()
    partner = ProgrammePartner.objects.get(programme=programme, organisation=person.organisation)
    if not BudgetLine.objects.filter(partner=partner, category="staff").exists():
        budget_line_create(
            actor=finance,
            programme=programme,
            partner=partner,
            category="staff",
            planned_eur=Decimal(planned),
        )


def _week(sheet, user, hours="7.5", days=range(6, 11), revision=None):
    entries = [EntryInput(date(2017, 3, d), "action_planning", Decimal(hours)) for d in days]
    return timesheet_save(
        actor=user,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision if revision is None else revision,
    )


def test_a_week_of_hours_is_saved_and_replaced(user_of):
    officer = user_of("athens-officer-1")
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    sheet = _week(sheet, officer)
    assert sheet.entries.count() == 5
    sheet = _week(sheet, officer, hours="4")  # the same days again: replaced, not added
    assert sum(e.hours for e in sheet.entries.all()) == Decimal("20")
    with pytest.raises(ConcurrentEditError):
        _week(sheet, officer, revision=sheet.revision - 1)


def test_bad_hours_are_refused_next_to_their_row(user_of):
    officer = user_of("athens-officer-1")
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    entries = [
        EntryInput(date(2017, 4, 1), "action_planning", Decimal("2")),  # another month
        EntryInput(date(2017, 3, 2), "dancing", Decimal("2")),
        EntryInput(date(2017, 3, 3), "management", Decimal("0.1")),
    ]
    with pytest.raises(DomainError) as refused:
        timesheet_save(actor=officer, timesheet=sheet, entries=entries, days=[], revision=1)
    assert set(refused.value.field_errors) == {
        "entries-0-day",
        "entries-1-activity",
        "entries-2-hours",
    }


def test_hours_across_all_grants_stay_within_the_productive_hours(user_of):
    officer = user_of("athens-officer-1")
    person = Person.objects.get(user=officer)
    staff_rate_save(
        actor=user_of("finance-1"),
        programme=_programme(),
        person=person,
        year=2017,
        currency="EUR",
        annual_cost=Decimal("40000"),
        productive_hours=Decimal("1000"),
        justification="Part-time contract (60%).",
    )
    OtherGrantHours.objects.create(person=person, year=2017, grant="ESF project", hours=990)
    sheet = timesheet_open(actor=officer, programme=_programme(), month=MARCH)
    sheet = _week(sheet, officer, hours="2")  # 10 hours: exactly 1,000
    with pytest.raises(DomainError) as refused:
        _week(sheet, officer, hours="2", days=range(13, 14))
    assert "1,002, above your 1,000 productive hours" in refused.value.message
    assert TimeEntry.objects.filter(timesheet=sheet).count() == 5  # nothing was kept


def test_a_signed_month_is_locked_for_the_service_and_the_database(user_of):
    officer = user_of("athens-officer-1")
    sheet = _week(timesheet_open(actor=officer, programme=_programme(), month=MARCH), officer)
    sheet = timesheet_sign(actor=officer, timesheet=sheet)
    with pytest.raises(DomainError):
        _week(sheet, officer, hours="1")
    entry = sheet.entries.first()
    for sql, params in (
        ("UPDATE finance_timeentry SET hours = 1 WHERE id = %s", [entry.pk]),
        (
            "INSERT INTO finance_timeentry (timesheet_id, day, activity, hours) "
            "VALUES (%s, '2017-03-20', 'management', 1)",
            [sheet.pk],
        ),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, params)
    assert TimeEntry.objects.get(pk=entry.pk).hours == Decimal("7.5")


def test_only_the_supervisor_approves_and_a_reopening_needs_a_reason(user_of):
    officer = user_of("athens-officer-1")
    approvable(user_of)
    sheet = _week(timesheet_open(actor=officer, programme=_programme(), month=MARCH), officer)
    sheet = timesheet_sign(actor=officer, timesheet=sheet)
    for key in (
        "athens-officer-1",
        "athens-officer-2",
        "athens-approver-political",
        "munich-approver-admin",
        "finance-1",
    ):
        with pytest.raises(DomainError):
            timesheet_approve(actor=user_of(key), timesheet=sheet)
    sheet = timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    assert sheet.status == "approved"
    with pytest.raises(DomainError):
        timesheet_reopen(actor=user_of("finance-1"), timesheet=sheet, reason=" ")
    sheet = timesheet_reopen(actor=user_of("finance-1"), timesheet=sheet, reason="Wrong day")
    assert sheet.status == "open" and sheet.reopen_reason == "Wrong day"
    history = list(
        sheet.history.order_by("history_date").values_list("status", "history_change_reason")
    )
    assert ("approved", "approved") in history and ("open", "reopened: Wrong day") in history


def test_a_reported_month_never_reopens_not_even_in_the_database(user_of):
    officer = user_of("athens-officer-1")
    approvable(user_of)
    sheet = _week(timesheet_open(actor=officer, programme=_programme(), month=MARCH), officer)
    sheet = timesheet_sign(actor=officer, timesheet=sheet)
    sheet = timesheet_approve(actor=user_of("athens-approver-admin"), timesheet=sheet)
    statement = Statement.objects.create(
        programme=_programme(),
        kind="interim",
        period_end=date(2017, 6, 30),
        **programme_rules(_programme()).as_statement_fields(),
    )
    sheet.reported_in = statement
    sheet.save(update_fields=["reported_in"])
    with pytest.raises(DomainError):
        timesheet_reopen(actor=user_of("finance-1"), timesheet=sheet, reason="Late fix")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE finance_timesheet SET status = 'open' WHERE id = %s", [sheet.pk])
