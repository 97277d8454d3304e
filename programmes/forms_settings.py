"""Forms of the coordinators' programme settings: the period and the key dates."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text

from .models import KeyDate, Programme
from .services.settings import KeyDateInput, key_date_revision


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class PeriodForm(forms.Form):
    """The programme's start and end. `version` detects a concurrent save."""

    start_date = _date_field(_("Start date"))
    end_date = _date_field(_("End date"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_programme(cls, programme: Programme) -> "PeriodForm":
        return cls(
            initial={
                "start_date": programme.start_date,
                "end_date": programme.end_date,
                "version": programme.version,
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("The programme must end after it starts."))
        return data


class KeyDateForm(forms.Form):
    """A key date; `revision` is the key date's latest history record when the form was drawn."""

    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    start_date = _date_field(_("Start"))
    end_date = _date_field(_("End"), required=False, help_text=_("Leave empty for a single day."))
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, validators=[validate_plain_text]
    )
    illustrative = forms.BooleanField(
        label=_("Illustrative"),
        required=False,
        help_text=_("Tick when the date is an example, not a fact of the programme."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_key_date(cls, key_date: KeyDate) -> "KeyDateForm":
        return cls(
            initial={
                "title": key_date.title,
                "start_date": key_date.start_date,
                "end_date": key_date.end_date,
                "place": key_date.place,
                "illustrative": key_date.illustrative,
                "revision": key_date_revision(key_date),
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot come before the start."))
        return data

    def to_input(self) -> KeyDateInput:
        data = self.cleaned_data
        return KeyDateInput(
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"] or data["start_date"],
            place=data["place"],
            illustrative=data["illustrative"],
        )


class KeyDateRemoveForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
