"""Exchange rates and staff-cost rates: the two numbers every converted or staff euro rests on."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.choices import Currency
from programmes.models import Person, Programme

from ..models import DEFAULT_PRODUCTIVE_HOURS, ExchangeRate, StaffRate
from ..permissions import can_manage_finance, can_set_salary


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
        found = ExchangeRate.objects.filter(
            programme=programme, currency=currency, month=month.replace(day=1)
        ).first()
        found = found or ExchangeRate(
            programme=programme, currency=currency, month=month.replace(day=1)
        )
        found.rate = rate
        attribute_to(found, actor, "rate recorded")
        found.save()
    return found


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
    productive_hours: Decimal = DEFAULT_PRODUCTIVE_HOURS,
    justification: str = "",
) -> StaffRate:
    """Record a person's annual cost and productive hours; refused once the rate is frozen."""
    if not can_set_salary(actor, programme, person):
        raise DomainError(_("Only finance officers and the city's finance contact set salaries."))
    errors = {}
    if annual_cost <= 0:
        errors["annual_cost"] = _("Give the annual gross employer cost.")
    if not Decimal("0") < productive_hours <= Decimal("3000"):
        errors["productive_hours"] = _("Give the productive hours of a year (1,720 by default).")
    elif productive_hours != DEFAULT_PRODUCTIVE_HOURS and not justification.strip():
        errors["justification"] = _("Productive hours other than 1,720 need a justification.")
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
        rate.currency = currency
        rate.annual_cost = annual_cost
        rate.productive_hours = productive_hours
        rate.justification = justification.strip()
        attribute_to(rate, actor, "rate recorded")
        rate.save()
    return rate
