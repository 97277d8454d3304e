"""Template filters for showing money and for machine-readable dates.

Dates for people use Django's named formats (`|date:"SHORT_DATE_FORMAT"`, the language modules
in config/formats); the filters here cover what a named format cannot:

    {% load formats %}
    {{ line.amount|money:line.currency }}      650,000.00 EUR  /  650 000,00 EUR
    {{ claim.reimbursed_eur|money:"EUR" }}     an en dash when there is no amount
    <a href="?week={{ monday|iso_date }}">     2017-10-02, whatever the language
"""

import datetime

from django import template
from django.utils import timezone

from core.money import format_money

register = template.Library()


@register.filter(is_safe=True)
def money(amount: object, currency: str | None) -> str:
    """The amount with its currency, grouped and with two decimals in the reader's language."""
    return format_money(amount, currency)


@register.filter
def iso_date(value: datetime.date | None) -> str:
    """YYYY-MM-DD for URLs, query strings and `datetime=` attributes (a datetime gives its
    local day); empty when there is no date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    return value.isoformat()
