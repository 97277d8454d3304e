"""The coordinator's settings for a matching run, and the manual change of a mentor."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choosers import NameChooser, TypedChoiceField
from core.validators import validate_plain_text
from core.widgets import PlainNumberInput, PlainSelect
from programmes.models import Theme
from programmes.pair_ending import FATE_LABELS, Fate, PairReference

from .choices import LockedRole, SameCountry
from .selectors import AcceptancePreview, EndingPair
from .services import RunSettings

FORBIDDEN_ROWS = 3
LOCK_ROWS = 5
# The datalist the city fields share: static/js/suggest.js fills it from the scoped endpoint
# as one types; without JavaScript a typed name is resolved on submit.
CITY_LIST_ID = "matching-cities"


class RunForm(forms.Form):
    """A run's settings. Cities are typed (a name, or a name with its country), not chosen in
    a select of every city: a programme may have hundreds. Each is resolved on submit, with a
    message next to the field when it names no city or several."""

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
        self,
        *args: Any,
        themes: list[Theme],
        pairs: dict[str, int],
        chooser: NameChooser,
        suggest_url: str,
        has_current: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.themes, self.chooser = themes, chooser
        for theme in themes:
            self.fields[f"pairs_{theme.code}"] = forms.IntegerField(
                label=_("Pairs in theme %(code)s") % {"code": theme.code},
                min_value=0,
                max_value=100,
                initial=pairs.get(theme.code, 1),
                widget=PlainNumberInput,
            )
        if has_current:
            self.fields["keep_current"] = forms.BooleanField(
                label=_("Keep the cities of today's pairs in their roles and themes"),
                required=False,
                help_text=_(
                    "The matching may still give a city another mentor in the same theme. "
                    "A lock below overrides this for its city."
                ),
            )

        def city_field(label: str) -> TypedChoiceField:
            return TypedChoiceField(
                label=label,
                chooser=chooser,
                list_id=CITY_LIST_ID,
                suggest_url=suggest_url,
                max_length=120,
            )

        for row in range(1, FORBIDDEN_ROWS + 1):
            for side in ("a", "b"):
                self.fields[f"forbid_{row}_{side}"] = city_field(
                    _("Forbidden pair %(n)d, city %(side)s") % {"n": row, "side": side.upper()}
                )
        theme_choices = [("", _("Any theme")), *[(t.code, t.code) for t in themes]]
        for row in range(1, LOCK_ROWS + 1):
            self.fields[f"lock_{row}_city"] = city_field(_("Lock %(n)d, city") % {"n": row})
            self.fields[f"lock_{row}_role"] = forms.ChoiceField(
                label=_("Lock %(n)d, role") % {"n": row},
                choices=LockedRole.choices,
                required=False,
                widget=PlainSelect,
            )
            self.fields[f"lock_{row}_theme"] = forms.ChoiceField(
                label=_("Lock %(n)d, theme") % {"n": row},
                choices=theme_choices,
                required=False,
                widget=PlainSelect,
            )

    def general_fields(self) -> list[Any]:
        return [self[n] for n in ("label", "same_country", "require_all", "time_limit")]

    def pairs_rows(self) -> list[tuple[Theme, Any]]:
        """Each theme with its field for the number of pairs (a table row each)."""
        return [(t, self[f"pairs_{t.code}"]) for t in self.themes]

    def forbidden_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"forbid_{r}_a"], self[f"forbid_{r}_b"]) for r in range(1, FORBIDDEN_ROWS + 1)
        ]

    def lock_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"lock_{r}_city"], self[f"lock_{r}_role"], self[f"lock_{r}_theme"])
            for r in range(1, LOCK_ROWS + 1)
        ]

    def _city(self, data: dict[str, Any], name: str) -> tuple[bool, str]:
        """Whether a city was typed in the field, and the slug of the one it names (blank
        when none or not found: the field says why)."""
        city = data.get(name)
        return city is not None or name in self.errors, city.key if city else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.forbidden_slugs: list[tuple[str, str]] = []
        for row in range(1, FORBIDDEN_ROWS + 1):
            (typed_a, a), (typed_b, b) = (self._city(data, f"forbid_{row}_{side}") for side in "ab")
            if typed_a != typed_b:
                self.add_error(f"forbid_{row}_b", _("Type both cities, or neither."))
            elif a and a == b:
                self.add_error(f"forbid_{row}_b", _("Choose two different cities."))
            if a and b and a != b:
                self.forbidden_slugs.append((a, b))
        self.locks: dict[str, tuple[str, str]] = {}
        for row in range(1, LOCK_ROWS + 1):
            named, slug = self._city(data, f"lock_{row}_city")
            role, theme = data.get(f"lock_{row}_role", ""), data.get(f"lock_{row}_theme", "")
            if not named:
                if role or theme:
                    self.add_error(f"lock_{row}_city", _("Type the city to lock."))
                continue
            if not (role or theme):
                self.add_error(f"lock_{row}_role", _("Choose a role, a theme or both."))
            elif slug in self.locks:
                self.add_error(f"lock_{row}_city", _("This city is locked in another row."))
            elif slug:
                self.locks[slug] = (role, theme)
        if self.themes and not any(data.get(f"pairs_{t.code}") for t in self.themes):
            self.add_error(None, _("Ask for at least one pair in one theme."))
        return data

    def run_settings(self) -> RunSettings:
        data = self.cleaned_data
        return RunSettings(
            pairs={t.code: data[f"pairs_{t.code}"] for t in self.themes},
            same_country=data["same_country"],
            require_all=data["require_all"],
            forbidden=list(self.forbidden_slugs),
            locks=dict(self.locks),
            keep_current=bool(data.get("keep_current")),
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
