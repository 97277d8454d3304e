"""Money rules: Decimal throughout, half-up to the cent at each documented step."""

from decimal import Decimal

import pytest

from finance.money import cents, hourly_rate, indirect_costs, staff_cost, to_eur


def test_half_up_not_half_even():
    assert cents(Decimal("0.125")) == Decimal("0.13")  # half-even would give 0.12
    assert cents(Decimal("2.675")) == Decimal("2.68")
    assert cents(Decimal("-0.125")) == Decimal("-0.13")


def test_conversion_divides_by_the_units_for_one_euro():
    # 450.00 GBP at 0.88560 GBP for 1 EUR: 508.1300813... -> 508.13
    assert to_eur(Decimal("450.00"), "GBP", Decimal("0.88560")) == Decimal("508.13")
    # 1,234.56 PLN at 4.2615 PLN for 1 EUR: 289.7008... -> 289.70
    assert to_eur(Decimal("1234.56"), "PLN", Decimal("4.2615")) == Decimal("289.70")
    assert to_eur(Decimal("10.005"), "EUR", None) == Decimal("10.01")
    with pytest.raises(ValueError):
        to_eur(Decimal("1"), "GBP", None)


def test_staff_cost_steps():
    # 52,000.00 a year over 1,720 hours: 30.2325... -> 30.23 an hour; 37.5 hours -> 1,133.625
    rate = hourly_rate(Decimal("52000.00"), Decimal("1720"))
    assert rate == Decimal("30.23")
    assert staff_cost(Decimal("37.5"), rate) == Decimal("1133.63")
    assert indirect_costs(Decimal("10000.05"), Decimal("0.07")) == Decimal("700.00")
    assert indirect_costs(Decimal("10000.10"), Decimal("0.07")) == Decimal("700.01")
