"""Dates and numbers in each language's conventions: English is British/European (day first,
24-hour clock), French is Django's French; money is shown by one filter, with its currency."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, get_format

from core.money import format_money
from tests.core.template_audit import project_format_names
from tests.finance.test_claims import _claim

NBSP = "\u00a0"
OCT_3 = datetime.date(2017, 10, 3)  # month first, 10/03/2017 would read as 10 March


def _render(source: str, **context) -> str:
    return Template("{% load formats %}" + source).render(Context(context))


# ---------------------------------------------------------------- the money filter


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", Decimal("650000.00"), "EUR", f"650,000.00{NBSP}EUR"),
        ("fr", Decimal("650000.00"), "EUR", f"650{NBSP}000,00{NBSP}EUR"),
        ("en", Decimal("1234567.8"), "PLN", f"1,234,567.80{NBSP}PLN"),
        ("en", Decimal("-1234.5"), "GBP", f"-1,234.50{NBSP}GBP"),
        ("fr", Decimal("-1234.5"), "GBP", f"-1{NBSP}234,50{NBSP}GBP"),
        ("en", Decimal("10.005"), "EUR", f"10.01{NBSP}EUR"),  # half up, as finance rounds
        ("en", Decimal("0.004"), "EUR", f"0.00{NBSP}EUR"),
        ("en", Decimal("-0.004"), "EUR", f"0.00{NBSP}EUR"),  # never "-0.00"
        ("en", Decimal("12345678901234567.89"), "EUR", f"12,345,678,901,234,567.89{NBSP}EUR"),
        ("en", 650000, "EUR", f"650,000.00{NBSP}EUR"),
        ("en", 0.1, "EUR", f"0.10{NBSP}EUR"),  # read from its shortest form, not its binary value
        ("en", None, "EUR", "\u2013"),
        ("fr", "", "EUR", "\u2013"),
    ],
)
def test_money_is_grouped_with_two_decimals_and_its_currency(language, amount, currency, shown):
    with translation.override(language):
        assert _render("{{ amount|money:currency }}", amount=amount, currency=currency) == shown
        assert format_money(amount, currency) == shown


def test_money_takes_the_currency_of_a_variable_or_a_literal():
    with translation.override("en"):
        line = {"amount": Decimal("1234.56"), "currency": "PLN"}
        assert _render("{{ line.amount|money:line.currency }}", line=line) == f"1,234.56{NBSP}PLN"
        assert _render('{{ x|money:"EUR" }}', x=Decimal("5")) == f"5.00{NBSP}EUR"


def test_money_refuses_what_is_not_an_amount():
    with pytest.raises(TypeError):
        format_money("a lot", "EUR")
    with pytest.raises(TypeError):
        format_money(True, "EUR")


def test_numbers_outside_money_stay_ungrouped_for_ids_and_inputs():
    """USE_THOUSAND_SEPARATOR stays off: an id in a URL or a number input's value never gets a
    separator; only the money filter groups."""
    assert settings.USE_THOUSAND_SEPARATOR is False
    with translation.override("en"):
        assert _render('<a href="/claims/{{ pk }}/">{{ pk }}</a>', pk=123456) == (
            '<a href="/claims/123456/">123456</a>'
        )

        class AmountForm(forms.Form):
            amount = forms.DecimalField()

        assert 'value="650000.00"' in str(AmountForm(initial={"amount": Decimal("650000.00")}))


# ---------------------------------------------------------------- named date formats


def test_english_is_day_first_with_a_24_hour_clock():
    moment = datetime.datetime(2017, 10, 3, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    with translation.override("en"):
        assert date_format(OCT_3, "SHORT_DATE_FORMAT") == "03/10/2017"
        assert date_format(OCT_3, "DATE_FORMAT") == "3 October 2017"
        assert date_format(OCT_3, "YEAR_MONTH_FORMAT") == "October 2017"
        assert date_format(OCT_3, "MONTH_DAY_FORMAT") == "3 October"
        assert date_format(moment, "DATETIME_FORMAT") == "3 October 2017, 14:30"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "03/10/2017 14:30"
        assert date_format(moment.time(), "TIME_FORMAT") == "14:30"
        assert date_format(OCT_3, "WEEKDAY_DAY_FORMAT") == "Tue 3"
        assert get_format("FIRST_DAY_OF_WEEK") == 1
        assert (get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")) == (".", ",")


def test_french_keeps_djangos_french_formats():
    with translation.override("fr"):
        assert date_format(OCT_3, "SHORT_DATE_FORMAT") == "03/10/2017"
        assert date_format(OCT_3, "DATE_FORMAT") == "3 octobre 2017"
        assert date_format(OCT_3, "WEEKDAY_MONTH_DAY_FORMAT") == "mardi 3 octobre"
        assert date_format(OCT_3, "SHORT_MONTH_DAY_FORMAT") == "3 oct."
        assert get_format("THOUSAND_SEPARATOR") == NBSP


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_defines_the_projects_own_named_formats(language):
    """Django reads an unknown format name as a literal format string: a language without the
    name would show letters such as 'W' and 'E' as the week number and the month."""
    for name in project_format_names():
        assert get_format(name, lang=language) != name, (language, name)


def test_typed_dates_are_read_day_first_and_iso_is_accepted():
    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("03/10/2017") == OCT_3
        assert field.clean("2017-10-03") == OCT_3
        assert field.clean("03.10.2017") == OCT_3
        with pytest.raises(forms.ValidationError):
            field.clean("10/31/2017")  # month first is not read
    with translation.override("fr"):
        assert field.clean("03/10/2017") == OCT_3
        assert field.clean("2017-10-03") == OCT_3


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_date_input_shows_its_value_in_iso_whatever_the_language(language):
    """<input type="date"> understands only ISO: Django's French formats put d/m/Y first, which
    left French date fields empty when a saved date was edited."""

    class DayForm(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override(language):
        assert 'value="2017-10-03"' in str(DayForm(initial={"day": OCT_3})["day"])


def test_iso_date_is_for_machines_and_gives_the_local_day():
    late = datetime.datetime(2017, 10, 2, 22, 30, tzinfo=ZoneInfo("UTC"))  # Brussels: the 3rd
    with translation.override("fr"):
        assert _render("{{ d|iso_date }}", d=OCT_3) == "2017-10-03"
        assert _render("{{ d|iso_date }}", d=late) == "2017-10-03"
        assert _render("{{ d|iso_date }}", d=None) == ""


# ---------------------------------------------------------------- pages


@pytest.mark.django_db
def test_an_english_claim_shows_day_first_dates_and_grouped_money(user_of, client_of):
    claim = _claim(user_of)  # costs of 6 and 7 March 2017, one of 1,234.56 PLN
    html = client_of("birmingham-officer-1").get(
        reverse("finance:claim", args=["cities-grow", claim.pk])
    )
    page = html.content.decode()
    assert "06/03/2017" in page and "07/03/2017" in page
    assert "03/06/2017" not in page  # not month first
    assert f"1,234.56{NBSP}PLN" in page and f"450.00{NBSP}GBP" in page
    assert "1234.56" not in page


@pytest.mark.django_db
def test_a_french_claim_shows_french_dates_and_money(user_of, client_of):
    claim = _claim(user_of)
    client = client_of("birmingham-officer-1")
    client.post(reverse("set_language"), {"language": "fr"})
    page = client.get(reverse("finance:claim", args=["cities-grow", claim.pk])).content.decode()
    assert '<html lang="fr">' in page
    assert "06/03/2017" in page
    assert f"1{NBSP}234,56{NBSP}PLN" in page and f"18,40{NBSP}EUR" in page


@pytest.mark.django_db
def test_the_programme_overview_shows_its_budget_as_money(client_of):
    client = client_of("nantes-officer-1")
    url = reverse("programmes:overview", args=["cities-grow"])
    page = client.get(url).content.decode()
    assert f"650,000.00{NBSP}EUR" in page and "1 January 2017" in page
    client.post(reverse("set_language"), {"language": "fr"})
    page = client.get(url).content.decode()
    assert f"650{NBSP}000,00{NBSP}EUR" in page and "1 janvier 2017" in page
