"""The coordinator's window for the visit plan."""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text
from programmes.models import Programme

from . import planner
from .choices import AgendaFormat, FindingKind


class VisitPlanForm(forms.Form):
    window_start = forms.DateField(
        label=_("Visits from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    window_end = forms.DateField(
        label=_("Visits until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    min_gap_days = forms.IntegerField(
        label=_("Days at least between a pair's study visit and mentoring visit"),
        min_value=1,
        max_value=365,
        initial=14,
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.fields["window_start"].initial = programme.start_date
        self.fields["window_end"].initial = programme.end_date

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The end must come after the start."))
        return data

    def rules(self) -> planner.Rules:
        data = self.cleaned_data
        return planner.Rules(
            window_start=data["window_start"],
            window_end=data["window_end"],
            min_gap_days=data["min_gap_days"],
        )

    def default_rules(self) -> planner.Rules:
        start: date = self.programme.start_date
        return planner.Rules(window_start=start, window_end=self.programme.end_date)


class ReportForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[validate_plain_text],
    )


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *FindingKind.choices])
    text = forms.CharField(
        label=_("Finding"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_plain_text],
    )
    city = forms.ChoiceField(label=_("About"))
    key_factor = forms.ChoiceField(label=_("Key factor"), required=False)

    def __init__(
        self, *args: Any, cities: list[Any], key_factors: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        city_field = cast(forms.ChoiceField, self.fields["city"])
        city_field.choices = [(c.slug, c.name) for c in cities]
        factor_field = cast(forms.ChoiceField, self.fields["key_factor"])
        factor_field.choices = [
            ("", _("None")),
            *[(f.code, f"{f.code}. {f.title}") for f in key_factors],
        ]


FindingFormSet = forms.formset_factory(FindingForm, extra=3)


class AgendaItemForm(forms.Form):
    """Times are entered in the event's (host city's) time zone."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    format = forms.ChoiceField(label=_("Format"), choices=AgendaFormat.choices)
    speakers = forms.CharField(
        label=_("Speakers"), max_length=300, required=False, validators=[validate_plain_text]
    )
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, validators=[validate_plain_text]
    )


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: municipal elections, summer closure."),
        validators=[validate_plain_text],
    )
