"""The form of the programme's money rules: rates are typed as percentages, stored as fractions."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Programme

HUNDRED = Decimal("100")


class MoneyRulesForm(forms.Form):
    """The grant's total budget, maximum EU rate and indirect-cost flat rate, the working day and
    the officers' days per city; `version` detects a concurrent save."""

    total_budget = forms.DecimalField(
        label=_("Total budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("The grant's eligible budget, as in the grant agreement."),
    )
    max_eu_rate = forms.DecimalField(
        label=_("Maximum EU co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=HUNDRED,
        help_text=_("The share of eligible costs the funder pays at most, for example 90."),
    )
    indirect_cost_rate = forms.DecimalField(
        label=_("Flat rate of indirect costs (%)"),
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("25"),
        help_text=_("Indirect costs are this share of each partner's direct costs, for example 7."),
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours in a working day"),
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("1"),
        max_value=Decimal("24"),
        help_text=_("Recorded hours are counted in days of this many hours, for example 7.5."),
    )
    officer_days_per_city = forms.IntegerField(
        label=_("Officers' days per city"),
        min_value=0,
        max_value=100000,
        help_text=_(
            "The working days each city's officers are funded for over the programme: each "
            "city's recorded days count against them."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_programme(cls, programme: Programme) -> "MoneyRulesForm":
        return cls(
            initial={
                "total_budget": programme.total_budget,
                "max_eu_rate": (programme.max_eu_rate * HUNDRED).normalize(),
                "indirect_cost_rate": (programme.indirect_cost_rate * HUNDRED).normalize(),
                "hours_per_day": programme.hours_per_day.normalize(),
                "officer_days_per_city": programme.officer_days_per_city,
                "version": programme.version,
            }
        )

    def as_fractions(self) -> dict[str, Any]:
        """The service's arguments: the rates as fractions (90 → 0.9)."""
        data = self.cleaned_data
        return {
            "total_budget": data["total_budget"],
            "max_eu_rate": data["max_eu_rate"] / HUNDRED,
            "indirect_cost_rate": data["indirect_cost_rate"] / HUNDRED,
            "hours_per_day": data["hours_per_day"],
            "officer_days_per_city": data["officer_days_per_city"],
        }
