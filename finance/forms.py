"""Plain HTML forms of the finance screens: labelled fields, errors next to them."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from programmes.choices import Currency

from .choices import ExpenseKind, LineDecision
from .services.timesheets import EntryInput


class ClaimForm(forms.Form):
    purpose = forms.CharField(label=_("What was the travel for?"), max_length=300)
    event = forms.TypedChoiceField(
        label=_("Event"), required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, events: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            ("", _("No event")),
            *((e.pk, f"{e.title} ({e.starts_at:%d/%m/%Y})") for e in events),
        ]


class LineForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=ExpenseKind.choices)
    supplier = forms.CharField(label=_("Supplier"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="EUR")
    receipt = forms.FileField(
        label=_("Receipt"),
        help_text=_("PDF, PNG or JPEG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class CheckForm(forms.Form):
    """A decision on every line of a claim (a rejection needs its reason)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(LineDecision.ACCEPTED, _("Accept")), (LineDecision.REJECTED, _("Reject"))]
        for line in lines:
            self.fields[f"line-{line.pk}-decision"] = forms.ChoiceField(
                label=_("Decision on %(supplier)s, %(amount)s %(currency)s")
                % {"supplier": line.supplier, "amount": line.amount, "currency": line.currency},
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
                        % {"row": row.label, "day": date_format(cell.day, "l j F")},
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
