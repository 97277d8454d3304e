"""Exchange rates and staff-cost rates: the two numbers every converted or staff euro rests on.
Both freeze once the funder has been sent a statement that used them."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.choices import Currency
from programmes.models import Person, Programme

from ..models import ExchangeRate, StaffRate, Statement
from ..permissions import can_manage_finance, can_set_salary
from .hours_cap import format_hours, hold_hours_of, hours_in_year


def exchange_rate_save(
    *, actor: Any, programme: Programme, currency: str, month: date, rate: Decimal
) -> ExchangeRate:
    """Record the monthly accounting rate (units of `currency` for one euro)."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers record exchange rates."))
    errors = {}
    if currency not in Currency.values or currency == "EUR":
        errors["currency"] = _("Choose a currency other than the euro.")
    if rate <= 0:
        errors["rate"] = _("The rate must be above zero.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        found, _changed = _rate_put(actor, programme, currency, month.replace(day=1), rate)
    return found


def _rate_put(
    actor: Any, programme: Programme, currency: str, month: date, rate: Decimal
) -> tuple[ExchangeRate, bool]:
    """Record one rate (inside the caller's transaction); whether anything changed."""
    found = ExchangeRate.objects.filter(programme=programme, currency=currency, month=month).first()
    if found is not None and found.rate == rate:
        return found, False
    if Statement.objects.filter(programme=programme, period_end__gte=month).exists():
        raise DomainError(
            _("The rates of %(month)s are frozen: a statement to the funder covers that month.")
            % {"month": date_format(month, "YEAR_MONTH_FORMAT")},
            field_errors={"month": _("A statement covers this month.")},
        )
    found = found or ExchangeRate(programme=programme, currency=currency, month=month)
    found.rate = rate
    attribute_to(found, actor, "rate recorded")
    found.save()
    return found, True


@dataclass
class RatesImported:
    changed: int
    unchanged: int


def exchange_rates_import(*, actor: Any, programme: Programme, text: str) -> RatesImported:
    """Import monthly rates from CSV (columns currency, month as YYYY-MM, rate: units for one
    euro; comma or semicolon separated). Every bad row is reported and then nothing is
    written."""
    if not can_manage_finance(actor, programme):
        raise DomainError(_("Only the programme's finance officers record exchange rates."))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2000], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    if not rows or [c.strip().lower() for c in rows[0]] != ["currency", "month", "rate"]:
        raise DomainError(
            _("The first line must name the columns: currency, month, rate."),
            field_errors={"file": _("Columns: currency, month, rate.")},
        )
    problems: list[str] = []
    parsed: dict[tuple[str, date], Decimal] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            problems.append(_("Line %(n)s: expected 3 columns.") % {"n": number})
            continue
        currency, month_text, rate_text = (cell.strip() for cell in row)
        if currency.upper() not in Currency.values or currency.upper() == "EUR":
            problems.append(_("Line %(n)s: unknown currency.") % {"n": number})
        try:
            month = date.fromisoformat(f"{month_text[:7]}-01")
        except ValueError:
            problems.append(_("Line %(n)s: give the month as YYYY-MM.") % {"n": number})
            continue
        try:
            rate = Decimal(rate_text.replace(",", "."))
        except InvalidOperation:
            rate = Decimal("0")
        if not rate.is_finite() or rate <= 0 or rate != round(rate, 6):
            problems.append(_("Line %(n)s: the rate must be a number above zero.") % {"n": number})
            continue
        if (currency.upper(), month) in parsed:
            problems.append(_("Line %(n)s: this month's rate is given twice.") % {"n": number})
        parsed[(currency.upper(), month)] = rate
    if problems:
        raise DomainError(
            _("Nothing was imported: please correct the file."),
            field_errors={"file": " ".join(problems)},
        )
    changed = 0
    with transaction.atomic():
        for (currency, month), rate in sorted(parsed.items()):
            changed += _rate_put(actor, programme, currency, month, rate)[1]
    return RatesImported(changed, len(parsed) - changed)


def exchange_rate_for(programme: Programme, currency: str, day: date) -> Decimal | None:
    """The rate of the month the cost was incurred (None for the euro or when missing)."""
    if currency == "EUR":
        return None
    return (
        ExchangeRate.objects.filter(
            programme=programme, currency=currency, month=day.replace(day=1)
        )
        .values_list("rate", flat=True)
        .first()
    )


def staff_rate_save(
    *,
    actor: Any,
    programme: Programme,
    person: Person,
    year: int,
    currency: str,
    annual_cost: Decimal,
    productive_hours: Decimal | None = None,
    justification: str = "",
) -> StaffRate:
    """Record a person's annual cost and productive hours (the programme's default when not
    given; another figure needs a justification); refused once the rate is frozen, and when
    the productive hours would be below the hours the person already recorded and declared
    that year (the cap, finance.services.hours_cap)."""
    if not can_set_salary(actor, programme, person):
        raise DomainError(_("Only finance officers and the city's finance contact set salaries."))
    default = programme.default_productive_hours
    if productive_hours is None:
        productive_hours = default
    errors = {}
    if annual_cost <= 0:
        errors["annual_cost"] = _("Give the annual gross employer cost.")
    if not Decimal("0") < productive_hours <= Decimal("3000"):
        errors["productive_hours"] = _(
            "Give the productive hours of a year (%(hours)s by default)."
        ) % {"hours": format_hours(default)}
    elif productive_hours != default and not justification.strip():
        errors["justification"] = _(
            "Productive hours other than the programme's %(hours)s need a justification."
        ) % {"hours": format_hours(default)}
    if currency not in Currency.values:
        errors["currency"] = _("Choose a currency.")
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    with transaction.atomic():
        rate = (
            StaffRate.objects.select_for_update()
            .filter(person=person, programme=programme, year=year)
            .first()
        ) or StaffRate(person=person, programme=programme, year=year)
        if rate.frozen_at is not None:
            raise DomainError(_("This rate is used in a statement to the funder: it is frozen."))
        hold_hours_of(person)
        already = hours_in_year(person, year)
        if productive_hours < already:
            raise DomainError(
                _("Please correct the marked fields."),
                field_errors={
                    "productive_hours": _(
                        "%(person)s already has %(hours)s hours recorded and declared in "
                        "%(year)s, across all grants: the productive hours cannot be fewer."
                    )
                    % {"person": person.full_name, "hours": format_hours(already), "year": year}
                },
            )
        rate.currency = currency
        rate.annual_cost = annual_cost
        rate.productive_hours = productive_hours
        rate.justification = justification.strip()
        attribute_to(rate, actor, "rate recorded")
        rate.save()
    return rate
