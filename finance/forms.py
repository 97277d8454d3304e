"""Plain HTML forms of the finance screens: labelled fields, errors next to them."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.choosers import NameChooser, TypedChoiceField
from core.money import format_money
from core.uploads import UploadField, upload_help_text
from programmes.choices import Currency
from visits.times import event_first_day

from .choices import DIRECT_CATEGORIES, ExpenseKind, LineDecision
from .models import DEFAULT_PRODUCTIVE_HOURS
from .services.timesheets import EntryInput


def event_label(event: Any) -> str:
    """An event as the claim form lists it: its title and first day."""
    return f"{event.title} ({date_format(event_first_day(event), 'SHORT_DATE_FORMAT')})"


class ClaimForm(forms.Form):
    """A claim's purpose and, if the travel was for one, its event: type part of its title,
    venue or city, then choose among the matches. The page lists them as one types
    (static/js/lookup.js, fed by finance:claimable_events); without JavaScript, submitting lists
    them, or takes the only one. The chosen event comes as `event` (a radio button of the
    matches) and is given in cleaned_data["event"] (None: no event)."""

    purpose = forms.CharField(label=_("What was the travel for?"), max_length=300)
    event_search = forms.CharField(
        label=_("Event"),
        max_length=200,
        required=False,
        help_text=_(
            "Part of its title, venue or city, to choose it among the matches; leave empty "
            "for travel outside an event."
        ),
    )

    def __init__(self, *args: Any, lookup: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lookup = lookup
        self.matches: list[Any] = []
        self.more = False
        self.chosen: Any = None

    @property
    def match_choices(self) -> list[tuple[int, str]]:
        """The matches as the page lists them: each event's pk and label."""
        return [(e.pk, event_label(e)) for e in self.matches]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["event"] = None
        chosen = self.data.get("event", "")
        if chosen:
            event = self.lookup.get(chosen)
            if event is None:
                self.add_error("event_search", _("Choose an event of the programme."))
            else:
                # Shown again checked if anything else is refused, so the choice is kept.
                self.matches, self.chosen = [event], event.pk
            data["event"] = event
            return data
        text = (data.get("event_search") or "").strip()
        if not text:
            return data
        self.matches, self.more = self.lookup.search(text)
        if len(self.matches) == 1 and not self.more:
            data["event"], self.chosen = self.matches[0], self.matches[0].pk
        elif not self.matches:
            self.add_error(
                "event_search",
                _("No event of the programme matches “%(text)s”.") % {"text": text},
            )
        else:
            self.add_error("event_search", _("Several events match: choose one below."))
        return data


class LineForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpenseKind.choices)
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="EUR")
    receipt = UploadField(label=_("Receipt"), policy="receipts")


