from django import forms
from django.utils.translation import gettext_lazy as _


class PseudonymisationRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the audit trail, e.g. “Left the programme in March; asked for erasure.” "
            "A second coordinator reads it before confirming."
        ),
    )


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search people who left"), required=False, max_length=100)
