"""Money rules, in one place: amounts are Decimal, with the currency stated, and every rounding
is explicit: half-up to the cent at each documented step.

1. A cost in another currency is converted to EUR at the programme's rate for the month the
   cost was incurred (the Commission's monthly accounting rate: units of the currency for one
   euro): eur = amount / rate, rounded to the cent.
2. An hourly staff rate is the annual gross employer cost divided by the productive hours,
   rounded to the cent.
3. A month's staff cost is its hours times the hourly rate, rounded to the cent (then converted
   as in 1 when the rate is not in EUR).
4. Indirect costs are the flat rate times the eligible direct costs, rounded to the cent.
5. Sums of rounded amounts are not rounded again.
"""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount: Decimal) -> Decimal:
    """Half-up to the cent (Python's default would round half to even)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_eur(amount: Decimal, currency: str, rate_per_eur: Decimal | None) -> Decimal:
    """Rule 1: `rate_per_eur` units of `currency` buy one euro."""
    if currency == "EUR":
        return cents(amount)
    if rate_per_eur is None or rate_per_eur <= 0:
        raise ValueError(f"No exchange rate for {currency}")
    return cents(amount / rate_per_eur)


def hourly_rate(annual_cost: Decimal, productive_hours: Decimal) -> Decimal:
    """Rule 2."""
    return cents(annual_cost / productive_hours)


def staff_cost(hours: Decimal, rate: Decimal) -> Decimal:
    """Rule 3 (before any conversion)."""
    return cents(hours * rate)


def indirect_costs(direct_eligible: Decimal, flat_rate: Decimal) -> Decimal:
    """Rule 4."""
    return cents(direct_eligible * flat_rate)
