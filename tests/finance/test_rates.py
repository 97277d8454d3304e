"""Staff-cost rates: who sets and reads them, the justification of other productive hours, and
the freeze once a statement uses a rate (service and database)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import DomainError
from finance.permissions import can_view_salary
from finance.services.rates import exchange_rate_save, staff_rate_save
from programmes.models import Person, Programme

pytestmark = pytest.mark.django_db


def _save(user_of, actor="finance-1", person="birmingham-officer-1", **changes):
    values = {"year": 2017, "currency": "GBP", "annual_cost": Decimal("41000")}
    values.update(changes)
    return staff_rate_save(
        actor=user_of(actor),
        programme=Programme.objects.get(slug="cities-grow"),
        person=Person.objects.get(user=user_of(person)),
        **values,
    )


def test_the_hourly_rate_and_who_sets_it(user_of):
    rate = _save(user_of)
    assert rate.hourly_rate == Decimal("23.84")  # 41,000 / 1,720 = 23.837...
    _save(user_of, actor="birmingham-approver-admin", annual_cost=Decimal("42000"))
    for key in (
        "birmingham-officer-1",
        "birmingham-approver-political",
        "coordinator-1",
        "auditor-1",
        "athens-approver-admin",
    ):
        with pytest.raises(DomainError):
            _save(user_of, actor=key)


def test_other_productive_hours_need_a_justification(user_of):
    with pytest.raises(DomainError) as refused:
        _save(user_of, productive_hours=Decimal("1500"))
    assert "justification" in refused.value.field_errors
    assert _save(user_of, productive_hours=Decimal("1500"), justification="80% contract")


def test_who_reads_a_salary(user_of):
    programme = Programme.objects.get(slug="cities-grow")
    person = Person.objects.get(user=user_of("birmingham-officer-1"))
    readers = {"birmingham-officer-1", "finance-1", "auditor-1", "birmingham-approver-admin"}
    for key in readers | {
        "coordinator-1",
        "birmingham-officer-2",
        "athens-approver-admin",
        "birmingham-approver-political",
        "facilitator-a",
    }:
        assert can_view_salary(user_of(key), programme, person) == (key in readers), key


def test_a_frozen_rate_never_changes(user_of):
    rate = _save(user_of)
    rate.frozen_at = timezone.now()
    rate.save(update_fields=["frozen_at"])
    with pytest.raises(DomainError):
        _save(user_of, annual_cost=Decimal("50000"))
    for sql in (
        "UPDATE finance_staffrate SET annual_cost = 1 WHERE id = %s",
        "UPDATE finance_staffrate SET productive_hours = 1000 WHERE id = %s",
        "UPDATE finance_staffrate SET frozen_at = NULL WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [rate.pk])
    rate.refresh_from_db()
    assert rate.annual_cost == Decimal("41000")


def test_exchange_rates_are_recorded_by_finance_officers(user_of):
    from datetime import date

    programme = Programme.objects.get(slug="cities-grow")
    rate = exchange_rate_save(
        actor=user_of("finance-1"),
        programme=programme,
        currency="GBP",
        month=date(2017, 3, 15),
        rate=Decimal("0.8856"),
    )
    assert rate.month == date(2017, 3, 1)
    with pytest.raises(DomainError):
        exchange_rate_save(
            actor=user_of("coordinator-1"),
            programme=programme,
            currency="GBP",
            month=date(2017, 3, 1),
            rate=Decimal("0.9"),
        )
    with pytest.raises(DomainError):
        exchange_rate_save(
            actor=user_of("finance-1"),
            programme=programme,
            currency="EUR",
            month=date(2017, 3, 1),
            rate=Decimal("1"),
        )
