"""The forms of the programme's money rules: rates are typed as percentages, stored as
fractions; the partners' co-financing figures are one table form, a row per partner."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programmes.choices import (
    CoFinancingModel,
    CoFinancingSplit,
    IndirectCostBase,
    IneligibleCosts,
    PartnerRole,
)
from programmes.models import Programme, ProgrammePartner

HUNDRED = Decimal("100")

# Each co-financing model with the one line that says what it does (docs/finance.md has a
# worked example of each).
MODEL_CHOICES = [
    (
        CoFinancingModel.CITY_STAFF,
        _(
            "Cities' staff costs are their co-financing: every euro of a city's staff time is "
            "its contribution, the EU pays the rest up to the EU rate and never funds city staff."
        ),
    ),
    (
        CoFinancingModel.EU_RATE,
        _(
            "Every cost reimbursed at the EU rate: each partner is paid the EU rate of its "
            "costs, and what the EU does not pay is the partner's co-financing."
        ),
    ),
    (
        CoFinancingModel.FIXED,
        _(
            "A fixed contribution per partner: each partner contributes the amount set on the "
            "partners' page (at most its costs), the EU pays the rest up to the EU rate."
        ),
    ),
]


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros and never in exponent notation (1720.0 → 1720, 7.50 → 7.5)."""
    return value.quantize(Decimal("1")) if value == value.to_integral() else value.normalize()


class MoneyRulesForm(forms.Form):
    """Every money rule of the grant its finance officers keep; `version` detects a concurrent
    save."""

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
        help_text=_("Indirect costs are this share of each partner's costs, for example 7."),
    )
    indirect_cost_base = forms.ChoiceField(
        label=_("The flat rate applies to"),
        choices=IndirectCostBase.choices,
        widget=forms.RadioSelect,
    )
    co_financing_model = forms.ChoiceField(
        label=_("Co-financing model"),
        choices=MODEL_CHOICES,
        widget=forms.RadioSelect,
    )
    co_financing_split = forms.ChoiceField(
        label=_("The co-financing target is"),
        choices=CoFinancingSplit.choices,
        widget=forms.RadioSelect,
        help_text=_("Per partner: the targets are set on the partners' page."),
    )
    default_productive_hours = forms.DecimalField(
        label=_("Productive hours in a year"),
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("3000"),
        help_text=_(
            "The hours of a year a staff-cost rate divides the annual cost by, unless a "
            "person's rate gives another figure with its justification, for example 1720."
        ),
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
    eligible_from = forms.DateField(
        label=_("Costs eligible from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Blank: the programme's start."),
    )
    eligible_until = forms.DateField(
        label=_("Costs eligible until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Blank: the programme's end."),
    )
    ineligible_costs = forms.ChoiceField(
        label=_("Costs and hours outside the eligible dates are"),
        choices=IneligibleCosts.choices,
        widget=forms.RadioSelect,
    )
    event_travel_margin_days = forms.IntegerField(
        label=_("Travel days allowed around an event"),
        min_value=0,
        max_value=14,
        help_text=_(
            "Travel tied to an event is eligible from this many days before it starts until "
            "this many days after it ends."
        ),
    )
    overspend_warning_percent = forms.IntegerField(
        label=_("Warn when a budget line has used (%)"),
        min_value=1,
        max_value=100,
        help_text=_("Beyond 100% an approval needs a transfer or another officer's leave."),
    )
    separate_duties = forms.BooleanField(
        label=_("Separate the finance duties"),
        required=False,
        help_text=_(
            "The person who checks a claim does not approve it, the one who approves it does "
            "not record its payment, nobody approves their own month, and a statement is "
            "signed off by another finance officer than the one who prepared it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_programme(cls, programme: Programme) -> "MoneyRulesForm":
        return cls(
            initial={
                "total_budget": programme.total_budget,
                "max_eu_rate": _plain(programme.max_eu_rate * HUNDRED),
                "indirect_cost_rate": _plain(programme.indirect_cost_rate * HUNDRED),
                "indirect_cost_base": programme.indirect_cost_base,
                "co_financing_model": programme.co_financing_model,
                "co_financing_split": programme.co_financing_split,
                "default_productive_hours": _plain(programme.default_productive_hours),
                "hours_per_day": _plain(programme.hours_per_day),
                "officer_days_per_city": programme.officer_days_per_city,
                "eligible_from": programme.eligible_from,
                "eligible_until": programme.eligible_until,
                "ineligible_costs": programme.ineligible_costs,
                "event_travel_margin_days": programme.event_travel_margin_days,
                "overspend_warning_percent": programme.overspend_warning_percent,
                "separate_duties": programme.separate_duties,
                "version": programme.version,
            }
        )

    def as_fractions(self) -> dict[str, Any]:
        """The service's arguments: the rates as fractions (90 → 0.9)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        data["max_eu_rate"] = data["max_eu_rate"] / HUNDRED
        data["indirect_cost_rate"] = data["indirect_cost_rate"] / HUNDRED
        return data

    def facts(self) -> list[tuple[Any, Any]]:
        """Each rule's label and its value as a reader reads it, from the form's initial
        values (the saved rules, shown beside a refused stale save)."""
        rows = []
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            value = self.initial.get(name)
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            elif isinstance(field, forms.BooleanField):
                value = _("Yes") if value else _("No")
            elif isinstance(value, date):
                value = date_format(value, "DATE_FORMAT")
            elif value is None:
                value = _("The programme's dates")
            rows.append((field.label, value))
        return rows


class PartnerCoFinancingForm(forms.Form):
    """A row per partner: its co-financing target (city partners) and its fixed contribution
    (every partner), in EUR, blank for none; `revisions` are the rows as the page showed them
    ("partner:revision", 0 for a row not saved yet)."""

    revisions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        partners: list[ProgrammePartner],
        saved: dict[int, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        self.conflict = False  # set by the view when someone else saved meanwhile
        self.rows: list[tuple[ProgrammePartner, Any, Any, Any]] = []
        for partner in partners:
            row = saved.get(partner.pk)
            name = partner.organisation.name
            target = None
            if partner.role == PartnerRole.CITY:
                target = forms.DecimalField(
                    label=_("Co-financing target of %(name)s (EUR)") % {"name": name},
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal("0"),
                    required=False,
                    initial=row.target_eur if row else None,
                )
                self.fields[f"target_{partner.pk}"] = target
            fixed = forms.DecimalField(
                label=_("Fixed contribution of %(name)s (EUR)") % {"name": name},
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0"),
                required=False,
                initial=row.fixed_contribution_eur if row else None,
            )
            self.fields[f"fixed_{partner.pk}"] = fixed
            self.rows.append(
                (
                    partner,
                    self[f"target_{partner.pk}"] if target is not None else None,
                    self[f"fixed_{partner.pk}"],
                    row,
                )
            )
        self.fields["revisions"].initial = ",".join(
            f"{p.pk}:{saved[p.pk].revision if p.pk in saved else 0}" for p in partners
        )

    def figures(self) -> dict[int, tuple[Decimal | None, Decimal | None]]:
        """Partner pk → (target, fixed contribution), as typed."""
        data = self.cleaned_data
        return {
            p.pk: (data.get(f"target_{p.pk}"), data.get(f"fixed_{p.pk}")) for p in self.partners
        }

    def shown_revisions(self) -> dict[int, int]:
        shown = {}
        for part in (self.cleaned_data.get("revisions") or "").split(","):
            pk, _sep, revision = part.partition(":")
            if pk.isdigit() and revision.isdigit():
                shown[int(pk)] = int(revision)
        return shown
