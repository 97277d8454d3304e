"""How money is shown: one function, used by the `money` template filter and by any export.

An amount is shown with its currency, grouped by thousands and with two decimals in the
conventions of the active language ("650,000.00 EUR" in English, "650 000,00 EUR" in French).
It stays a Decimal all the way: a float would already have lost the cents. Amounts are rounded
half-up to the cent, as the finance rules round (finance/money.py); Django's number_format alone
would cut the extra places off.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

CENT = Decimal("0.01")
NO_AMOUNT = "\u2013"  # an en dash, as the tables show a missing value
# A non-breaking space keeps the currency on the line of its amount.
CURRENCY_SPACE = "\u00a0"


def as_decimal(amount: object) -> Decimal | None:
    """The amount as a Decimal, or None when there is none; a float is read from its shortest
    representation (0.1 stays 0.1) rather than from its binary value."""
    if amount is None or amount == "":
        return None
    if isinstance(amount, Decimal):
        return amount
    if isinstance(amount, bool):
        raise TypeError("A truth value is not an amount.")
    try:
        return Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)  # type: ignore[arg-type]
    except (InvalidOperation, TypeError, ValueError) as error:
        raise TypeError(f"Not an amount: {amount!r}") from error


def format_money(amount: object, currency: str | None) -> str:
    """`amount` in `currency` for a reader in the active language; an en dash when there is no
    amount.

    Raises TypeError for something that is not a number, so a template error shows up in tests
    instead of a wrong figure on a statement.
    """
    value = as_decimal(amount)
    if value is None:
        return NO_AMOUNT
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if value == 0:
        value = abs(value)  # never "-0.00"
    figure = number_format(value, decimal_pos=2, force_grouping=True)
    return f"{figure}{CURRENCY_SPACE}{currency}" if currency else figure
