"""The on-site forms: the check-in search and its day, the badges' filter, the participants'
list asked for, and the presence in a session. Each is built from what the page shows (the
conference's days, its delegation cities, the delegates of one page)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visits.times import day_text

from ..selectors.onsite import Variant


def _day_choices(days: Iterable[date]) -> list[tuple[str, str]]:
    return [(day.isoformat(), day_text(day)) for day in days]


class DayField(forms.TypedChoiceField):
    def __init__(self, days: Iterable[date], **kwargs: Any) -> None:
        super().__init__(
            choices=_day_choices(days),
            coerce=date.fromisoformat,
            label=_("Day"),
            **kwargs,
        )


class CheckinSearchForm(forms.Form):
    """Find a delegate by name or organisation; the day their check-in counts for."""

    q = forms.CharField(label=_("Name or organisation"), required=False, max_length=100, strip=True)

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"] = DayField(days, required=False)
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    @classmethod
    def showing(cls, query: str, day: date, *, days: list[date]) -> CheckinSearchForm:
        """The form as the page shows it: what was searched, and the day the check-ins count
        for (today's on the conference's clocks unless the organiser chose another)."""
        return cls(initial={"q": query, "day": day.isoformat()}, days=days)


class CheckinForm(forms.Form):
    """A check-in (or its undoing) for a day; `next` is where the organiser came from."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"] = DayField(days)


class BadgesForm(forms.Form):
    """Which badges to print: everybody confirmed, a city's delegation, or some registrations."""

    city = forms.TypedChoiceField(
        label=_("Delegation"), required=False, coerce=int, empty_value=None
    )
    ids = forms.CharField(
        label=_("Registration numbers"),
        help_text=_("Only these registrations, separated by commas (for example 12, 15, 31)."),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, cities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = [("", _("Every delegate")), *cities]  # type: ignore[attr-defined]

    def clean_ids(self) -> list[int]:
        text = self.cleaned_data["ids"].replace(";", ",")
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Write registration numbers separated by commas."))
        return [int(p) for p in parts]


class ParticipantsForm(forms.Form):
    """The funder's participants' list of one day: which list and which file."""

    variant = forms.ChoiceField(
        label=_("List"),
        choices=[
            (Variant.SIGN_IN, _("Sign-in sheet (every confirmed delegate)")),
            (Variant.CHECKED_IN, _("Checked in that day")),
        ],
        widget=forms.RadioSelect,
        initial=Variant.SIGN_IN,
    )
    file_format = forms.ChoiceField(
        label=_("File"),
        choices=[("pdf", _("PDF")), ("xlsx", _("Spreadsheet (XLSX)"))],
        widget=forms.RadioSelect,
        initial="pdf",
    )

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"] = DayField(days)
        self.order_fields(["day", "variant", "file_format"])


class _Numbers(forms.Field):
    """Several registration numbers sent under one name (checkboxes, hidden inputs)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value or []
        if not all(str(v).isdigit() for v in values):
            raise forms.ValidationError(_("Mark only the delegates listed on the page."))
        return [int(v) for v in values]


class SessionAttendanceForm(forms.Form):
    """Who was present among the delegates of one page (`shown`: every delegate listed there;
    the service checks that they hold the session)."""

    shown = _Numbers(required=False)
    present = _Numbers(required=False, label=_("Present"))
