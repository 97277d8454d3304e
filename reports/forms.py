"""The coordinators' forms: a new report (kind, period, its deliverable), a section's text, and
the confirmation that freezes the submitted version. `revision` is what the writer read."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text

from .choices import ReportKind
from .models import ReportSection
from .services.reports import ReportInput


def _day(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    period_start = _day(_("Period from"))
    period_end = _day(_("Period to"))

    def __init__(self, *args: Any, deliverables: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deliverable"] = forms.TypedChoiceField(
            label=_("Deliverable of the work plan"),
            choices=[("", _("None")), *deliverables],
            coerce=int,
            required=False,
            empty_value=None,
            help_text=_("The deliverable this report is; its submission is recorded there."),
        )

    def to_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            kind=data["kind"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            deliverable_id=data.get("deliverable"),
        )


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        validators=[validate_plain_text],
        help_text=_("Plain text; a line starting with “- ” is a list item."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_section(cls, section: ReportSection) -> SectionForm:
        return cls(initial={"text": section.text, "revision": section.revision})


class FreezeForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I submit this version to the funder: it can never be changed afterwards."),
        required=True,
    )