class CheckForm(forms.Form):
    """A decision on every line of a claim (a rejection needs its reason)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(LineDecision.ACCEPTED, _("Accept")), (LineDecision.REJECTED, _("Reject"))]
        for line in lines:
            self.fields[f"line-{line.pk}-decision"] = forms.ChoiceField(
                label=_("Decision on %(supplier)s, %(amount)s")
                % {"supplier": line.supplier, "amount": format_money(line.amount, line.currency)},
                choices=choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"line-{line.pk}-reason"] = forms.CharField(
                label=_("Reason for rejecting"), required=False, max_length=2000
            )
        self.lines = lines

    def decisions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            line.pk: (data[f"line-{line.pk}-decision"], data.get(f"line-{line.pk}-reason", ""))
            for line in self.lines
        }


class ReimburseForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    amount_eur = forms.DecimalField(label=_("Amount paid (EUR)"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class HoursField(forms.CharField):
    """Hours as typed by people: 7.5, 7,5 or 7:30; empty means none."""

    default_error_messages = {"invalid": _("Give hours such as 7.5 or 7:30.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            if ":" in text:
                hours, _sep, minutes = text.partition(":")
                if not (hours.isdigit() and minutes.isdigit() and int(minutes) < 60):
                    raise ValueError
                return Decimal(hours) + Decimal(minutes) / 60
            return Decimal(text.replace(",", "."))
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class WeekForm(forms.Form):
    """The hours of one week's grid: one field per editable cell, named as the grid names it."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, grid: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grid = grid
        for row in grid.rows:
            for cell in row.cells:
                if cell.editable:
                    self.fields[cell.name] = HoursField(
                        required=False,
                        widget=forms.TextInput(
                            attrs={
                                "inputmode": "decimal",
                                "autocomplete": "off",
                                "size": 4,
                                "maxlength": 8,
                            }
                        ),
                        label=_("%(row)s, %(day)s")
                        % {
                            "row": row.label,
                            "day": date_format(cell.day, "WEEKDAY_MONTH_DAY_FORMAT"),
                        },
                        initial=format(cell.hours.normalize(), "f") if cell.hours else "",
                    )

    def entries(self) -> tuple[list[Any], dict[str, str]]:
        """The entries typed, and for each its position, the name of its field (for errors)."""
        entries: list[EntryInput] = []
        names: dict[str, str] = {}
        for row in self.grid.rows:
            for cell in row.cells:
                hours = self.cleaned_data.get(cell.name) if cell.editable else None
                if hours is None:
                    continue
                index = len(entries)
                entries.append(
                    EntryInput(cell.day, row.activity, hours, row.event.pk if row.event else None)
                )
                for part in ("day", "activity", "hours", "event"):
                    names[f"entries-{index}-{part}"] = cell.name
        return entries, names


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that these hours are true and complete."),
        error_messages={"required": _("Tick the box to confirm your hours.")},
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this month need a correction?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BudgetLineForm(forms.Form):
    partner = forms.TypedChoiceField(label=_("Partner"), coerce=int, choices=())
    category = forms.ChoiceField(
        label=_("Cost category"), choices=[(c.value, c.label) for c in DIRECT_CATEGORIES]
    )
    planned_eur = forms.DecimalField(
        label=_("Planned (EUR)"), max_digits=14, decimal_places=2, min_value=Decimal("0")
    )

    def __init__(self, *args: Any, partners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [  # type: ignore[attr-defined]
            (p.pk, p.organisation.name) for p in partners
        ]


PARTNER_LIST_ID = "finance-partners"  # the datalist that static/js/suggest.js fills


def partner_field(
    label: Any, chooser: NameChooser, suggest_url: str, help_text: Any
) -> TypedChoiceField:
    """A partner typed (a select would list every partner), suggested as one types."""
    return TypedChoiceField(
        label=label,
        chooser=chooser,
        list_id=PARTNER_LIST_ID,
        suggest_url=suggest_url,
        help_text=help_text,
    )


class TransferForm(forms.Form):
    """From a line of the partners shown, to any partner's line: the partner typed (empty: the
    same partner), the category chosen."""

    source = forms.TypedChoiceField(label=_("From the line"), coerce=int, choices=())
    target_category = forms.ChoiceField(
        label=_("To the category"),
        choices=[(c.value, c.label) for c in DIRECT_CATEGORIES],
    )
    amount_eur = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    revisions = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["source", "target_partner", "target_category", "amount_eur", "reason"]

    def __init__(
        self,
        *args: Any,
        lines: list[Any],
        chooser: NameChooser,
        find_line: Callable[[int, str], Any],
        suggest_url: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_partner"] = partner_field(
            _("To the partner"),
            chooser,
            suggest_url,
            _("Type the partner's name; leave empty for the partner of the line it comes from."),
        )
        self.order_fields(self.field_order)
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            (line.pk, f"{line.partner.organisation.name}: {line.get_category_display()}")
            for line in lines
        ]
        self.lines = {line.pk: line for line in lines}
        self.find_line = find_line
        self.target_line: Any = None
        # The lines as this page showed them: a transfer made elsewhere since is refused.
        self.fields["revisions"].initial = ",".join(f"{line.pk}:{line.revision}" for line in lines)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = self.lines.get(data.get("source"))
        category = data.get("target_category")
        if source is None or not category or "target_partner" in self.errors:
            return data
        typed = data.get("target_partner")
        partner_id = int(typed.key) if typed else source.partner_id
        self.target_line = self.find_line(partner_id, category)
        if self.target_line is None:
            self.add_error(
                "target_category",
                _("This partner has no line in this category: open it first."),
            )
        else:
            data["target"] = self.target_line.pk
        return data

    def shown_revisions(self) -> tuple[int, int] | None:
        """The two lines' revisions as the page showed them. A line of a partner not on the
        page was not shown: its revision is the one read when the form was checked."""
        shown = dict(
            part.split(":") for part in self.cleaned_data["revisions"].split(",") if ":" in part
        )
        target = self.target_line
        try:
            return (
                int(shown[str(self.cleaned_data["source"])]),
                int(shown.get(str(target.pk), target.revision)),
            )
        except (KeyError, ValueError):
            return None


