from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.validators import validate_plain_text

from .models import City

MAX_POPULATION = 50_000_000


class CityProfileForm(forms.ModelForm):
    """What a city's officers keep up to date themselves. `version` detects concurrent edits."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = City
        fields = ["population", "charter_signatory", "charter_signed_on", "description"]
        widgets = {
            "charter_signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "population": _("Residents of the municipality, a whole number."),
            "charter_signed_on": _("Leave empty if the city has not signed the charter."),
            "description": _("Up to 4,000 characters of plain text."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].validators.append(validate_plain_text)
        # Larger than any city, and well inside the database column's range.
        self.fields["population"].validators.append(MaxValueValidator(MAX_POPULATION))
        self.fields["population"].widget.attrs["max"] = MAX_POPULATION

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("charter_signed_on") and not data.get("charter_signatory"):
            self.add_error(
                "charter_signed_on", _("Tick “signatory” or leave the signature date empty.")
            )
        return data


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, organisation or city"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
