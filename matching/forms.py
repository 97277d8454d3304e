"""The coordinator's settings for a matching run, and the manual change of a mentor."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.validators import validate_plain_text
from programmes.models import City, Theme
from programmes.pair_ending import FATE_LABELS, Fate, PairReference

from .choices import LockedRole, SameCountry
from .selectors import AcceptancePreview, EndingPair
from .services import RunSettings

FORBIDDEN_ROWS = 3


class RunForm(forms.Form):
    label = forms.CharField(
        label=_("Name of this run"),
        max_length=120,
        required=False,
        validators=[validate_plain_text],
        help_text=_("To find it again when you compare runs, e.g. “no same-country pairs”."),
    )
    same_country = forms.ChoiceField(
        label=_("Two cities of the same country"),
        choices=SameCountry.choices,
        initial=SameCountry.ALLOW,
    )
    require_all = forms.BooleanField(
        label=_("Every city takes part"),
        required=False,
        initial=True,
        help_text=_("Untick to let the matching leave out cities it cannot pair well."),
    )
    time_limit = forms.IntegerField(
        label=_("Longest search, in seconds"), min_value=1, max_value=300, initial=30
    )

    def __init__(
        self, *args: Any, themes: list[Theme], cities: list[City], pairs: dict[str, int], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.themes, self.cities = themes, cities
        for theme in themes:
            self.fields[f"pairs_{theme.code}"] = forms.IntegerField(
                label=_("Pairs in theme %(code)s") % {"code": theme.code},
                min_value=0,
                max_value=100,
                initial=pairs.get(theme.code, 1),
            )
        city_choices = [("", _("Choose a city")), *[(c.slug, c.name) for c in cities]]
        for row in range(1, FORBIDDEN_ROWS + 1):
            for side in ("a", "b"):
                self.fields[f"forbid_{row}_{side}"] = forms.ChoiceField(
                    label=_("Forbidden pair %(n)d, city %(side)s")
                    % {"n": row, "side": side.upper()},
                    choices=city_choices,
                    required=False,
                )
        theme_choices = [("", _("Any theme")), *[(t.code, t.code) for t in themes]]
        for city in cities:
            self.fields[f"role_{city.slug}"] = forms.ChoiceField(
                label=_("Role of %(city)s") % {"city": city.name},
                choices=LockedRole.choices,
                required=False,
            )
            self.fields[f"theme_{city.slug}"] = forms.ChoiceField(
                label=_("Theme of %(city)s") % {"city": city.name},
                choices=theme_choices,
                required=False,
            )

    def general_fields(self) -> list[Any]:
        names = ["label", "same_country", "require_all", "time_limit"]
        return [self[n] for n in names] + [self[f"pairs_{t.code}"] for t in self.themes]

    def forbidden_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"forbid_{r}_a"], self[f"forbid_{r}_b"]) for r in range(1, FORBIDDEN_ROWS + 1)
        ]

    def lock_rows(self) -> list[tuple[City, Any, Any]]:
        return [(c, self[f"role_{c.slug}"], self[f"theme_{c.slug}"]) for c in self.cities]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, FORBIDDEN_ROWS + 1):
            a, b = data.get(f"forbid_{row}_a"), data.get(f"forbid_{row}_b")
            if bool(a) != bool(b):
                self.add_error(f"forbid_{row}_b", _("Choose both cities, or neither."))
            elif a and a == b:
                self.add_error(f"forbid_{row}_b", _("Choose two different cities."))
        if self.themes and not any(data.get(f"pairs_{t.code}") for t in self.themes):
            self.add_error(None, _("Ask for at least one pair in one theme."))
        return data

    def run_settings(self) -> RunSettings:
        data = self.cleaned_data
        return RunSettings(
            pairs={t.code: data[f"pairs_{t.code}"] for t in self.themes},
            same_country=data["same_country"],
            require_all=data["require_all"],
            forbidden=[
                (data[f"forbid_{r}_a"], data[f"forbid_{r}_b"])
                for r in range(1, FORBIDDEN_ROWS + 1)
                if data.get(f"forbid_{r}_a") and data.get(f"forbid_{r}_b")
            ],
            locks={
                c.slug: (data.get(f"role_{c.slug}", ""), data.get(f"theme_{c.slug}", ""))
                for c in self.cities
                if data.get(f"role_{c.slug}") or data.get(f"theme_{c.slug}")
            },
            time_limit=data["time_limit"],
            label=data["label"],
        )


class MentorChangeForm(forms.Form):
    mentor = forms.SlugField(label=_("Mentor city"))


class AcceptForm(forms.Form):
    """The coordinator's choice, per visit not yet held of a pair that ends: keep it on the
    ended pair, cancel it, or transfer it to the new pair of the same implementing city."""

    def __init__(self, *args: Any, preview: AcceptancePreview | None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.preview = preview
        for ending in preview.ending if preview else []:
            fates = [Fate.KEEP, Fate.CANCEL] + ([Fate.TRANSFER] if ending.successor else [])
            for ref in ending.open:
                self.fields[ref.key] = forms.ChoiceField(
                    label=_("What becomes of “%(title)s”") % {"title": ref.title},
                    choices=[(f.value, FATE_LABELS[f]) for f in fates],
                    initial=Fate.KEEP.value,
                    widget=forms.RadioSelect,
                )

    def rows(self) -> list[tuple[EndingPair, list[tuple[PairReference, Any]]]]:
        """Each ending pair with its open items and their choice (for the template)."""
        if self.preview is None:
            return []
        return [
            (e, [(ref, self[ref.key]) for ref in e.open])
            for e in self.preview.ending
            if e.open or e.held
        ]

    def fates(self) -> dict[str, Fate]:
        return {key: Fate(value) for key, value in self.cleaned_data.items()}
