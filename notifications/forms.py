from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .choices import Channel


class NotificationSettingsForm(forms.Form):
    """The person's language and, for each kind, how they hear of it."""

    language = forms.ChoiceField(
        label=_("Language of the platform and of your e-mails"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, kinds: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind_fields = []
        for entry in kinds:
            kind = entry["kind"]
            name = f"kind__{kind.key}"
            self.fields[name] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=entry["channel"],
                widget=forms.RadioSelect,
            )
            self.kind_fields.append((kind, name))
        self.groups = self._grouped(kinds)

    def _grouped(self, kinds: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The kinds' fields under a heading each: steps by area, then the reminders."""
        groups: list[dict[str, Any]] = []
        for entry in kinds:
            kind = entry["kind"]
            heading = _("Reminders") if kind.reminder else entry["area"]
            if not groups or groups[-1]["heading"] != heading:
                groups.append({"heading": heading, "fields": []})
            groups[-1]["fields"].append(self[f"kind__{kind.key}"])
        return groups

    def channels(self) -> dict[str, str]:
        return {kind.key: self.cleaned_data[name] for kind, name in self.kind_fields}