class OverrideForm(forms.Form):
    """Leave to spend beyond a line's plan (it counts only for another officer's approvals)."""

    line = forms.TypedChoiceField(label=_("Line"), coerce=int, choices=())
    amount_eur = forms.DecimalField(
        label=_("Amount beyond the plan (EUR)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [  # type: ignore[attr-defined]
            (line.pk, f"{line.partner.organisation.name}: {line.get_category_display()}")
            for line in lines
        ]


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (what browsers' month inputs send) or as a date."""

    input_formats = ["%Y-%m", "%Y-%m-%d", "%m/%Y"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class ExchangeRateForm(forms.Form):
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[c for c in Currency.choices if c[0] != "EUR"]
    )
    month = MonthField(label=_("Month"), help_text=_("For example 2017-03."))
    rate = forms.DecimalField(
        label=_("Units for one euro"),
        max_digits=14,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        help_text=_("The Commission's monthly accounting rate, for example 0.8561 GBP."),
    )


class RatesImportForm(forms.Form):
    file = UploadField(
        label=_("Rates file (CSV)"),
        policy="exchange_rates",
        help_text=format_lazy(
            "{} {}",
            _("Columns: currency, month (YYYY-MM), rate."),
            upload_help_text("exchange_rates", False),
        ),
    )

    def clean_file(self) -> str:
        """The file's text: the upload policy took it as UTF-8 text within its size."""
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return str(upload.read().decode("utf-8-sig"))


class StaffRateForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, choices=())
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="EUR")
    annual_cost = forms.DecimalField(
        label=_("Annual gross employer cost"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    productive_hours = forms.DecimalField(
        label=_("Productive hours a year"),
        max_digits=6,
        decimal_places=1,
        initial=DEFAULT_PRODUCTIVE_HOURS,
        help_text=_(
            "The programme's default, filled in, unless the contract says otherwise; another "
            "figure needs a reason."
        ),
    )
    justification = forms.CharField(
        label=_("Justification of other productive hours"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, people: list[Any], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = self.person_choices(people)  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]

    @staticmethod
    def person_choices(people: list[Any]) -> list[tuple[int, str]]:
        return [(p.pk, f"{p} ({p.organisation})") for p in people]


class StatementForm(forms.Form):
    """A statement of the whole programme, or of one partner typed by name."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    period_end = forms.DateField(
        label=_("Period ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, kinds: Any, chooser: NameChooser, suggest_url: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
        self.fields["partner"] = partner_field(
            _("Partner"),
            chooser,
            suggest_url,
            _(
                "Leave empty for a statement of the whole programme; type a partner's name "
                "for its own."
            ),
        )

    def clean_partner(self) -> int | None:
        typed = self.cleaned_data["partner"]
        return int(typed.key) if typed else None


class OtherGrantForm(forms.Form):
    """Hours on another grant, for a year or one month of it, with the grant's evidence."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    month = MonthField(
        label=_("Month (only for the hours of one month)"),
        required=False,
        help_text=_("Leave empty for the hours of the whole year. For example 2017-03."),
    )
    grant = forms.CharField(label=_("Other grant"), max_length=200)
    reference = forms.CharField(label=_("Grant reference"), max_length=200)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=7, decimal_places=2, min_value=Decimal("0.01")
    )
    evidence = UploadField(
        label=_("Evidence"),
        policy="evidence",
        help_text=format_lazy(
            "{} {}",
            _("The other grant's timesheet or a letter stating the hours."),
            upload_help_text("evidence", False),
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, years: list[int], change: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        if change:
            self.fields["evidence"].required = False
            self.fields["evidence"].help_text = _("Only to replace the evidence kept.")

    @classmethod
    def for_declaration(cls, declaration: Any, years: list[int]) -> "OtherGrantForm":
        return cls(
            years=years,
            change=True,
            initial={
                "year": declaration.year,
                "month": declaration.month,
                "grant": declaration.grant,
                "reference": declaration.reference,
                "hours": declaration.hours,
                "revision": declaration.revision,
            },
        )

    def data_input(self) -> Any:
        from .services.other_grants import OtherGrantInput

        data = self.cleaned_data
        return OtherGrantInput(
            year=data["year"],
            grant=data["grant"],
            reference=data["reference"],
            hours=data["hours"],
            month=data["month"],
        )
